# Kill and resume: a pretraining run killed with SIGKILL and resumed with --resume ends with the weights
# of an uninterrupted run (within 1e-6; one thread, so every reduction runs in the same order).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/pretrain_common.sh"
split_lambda
write_tiny_config "$WORK/tiny.json" 0.1  # dropout on: its generator state must be restored too
RUN=(pretrain --tokenizer "$TOKENIZER" --config "$WORK/tiny.json" --genome "$WORK/left.fa" --valid-genome "$WORK/right.fa"
     --batch-size 4 --seq-len 128 --checkpoint-every 10 --keep-checkpoints 2 --log-every 10 -t 1 -q)

expect_status 0 "uninterrupted run" -- "$GENOBIRD" "${RUN[@]}" --steps 120 --out "$WORK/straight"

# Kill the second run twice, each time once a checkpoint beyond the previous kill point exists.
"$GENOBIRD" "${RUN[@]}" --steps 120 --out "$WORK/killed" 2> "$WORK/killed.err" &
pid=$!
for _ in $(seq 600); do [ -d "$WORK/killed/checkpoints/step-000000030" ] && break; sleep 0.05; done
kill -KILL "$pid" 2> /dev/null || true
wait "$pid" 2> /dev/null || true
[ ! -e "$WORK/killed/model.safetensors" ] && pass || fail "the run finished before it could be killed"
"$GENOBIRD" "${RUN[@]}" --steps 120 --out "$WORK/killed" --resume 2> "$WORK/killed.err" &
pid=$!
for _ in $(seq 600); do [ -d "$WORK/killed/checkpoints/step-000000070" ] && break; sleep 0.05; done
kill -KILL "$pid" 2> /dev/null || true
wait "$pid" 2> /dev/null || true

expect_status 0 "resumed run" -- "$GENOBIRD" "${RUN[@]}" --steps 120 --out "$WORK/killed" --resume -v
expect_match "$WORK/err" "resuming from .*step-0000000[0-9]0 at step [0-9]+0" "resumes from a checkpoint"
expect_status 0 "same weights within 1e-6" -- $COMPARE "$WORK/straight/model.safetensors" "$WORK/killed/model.safetensors" 1e-6
# The log has each step once, with the same losses (columns 1-4; tokens/s differ).
cut -f1-4 "$WORK/straight/metrics.tsv" > "$WORK/a.tsv"
cut -f1-4 "$WORK/killed/metrics.tsv" > "$WORK/b.tsv"
expect_same "$WORK/a.tsv" "$WORK/b.tsv" "metrics.tsv of the resumed run"
# Negative control: a different seed gives different weights, so the comparison can fail.
expect_status 0 "other seed" -- "$GENOBIRD" "${RUN[@]}" --steps 20 --seed 7 --out "$WORK/other"
expect_status 1 "other seed differs" -- $COMPARE "$WORK/straight/model.safetensors" "$WORK/other/model.safetensors" 1e-6
finish
