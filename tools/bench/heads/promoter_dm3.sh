#!/usr/bin/env bash
# Promoter benchmark on Drosophila (dm3) upstream regions: a fine-tuned genobird model against a k-mer
# logistic-regression baseline on the same split, and promoter_markov.py's reference for how far the task
# can go. Results go to docs/benchmarks.md ("## Heads").
#   tools/bench/heads/promoter_dm3.sh BUILD_DIR WORK_DIR [PRESET]      (PRESET default: heads/mini.json)
# PRETRAIN_STEPS=N (default 0: from scratch) first pretrains the model by masked-language modelling on the
# 2 kb upstream sequences of every record not on the test arm, and fine-tunes from that; STEPS, LR and
# WARMUP set the fine-tuning; VOCAB (default 4096) the tokenizer's vocabulary size; INIT (default local) how
# the model trained from scratch starts (pretrain and finetune --init).
# Data: data/dm3/dm3_upstream2000.fa (tools/fetch-example-data.sh). Positives: the last 300 bp of each
# 2 kb record (the 300 bp just upstream of the TSS); negatives: DeePromoter construction; test: chr2L;
# validation: 10% of the other positives (with their negatives).
set -euo pipefail
build=$(realpath "$1")
work=$2
here=$(cd "$(dirname "$0")" && pwd)
preset=${3:-$here/mini.json}
if [ -e "$preset" ]; then preset=$(realpath "$preset"); fi  # a path survives the cd below; a preset name stays
steps=${STEPS:-3000}
lr=${LR:-5e-4}
warmup=${WARMUP:-100}
pretrain_steps=${PRETRAIN_STEPS:-0}
vocab=${VOCAB:-4096}
init=${INIT:-local}
root=$(cd "$here/../../.." && pwd)
G=$build/tools/genobird/genobird
mkdir -p "$work"
cd "$work"
rm -rf prom model
"$G" make-dataset promoter --positives "$root/data/dm3/dm3_upstream2000.fa" --tss-at end --window=-300..-1 \
  --negatives deepromoter --test-chroms chr2L --valid-fraction 0.1 --seed 42 --out prom
# Tokenizer from the training positives only, so nothing of the test arm is seen before testing.
awk -F'\t' 'NR > 2 && $7 == 1 {print ">" $1 "\n" $6}' prom/train.tsv > train_positives.fa
"$G" tokenizer train --input train_positives.fa --vocab-size "$vocab" -o tokenizer.json
# One thread: on a shared 2-core machine, torch's thread pool spinning against other jobs made a step ~40x
# slower than a single thread. Early stopping on the first 1000 validation examples keeps each validation round short on 2 cores.
head -n 1002 prom/valid.tsv > valid_1000.tsv
# Upper-cased upstream sequences, one per record name, of every arm but the test arm: the pretraining
# corpus, and the real sequence promoter_markov.py counts.
awk '/^>/ {split($2, loc, ":"); keep = !seen[$1]++ && loc[1] != "chr2L"; if (keep) print; next}
     keep {print toupper($0)}' "$root/data/dm3/dm3_upstream2000.fa" > upstream_not_test.fa
start=(--preset "$preset" --tokenizer tokenizer.json --init "$init")
if [ "$pretrain_steps" -gt 0 ]; then
  rm -rf pretrained
  # The preset's shape with the tokenizer's vocabulary (pretrain checks that the two agree).
  preset_file=$preset
  if [ ! -e "$preset_file" ]; then preset_file=$root/models/$preset.json; fi
  python3 -c 'import json, sys; c = json.load(open(sys.argv[1])); c["vocab_size"] = int(sys.argv[2]); json.dump(c, open(sys.argv[3], "w"), indent=2)' \
    "$preset_file" "$vocab" model.json
  /usr/bin/time -f "pretrain wall %e s, peak %M KB" "$G" pretrain --genome upstream_not_test.fa --tokenizer tokenizer.json \
    --config model.json --init "$init" --out pretrained --steps "$pretrain_steps" --batch-size 32 --seq-len 128 --lr 1e-3 --decay cosine -t 1
  start=(--model pretrained)
fi
/usr/bin/time -f "finetune wall %e s, peak %M KB" "$G" finetune promoter "${start[@]}" \
  --train prom/train.tsv --valid valid_1000.tsv --out model --steps "$steps" --eval-every 250 --patience 3 \
  --batch-size 32 --lr "$lr" --warmup "$warmup" --seed 42 -t 1
"$G" evaluate --model model --data prom/test.tsv --rc mean --curves model/test -o model/test_metrics.tsv -t 1
cat model/test_metrics.tsv
"$build/tools/bench/bench_promoter_baseline" --train prom/train.tsv --valid prom/valid.tsv --test prom/test.tsv
# The reference that knows how the negatives are made (Markov chains of orders 4, 6, 8): how far F1 can go.
"$here/promoter_markov.py" upstream_not_test.fa prom/valid.tsv prom/test.tsv 4 6 8
