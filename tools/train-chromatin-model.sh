#!/usr/bin/env bash
# Trains models/chromatin-dm3, genobird's bundled chromatin-profile model, on real Drosophila data on the CPU.
#
#   tools/train-chromatin-model.sh [GENOBIRD]     (default build/tools/genobird/genobird)
#
# Data: tools/chromatin-dm3-datasets.sh (dm3 chr2R, 9 profiles: 8 insulator ChIP-chip tracks and TSS, 200 bp
# bins; test = chr2R:16,000,001-end, never used here; validation = 14,000,001-16,000,000). Starting point:
# the backbone (BACKBONE, default models/backbone-dm3; tools/train-backbone.sh), pretrained on chr2R
# 0-14 Mbp and upstream DNA of the other chromosomes.
#   1. short context: the chromatin head fine-tuned from the backbone on 1,000 bp windows (DeepSEA's),
#      STEPS1 steps at most (default 3000), early stopping on validation mean AUROC
#   2. long context: fine-tuning continues from step 1 on 4,000 bp windows, STEPS2 steps at most (default
#      1500); as the control, step 1 continues as long on 1,000 bp windows, so the two differ only in context
#   3. the bundled model is the one of step 2 with the higher validation mean AUROC (never the test range);
#      held-out metrics (`genobird evaluate` on the test range) go to models/chromatin-dm3/test_metrics.tsv
# Fine-tuning: batch 16, learning rate 5e-4, positives weighted 4x (the profiles are rare), reverse-complement
# augmentation, mean pooling, checkpoints, so a stopped run resumes (--resume) where it was.
set -euo pipefail
cd "$(dirname "$0")/.."
GENOBIRD=${1:-build/tools/genobird/genobird}
BACKBONE=${BACKBONE:-models/backbone-dm3}
STEPS1=${STEPS1:-3000}
STEPS2=${STEPS2:-1500}
THREADS=${THREADS:-1}
WORK=${WORK:-build/chromatin-model}
OUT=models/chromatin-dm3
[ -x "$GENOBIRD" ] || { echo "no genobird binary at $GENOBIRD (build first, or pass its path)" >&2; exit 1; }
[ -s "$BACKBONE/model.safetensors" ] || { echo "no backbone at $BACKBONE: run tools/train-backbone.sh first" >&2; exit 1; }
mkdir -p "$WORK"
tools/chromatin-dm3-datasets.sh "$GENOBIRD" "$WORK" 1000 4000

# finetune OUT START WINDOW STEPS: the chromatin head on WINDOW-bp examples, resumed when OUT has checkpoints.
finetune() {
  local out=$1 start=$2 window=$3 steps=$4 resume=()
  [ -s "$out/model.safetensors" ] && return 0
  if [ -d "$out/checkpoints-chromatin" ]; then resume=(--resume); fi
  "$GENOBIRD" finetune chromatin --model "$start" --train "$WORK/data_w$window/train.tsv" --valid "$WORK/data_w$window/valid.tsv" \
    --out "$out" --pooling mean --steps "$steps" --batch-size 16 --lr 5e-4 --warmup 150 --positive-weight 4 \
    --eval-every 250 --patience 4 --seed 42 -t "$THREADS" "${resume[@]}"
}

echo "== 1. short context (1,000 bp) from $BACKBONE" >&2
finetune "$WORK/short1" "$BACKBONE" 1000 "$STEPS1"
echo "== 2. long context (4,000 bp), and the 1,000 bp control, from step 1" >&2
finetune "$WORK/long" "$WORK/short1" 4000 "$STEPS2"
finetune "$WORK/short" "$WORK/short1" 1000 "$STEPS2"

echo "== 3. validation choice and held-out metrics" >&2
best_of() { /usr/bin/python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["provenance"]["finetune_chromatin"]["best_valid_mean_auroc"])' "$1/genobird.json"; }
short_auroc=$(best_of "$WORK/short")
long_auroc=$(best_of "$WORK/long")
best=short window=1000
if /usr/bin/python3 -c 'import sys; sys.exit(float(sys.argv[1]) <= float(sys.argv[2]))' "$long_auroc" "$short_auroc"; then best=long window=4000; fi
echo "validation mean AUROC: short $short_auroc, long $long_auroc: bundling $best" >&2
"$GENOBIRD" evaluate --model "$WORK/$best" --data "$WORK/data_w$window/test.tsv" -t "$THREADS" -o "$WORK/test_metrics.tsv"

rm -rf "$OUT"
mkdir -p "$OUT"
cp "$WORK/$best/config.json" "$WORK/$best/model.safetensors" "$WORK/$best/tokenizer.json" "$WORK/$best/genobird.json" \
   "$WORK/test_metrics.tsv" "$OUT/"
[ -f "$WORK/$best/finetune-chromatin.tsv" ] && cp "$WORK/$best/finetune-chromatin.tsv" "$OUT/"
du -sh "$OUT" >&2
cat "$OUT/test_metrics.tsv" >&2
