#!/usr/bin/env bash
# Gathers the TSVs of `genobird variants --shard I/N` (I = 0..N-1) back into the order of the input VCF.
#
#   gather-variant-shards.sh SHARD_0.tsv ... SHARD_N-1.tsv > all.tsv
#
# Every row ends with `record`, the ordinal of its VCF record in the input; each shard is in input order, so
# a stable merge on that column restores the unsharded table (the ALT rows of one record stay together, in
# ALT order). The header is written once.
set -euo pipefail
if [ $# -lt 1 ]; then
  echo "usage: $0 SHARD_0.tsv [SHARD_1.tsv ...]" >&2
  exit 2
fi
header=$(head -n 1 "$1")
case "$header" in
  *$'\t'record) ;;
  *) echo "gather-variant-shards: $1 is not a genobird variants TSV (no record column)" >&2; exit 1 ;;
esac
column=$(awk -F'\t' '{ print NF; exit }' <<< "$header")
printf '%s\n' "$header"
for shard in "$@"; do tail -n +2 "$shard"; done | LC_ALL=C sort -t $'\t' -k "$column,$column"n -s
