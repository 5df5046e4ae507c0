#!/usr/bin/env bash
# Long- versus short-context chromatin profiles on a synthetic test built on real Klebsiella sequence
# (how the data is made: tools/bench/chromatin_synthetic.cc). Results go to docs/benchmarks.md ("## Heads").
#   tools/bench/heads/chromatin_synthetic.sh BUILD_DIR WORK_DIR
# One backbone (heads/mini.json with a 1,024-token vocabulary) is pretrained by masked-language modelling on
# the training chromosomes. Stage 1 fine-tunes it on 1,000 bp windows (DeepSEA's), where the motifs are
# learned quickly (full attention over ~230 tokens). Stage 2 continues from the stage-1 model for the same
# steps on each window: 1,000 bp again (the control) and 3,000 bp, which reaches the far partner 1,200 bp
# away; only the input window differs. (From the backbone directly, the 3,000 bp model learns the motifs far
# more slowly and had not left chance after 2,250 steps; see docs/benchmarks.md.) Test chromosomes chr8,
# chr9; validation chr7. WINDOWS="1000" or "3000" runs one stage-2 model only (on a 2-core machine, two runs
# of the script after stage 1 train both at once); steps whose output exists are skipped. STEPS1 (default
# 6000) and STEPS2 (default 4000) set the stages' steps; MORE_STEPS (default 2000; 0: none) then trains the
# 3,000 bp model further at half the learning rate (c3000_more; the 1,000 bp control has levelled off by then,
# and cannot see the far motifs however long it trains). VOCAB (default 1024) sets the tokenizer's
# vocabulary size, PRETRAIN_SEQ_LEN (default 768) the pretraining windows in tokens.
set -euo pipefail
build=$(realpath "$1")
work=$2
steps1=${STEPS1:-6000}
steps2=${STEPS2:-4000}
more_steps=${MORE_STEPS:-2000}
windows=${WINDOWS:-1000 3000}
vocab=${VOCAB:-1024}
pretrain_seq_len=${PRETRAIN_SEQ_LEN:-768}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
G=$build/tools/genobird/genobird
mkdir -p "$work"
cd "$work"
if [ ! -s syn.peaks.bed ]; then
  # 20 chromosomes of 1 Mbp from the four genomes joined; 16 bp motifs, 5% of bases mutated per copy;
  # S, N, F and D profiles.
  cat "$root"/data/klebsiella/{Klebs_HS11286,Klebs_Kp1084,MGH78578,NTUH-K2044}.fna > kleb4.fa
  "$build/tools/bench/bench_chromatin_synthetic" kleb4.fa syn --chroms 20 --chrom-bp 1000000 --motif-bp 16 \
    --noise-percent 5 --near-bp 150 --far-bp 1200 --distal-profiles 1 2> syn.log
  rm kleb4.fa
fi
for w in 1000 3000; do
  [ -s "w$w/test.tsv" ] || "$G" make-dataset chromatin --genome syn.fa --peak-table syn.peaks.bed --window "$w" \
    --background-fraction 0.05 --out "w$w"
done
[ -s syn_train.fa ] || awk '/^>/ {keep = ($1 != ">chr7" && $1 != ">chr8" && $1 != ">chr9")} keep' syn.fa > syn_train.fa
[ -s "tok$vocab.json" ] || "$G" tokenizer train --input syn_train.fa --vocab-size "$vocab" -o "tok$vocab.json"
sed "s/\"vocab_size\": [0-9]*/\"vocab_size\": $vocab/" "$here/mini.json" > "mini$vocab.json"
# Windows of 768 tokens (~3.3 kb at 1,024 tokens; give 1,024 at 256 tokens), so that every position the
# 3,000 bp model reads is pretrained.
[ -s pre/model.safetensors ] || /usr/bin/time -f "pretrain: wall %e s, peak %M KB" "$G" pretrain --genome syn_train.fa \
  --tokenizer "tok$vocab.json" --config "mini$vocab.json" --out pre --steps 1500 --batch-size 8 --seq-len "$pretrain_seq_len" --lr 1e-3 \
  --decay cosine -t 1
common=(--eval-every 250 --patience 6 --batch-size 16 --warmup 100 -t 1)
[ -s m1000/model.safetensors ] || /usr/bin/time -f "stage 1, 1000 bp: wall %e s, peak %M KB" "$G" finetune chromatin \
  --model pre --train w1000/train.tsv --valid w1000/valid.tsv --out m1000 --steps "$steps1" --lr 5e-4 --seed 42 "${common[@]}"
for w in $windows; do
  [ -s "c$w/model.safetensors" ] && continue
  /usr/bin/time -f "stage 2, $w bp: wall %e s, peak %M KB" "$G" finetune chromatin --model m1000 \
    --train "w$w/train.tsv" --valid "w$w/valid.tsv" --out "c$w" --steps "$steps2" --lr 5e-4 --seed 43 "${common[@]}"
done
[ -s c1000/model.safetensors ] && [ -s c3000/model.safetensors ] || exit 0
if [ "$more_steps" -gt 0 ] && [ ! -s c3000_more/model.safetensors ]; then
  /usr/bin/time -f "3000 bp, $more_steps more steps: wall %e s, peak %M KB" "$G" finetune chromatin --model c3000 \
    --train w3000/train.tsv --valid w3000/valid.tsv --out c3000_more --steps "$more_steps" --lr 2.5e-4 --seed 44 "${common[@]}"
fi
# Both models are scored on the bins present in both test sets.
awk -F'\t' 'NR == FNR {if (FNR > 2) keep[$1] = 1; next} FNR <= 2 || ($1 in keep)' w3000/test.tsv w1000/test.tsv > test1000.tsv
awk -F'\t' 'NR == FNR {if (FNR > 2) keep[$1] = 1; next} FNR <= 2 || ($1 in keep)' test1000.tsv w3000/test.tsv > test3000.tsv
models="1000 3000"
[ -s c3000_more/model.safetensors ] && models="$models 3000_more"
for m in $models; do
  "$G" evaluate --model "c$m" --data "test${m%_more}.tsv" --rc mean --predictions "pred$m.tsv" -o "eval$m.tsv" -t 1
  grep -P '^(mean|median)\tall' "eval$m.tsv" | sed "s/^/$m\t/"
done
"$here/chromatin_pairs.py" pred1000.tsv pred3000.tsv | tee pairs.tsv
[ ! -s pred3000_more.tsv ] || "$here/chromatin_pairs.py" pred1000.tsv pred3000_more.tsv | tee pairs_more.tsv
