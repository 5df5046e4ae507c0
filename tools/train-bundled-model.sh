#!/usr/bin/env bash
# Trains genobird's bundled default model, models/promoter-dm3, from real Drosophila data on the CPU.
#
#   tools/train-bundled-model.sh [GENOBIRD]     (default build/tools/genobird/genobird)
#
# Data (tools/fetch-example-data.sh): dm3_upstream2000.fa, 26,454 sequences, each the 2000 bp upstream of a
# RefSeq TSS, TSS at the right end; RefSeq gene spans and TSSs (chromhmm-example). Chromosome arm 2R is held
# out of every step (test set, the whole-chromosome benchmark tools/bench/annotate-chr2R.sh, and the example
# data in examples/data/); arm 3L is the validation set; every other arm trains.
#   0. examples (tools/promoter-dm3-examples.py, then `genobird make-dataset promoter`): positives = the
#      300 bp just upstream of each TSS (-300..-1); negatives = what else a genome holds, from the same arms:
#      the distal 300 bp of the upstream records (-2000..-1701) and 300 bp windows inside gene bodies at
#      least 1 kb from any TSS, each on a random strand
#   1. tokenizer: BPE, 256 tokens, on the first 5 Mbp of the training arms' upstream sequences
#   2. pretraining: masked-language model on the training arms' upstream sequences (`genobird pretrain`,
#      --init local), checkpoints every 500 steps
#   3. fine-tuning of the promoter head (`genobird finetune promoter`, reverse-complement augmentation),
#      early stopping on validation AUROC
#   4. held-out metrics (`genobird evaluate --rc max` on arm 2R, the strand-free score annotate's track
#      uses) written to models/promoter-dm3/test_metrics.json, and the k-mer baseline on the same files
# Shape: 2 layers x hidden 128, 4 heads, intermediate 512, block 64, 3 random blocks, 512 positions (the
# `mini` benchmark shape; 300 bp is ~86 tokens). The defaults are what made the bundled model; steps and
# threads can be set with PRETRAIN_STEPS, FINETUNE_STEPS and THREADS.
# Resumable: a step whose output exists is skipped, and pretraining and fine-tuning continue from their
# newest checkpoint, so the run can be stopped (Ctrl-C) and started again; delete $WORK to start over.
set -euo pipefail
cd "$(dirname "$0")/.."
GENOBIRD=${1:-build/tools/genobird/genobird}
PRETRAIN_STEPS=${PRETRAIN_STEPS:-3000}
FINETUNE_STEPS=${FINETUNE_STEPS:-6000}
VOCAB=${VOCAB:-256}
THREADS=${THREADS:-1}
WORK=${WORK:-build/bundled-model}
OUT=models/promoter-dm3
COORDS=data/chromhmm/dm3
[ -x "$GENOBIRD" ] || { echo "no genobird binary at $GENOBIRD (build first, or pass its path)" >&2; exit 1; }
[ -s data/dm3/dm3_upstream2000.fa ] && [ -s $COORDS/RefSeqTSS.dm3.bed.gz ] ||
  { echo "missing data/: run tools/fetch-example-data.sh first" >&2; exit 1; }
mkdir -p "$WORK"
# Resumes from the newest checkpoint when an earlier run of the same step was stopped.
resume_flag() { if ls -d "$1"/checkpoints* >/dev/null 2>&1; then echo --resume; fi; }

echo "== 0. examples" >&2
tools/promoter-dm3-datasets.sh "$GENOBIRD" "$WORK"

echo "== 1. tokenizer ($VOCAB tokens)" >&2
[ -s "$WORK/tokenizer.json" ] || "$GENOBIRD" tokenizer train --input "$WORK/upstream_train.fa" --vocab-size "$VOCAB" \
  --max-bases 5000000 -t "$THREADS" -o "$WORK/tokenizer.json"

echo "== 2. pretraining ($PRETRAIN_STEPS steps)" >&2
sed -e "s/\"vocab_size\": [0-9]*/\"vocab_size\": $VOCAB/" -e 's/"max_position_embeddings": [0-9]*/"max_position_embeddings": 512/' \
    -e 's/"hidden_size": [0-9]*/"hidden_size": 128/' -e 's/"num_hidden_layers": [0-9]*/"num_hidden_layers": 2/' \
    -e 's/"intermediate_size": [0-9]*/"intermediate_size": 512/' models/small.json > "$WORK/config.json"
[ -s "$WORK/pretrained/model.safetensors" ] || "$GENOBIRD" pretrain --genome "$WORK/upstream_train.fa" \
  --tokenizer "$WORK/tokenizer.json" --config "$WORK/config.json" --init local --out "$WORK/pretrained" \
  --steps "$PRETRAIN_STEPS" --batch-size 32 --seq-len 128 --lr 1e-3 --decay cosine --checkpoint-every 500 \
  -t "$THREADS" $(resume_flag "$WORK/pretrained")

echo "== 3. fine-tuning ($FINETUNE_STEPS steps at most)" >&2
[ -s "$WORK/finetuned/model.safetensors" ] || "$GENOBIRD" finetune promoter --model "$WORK/pretrained" \
  --train "$WORK/dataset_train/train.tsv" --valid "$WORK/dataset_valid/train.tsv" --out "$WORK/finetuned" \
  --steps "$FINETUNE_STEPS" --batch-size 32 --lr 5e-4 --warmup 300 --eval-every 250 --patience 4 --seed 42 \
  -t "$THREADS" $(resume_flag "$WORK/finetuned")

echo "== 4. held-out evaluation (arm 2R), genobird and the k-mer baseline" >&2
"$GENOBIRD" evaluate --model "$WORK/finetuned" --data "$WORK/dataset_test/train.tsv" --rc max --json \
  -o "$WORK/test_metrics.json" -t "$THREADS"
baseline=$(dirname "$GENOBIRD")/../bench/bench_promoter_baseline
[ -x "$baseline" ] && "$baseline" --train "$WORK/dataset_train/train.tsv" --valid "$WORK/dataset_valid/train.tsv" \
  --test "$WORK/dataset_test/train.tsv" --rc max | tee "$WORK/baseline_metrics.tsv" >&2

rm -rf "$OUT"
mkdir -p "$OUT"
cp "$WORK/finetuned/config.json" "$WORK/finetuned/model.safetensors" "$WORK/finetuned/tokenizer.json" \
   "$WORK/finetuned/genobird.json" "$WORK/test_metrics.json" "$OUT/"
cp "$WORK/pretrained/metrics.tsv" "$OUT/pretrain_metrics.tsv"
[ -f "$WORK/finetuned/finetune-promoter.tsv" ] && cp "$WORK/finetuned/finetune-promoter.tsv" "$OUT/"
du -sh "$OUT" >&2
cat "$OUT/test_metrics.json" >&2
