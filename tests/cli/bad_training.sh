#!/usr/bin/env bash
# The bad-input catalogue of training state and training data: checkpoints damaged between a killed run
# and its --resume (state.json fields, optimizer.pt, rng.pt), for `pretrain` and `finetune`; option values
# no run can use; and DeepSEA .mat files whose data disagree with their declared shape. A resumed run must
# refuse such a checkpoint with a message naming the file and field, not hang, not silently do nothing,
# and not finish a model.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/bad_input_common.sh"
source "$(dirname "$0")/pretrain_common.sh"
source "$(dirname "$0")/heads_common.sh"
MAT="python3 $(dirname "$0")/write_mat5.py"
split_lambda
write_tiny_config "$WORK/tiny.json" 0.1
PRETRAIN=(pretrain --tokenizer "$TOKENIZER" --config "$WORK/tiny.json" --genome "$WORK/left.fa" --batch-size 2 --seq-len 64
          --checkpoint-every 2 --log-every 2 -t 1 -q)
# A run "killed" after its checkpoint at step 4: the finished model is removed, the checkpoints stay.
expect_status 0 "pretraining to damage" -- "$GENOBIRD" "${PRETRAIN[@]}" --steps 4 --out "$WORK/run"
rm -f "$WORK/run/model.safetensors"
checkpoint=$(ls -d "$WORK/run/checkpoints/step-"* | tail -1)
[ "$(basename "$checkpoint")" = step-000000004 ] && pass || fail "expected a checkpoint at step 4, found $checkpoint"

k=0
# resume_case NAME FILE CONTENT REGEX [STEPS]: the latest checkpoint's FILE replaced by CONTENT (printf).
resume_case() {
  local name=$1 file=$2 content=$3 regex=$4 steps=${5:-10}
  k=$((k + 1))
  local dir="$WORK/resume_$k"
  cp -r "$WORK/run" "$dir"
  printf "$content" > "$dir/checkpoints/step-000000004/$file"
  fail_case "pretrain --resume: $name" 1 "$regex" "$dir/model.safetensors" -- \
    "$GENOBIRD" "${PRETRAIN[@]}" --steps "$steps" --out "$dir" --resume
  expect_match "$WORK/err" "$dir/checkpoints/step-000000004/$file" "pretrain --resume: $name: names the file"
}
sampler='"sampler": {"next_example": 8}'
resume_case "negative step" state.json "{\"step\": -4, $sampler}" "value -4 of field step in .* is out of range \\(min 0\\)"
resume_case "fractional step" state.json "{\"step\": 2.5, $sampler}" "field step must be a non-negative integer, found 2.5"
resume_case "step beyond --steps" state.json "{\"step\": 4, $sampler}" "value 4 of field step in .* is out of range \\(max 3" 3
resume_case "huge step" state.json "{\"step\": 18446744073709551615, $sampler}" "value 18446744073709551615 of field step"
resume_case "step as text" state.json "{\"step\": \"4\", $sampler}" "field step must be a non-negative integer, found \"4\""
resume_case "step of another checkpoint" state.json "{\"step\": 2, $sampler}" "field step is 2 but the checkpoint folder is step-000000004"
resume_case "step missing" state.json "{$sampler}" "missing field step"
resume_case "negative sampler position" state.json '{"step": 4, "sampler": {"next_example": -8}}' "field sampler.next_example must be a non-negative integer"
resume_case "sampler not an object" state.json '{"step": 4, "sampler": 8}' "field sampler must be an object"
resume_case "state.json not JSON" state.json '{"step": 4,' "not valid JSON"
resume_case "state.json an array" state.json '[4]' "expected a JSON object"
resume_case "optimizer.pt damaged" optimizer.pt 'PK\003\004 damaged' "not a readable optimizer state"
resume_case "optimizer.pt empty" optimizer.pt '' "not a readable optimizer state"
resume_case "rng.pt damaged" rng.pt 'garbage' "not a readable random-generator state"
resume_case "model.safetensors damaged" model.safetensors 'xx' "shorter than the 8-byte header length"

