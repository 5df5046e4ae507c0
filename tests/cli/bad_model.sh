#!/usr/bin/env bash
# The bad-input catalogue of model directories: config.json, genobird.json, model.safetensors and the
# model's tokenizer.json, each a one-field edit of the fixture model (tests/data/infer_model), read by
# `model info`, `predict`, `annotate` and `model init`. Sizes beyond the documented limits (docs/formats.md)
# must be refused with "value X of field Y in FILE is out of range (max Z)" before anything is allocated.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/bad_input_common.sh"
MODEL="$TEST_DATA/infer_model"
EDIT="python3 $(dirname "$0")/json_edit.py"
SAFE="python3 $(dirname "$0")/safetensors_edit.py"
GENOME="$WORK/lambda.fa"
cp "$TEST_DATA/lambda_virus.fa" "$GENOME"
chrom=$(head -1 "$GENOME" | cut -c2- | cut -d' ' -f1)
printf '%s\t1000\t1200\tr1\t0\t+\n' "$chrom" > "$WORK/r.bed"
head -4 "$GENOME" > "$WORK/small.fa"

# model_copy: a fresh copy of the fixture model; prints its path.
model_copy() {
  local dir
  dir=$(mktemp -d "$WORK/model.XXXXXX")
  cp -r "$MODEL"/. "$dir"
  echo "$dir"
}
# A model whose FILE has PATH set to VALUE, run through each reader in turn (model info, predict, annotate).
commands=(info predict annotate)
c=0
run_model() {  # run_model NAME DIR REGEX [FILE]: the message matches REGEX and names FILE (when given)
  local name=$1 dir=$2 regex=$3 file=${4:-} out="$WORK/out_$CASES.tsv"
  c=$(( (c + 1) % 3 ))
  case ${commands[$c]} in
    info) fail_case "$name (model info)" 1 "$regex" - -- "$GENOBIRD" model info "$dir" ;;
    predict) fail_case "$name (predict)" 1 "$regex" "$out" -- "$GENOBIRD" predict --model "$dir" --genome "$GENOME" --regions "$WORK/r.bed" -o "$out" ;;
    annotate) fail_case "$name (annotate)" 1 "$regex" "$out" -- "$GENOBIRD" annotate --model "$dir" --genome "$GENOME" -o "$out" ;;
  esac
  [ -z "$file" ] || expect_match "$WORK/err" "$file" "$name: names $file"
}
config_case() {  # config_case FIELD VALUE REGEX
  local dir
  dir=$(model_copy)
  $EDIT "$MODEL/config.json" "$dir/config.json" "$1" "$2"
  run_model "config.json $1 = $2" "$dir" "$3" "$dir/config.json"
}
range() { echo "value $2 of field $1 in .*config.json is out of range \\((max|min) [0-9]+\\)"; }

