#!/usr/bin/env bash
# The promoter examples of the bundled model (tools/train-bundled-model.sh) and of the linear probe
# (tools/bench/linear-probe.sh), from data/dm3/dm3_upstream2000.fa (tools/fetch-example-data.sh).
#
#   tools/promoter-dm3-datasets.sh GENOBIRD WORK
#
# Chromosome arm 2R is held out entirely (test set, and the example data in examples/data/); arm 3L is the
# validation set; every other arm trains. Writes, for each split S of train, valid and test:
#   WORK/upstream_S.fa    the whole upstream sequences (upper-case, unique names)
#   WORK/distal_S.fa      the distal 300 bp of each (-2000..-1701)
#   WORK/dataset_S/train.tsv   `genobird make-dataset promoter`: positives = the 300 bp just upstream of each
#                         TSS (-300..-1), negatives = the distal 300 bp, so a head learns "TSS-proximal or
#                         not" within upstream DNA
# Files that exist are kept.
set -euo pipefail
GENOBIRD=$1
WORK=$2
SRC=data/dm3/dm3_upstream2000.fa
[ -s "$SRC" ] || { echo "missing $SRC: run tools/fetch-example-data.sh first" >&2; exit 1; }
mkdir -p "$WORK"

# The header's comment ("chrN:start-end") names the arm.
if [ ! -s "$WORK/distal_test.fa" ]; then
  awk -v work="$WORK" '
    /^>/ { keep = !seen[$1]++; if (!keep) next; split($2, loc, ":")
           split_name = loc[1] == "chr2R" ? "test" : loc[1] == "chr3L" ? "valid" : "train"
           seqs = work "/upstream_" split_name ".fa"; distal = work "/distal_" split_name ".fa"
           print > seqs; print > distal; nd = 0; next }
    keep { line = toupper($0); print line > seqs
           if (nd < 300) { piece = substr(line, 1, 300 - nd); print piece > distal; nd += length(piece) } }' "$SRC"
fi

# One make-dataset run per split (supplied negatives carry no chromosome, so they cannot be split by arm).
for split in train valid test; do
  [ -s "$WORK/dataset_$split/train.tsv" ] || "$GENOBIRD" make-dataset promoter --positives "$WORK/upstream_$split.fa" \
    --tss-at end --window=-300..-1 --negatives "$WORK/distal_$split.fa" --valid-fraction 0 --test-fraction 0 \
    --out "$WORK/dataset_$split"
done
