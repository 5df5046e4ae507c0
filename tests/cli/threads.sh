#!/usr/bin/env bash
# -t N sizes every CPU thread pool of a model command, OpenBLAS's included. OpenBLAS sizes its pool when
# libtorch loads it, before any option is read, so genobird resizes it after parsing -t; an
# OPENBLAS_NUM_THREADS the user set wins. `-v` logs the counts in effect, read back from OpenBLAS itself.
source "$(dirname "$0")/lib.sh"
MODEL="$TEST_DATA/infer_model"
[ -x "$(dirname "$GENOBIRD")/genobird-torch" ] || finish  # a torch-free build has no model commands
printf '>w\n%s\n' "$(grep -v '>' "$TEST_DATA/lambda_virus.fa" | tr -d '\n' | cut -c1-400)" > "$WORK/w.fa"

expect_status 0 "predict -t 1 -v" -- "$GENOBIRD" predict --model "$MODEL" --fasta "$WORK/w.fa" -t 1 -v -o "$WORK/p1.tsv"
if ! grep -q 'OpenBLAS threads' "$WORK/err"; then
  # Another BLAS (MKL in CUDA builds of libtorch) has no pool for genobird to resize: say so, check the rest.
  echo "note: libtorch does not use OpenBLAS here; only the thread count is checked" >&2
  expect_match "$WORK/err" 'threads: 1$' "-t 1 is the thread count"
  finish
fi
expect_match "$WORK/err" 'threads: 1, OpenBLAS threads: 1$' "-t 1 gives OpenBLAS one thread"
expect_status 0 "predict -t 2 -v" -- "$GENOBIRD" predict --model "$MODEL" --fasta "$WORK/w.fa" -t 2 -v -o "$WORK/p2.tsv"
expect_match "$WORK/err" 'threads: 2, OpenBLAS threads: 2$' "-t 2 gives OpenBLAS two threads"
# (OpenBLAS caps its pool at the machine's cores, so the user's choice here is the smaller count.)
expect_status 0 "OPENBLAS_NUM_THREADS=1 predict -t 2 -v" -- env OPENBLAS_NUM_THREADS=1 "$GENOBIRD" predict --model "$MODEL" \
  --fasta "$WORK/w.fa" -t 2 -v -o "$WORK/p3.tsv"
expect_match "$WORK/err" 'threads: 2, OpenBLAS threads: 1$' "the user's OPENBLAS_NUM_THREADS wins"
expect_same "$WORK/p1.tsv" "$WORK/p2.tsv" "the scores do not depend on the thread count"
finish
