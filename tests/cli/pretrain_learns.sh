#!/usr/bin/env bash
# Pretraining learns: on a 1.2 kb piece of lambda, which a bidirectional n-gram predicts at 83%, a small model
# must memorise the masked tokens well past what token frequencies give (most frequent token: 2.7%). A broken
# objective, label alignment, attention mask or optimizer keeps masked accuracy near the frequency level.
# The same run from HuggingFace's normal initialisation (--init normal) shows what --init local (the default)
# is for: it is still on the copy-the-visible-token plateau when the default has memorised most of the piece.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/pretrain_common.sh"

awk 'NR > 1' "$TEST_DATA/lambda_virus.fa" | tr -d '\n' | cut -c1-1200 | fold -w 60 | { echo ">piece"; cat; } > "$WORK/piece.fa"
cat > "$WORK/model.json" <<JSON
{"model_type": "big_bird", "vocab_size": 512, "hidden_size": 64, "num_hidden_layers": 2, "num_attention_heads": 2,
 "intermediate_size": 256, "hidden_act": "gelu_new", "hidden_dropout_prob": 0.0, "attention_probs_dropout_prob": 0.0,
 "max_position_embeddings": 64, "attention_type": "original_full", "block_size": 8, "num_random_blocks": 1}
JSON
for init in local normal; do
  expect_status 0 "pretrain on the piece, --init $init" -- "$GENOBIRD" pretrain --tokenizer "$TOKENIZER" \
    --config "$WORK/model.json" --genome "$WORK/piece.fa" --steps 1000 --batch-size 16 --seq-len 64 --lr 2e-3 \
    --warmup 100 --log-every 250 --checkpoint-every 0 --init "$init" -t 1 -q --out "$WORK/$init"
done
# Training masked accuracy over steps 751-1000 (column 3 of metrics.tsv, last row).
local_accuracy=$(awk -F'\t' 'END { print $3 }' "$WORK/local/metrics.tsv")
normal_accuracy=$(awk -F'\t' 'END { print $3 }' "$WORK/normal/metrics.tsv")
awk -v a="$local_accuracy" 'BEGIN { exit !(a > 0.6) }' && pass ||
  fail "--init local: masked accuracy $local_accuracy after 1000 steps, expected > 0.6"
awk -v a="$normal_accuracy" 'BEGIN { exit !(a < 0.3) }' && pass ||
  fail "--init normal: masked accuracy $normal_accuracy after 1000 steps, expected < 0.3 (the task is not trivial)"
expect_match "$WORK/local/genobird.json" '"init": "local"' "provenance names the initialisation"
expect_status 2 "an unknown --init" -- "$GENOBIRD" pretrain --tokenizer "$TOKENIZER" --config "$WORK/model.json" \
  --genome "$WORK/piece.fa" --steps 10 --init xavier --out "$WORK/bad"
expect_match "$WORK/err" "--init: expected normal or local, got 'xavier'" "the error names the option"
[ ! -e "$WORK/bad" ] && pass || fail "a refused --init left $WORK/bad behind"
finish
