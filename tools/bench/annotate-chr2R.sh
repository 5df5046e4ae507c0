#!/usr/bin/env bash
# Whole-chromosome promoter benchmark: `genobird annotate` with a promoter model along all of dm3 chr2R
# (21.1 Mbp, both strands: --rc max, a bin scores the higher of its window's two strands), against the k-mer
# logistic regression trained on the same examples as the bundled model and scored on the same bins, with
# RefSeq TSSs as truth (tools/bench/tss_bins.py: bin-level AUROC/AUPRC, bins within 300 bp of a TSS against
# bins more than 3 kb from any; peaks at probability 0.5, TSSs within 500 bp of a peak and peaks within 500 bp
# of a TSS), on the whole arm and on 16,000,000-end alone. Arm 2R is in no training step of the bundled model.
#
#   tools/bench/annotate-chr2R.sh [BUILD_DIR] [WORK_DIR] [MODEL_DIR]
#       (defaults: build, build/annotate-chr2R, models/promoter-dm3; THREADS default 2, STEP default 100)
#
# Needs data/ (tools/fetch-example-data.sh). Prints the table and the annotate run's wall time and peak memory.
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build}
work=${2:-build/annotate-chr2R}
model=${3:-models/promoter-dm3}
threads=${THREADS:-2}
step=${STEP:-100}
G=$build/tools/genobird/genobird
genome=data/dm3/chr2R.fa
tss=data/chromhmm/dm3/RefSeqTSS.dm3.bed.gz
[ -s "$genome" ] || { echo "missing $genome: run tools/fetch-example-data.sh first" >&2; exit 1; }
mkdir -p "$work"
window=$(/usr/bin/python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["window_bp"])' "$model/genobird.json")

echo "== genobird annotate ($model, window $window bp, step $step, --rc max, $threads threads)" >&2
lscpu | grep -m1 'Model name' >&2
uptime >&2
/usr/bin/time -f "annotate wall %e s, peak RSS %M KB" -o "$work/annotate.time" \
  "$G" annotate --model "$model" --genome "$genome" --step "$step" --rc max --peaks "$work/model.peaks.bed" \
  -t "$threads" -o "$work/model.bedgraph"
cat "$work/annotate.time" >&2

echo "== k-mer baseline on the bundled model's examples (tools/promoter-dm3-datasets.sh), same bins" >&2
tools/promoter-dm3-datasets.sh "$G" "$work/examples" >/dev/null 2>&1
examples=$work/examples
"$build/tools/bench/bench_promoter_baseline" --train "$examples/dataset_train/train.tsv" \
  --valid "$examples/dataset_valid/train.tsv" --test "$examples/dataset_test/train.tsv" --rc max \
  --genome "$genome" --window "$window" --step "$step" --track "$work/kmer.bedgraph" | tail -2 >&2

echo "== bins and peaks against RefSeq TSSs" >&2
for range in "--from 0" "--from 16000000"; do
  # shellcheck disable=SC2086
  /usr/bin/python3 tools/bench/tss_bins.py --tss "$tss" --chrom chr2R $range \
    genobird="$work/model.bedgraph" kmer="$work/kmer.bedgraph" | { [ "$range" = "--from 0" ] && cat || tail -n +2; }
done | tee "$work/table.tsv"
