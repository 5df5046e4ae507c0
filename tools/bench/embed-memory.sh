#!/usr/bin/env bash
# Peak memory of `genobird embed` as the number of regions grows: flat if rows stream to disk.
#
#   tools/bench/embed-memory.sh GENOBIRD MODEL_DIR WORK_DIR [COUNTS...]   (default counts: 10000 100000 1000000)
#
# Regions of 100 to 300 bp at seeded random places of tests/data/lambda_virus.fa, both strands, embedded
# with --strand to a .npy; prints regions, wall seconds, peak RSS and the output's size for each count.
# THREADS (default 1).
set -euo pipefail
G=$1
model=$2
work=$3
shift 3
counts=${*:-10000 100000 1000000}
root=$(cd "$(dirname "$0")/../.." && pwd)
mkdir -p "$work"
cp "$root/tests/data/lambda_virus.fa" "$work/genome.fa"
chrom=$(head -1 "$work/genome.fa" | cut -c2- | cut -d' ' -f1)
printf "%10s  %8s  %12s  %10s\n" regions wall_s peak_rss_mb npy_mb
for n in $counts; do
  awk -v c="$chrom" -v n="$n" 'BEGIN { srand(3); for (i = 0; i < n; i++) { len = 100 + int(rand() * 201); s = int(rand() * (48000 - len));
      printf "%s\t%d\t%d\tr%d\t0\t%s\n", c, s, s + len, i, (i % 2 ? "-" : "+") } }' > "$work/regions.bed"
  /usr/bin/time -f "%e %M" -o "$work/time" "$G" embed --model "$model" --genome "$work/genome.fa" --regions "$work/regions.bed" \
    --strand -t "${THREADS:-1}" -q -o "$work/e.npy"
  awk -v n="$n" -v bytes="$(stat -c %s "$work/e.npy")" '{ printf "%10d  %8.1f  %12.1f  %10.1f\n", n, $1, $2 / 1024, bytes / 1048576 }' "$work/time"
done
rm -f "$work/regions.bed" "$work/e.npy" "$work/e.tsv"