# --- finetune --resume ---
expect_status 0 "promoter dataset" -- "$GENOBIRD" make-dataset promoter --positives "$WORK/tss.bed" --genome "$genome" \
  --window=-249..+50 --valid-fraction 0.2 --test-fraction 0 --out "$WORK/prom"
FINETUNE=(finetune promoter --preset tiny --tokenizer "$TOKENIZER" --train "$WORK/prom/train.tsv" --valid "$WORK/prom/valid.tsv"
          --eval-every 2 --patience 100 --batch-size 4 --warmup 1 -t 1 -q)
expect_status 0 "fine-tuning to damage" -- "$GENOBIRD" "${FINETUNE[@]}" --steps 4 --out "$WORK/ft"
rm -f "$WORK/ft/model.safetensors"
ft_checkpoint=$(ls -d "$WORK/ft/checkpoints-promoter/step-"* | tail -1)
finetune_case() {  # finetune_case NAME FILE CONTENT REGEX [STEPS]
  local name=$1 file=$2 content=$3 regex=$4 steps=${5:-10}
  k=$((k + 1))
  local dir="$WORK/resume_$k"
  cp -r "$WORK/ft" "$dir"
  local target="$dir/checkpoints-promoter/$(basename "$ft_checkpoint")/$file"
  printf "$content" > "$target"
  fail_case "finetune --resume: $name" 1 "$regex" "$dir/model.safetensors" -- \
    "$GENOBIRD" "${FINETUNE[@]}" --steps "$steps" --out "$dir" --resume
  expect_match "$WORK/err" "$target" "finetune --resume: $name: names the file"
}
ft_step=$((10#$(basename "$ft_checkpoint" | cut -c6-)))
finetune_case "negative step" state.json '{"step": -1, "sampler": {"epoch": 0, "position": 0}}' "value -1 of field step in .* is out of range \\(min 0\\)"
finetune_case "step beyond --steps" state.json "{\"step\": $ft_step, \"sampler\": {\"epoch\": 0, \"position\": 0}}" "value $ft_step of field step in .* is out of range \\(max 1" 1
finetune_case "fractional step" state.json '{"step": 0.5, "sampler": {}}' "field step must be a non-negative integer, found 0.5"
finetune_case "negative epoch" state.json "{\"step\": $ft_step, \"sampler\": {\"epoch\": -2, \"position\": 0}}" "field sampler.epoch must be a non-negative integer"
finetune_case "position as text" state.json "{\"step\": $ft_step, \"sampler\": {\"epoch\": 0, \"position\": \"3\"}}" "field sampler.position must be a non-negative integer"
finetune_case "optimizer.pt damaged" optimizer.pt 'PK' "not a readable optimizer state"
finetune_case "rng.pt damaged" rng.pt '' "not a readable random-generator state"

# --- option values no run can use: usage errors (exit 2) with genobird's own words ---
fail_case "finetune --lr -1" 2 "--lr must be a positive number, found -1" "$WORK/lr1/model.safetensors" -- \
  "$GENOBIRD" "${FINETUNE[@]}" --steps 4 --lr -1 --out "$WORK/lr1"
fail_case "finetune --lr 0" 2 "--lr must be a positive number, found 0" "$WORK/lr2/model.safetensors" -- \
  "$GENOBIRD" "${FINETUNE[@]}" --steps 4 --lr 0 --out "$WORK/lr2"
fail_case "finetune --lr nan" 2 "--lr must be a positive number, found nan" "$WORK/lr3/model.safetensors" -- \
  "$GENOBIRD" "${FINETUNE[@]}" --steps 4 --lr nan --out "$WORK/lr3"
fail_case "finetune --weight-decay -0.5" 2 "--weight-decay must be 0 or more, found -0.5" "$WORK/lr4/model.safetensors" -- \
  "$GENOBIRD" "${FINETUNE[@]}" --steps 4 --weight-decay -0.5 --out "$WORK/lr4"
fail_case "finetune --positive-weight 0" 2 "--positive-weight must be a positive number" "$WORK/lr5/model.safetensors" -- \
  "$GENOBIRD" "${FINETUNE[@]}" --steps 4 --positive-weight 0 --out "$WORK/lr5"
fail_case "pretrain --lr -1" 2 "--lr must be positive" "$WORK/lr6/model.safetensors" -- \
  "$GENOBIRD" "${PRETRAIN[@]}" --steps 4 --lr -1 --out "$WORK/lr6"
fail_case "pretrain --lr nan" 2 "--lr must be positive" "$WORK/lr7/model.safetensors" -- \
  "$GENOBIRD" "${PRETRAIN[@]}" --steps 4 --lr nan --out "$WORK/lr7"

# --- DeepSEA .mat (evaluate --data and finetune chromatin --train) ---
mat_case() {  # mat_case NAME REGEX WRITE_MAT5_ARGUMENTS...
  local name=$1 regex=$2
  shift 2
  local file="$WORK/mat_$CASES.mat"
  $MAT "$file" "$@"
  fail_case "DeepSEA .mat: $name" 1 "$regex" "$WORK/eval_$CASES.tsv" -- \
    "$GENOBIRD" evaluate --model "$TEST_DATA/infer_model" --data "$file" -o "$WORK/eval_$CASES.tsv"
  expect_match "$WORK/err" "$file" "DeepSEA .mat: $name: names the file"
}
$MAT "$WORK/good.mat" 6 40 3
# Control: the intact file is read whole (the fixture model has no head with its labels, hence exit 2).
expect_status 2 "an intact .mat is read" -- "$GENOBIRD" evaluate --model "$TEST_DATA/infer_model" --data "$WORK/good.mat" -o "$WORK/good.tsv"
expect_match "$WORK/err" "good.mat: 6 DeepSEA examples of 40 bp, 3 labels" "an intact .mat is read whole"
mat_case "data shorter than its declared shape" "variable 'validxdata' declares shape \\[6, 4, 400\\] .* \\(data shorter than its declared shape\\)" 6 40 3 --declare-length 400
mat_case "compressed data shorter than its declared shape" "variable 'validxdata' declares shape \\[6, 4, 10000000\\] .* at most [0-9]+ bytes once decompressed" 6 40 3 --compress --declare-length 10000000
mat_case "huge declared length" "value 2000000000 of field validxdata sequence length .* is out of range|variable 'validxdata' declares shape \\[6, 4, 2000000000\\]" 6 40 3 --declare-length 2000000000
mat_case "truncated" "(truncated file|none readable)" 6 40 3 --truncate 50
mat_case "truncated compressed" "(truncated file|none readable)" 6 40 3 --compress --truncate 30
mat_case "no *xdata variable" "expected a '\\*xdata' and a '\\*data' variable" 6 40 3 --x-name validx
mat_case "zero labels" "(value 0 of field validdata label count|do not fit the DeepSEA layout)" 6 40 0
printf 'MATLAB 5.0 MAT-file' > "$WORK/stub.mat"
fail_case "DeepSEA .mat: header only" 1 "$WORK/stub.mat: not a MATLAB file" "$WORK/stub.tsv" -- \
  "$GENOBIRD" evaluate --model "$TEST_DATA/infer_model" --data "$WORK/stub.mat" -o "$WORK/stub.tsv"
$MAT "$WORK/short.mat" 6 40 3 --declare-length 400
fail_case "finetune chromatin on a short .mat" 1 "short.mat: variable 'validxdata' declares shape" "$WORK/ftmat/model.safetensors" -- \
  "$GENOBIRD" finetune chromatin --model "$TEST_DATA/infer_model" --train "$WORK/short.mat" --valid "$WORK/good.mat" --steps 2 --out "$WORK/ftmat"

at_least 35
finish
