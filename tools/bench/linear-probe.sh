#!/usr/bin/env bash
# Linear probe of a backbone's embeddings, the standard check of what pretraining put into them: a logistic
# regression on `genobird embed` vectors (mean of the last layer's token states) of the promoter examples
# of the bundled model (tools/promoter-dm3-datasets.sh: TSS-proximal 300 bp against the distal 300 bp of the
# same upstream sequence; train on every arm but 2R and 3L, the regularisation chosen on 3L, scored on arm
# 2R, held out), next to the k-mer baseline (bench_promoter_baseline, k = 4..6) on the same examples.
# Results go to docs/benchmarks.md ("## Linear probe").
#
#   tools/bench/linear-probe.sh BUILD_DIR WORK_DIR [NAME=MODEL_DIR ...]
#
# Models probed: `random` (a fresh `model init --init normal`, HuggingFace's initialisation, of the bundled
# model's config.json and tokenizer), the
# NAME=MODEL_DIR given (e.g. bundled=models/promoter-dm3, backbone=models/backbone-dm3), and, with
# PRETRAIN_STEPS=N, `mlmN`: the random model pretrained by masked-language modelling for N steps on the
# training arms' upstream sequences (batch 16 of 128 tokens, lr 5e-4, one thread, as the bundled model's
# pretraining). Examples: N_TRAIN (default 4000), N_VALID (1000) and N_TEST (2000), drawn at random (seed 1)
# from each split. THREADS (default 1) threads for embedding.
set -euo pipefail
build=$(realpath "$1")
mkdir -p "$2"
work=$(realpath "$2")
shift 2
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
G=$build/tools/genobird/genobird
n_train=${N_TRAIN:-4000}
n_valid=${N_VALID:-1000}
n_test=${N_TEST:-2000}
threads=${THREADS:-1}
pretrain_steps=${PRETRAIN_STEPS:-0}
bundled=$root/models/promoter-dm3
models=()
for spec in "$@"; do models+=("${spec%%=*}=$(realpath "${spec#*=}")"); done
cd "$root"
tools/promoter-dm3-datasets.sh "$G" "$work/data"
cd "$work"

# Seeded subsamples of each split, as datasets (for the k-mer baseline) and as FASTA (for embed).
for split in train valid test; do
  n_var=n_$split
  if [ ! -s "$split.tsv" ]; then
    src=data/dataset_$split/train.tsv
    { head -2 "$src"; tail -n +3 "$src" | awk 'BEGIN { srand(1) } { print rand() "\t" $0 }' | sort -t$'\t' -k1,1g |
        awk -v n="${!n_var}" 'NR <= n' | cut -f2-; } > "$split.tsv"
  fi
  [ -s "$split.fa" ] || awk -F'\t' 'NR > 2 { printf ">%s\n%s\n", $1, $6 }' "$split.tsv" > "$split.fa"
done

[ -s random/model.safetensors ] || "$G" model init --config "$bundled/config.json" --tokenizer "$bundled/tokenizer.json" --init normal \
  --out random 2> /dev/null
models=("random=$work/random" "${models[@]}")
if [ "$pretrain_steps" -gt 0 ]; then
  if [ ! -s "mlm$pretrain_steps/model.safetensors" ]; then
    /usr/bin/time -f "pretrain mlm$pretrain_steps: wall %e s, CPU %U s, peak %M KB" nice "$G" pretrain \
      --genome data/upstream_train.fa --tokenizer "$bundled/tokenizer.json" --config "$bundled/config.json" --init normal \
      --out "mlm$pretrain_steps" --steps "$pretrain_steps" --batch-size 16 --seq-len 128 --lr 5e-4 -t 1 2> "mlm$pretrain_steps.log"
    tail -1 "mlm$pretrain_steps.log"
  fi
  models+=("mlm$pretrain_steps=$work/mlm$pretrain_steps")
fi

names=()
for spec in "${models[@]}"; do
  name=${spec%%=*}
  dir=${spec#*=}
  names+=("$name")
  for split in train valid test; do
    [ -s "$name.$split.npy" ] || /usr/bin/time -f "embed $name $split: wall %e s, peak %M KB" "$G" embed --model "$dir" \
      --fasta "$split.fa" -t "$threads" -o "$name.$split.npy" 2>&1 | grep -E '^embed|error' >&2
  done
done

echo "## k-mer baseline (bench_promoter_baseline, k = 4..6)"
"$build/tools/bench/bench_promoter_baseline" --train train.tsv --valid valid.tsv --test test.tsv 2>&1 | tail -4
echo "## linear probe on embeddings"
# scikit-learn and NumPy from Debian (python3-sklearn): the first python3 on PATH that has them, else the system one.
py=/usr/bin/python3
python3 -c 'import sklearn, numpy' 2> /dev/null && py=python3
"$py" "$here/linear_probe.py" "$work" "${names[@]}"
