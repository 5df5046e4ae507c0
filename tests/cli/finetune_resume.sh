#!/usr/bin/env bash
# Kill and resume for fine-tuning: a `finetune promoter` run killed with SIGKILL and resumed with --resume
# ends with the weights and the training log of an uninterrupted run (one thread: reductions in one order).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/pretrain_common.sh"
source "$(dirname "$0")/heads_common.sh"

expect_status 0 "promoter dataset" -- "$GENOBIRD" make-dataset promoter --positives "$WORK/tss.bed" --genome "$genome" \
  --window=-249..+50 --valid-fraction 0.2 --test-fraction 0 --out "$WORK/prom"

# Dropout on (the tiny preset's 0.1): its generator state must be restored too. Patience beyond the run, so
# both runs train every step and keep the best of the same validation rounds.
RUN=(finetune promoter --preset tiny --tokenizer "$TOKENIZER" --train "$WORK/prom/train.tsv" --valid "$WORK/prom/valid.tsv"
     --steps 90 --eval-every 10 --patience 100 --batch-size 8 --lr 2e-3 --warmup 5 -t 1 -q)
expect_status 0 "uninterrupted run" -- "$GENOBIRD" "${RUN[@]}" --out "$WORK/straight"

"$GENOBIRD" "${RUN[@]}" --out "$WORK/killed" 2> "$WORK/killed.err" &
pid=$!
# Killed at its first checkpoint. Only the newest checkpoint is kept, so waiting for one particular step
# could miss it on a fast machine and let the run finish.
for _ in $(seq 600); do compgen -G "$WORK/killed/checkpoints-promoter/step-*" > /dev/null && break; sleep 0.05; done
kill -KILL "$pid" 2> /dev/null || true
wait "$pid" 2> /dev/null || true
[ ! -e "$WORK/killed/model.safetensors" ] && pass || fail "the run finished before it could be killed"

expect_status 0 "resumed run" -- "$GENOBIRD" "${RUN[@]}" --out "$WORK/killed" --resume -v
expect_match "$WORK/err" "resum" "says it resumes"
expect_status 0 "same weights within 1e-6" -- $COMPARE "$WORK/straight/model.safetensors" "$WORK/killed/model.safetensors" 1e-6
# The log has each step once, with the same losses and validation figures (examples/s differ).
cut -f1-4 "$WORK/straight/finetune-promoter.tsv" > "$WORK/a.tsv"
cut -f1-4 "$WORK/killed/finetune-promoter.tsv" > "$WORK/b.tsv"
expect_same "$WORK/a.tsv" "$WORK/b.tsv" "training log of the resumed run"
# Negative control: another seed gives other weights, so the comparison can fail.
expect_status 0 "other seed" -- "$GENOBIRD" "${RUN[@]}" --seed 7 --out "$WORK/other"
expect_status 1 "other seed differs" -- $COMPARE "$WORK/straight/model.safetensors" "$WORK/other/model.safetensors" 1e-6
finish
