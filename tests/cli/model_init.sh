#!/usr/bin/env bash
# genobird model init / model info: a fresh model directory with HuggingFace's layout, and clean failures.
source "$(dirname "$0")/lib.sh"

expect_status 0 "tokenizer for the model" -- "$GENOBIRD" tokenizer train --input "$TEST_DATA/lambda_virus.fa" \
  --vocab-size 300 -o "$WORK/tokenizer.json"

expect_status 0 "init from preset" -- "$GENOBIRD" model init --preset tiny --tokenizer "$WORK/tokenizer.json" --out "$WORK/model"
for f in config.json model.safetensors tokenizer.json genobird.json; do
  if [ -s "$WORK/model/$f" ]; then pass; else fail "init wrote no $f"; fi
done
expect_same "$WORK/tokenizer.json" "$WORK/model/tokenizer.json" "tokenizer copied unchanged"
expect_match "$WORK/model/config.json" '"model_type": "big_bird"' "config.json model_type"
expect_match "$WORK/model/config.json" '"vocab_size": 300' "vocab size from the tokenizer"
expect_match "$WORK/model/config.json" '"architectures"' "config.json architectures"
# The safetensors header carries HuggingFace names and no tied decoder copy.
head -c 20000 "$WORK/model/model.safetensors" | tr -c '[:print:]' '\n' > "$WORK/header"
expect_match "$WORK/header" 'bert\.encoder\.layer\.1\.attention\.self\.query\.weight' "HF layer tensor name"
expect_match "$WORK/header" 'cls\.predictions\.transform\.LayerNorm\.bias' "HF MLM tensor name"
if grep -q 'cls.predictions.decoder.weight' "$WORK/header"; then fail "tied decoder stored"; else pass; fi

expect_status 0 "info" -- "$GENOBIRD" model info "$WORK/model"
expect_match "$WORK/out" '^parameters	[0-9]+$' "info parameter count"
expect_match "$WORK/out" '^vocab_size	300$' "info vocab size"
expect_match "$WORK/out" '^head	mlm	mlm$' "info heads"
expect_match "$WORK/out" '^attention	block_sparse \(block 8, 1 random' "info attention"
expect_match "$WORK/out" '^provenance	\{.*"preset tiny"' "info provenance"

# Same seed, same weights; another seed, other weights.
expect_status 0 "init again" -- "$GENOBIRD" model init --preset tiny --tokenizer "$WORK/tokenizer.json" --out "$WORK/again"
expect_same "$WORK/model/model.safetensors" "$WORK/again/model.safetensors" "deterministic init"
expect_status 0 "init seed 7" -- "$GENOBIRD" model init --preset tiny --seed 7 --tokenizer "$WORK/tokenizer.json" --out "$WORK/seed7"
expect_differ "$WORK/model/model.safetensors" "$WORK/seed7/model.safetensors" "seed changes weights"

# --config with a path works too.
expect_status 0 "init from config" -- "$GENOBIRD" model init --config "$WORK/model/config.json" \
  --tokenizer "$WORK/tokenizer.json" --out "$WORK/from_config"

# Failures: usage errors exit 2, bad files exit 1, nothing half-written.
expect_status 2 "unknown preset" -- "$GENOBIRD" model init --preset nope --tokenizer "$WORK/tokenizer.json" --out "$WORK/x"
expect_match "$WORK/err" 'unknown preset \(known: base, small, tiny\)' "unknown preset lists known ones"
expect_status 2 "both preset and config" -- "$GENOBIRD" model init --preset tiny --config "$WORK/model/config.json" \
  --tokenizer "$WORK/tokenizer.json" --out "$WORK/x"
expect_status 2 "missing --out" -- "$GENOBIRD" model init --preset tiny --tokenizer "$WORK/tokenizer.json"
expect_status 2 "existing model" -- "$GENOBIRD" model init --preset tiny --tokenizer "$WORK/tokenizer.json" --out "$WORK/model"
echo '{"hidden_size": 30, "num_attention_heads": 4}' > "$WORK/bad_config.json"
expect_status 1 "invalid config" -- "$GENOBIRD" model init --config "$WORK/bad_config.json" \
  --tokenizer "$WORK/tokenizer.json" --out "$WORK/bad"
expect_match "$WORK/err" 'hidden_size must be a multiple of num_attention_heads' "config error names the field"
expect_absent "$WORK/bad/model.safetensors" "no model after a failed init"

cp -r "$WORK/model" "$WORK/corrupt"
head -c 1000 "$WORK/model/model.safetensors" > "$WORK/corrupt/model.safetensors"
expect_status 1 "info on a truncated model" -- "$GENOBIRD" model info "$WORK/corrupt"
expect_match "$WORK/err" '^genobird model info: error: .*model\.safetensors: not a valid safetensors file' "corrupt model message"
expect_status 1 "info on a missing directory" -- "$GENOBIRD" model info "$WORK/nothing"
finish
