#!/usr/bin/env bash
# `genobird variants` against the naive way, in one run, on the human example data (tools/fetch-example-data.sh:
# hg19 chr22:20-21 Mb and its 3,502 dbSNP variants) with the bundled model (models/promoter-dm3, 300 bp):
#   naive: tools/bench/variants/naive_fasta.py writes each ALT's reference and edited window as FASTA, then
#          `genobird predict --fasta` scores the reference file and the alternate file (two runs);
#   genobird variants on the VCF (the reference window of a site scored once, one process).
# Whole wall time of each way (median of RUNS runs, same threads and batch size), and a check that the ref and
# alt probabilities of both ways are identical. Then saturation mutagenesis of 1 kb (3,000 substitutions).
#   tools/bench/variants.sh [GENOBIRD_BINARY]      RUNS (default 3), THREADS (default 2), VARIANTS (default all)
set -euo pipefail
cd "$(dirname "$0")/../.."
genobird=${1:-build/tools/genobird/genobird}
runs=${RUNS:-3}
threads=${THREADS:-2}
genome=data/hg19/22_20-21M.fa
[ -s "$genome" ] || { echo "run tools/fetch-example-data.sh first ($genome is missing)" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if [ -n "${VARIANTS:-}" ]; then
  bcftools view -h data/hg19/22_20-21M.vcf.gz > "$work/v.vcf"
  bcftools view -H data/hg19/22_20-21M.vcf.gz | head -n "$VARIANTS" >> "$work/v.vcf"
else
  bcftools view data/hg19/22_20-21M.vcf.gz > "$work/v.vcf"
fi
records=$(grep -vc '^#' "$work/v.vcf")

median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
seconds() { local s e; s=$(date +%s%N); "$@"; e=$(date +%s%N); awk -v d=$((e - s)) 'BEGIN { printf "%.3f\n", d / 1e9 }'; }
naive() {
  python3 tools/bench/variants/naive_fasta.py "$genome" "$work/v.vcf" 300 "$work/ref.fa" "$work/alt.fa"
  "$genobird" predict --fasta "$work/ref.fa" -t "$threads" -q -o "$work/ref.tsv"
  "$genobird" predict --fasta "$work/alt.fa" -t "$threads" -q -o "$work/alt.tsv"
}
ours() { "$genobird" variants --genome "$genome" --vcf "$work/v.vcf" -t "$threads" -o "$work/v.tsv" 2> "$work/v.log"; }

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); $(date -u '+%Y-%m-%d %H:%M') UTC; load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "input: $records VCF records, $threads threads, median of $runs runs"
ours  # warm-up: page cache, .fai
n=$(for r in $(seq "$runs"); do seconds naive; done | median)
v=$(for r in $(seq "$runs"); do seconds ours; done | median)
pairs=$(grep -c '>' "$work/alt.fa")
printf '%-36s %10s %12s\n' way median_s windows
printf '%-36s %10s %12s\n' "naive (FASTA + 2 x predict --fasta)" "$n" "$((2 * pairs))"
printf '%-36s %10s %12s\n' "genobird variants" "$v" "$(grep -o '[0-9]* windows)' "$work/v.log" | cut -d' ' -f1)"
awk -v n="$n" -v v="$v" 'BEGIN { printf "ratio naive / variants: %.2fx\n", n / v }'
paste <(tail -n +2 "$work/ref.tsv" | cut -f2) <(tail -n +2 "$work/alt.tsv" | cut -f2) > "$work/naive.txt"
tail -n +2 "$work/v.tsv" | cut -f6,7 > "$work/ours.txt"
cmp -s "$work/naive.txt" "$work/ours.txt" && echo "scores: identical ($pairs ALT alleles, ref and alt probabilities)" \
  || { echo "scores differ between the two ways" >&2; exit 1; }
start=500001
m=$(for r in $(seq "$runs"); do seconds "$genobird" mutagenesis --genome "$genome" --region 22_20-21M:$start-$((start + 999)) -t "$threads" -q --plot "$work/m.svg" -o "$work/m.tsv"; done | median)
echo "mutagenesis of 1 kb ($(tail -n +2 "$work/m.tsv" | wc -l) substitutions): $m s"
