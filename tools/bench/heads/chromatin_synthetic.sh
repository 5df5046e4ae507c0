#!/usr/bin/env bash
# Long- versus short-context chromatin profiles on a synthetic test built on real Klebsiella sequence
# (how the data is made: tools/bench/chromatin_synthetic.cc). Results go to docs/benchmarks.md ("## Heads").
#   tools/bench/heads/chromatin_synthetic.sh BUILD_DIR WORK_DIR
# Same bins, same steps, same model shape (heads/mini.json); only the input window differs: 1000 bp (DeepSEA)
# against 4000 bp. Test chromosomes chr8, chr9; validation chr7.
set -euo pipefail
build=$1
work=$2
steps=${STEPS:-300}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
G=$build/tools/genobird/genobird
mkdir -p "$work"
cd "$work"
"$build/tools/bench/bench_chromatin_synthetic" "$root/data/klebsiella/Klebs_HS11286.fna" syn --chroms 10 --chrom-bp 300000
for w in 1000 4000; do
  rm -rf "w$w" "m$w"
  "$G" make-dataset chromatin --genome syn.fa --peak-table syn.peaks.bed --window "$w" --background-fraction 0.05 --out "w$w"
done
awk '/^>/ {keep = ($1 != ">chr7" && $1 != ">chr8" && $1 != ">chr9")} keep' syn.fa > syn_train.fa
"$G" tokenizer train --input syn_train.fa --vocab-size 1024 -o tok1024.json
for w in 1000 4000; do
  /usr/bin/time -f "finetune $w bp: wall %e s, peak %M KB" "$G" finetune chromatin --preset "$here/mini.json" \
    --tokenizer tok1024.json --train "w$w/train.tsv" --valid "w$w/valid.tsv" --out "m$w" --steps "$steps" \
    --eval-every 100 --patience 3 --batch-size 16 --lr 5e-4 --warmup 30 --seed 42 -t 1
done
# Both models are scored on the bins present in both test sets (the 4 kb windows lose a few bins at
# chromosome ends).
awk -F'\t' 'NR == FNR {if (FNR > 2) keep[$1] = 1; next} FNR <= 2 || ($1 in keep)' w4000/test.tsv w1000/test.tsv > test1000.tsv
awk -F'\t' 'NR == FNR {if (FNR > 2) keep[$1] = 1; next} FNR <= 2 || ($1 in keep)' test1000.tsv w4000/test.tsv > test4000.tsv
"$G" evaluate --model m1000 --data test1000.tsv -o eval1000.tsv -t 1
"$G" evaluate --model m4000 --data test4000.tsv -o eval4000.tsv -t 1
printf 'profile\tpositives\tauroc_1kb\tauroc_4kb\n'
join -t $'\t' <(awk -F'\t' '$1 == "label" {print $2 "\t" $4 "\t" $5}' eval1000.tsv | sort) \
              <(awk -F'\t' '$1 == "label" {print $2 "\t" $5}' eval4000.tsv | sort)