# --- config.json: sizes beyond the limits (these allocated gigabytes before) ---
config_case max_position_embeddings 1e12 "$(range max_position_embeddings 1000000000000)"
config_case max_position_embeddings 1000000000000 "$(range max_position_embeddings 1000000000000)"
config_case vocab_size 4000000 "$(range vocab_size 4000000)"
config_case num_hidden_layers 100000 "$(range num_hidden_layers 100000)"
config_case hidden_size 1048576 "$(range hidden_size 1048576)"
config_case intermediate_size 100000000 "$(range intermediate_size 100000000)"
config_case num_attention_heads 4096 "$(range num_attention_heads 4096)"
config_case type_vocab_size 100000000 "$(range type_vocab_size 100000000)"
config_case block_size 65536 "$(range block_size 65536)"
config_case num_random_blocks 1000 "$(range num_random_blocks 1000)"
config_case num_random_blocks 28 "$(range num_random_blocks 28)"
config_case vocab_size 9223372036854775807 "$(range vocab_size 9223372036854775807)"
config_case vocab_size 18446744073709551615 "key \"vocab_size\" has the wrong type: .*; expected an integer"
config_case vocab_size 1e300 "key \"vocab_size\" has the wrong type: .*; expected an integer"
# --- config.json: values no model can have ---
config_case vocab_size 0 "vocab_size must be a positive integer, found 0"
config_case vocab_size -5 "vocab_size must be a positive integer, found -5"
config_case hidden_size 0 "hidden_size must be a positive integer"
config_case num_hidden_layers -1 "num_hidden_layers must be a positive integer"
config_case num_attention_heads 3 "hidden_size must be a multiple of num_attention_heads"
config_case intermediate_size 0 "intermediate_size must be a positive integer"
config_case max_position_embeddings 100 "max_position_embeddings must be a multiple of block_size"
config_case block_size 0 "block_size must be a positive integer"
config_case num_random_blocks -1 "num_random_blocks must be 0 or more"
config_case hidden_dropout_prob 1.5 "hidden_dropout_prob must be in \\[0, 1\\)"
config_case attention_probs_dropout_prob -0.1 "attention_probs_dropout_prob must be in \\[0, 1\\)"
config_case layer_norm_eps -1 "layer_norm_eps must be positive"
config_case initializer_range 0 "initializer_range must be positive"
config_case pad_token_id 5000 "pad_token_id must be in \\[0, vocab_size"
config_case hidden_act '"tanh"' "hidden_act must be gelu_new, gelu or relu"
config_case attention_type '"sliding"' "attention_type must be block_sparse or original_full"
config_case model_type '"bert"' "model_type must be \"big_bird\""
# --- config.json: wrong types name the key ---
config_case vocab_size '"64"' "key \"vocab_size\" has the wrong type: .*; expected an integer"
config_case hidden_size 16.5 "key \"hidden_size\" has the wrong type: 16.5; expected an integer"
config_case num_hidden_layers '[2]' "key \"num_hidden_layers\" has the wrong type"
config_case use_bias '"yes"' "key \"use_bias\" has the wrong type"
config_case hidden_act 5 "key \"hidden_act\" has the wrong type"
config_case hidden_dropout_prob '"0.1"' "key \"hidden_dropout_prob\" has the wrong type"
dir=$(model_copy); echo '[1, 2]' > "$dir/config.json"
run_model "config.json not an object" "$dir" "$dir/config.json.*expected a JSON object"
dir=$(model_copy); head -c 200 "$MODEL/config.json" > "$dir/config.json"
run_model "config.json truncated" "$dir" "$dir/config.json: not valid JSON"
dir=$(model_copy); rm "$dir/config.json"; ln -s /dev/zero "$dir/config.json"
run_model "config.json is /dev/zero" "$dir" "$dir/config.json.*must be a regular file"

# --- genobird.json ---
meta_case() {  # meta_case PATH VALUE REGEX
  local dir
  dir=$(model_copy)
  $EDIT "$MODEL/genobird.json" "$dir/genobird.json" "$1" "$2"
  run_model "genobird.json $1 = $2" "$dir" "$3" "$dir/genobird.json"
}
meta_case window_bp 1e15 "value 1000000000000000 of field window_bp in .*genobird.json is out of range \\(max [0-9]+\\)"
meta_case window_bp 1000000000000000 "value 1000000000000000 of field window_bp .* is out of range \\(max [0-9]+\\)"
meta_case window_bp 20000000 "value 20000000 of field window_bp .* is out of range \\(max [0-9]+\\)"
meta_case window_bp 18446744073709551615 "value 18446744073709551615 of field window_bp .* is out of range"
meta_case window_bp -200 "value -200 of field window_bp .* is out of range \\(min 0\\)"
meta_case window_bp '"200"' "field window_bp must be an integer, found string"
meta_case window_bp 200.5 "field window_bp must be an integer, found 200.5"
meta_case format_version 2 "format_version must be 1, found 2"
meta_case format_version '"1"' "field format_version must be an integer, found string"
meta_case heads '{}' "field heads must be an array, found object"
meta_case heads DELETE "missing field heads"
meta_case heads.1 '"promoter"' "field heads\\[1\\] must be an object, found string"
meta_case heads.1.name 7 "field heads\\[1\\].name must be a string, found number"
meta_case heads.1.kind DELETE "missing field heads\\[1\\].kind"
meta_case heads.1.kind '"regression"' "kind must be mlm or classification, found \"regression\""
meta_case heads.1.labels '"promoter"' "field heads\\[1\\].labels must be an array of strings, found string"
meta_case heads.2.labels.1 5 "field heads\\[2\\].labels\\[1\\] must be a string, found number"
meta_case heads.1.labels '[]' "value 0 of field heads\\[1\\].labels .* is out of range \\(min 1\\)"
meta_case heads.1.problem_type '"regression"' "problem_type must be multi_label_classification or single_label_classification"
meta_case heads.1.problem_type 3 "field heads\\[1\\].problem_type must be a string, found number"
meta_case provenance '"none"' "field provenance must be an object, found string"
dir=$(model_copy); printf '{"format_version": 1, "heads": [' > "$dir/genobird.json"
run_model "genobird.json truncated" "$dir" "$dir/genobird.json: not valid JSON"
dir=$(model_copy); rm "$dir/genobird.json"; ln -s /dev/zero "$dir/genobird.json"
run_model "genobird.json is /dev/zero" "$dir" "$dir/genobird.json.*must be a regular file"
dir=$(model_copy); rm "$dir/genobird.json"; mkfifo "$dir/genobird.json"
run_model "genobird.json is a FIFO" "$dir" "$dir/genobird.json.*must be a regular file"

