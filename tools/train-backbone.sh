#!/usr/bin/env bash
# Pretrains models/backbone-dm3, the Drosophila masked-language-model backbone that the chromatin model
# (tools/train-chromatin-model.sh) fine-tunes, on the CPU, in resumable stages.
#
#   tools/train-backbone.sh [GENOBIRD]     (default build/tools/genobird/genobird)
#
# Corpus (tools/backbone-dm3-corpus.py, from data/ of tools/fetch-example-data.sh): dm3 chr2R 0-14 Mbp and
# the upstream stretches of every other chromosome (34.3 Mbp, both strands sampled); held out for validation:
# chr2R 14-16 Mbp; nothing of chr2R 16 Mbp-end (the chromatin test range).
#   1. tokenizer: BPE, 256 tokens, on the first 5 Mbp of the corpus
#   2. pretraining: `genobird pretrain --init local`, windows of 1,024 tokens (~3.6 kbp; pretrain samples
#      only sequences at least that long, which keeps 21.9 of the 34.3 Mbp: chr2R 0-14 Mbp and 7.9 Mbp of
#      upstream stretches), batch 6, learning rate 1e-3 with cosine decay over STEPS (default 6,700: 41 M
#      tokens), held-out loss and masked accuracy at every checkpoint (every 250 steps). The model has
#      1,536 positions, so a 4 kbp window (~1,150 tokens) fits; fine-tuning on such windows trains the
#      positions beyond 1,024.
# Shape: 2 layers x hidden 128, 4 heads, intermediate 512, block 64, 3 random blocks, 1,536 positions.
# Stages: each run stops after STAGE_MINUTES (default 55) and the next run resumes from the newest
# checkpoint, so the whole pretraining spans as many runs (or sessions) as it needs; the script says when
# STEPS are done and then writes models/backbone-dm3. THREADS (default 1) sets the threads.
set -euo pipefail
cd "$(dirname "$0")/.."
GENOBIRD=${1:-build/tools/genobird/genobird}
STEPS=${STEPS:-6700}
STAGE_MINUTES=${STAGE_MINUTES:-55}
THREADS=${THREADS:-1}
WORK=${WORK:-build/backbone}
OUT=models/backbone-dm3
[ -x "$GENOBIRD" ] || { echo "no genobird binary at $GENOBIRD (build first, or pass its path)" >&2; exit 1; }
[ -s data/dm3/chr2R.fa ] && [ -s data/dm3/dm3_upstream2000.fa ] || { echo "missing data/: run tools/fetch-example-data.sh first" >&2; exit 1; }
mkdir -p "$WORK"

[ -s "$WORK/corpus_heldout.fa" ] || /usr/bin/python3 tools/backbone-dm3-corpus.py data/dm3/chr2R.fa data/dm3/dm3_upstream2000.fa \
  "$WORK/corpus_train.fa" "$WORK/corpus_heldout.fa"

echo "== 1. tokenizer (256 tokens)" >&2
[ -s "$WORK/tokenizer.json" ] || "$GENOBIRD" tokenizer train --input "$WORK/corpus_train.fa" --vocab-size 256 \
  --max-bases 5000000 -t "$THREADS" -o "$WORK/tokenizer.json"

echo "== 2. pretraining ($STEPS steps; this stage: at most $STAGE_MINUTES minutes)" >&2
sed -e 's/"vocab_size": [0-9]*/"vocab_size": 256/' -e 's/"max_position_embeddings": [0-9]*/"max_position_embeddings": 1536/' \
    -e 's/"hidden_size": [0-9]*/"hidden_size": 128/' -e 's/"num_hidden_layers": [0-9]*/"num_hidden_layers": 2/' \
    -e 's/"intermediate_size": [0-9]*/"intermediate_size": 512/' models/small.json > "$WORK/config.json"
resume=()
if [ -d "$WORK/pretrained/checkpoints" ]; then resume=(--resume); fi
status=0
timeout --signal=TERM "${STAGE_MINUTES}m" "$GENOBIRD" pretrain --genome "$WORK/corpus_train.fa" \
  --valid-genome "$WORK/corpus_heldout.fa" --valid-windows 64 --tokenizer "$WORK/tokenizer.json" --config "$WORK/config.json" \
  --init local --out "$WORK/pretrained" --steps "$STEPS" --batch-size 6 --seq-len 1024 --lr 1e-3 --decay cosine \
  --checkpoint-every 250 --seed 42 -t "$THREADS" "${resume[@]}" || status=$?
if [ "$status" -eq 124 ]; then
  echo "stage over after $STAGE_MINUTES minutes; run tools/train-backbone.sh again to resume" >&2
  exit 0
fi
[ "$status" -eq 0 ] || exit "$status"

rm -rf "$OUT"
mkdir -p "$OUT"
cp "$WORK/pretrained/config.json" "$WORK/pretrained/model.safetensors" "$WORK/pretrained/tokenizer.json" \
   "$WORK/pretrained/genobird.json" "$OUT/"
cp "$WORK/pretrained/metrics.tsv" "$OUT/pretrain_metrics.tsv"
du -sh "$OUT" >&2
