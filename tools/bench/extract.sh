#!/usr/bin/env bash
# Times `genobird extract --strand` against `bedtools getfasta -s` on the same 100,000 random 1 kb regions
# (both strands) over the four Klebsiella genomes, in one run; checks the outputs are identical and prints
# the median wall time of each (of RUNS runs) and the ratio.
#   tools/bench/extract.sh [GENOBIRD_BINARY]
set -euo pipefail
cd "$(dirname "$0")/../.."
genobird=${1:-build/tools/genobird/genobird}
runs=${RUNS:-5}
tools/fetch-example-data.sh 2>/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cat data/klebsiella/*.fna > "$work/genome.fa"
samtools faidx "$work/genome.fa"
# 100,000 regions of 1 kb, uniformly over the genomes, half on each strand (fixed seed).
awk -v n=100000 'BEGIN { srand(7) }
  { name[NR] = $1; len[NR] = $2; total += $2 - 1000 }
  END {
    for (i = 0; i < n; i++) {
      r = int(rand() * total)
      for (j = 1; r >= len[j] - 1000; j++) r -= len[j] - 1000
      printf "%s\t%d\t%d\tr%d\t0\t%s\n", name[j], r, r + 1000, i, (rand() < 0.5 ? "+" : "-")
    }
  }' "$work/genome.fa.fai" > "$work/regions.bed"

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
wall() { local s e; s=$(date +%s.%N); "$@" > /dev/null; e=$(date +%s.%N); echo "$e - $s" | bc -l; }

"$genobird" extract --genome "$work/genome.fa" --regions "$work/regions.bed" --strand -o "$work/ours.fa" -q
bedtools getfasta -fi "$work/genome.fa" -bed "$work/regions.bed" -s > "$work/theirs.fa"
cmp -s "$work/ours.fa" "$work/theirs.fa" || { echo "outputs differ" >&2; exit 1; }

ours=$(for i in $(seq "$runs"); do wall "$genobird" extract --genome "$work/genome.fa" --regions "$work/regions.bed" --strand -q; done | median)
theirs=$(for i in $(seq "$runs"); do wall bedtools getfasta -fi "$work/genome.fa" -bed "$work/regions.bed" -s; done | median)
printf 'tool\twall_s\n'
printf 'genobird extract --strand\t%.3f\n' "$ours"
printf 'bedtools getfasta -s\t%.3f\n' "$theirs"
printf 'ratio genobird/bedtools\t%.2f\n' "$(echo "$ours / $theirs" | bc -l)"
