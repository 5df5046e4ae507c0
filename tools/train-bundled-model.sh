#!/usr/bin/env bash
# Trains genobird's bundled default model, models/promoter-dm3, from real Drosophila data on the CPU.
#
#   tools/train-bundled-model.sh [GENOBIRD]     (default build/tools/genobird/genobird)
#
# Data: dm3_upstream2000.fa (tools/fetch-example-data.sh): 26,454 sequences, each the 2000 bp upstream of a
# RefSeq TSS, TSS at the right end. Chromosome arm 2R is held out entirely (test set, and the example data
# in examples/data/); arm 3L is the validation set; every other arm trains.
#   1. tokenizer: BPE, 4096 tokens, on the first 5 Mbp of the training arms' sequences
#   2. pretraining: masked-language model on the training arms' sequences (`genobird pretrain`)
#   3. dataset (`genobird make-dataset promoter`): positives = the 300 bp just upstream of each TSS
#      (offsets -300..-1), negatives = the distal 300 bp of the same sequences (-2000..-1701), so the head
#      learns "TSS-proximal or not" within upstream DNA, which is what the example metaplot shows
#   4. fine-tuning of the promoter head (`genobird finetune promoter`), early stopping on validation AUROC
#   5. held-out metrics (`genobird evaluate` on arm 2R) written to models/promoter-dm3/test_metrics.json
# Shape: the `small` preset's attention (4 heads, block 64, 3 random blocks) at 2 layers x hidden 128,
# intermediate 512, max_position_embeddings 512 (1.0 M parameters, 4 MB). Step counts, batch and threads can be
# set with PRETRAIN_STEPS, PRETRAIN_BATCH, FINETUNE_STEPS and THREADS, the pretraining's initialisation with INIT
# (normal, as the bundled model was made; local starts the heads on neighbouring tokens); the defaults (those of the bundled model:
# one thread, so the run is reproducible bit for bit) took 17 + 18 minutes on a 2-core machine running one other
# training job; fine-tuning stops early once validation AUROC has not improved for 3 rounds.
set -euo pipefail
cd "$(dirname "$0")/.."
GENOBIRD=${1:-build/tools/genobird/genobird}
PRETRAIN_STEPS=${PRETRAIN_STEPS:-2000}
FINETUNE_STEPS=${FINETUNE_STEPS:-10000}
PRETRAIN_BATCH=${PRETRAIN_BATCH:-16}
FINETUNE_LR=${FINETUNE_LR:-1e-3}
THREADS=${THREADS:-1}
INIT=${INIT:-normal}
WORK=${WORK:-build/bundled-model}
OUT=models/promoter-dm3
SRC=data/dm3/dm3_upstream2000.fa
[ -x "$GENOBIRD" ] || { echo "no genobird binary at $GENOBIRD (build first, or pass its path)" >&2; exit 1; }
[ -s "$SRC" ] || { echo "missing $SRC: run tools/fetch-example-data.sh first" >&2; exit 1; }
mkdir -p "$WORK"
# Steps whose output exists are skipped, so an interrupted run continues; delete $WORK to start over.

# Upper-cased sequences with unique names by split (test = arm 2R, valid = arm 3L, train = the rest) and the
# promoter datasets of step 3.
tools/promoter-dm3-datasets.sh "$GENOBIRD" "$WORK"

echo "== 1. tokenizer" >&2
[ -s "$WORK/tokenizer.json" ] || "$GENOBIRD" tokenizer train --input "$WORK/upstream_train.fa" --vocab-size 4096 \
  --max-bases 5000000 -t "$THREADS" -o "$WORK/tokenizer.json"

echo "== 2. pretraining ($PRETRAIN_STEPS steps)" >&2
# The small preset's attention (block 64, 3 random blocks), narrowed so that it trains in minutes on 2 cores.
sed -e 's/"max_position_embeddings": [0-9]*/"max_position_embeddings": 512/' -e 's/"hidden_size": [0-9]*/"hidden_size": 128/' \
    -e 's/"num_hidden_layers": [0-9]*/"num_hidden_layers": 2/' -e 's/"intermediate_size": [0-9]*/"intermediate_size": 512/' \
    models/small.json > "$WORK/config.json"
[ -s "$WORK/pretrained/model.safetensors" ] || "$GENOBIRD" pretrain --genome "$WORK/upstream_train.fa" \
  --tokenizer "$WORK/tokenizer.json" --config "$WORK/config.json" --init "$INIT" --out "$WORK/pretrained" --steps "$PRETRAIN_STEPS" \
  --batch-size "$PRETRAIN_BATCH" --seq-len 128 --lr 5e-4 -t "$THREADS"

echo "== 3. promoter datasets (made above by tools/promoter-dm3-datasets.sh)" >&2

echo "== 4. fine-tuning ($FINETUNE_STEPS steps)" >&2
rm -rf "$WORK/finetuned"
"$GENOBIRD" finetune promoter --model "$WORK/pretrained" --train "$WORK/dataset_train/train.tsv" --valid "$WORK/dataset_valid/train.tsv" \
  --out "$WORK/finetuned" --steps "$FINETUNE_STEPS" --batch-size 32 --lr "$FINETUNE_LR" --warmup $((FINETUNE_STEPS / 10)) --eval-every $((FINETUNE_STEPS / 5)) -t "$THREADS"

echo "== 5. held-out evaluation (arm 2R)" >&2
"$GENOBIRD" evaluate --model "$WORK/finetuned" --data "$WORK/dataset_test/train.tsv" --json -o "$WORK/test_metrics.json" -t "$THREADS"

rm -rf "$OUT"
mkdir -p "$OUT"
cp "$WORK/finetuned/config.json" "$WORK/finetuned/model.safetensors" "$WORK/finetuned/tokenizer.json" \
   "$WORK/finetuned/genobird.json" "$WORK/test_metrics.json" "$OUT/"
cp "$WORK/pretrained/metrics.tsv" "$OUT/pretrain_metrics.tsv"
[ -f "$WORK/finetuned/finetune-promoter.tsv" ] && cp "$WORK/finetuned/finetune-promoter.tsv" "$OUT/"
du -sh "$OUT" >&2
cat "$OUT/test_metrics.json" >&2
