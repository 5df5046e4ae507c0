#!/usr/bin/env bash
# The chromatin-profile examples on Drosophila dm3 chr2R (tools/train-chromatin-model.sh and
# tools/bench/chromatin-dm3.sh), from data/ (tools/fetch-example-data.sh).
#
#   tools/chromatin-dm3-datasets.sh GENOBIRD WORK WINDOW_BP...
#
# 9 profiles: the ChIP-chip peaks of four insulator proteins in two cell lines (BEAF, CTCF, Cp190, SuHw x Kc,
# Mbn2; Bushey et al. 2009) and TSS (a RefSeq TSS inside the bin, either strand: each TSS becomes the 200 bp
# bin that holds it). `genobird make-dataset chromatin`: 200 bp bins, positive when more than half of the bin
# lies in a peak, the window centred on the bin. Split by position: test = chr2R:16,000,001-end (every bin
# kept: the real class balance), validation = chr2R:14,000,001-16,000,000, training = the rest; training and
# validation bins whose window reaches into a held-out range are dropped. Training and validation keep every
# bin with a label and a seeded 10% (seed 42) of the others; the same bins for every window length, up to the
# bins near the ends and gaps that a longer window loses. Writes WORK/peaks.bed (the peak table) and
# WORK/data_wW/{train,valid,test}.tsv for each window W. Files that exist are kept.
set -euo pipefail
GENOBIRD=$1
WORK=$2
shift 2
genome=data/dm3/chr2R.fa
[ -s "$genome" ] && [ -s data/dm3/insulators/.done ] || { echo "missing data/: run tools/fetch-example-data.sh first" >&2; exit 1; }
mkdir -p "$WORK"
if [ ! -s "$WORK/peaks.bed" ]; then
  for f in data/dm3/insulators/*_Bushey_2009.bed; do
    name=$(basename "$f" _Bushey_2009.bed)
    awk -v OFS='\t' -v name="$name" '$1 == "chr2R" { print $1, $2, $3, name }' "$f"
  done > "$WORK/peaks.tmp"
  zcat data/chromhmm/dm3/RefSeqTSS.dm3.bed.gz |
    awk -v OFS='\t' '$1 == "chr2R" { b = int($2 / 200) * 200; print $1, b, b + 200, "TSS" }' | sort -u -k2,2n >> "$WORK/peaks.tmp"
  mv "$WORK/peaks.tmp" "$WORK/peaks.bed"
fi
for window in "$@"; do
  [ -s "$WORK/data_w$window/test.tsv" ] || "$GENOBIRD" make-dataset chromatin --genome "$genome" --peak-table "$WORK/peaks.bed" \
    --bin 200 --window "$window" --background-fraction 0.1 --test-background-fraction 1 --test-chroms '' --valid-chroms '' \
    --test-regions chr2R:16,000,001- --valid-regions chr2R:14,000,001-16,000,000 --seed 42 --out "$WORK/data_w$window"
done
