# Shared set-up of the pretraining command-line tests (sourced after lib.sh): a tiny model config that
# matches the lambda tokenizer fixture, and the lambda genome split into a training and a held-out part.
TOKENIZER="$TEST_DATA/lambda_bpe512.json"
# tiny preset shape (2 x 32, block 8, r 1) with the fixture tokenizer's 512 tokens; DROPOUT set per test.
write_tiny_config() {
  cat > "$1" <<JSON
{"model_type": "big_bird", "vocab_size": 512, "hidden_size": 32, "num_hidden_layers": 2, "num_attention_heads": 2,
 "intermediate_size": 64, "hidden_act": "gelu_new", "hidden_dropout_prob": $2, "attention_probs_dropout_prob": $2,
 "max_position_embeddings": 256, "attention_type": "block_sparse", "block_size": 8, "num_random_blocks": 1}
JSON
}
# lambda bases 0..32000 as left.fa (training), the rest as right.fa (held out).
split_lambda() {
  awk 'NR > 1 { printf "%s", $0 } END { print "" }' "$TEST_DATA/lambda_virus.fa" > "$WORK/lambda.txt"
  { echo ">lambda_left"; cut -c1-32000 "$WORK/lambda.txt" | fold -w 60; } > "$WORK/left.fa"
  { echo ">lambda_right"; cut -c32001- "$WORK/lambda.txt" | fold -w 60; } > "$WORK/right.fa"
}
COMPARE="python3 $(dirname "$0")/compare_safetensors.py"
