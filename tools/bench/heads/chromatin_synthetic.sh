#!/usr/bin/env bash
# Long- versus short-context chromatin profiles on a synthetic test built on real Klebsiella sequence
# (how the data is made: tools/bench/chromatin_synthetic.cc). Results go to docs/benchmarks.md ("## Heads").
#   tools/bench/heads/chromatin_synthetic.sh BUILD_DIR WORK_DIR
# Both models start from one backbone (heads/mini.json with a 1,024-token vocabulary) pretrained by masked-
# language modelling on the training chromosomes, and are fine-tuned on the same bins for the same steps;
# only the input window differs: 1,000 bp (DeepSEA) against 3,000 bp, which reaches the far partner 1,200 bp
# away. Test chromosomes chr8, chr9; validation chr7. (From scratch, the 24-profile head learned nothing in
# 1,250 steps; see docs/benchmarks.md.) WINDOWS="1000" or "3000" fine-tunes one model only (on a 2-core machine,
# once the backbone is pretrained, two runs of the script fine-tune both at once); steps whose output exists
# are skipped. VOCAB (default 1024) sets the tokenizer's vocabulary size, PRETRAIN_SEQ_LEN (default 768) the
# pretraining windows in tokens.
set -euo pipefail
build=$(realpath "$1")
work=$2
steps=${STEPS:-5000}
windows=${WINDOWS:-1000 3000}
vocab=${VOCAB:-1024}
pretrain_seq_len=${PRETRAIN_SEQ_LEN:-768}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
G=$build/tools/genobird/genobird
mkdir -p "$work"
cd "$work"
if [ ! -s syn.peaks.bed ]; then
  # 20 chromosomes of 1 Mbp from the four genomes joined; 16 bp motifs, 5% of bases mutated per copy.
  cat "$root"/data/klebsiella/{Klebs_HS11286,Klebs_Kp1084,MGH78578,NTUH-K2044}.fna > kleb4.fa
  "$build/tools/bench/bench_chromatin_synthetic" kleb4.fa syn --chroms 20 --chrom-bp 1000000 --motif-bp 16 \
    --noise-percent 5 --near-bp 150 --far-bp 1200 2> syn.log
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
for w in $windows; do
  [ -s "m$w/model.safetensors" ] && continue
  /usr/bin/time -f "finetune $w bp: wall %e s, peak %M KB" "$G" finetune chromatin --model pre \
    --train "w$w/train.tsv" --valid "w$w/valid.tsv" --out "m$w" --steps "$steps" \
    --eval-every 250 --patience 6 --batch-size 16 --lr 5e-4 --warmup 100 --seed 42 -t 1
done
[ -s m1000/model.safetensors ] && [ -s m3000/model.safetensors ] || exit 0
# Both models are scored on the bins present in both test sets.
awk -F'\t' 'NR == FNR {if (FNR > 2) keep[$1] = 1; next} FNR <= 2 || ($1 in keep)' w3000/test.tsv w1000/test.tsv > test1000.tsv
awk -F'\t' 'NR == FNR {if (FNR > 2) keep[$1] = 1; next} FNR <= 2 || ($1 in keep)' test1000.tsv w3000/test.tsv > test3000.tsv
for w in 1000 3000; do
  "$G" evaluate --model "m$w" --data "test$w.tsv" --predictions "pred$w.tsv" -o "eval$w.tsv" -t 1
  grep -P '^(mean|median)\tall' "eval$w.tsv" | sed "s/^/$w bp\t/"
done
"$here/chromatin_pairs.py" pred1000.tsv pred3000.tsv | tee pairs.tsv
