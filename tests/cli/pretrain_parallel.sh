# Data parallel over c10d/Gloo on loopback: two ranks with --batch-size 2 each reach the weights of one
# process with --batch-size 4 (within 1e-5; only the summation order differs). Dropout is off, since
# dropout masks are drawn per process and cannot match a single process's.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/pretrain_common.sh"
split_lambda
write_tiny_config "$WORK/tiny.json" 0
RUN=(pretrain --tokenizer "$TOKENIZER" --config "$WORK/tiny.json" --genome "$WORK/left.fa" --valid-genome "$WORK/right.fa"
     --steps 12 --seq-len 128 --checkpoint-every 6 --log-every 4 --lr 1e-3 -t 1 -q)
PORT=$((20000 + $$ % 20000))

expect_status 0 "one process, batch 4" -- "$GENOBIRD" "${RUN[@]}" --batch-size 4 --out "$WORK/single"
RANK=1 WORLD_SIZE=2 MASTER_ADDR=127.0.0.1 MASTER_PORT=$PORT "$GENOBIRD" "${RUN[@]}" --batch-size 2 --out "$WORK/pair" \
  2> "$WORK/rank1.err" &
rank1=$!
expect_status 0 "rank 0 of 2" -- env RANK=0 WORLD_SIZE=2 MASTER_ADDR=127.0.0.1 MASTER_PORT=$PORT \
  "$GENOBIRD" "${RUN[@]}" --batch-size 2 --out "$WORK/pair"
wait "$rank1" && pass || fail "rank 1 failed: $(head -c 400 "$WORK/rank1.err")"
expect_status 0 "same weights within 1e-5" -- $COMPARE "$WORK/single/model.safetensors" "$WORK/pair/model.safetensors" 1e-5
expect_match "$WORK/pair/genobird.json" '"world_size": 2' "provenance records two ranks"

# Gradient accumulation is the same computation again: one process, 2 micro-batches of 2.
expect_status 0 "batch 2 x 2 accumulated" -- "$GENOBIRD" "${RUN[@]}" --batch-size 2 --grad-accum 2 --out "$WORK/accum"
expect_status 0 "accumulation matches" -- $COMPARE "$WORK/single/model.safetensors" "$WORK/accum/model.safetensors" 1e-5
# Negative control: half the global batch is a different run.
expect_status 0 "batch 2" -- "$GENOBIRD" "${RUN[@]}" --batch-size 2 --out "$WORK/half"
expect_status 1 "batch 2 differs" -- $COMPARE "$WORK/single/model.safetensors" "$WORK/half/model.safetensors" 1e-5
finish
