#!/usr/bin/env bash
# Pretraining learns: on a 1.2 kb piece of lambda, which a bidirectional n-gram predicts at 83%, a small model
# must memorise the masked tokens well past what token frequencies give (most frequent token: 2.7%). A broken
# objective, label alignment, attention mask or optimizer keeps masked accuracy near the frequency level.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/pretrain_common.sh"

awk 'NR > 1' "$TEST_DATA/lambda_virus.fa" | tr -d '\n' | cut -c1-1200 | fold -w 60 | { echo ">piece"; cat; } > "$WORK/piece.fa"
cat > "$WORK/model.json" <<JSON
{"model_type": "big_bird", "vocab_size": 512, "hidden_size": 64, "num_hidden_layers": 2, "num_attention_heads": 2,
 "intermediate_size": 256, "hidden_act": "gelu_new", "hidden_dropout_prob": 0.0, "attention_probs_dropout_prob": 0.0,
 "max_position_embeddings": 64, "attention_type": "original_full", "block_size": 8, "num_random_blocks": 1}
JSON
expect_status 0 "pretrain on the piece" -- "$GENOBIRD" pretrain --tokenizer "$TOKENIZER" --config "$WORK/model.json" \
  --genome "$WORK/piece.fa" --steps 4000 --batch-size 16 --seq-len 64 --lr 2e-3 --warmup 100 --log-every 500 \
  --checkpoint-every 0 -t 1 -q --out "$WORK/run"
# Training masked accuracy over the last 500 steps (column 3 of metrics.tsv).
accuracy=$(awk -F'\t' 'END { print $3 }' "$WORK/run/metrics.tsv")
awk -v a="$accuracy" 'BEGIN { exit !(a > 0.5) }' && pass || fail "masked accuracy $accuracy after 4000 steps, expected > 0.5"
first=$(awk -F'\t' 'NR == 2 { print $3 }' "$WORK/run/metrics.tsv")
awk -v a="$first" 'BEGIN { exit !(a < 0.2) }' && pass || fail "masked accuracy $first over the first 500 steps: the task is not trivial"
finish
