#!/usr/bin/env bash
# Chromatin profiles on real data: dm3 chr2R, 9 profiles (8 insulator ChIP-chip tracks and TSS; data and split
# in tools/chromatin-dm3-datasets.sh), four models scored on the same test bins (chr2R:16,000,001-end, every
# bin): k-mer (4-6) logistic regression per profile, DeepSEA's CNN (Zhou & Troyanskaya 2015), both trained on
# the same 1,000 bp training bins, and genobird's short-context (1,000 bp) and long-context (4,000 bp) models of
# tools/train-chromatin-model.sh. Per-profile AUROC and AUPRC and their means (tools/bench/profile_metrics.py)
# over the test bins that every model scores (a 4 kb window loses a few bins at gaps and ends).
#
#   tools/bench/chromatin-dm3.sh [BUILD_DIR] [WORK_DIR] [CHROMATIN_WORK]
#       (defaults: build, build/chromatin-bench, build/chromatin-model: the WORK of train-chromatin-model.sh,
#        whose short/ and long/ models are scored; CNN_WIDTH (default 0.5) scales DeepSEA's filter counts)
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build}
work=${2:-build/chromatin-bench}
models=${3:-build/chromatin-model}
threads=${THREADS:-1}
cnn_width=${CNN_WIDTH:-0.5}
G=$build/tools/genobird/genobird
mkdir -p "$work"
tools/chromatin-dm3-datasets.sh "$G" "$work" 1000 4000
d1=$work/data_w1000
lscpu | grep -m1 'Model name' >&2
uptime >&2

echo "== k-mer logistic regression per profile" >&2
/usr/bin/time -f "kmer wall %e s, peak RSS %M KB" "$build/tools/bench/bench_promoter_baseline" --train "$d1/train.tsv" \
  --valid "$d1/valid.tsv" --test "$d1/test.tsv" --predictions "$work/kmer.tsv" > "$work/kmer.out"
echo "== DeepSEA CNN (width x $cnn_width)" >&2
[ -s "$work/cnn.pt" ] || /usr/bin/time -f "cnn wall %e s, peak RSS %M KB" "$build/tools/bench/bench_deepsea_cnn" \
  --train "$d1/train.tsv" --valid "$d1/valid.tsv" --test "$d1/test.tsv" --width-scale "$cnn_width" -t "$threads" \
  --save "$work/cnn.pt" > "$work/cnn.out"
"$build/tools/bench/bench_deepsea_cnn" --load "$work/cnn.pt" --test "$d1/test.tsv" -t "$threads" \
  --predictions "$work/cnn.tsv" > /dev/null
echo "== genobird short (1,000 bp) and long (4,000 bp) context" >&2
for m in short long; do
  w=1000; [ "$m" = long ] && w=4000
  /usr/bin/time -f "$m evaluate wall %e s, peak RSS %M KB" "$G" evaluate --model "$models/$m" --data "$work/data_w$w/test.tsv" \
    -t "$threads" --predictions "$work/genobird_$m.tsv" -o "$work/genobird_$m.metrics.tsv"
done
echo "== per-profile test metrics on the common bins" >&2
/usr/bin/python3 tools/bench/profile_metrics.py --data "$d1/test.tsv" --markdown kmer="$work/kmer.tsv" \
  cnn="$work/cnn.tsv" genobird_short="$work/genobird_short.tsv" genobird_long="$work/genobird_long.tsv" | tee "$work/table.md"