# --- model.safetensors ---
weights_case() {  # weights_case ACTION REGEX
  local dir
  dir=$(model_copy)
  $SAFE "$MODEL/model.safetensors" "$dir/model.safetensors" "$1"
  run_model "model.safetensors $1" "$dir" "$dir/model.safetensors.*$2"
}
weights_case nan "tensor \"[^\"]+\" holds 1 NaN or infinite value"
weights_case inf "tensor \"[^\"]+\" holds 1 NaN or infinite value"
weights_case neginf "tensor \"[^\"]+\" holds 1 NaN or infinite value"
weights_case duplicate "the header repeats the key \"[^\"]+\""
weights_case truncate "tensor \"[^\"]+\" ends at data offset [0-9]+ beyond the data's [0-9]+ bytes"
weights_case header_length "header length [0-9]+ exceeds the file's remaining"
weights_case not_json "header is not JSON"
weights_case gap "tensor \"[^\"]+\" (starts at data offset|ends at data offset)"
weights_case dtype "tensor \"[^\"]+\": unsupported dtype \"F128\""
weights_case shape "tensor \"[^\"]+\": data_offsets span [0-9]+ bytes but F32 .* needs"
weights_case metadata "__metadata__ value of \"format\" is not a string"
weights_case extra "4 bytes after the last tensor's data"
dir=$(model_copy); : > "$dir/model.safetensors"
run_model "model.safetensors empty" "$dir" "$dir/model.safetensors.*shorter than the 8-byte header length"

# --- the model's tokenizer.json ---
dir=$(model_copy); rm "$dir/tokenizer.json"
run_model "tokenizer.json missing" "$dir" "$dir: no tokenizer.json in the model directory"
dir=$(model_copy); rm "$dir/tokenizer.json"; ln -s /dev/zero "$dir/tokenizer.json"
run_model "tokenizer.json is /dev/zero" "$dir" "$dir/tokenizer.json.*must be a regular file"
dir=$(model_copy); $EDIT "$MODEL/tokenizer.json" "$dir/tokenizer.json" model.vocab '[]'
run_model "tokenizer.json vocab an array" "$dir" "$dir/tokenizer.json: field \"model.vocab\" is array; expected an object"

# --- model init --config: the same limits before any tensor is made ---
init_case() {  # init_case FIELD VALUE REGEX
  $EDIT "$MODEL/config.json" "$WORK/init_config.json" "$1" "$2"
  fail_case "model init --config with $1 = $2" 1 "$3" "$WORK/init_out_$CASES" -- \
    "$GENOBIRD" model init --config "$WORK/init_config.json" --tokenizer "$MODEL/tokenizer.json" --out "$WORK/init_out_$CASES"
  expect_match "$WORK/err" "$WORK/init_config.json" "model init --config with $1 = $2: names the file"
}
init_case max_position_embeddings 1e12 "$(range max_position_embeddings 1000000000000)"
init_case num_hidden_layers 100000 "$(range num_hidden_layers 100000)"
init_case vocab_size 4000000 "$(range vocab_size 4000000)"
init_case num_random_blocks 50 "$(range num_random_blocks 50)"
init_case hidden_size 16384 "value [0-9]+ of field parameter count .* is out of range \\(max 2147483648\\)"

# --- --window on the command line ---
fail_case "predict --window 1e12" 2 "--window 1000000000000 is out of range \\(max [0-9]+ bp\\)" "$WORK/w.tsv" -- \
  "$GENOBIRD" predict --model "$MODEL" --genome "$GENOME" --regions "$WORK/r.bed" --window 1000000000000 -o "$WORK/w.tsv"
fail_case "annotate --window 20000000" 2 "--window 20000000 is out of range" "$WORK/w.bedgraph" -- \
  "$GENOBIRD" annotate --model "$MODEL" --genome "$GENOME" --window 20000000 -o "$WORK/w.bedgraph"

at_least 85
finish
