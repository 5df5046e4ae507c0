#!/usr/bin/env bash
# Inference throughput with the bundled model (models/promoter-dm3) on the CPU, 1 and 2 threads, in one run:
#   - annotate: bp/s over held-out Drosophila upstream sequences (examples/data), --step 100
#   - predict:  regions/s over the example BED (2 regions per sequence), --strand
# Whole-process wall time, median of RUNS runs; the outputs of 1 and 2 threads are checked to be identical.
# There is no peer that runs this model, so the figures stand alone (the encoder itself is compared with
# HuggingFace transformers by tools/bench/attention). A GPU run needs a CUDA build and --device cuda.
#   tools/bench/annotate.sh [GENOBIRD_BINARY]      RUNS (default 3), SEQUENCES (default 100)
set -euo pipefail
cd "$(dirname "$0")/../.."
genobird=${1:-build/tools/genobird/genobird}
runs=${RUNS:-3}
sequences=${SEQUENCES:-100}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

awk -v n="$sequences" '/^>/ { k++ } k <= n' examples/data/dm3_upstream_chr2R.fa > "$work/upstream.fa"
names=$(grep -c '>' "$work/upstream.fa")
awk -v FS='\t' -v n=$((2 * names)) 'NR <= n' examples/data/dm3_upstream_chr2R.bed > "$work/regions.bed"
bp=$(grep -v '>' "$work/upstream.fa" | tr -d '\n' | wc -c)
regions=$(wc -l < "$work/regions.bed")
"$genobird" annotate --genome "$work/upstream.fa" --step 100 -q -o "$work/warm.bedgraph"  # builds the .fai

median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
seconds() { local s e; s=$(date +%s%N); "$@"; e=$(date +%s%N); awk -v d=$((e - s)) 'BEGIN { printf "%.3f\n", d / 1e9 }'; }

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); $(date -u +%Y-%m-%d)"
echo "model: $("$genobird" model info models/promoter-dm3 | awk -F'\t' '$1 == "shape" || $1 == "window_bp" { printf "%s %s; ", $1, $2 }')"
printf '%-10s %8s %12s %10s %14s\n' command threads input median_s rate
for t in 1 2; do
  a=$(for r in $(seq "$runs"); do seconds "$genobird" annotate --genome "$work/upstream.fa" --step 100 -t "$t" -q -o "$work/a$t.bedgraph"; done | median)
  printf '%-10s %8s %9s bp %10s %11s bp/s\n' annotate "$t" "$bp" "$a" "$(awk -v b="$bp" -v s="$a" 'BEGIN { printf "%.0f", b / s }')"
  p=$(for r in $(seq "$runs"); do seconds "$genobird" predict --genome "$work/upstream.fa" --regions "$work/regions.bed" --strand -t "$t" -q -o "$work/p$t.tsv"; done | median)
  printf '%-10s %8s %6s regions %7s %8s regions/s\n' predict "$t" "$regions" "$p" "$(awk -v n="$regions" -v s="$p" 'BEGIN { printf "%.1f", n / s }')"
done
cmp -s "$work/a1.bedgraph" "$work/a2.bedgraph" && cmp -s "$work/p1.tsv" "$work/p2.tsv" \
  && echo "outputs of 1 and 2 threads are identical" || { echo "outputs of 1 and 2 threads differ" >&2; exit 1; }
