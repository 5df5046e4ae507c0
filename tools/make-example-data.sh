#!/usr/bin/env bash
# Writes examples/data/ from the fetched Drosophila data (tools/fetch-example-data.sh first):
#   dm3_upstream_chr2R.fa   the first 200 records of dm3_upstream2000.fa on chr2R (the arm held out of the
#                           bundled model's training), 2000 bp each, upper-cased, TSS at the right end
#   dm3_upstream_chr2R.bed  two regions per record: tss_proximal [1700, 2000) and distal [0, 300), strand +
set -euo pipefail
cd "$(dirname "$0")/.."
src=data/dm3/dm3_upstream2000.fa
out=examples/data
[ -s "$src" ] || { echo "missing $src: run tools/fetch-example-data.sh first" >&2; exit 1; }
mkdir -p "$out"
awk -v want=200 '
  /^>/ { keep = ($2 ~ /^chr2R:/) && !seen[$1]++ && n < want; if (keep) { n++; print $1 } ; next }
  keep { print toupper($0) }' "$src" > "$out/dm3_upstream_chr2R.fa"
awk -v OFS='\t' '/^>/ { name = substr($1, 2); print name, 1700, 2000, "tss_proximal:" name, 0, "+"; print name, 0, 300, "distal:" name, 0, "+" }' \
  "$out/dm3_upstream_chr2R.fa" > "$out/dm3_upstream_chr2R.bed"
echo "wrote $out/dm3_upstream_chr2R.fa ($(grep -c '>' "$out/dm3_upstream_chr2R.fa") records) and $out/dm3_upstream_chr2R.bed" >&2
