#!/usr/bin/env bash
# The promoter examples of the bundled model (tools/train-bundled-model.sh) and of the linear probe
# (tools/bench/linear-probe.sh), from data/ (tools/fetch-example-data.sh).
#
#   tools/promoter-dm3-datasets.sh GENOBIRD WORK
#
# Chromosome arm 2R is held out entirely (test set, and the example data in examples/data/); arm 3L is the
# validation set; every other arm trains. Writes, for each split S of train, valid and test:
#   WORK/upstream_S.fa     the whole upstream sequences (upper-case, unique names)
#   WORK/negatives_S.fa    distal upstream and gene-body negatives, on random strands
#                          (tools/promoter-dm3-examples.py; their origin in WORK/negatives_S.tsv)
#   WORK/dataset_S/train.tsv   `genobird make-dataset promoter`: positives = the 300 bp just upstream of each
#                          TSS (-300..-1), negatives = WORK/negatives_S.fa
# Files that exist are kept.
set -euo pipefail
GENOBIRD=$1
WORK=$2
SRC=data/dm3/dm3_upstream2000.fa
COORDS=data/chromhmm/dm3
[ -s "$SRC" ] && [ -s $COORDS/RefSeqGene.dm3.bed.gz ] || { echo "missing data/: run tools/fetch-example-data.sh first" >&2; exit 1; }
mkdir -p "$WORK"

[ -s "$WORK/negatives_test.fa" ] || /usr/bin/python3 "$(dirname "$0")/promoter-dm3-examples.py" "$SRC" \
  $COORDS/RefSeqGene.dm3.bed.gz $COORDS/RefSeqTSS.dm3.bed.gz "$WORK"

# One make-dataset run per split (supplied negatives carry no chromosome, so they cannot be split by arm).
for split in train valid test; do
  [ -s "$WORK/dataset_$split/train.tsv" ] || "$GENOBIRD" make-dataset promoter --positives "$WORK/upstream_$split.fa" \
    --tss-at end --window=-300..-1 --negatives "$WORK/negatives_$split.fa" --valid-fraction 0 --test-fraction 0 \
    --out "$WORK/dataset_$split"
done
