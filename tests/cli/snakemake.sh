#!/usr/bin/env bash
# The Snakemake example (examples/snakemake) run with the real snakemake on the example data: 3 shards of the
# held-out Drosophila BED scored and gathered must equal one unsharded genobird predict run, and its embed
# rule must write the regions' vectors as one genobird embed run does; 3 shards of `genobird variants` on the
# chr22 fixture gathered must equal one unsharded run.
source "$(dirname "$0")/lib.sh"
command -v snakemake > /dev/null || { echo "snakemake is required (tools/install-deps.sh installs it)" >&2; exit 1; }
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
MODEL="$TEST_DATA/infer_model"
GENOME="$WORK/upstream.fa"
# A copy, so the .fai index is written in the scratch folder; 40 records keep the test fast.
awk '/^>/ { n++ } n <= 40' "$ROOT/examples/data/dm3_upstream_chr2R.fa" > "$GENOME"
awk -v FS='\t' 'NR <= 80' "$ROOT/examples/data/dm3_upstream_chr2R.bed" > "$WORK/regions.bed"

expect_status 0 "snakemake run" -- snakemake -s "$ROOT/examples/snakemake/Snakefile" --cores 2 --directory "$WORK/run" \
  --config genobird="$GENOBIRD" model="$MODEL" genome="$GENOME" regions="$WORK/regions.bed" shards=3 output=gathered.tsv
[ -s "$WORK/run/gathered.tsv" ] && pass || fail "snakemake wrote no gathered.tsv; its log: $(tail -5 "$WORK/err")"
expect_status 0 "unsharded predict" -- "$GENOBIRD" predict --model "$MODEL" --genome "$GENOME" --regions "$WORK/regions.bed" --strand -o "$WORK/unsharded.tsv"
expect_same "$WORK/run/gathered.tsv" "$WORK/unsharded.tsv" "gathered shards equal the unsharded run"
rows=$(tail -n +2 "$WORK/run/gathered.tsv" | wc -l)
[ "$rows" -eq 80 ] && pass || fail "expected 80 rows, got $rows"
[ ! -e "$WORK/run/shards/shard_0_of_3.tsv" ] && pass || fail "temporary shard files were left behind"
expect_status 0 "direct embed" -- "$GENOBIRD" embed --model "$MODEL" --genome "$GENOME" --regions "$WORK/regions.bed" --strand -o "$WORK/embeddings.npy"
expect_same "$WORK/run/embeddings.npy" "$WORK/embeddings.npy" "embed rule's vectors equal a direct run's"
expect_same "$WORK/run/embeddings.tsv" "$WORK/embeddings.tsv" "embed rule's region table equals a direct run's"
[ "$(tail -n +2 "$WORK/run/embeddings.tsv" | wc -l)" -eq 80 ] && pass || fail "embed rule: expected 80 regions"

# The sharded variants rule: 3 shards of the chr22 fixture's VCF gathered == one unsharded variants run.
FRAG="$WORK/frag.fa"
cp "$TEST_DATA/hg19_22_20M_12kb.fa" "$FRAG"
expect_status 0 "snakemake variants" -- snakemake -s "$ROOT/examples/snakemake/Snakefile" --cores 2 --directory "$WORK/vrun" \
  --config genobird="$GENOBIRD" model="$MODEL" genome="$FRAG" vcf="$TEST_DATA/hg19_22_20M_12kb.vcf" shards=3 \
  variants_output=effects.tsv -- effects.tsv
expect_status 0 "unsharded variants" -- "$GENOBIRD" variants --model "$MODEL" --genome "$FRAG" --vcf "$TEST_DATA/hg19_22_20M_12kb.vcf" -o "$WORK/effects.tsv"
expect_same "$WORK/vrun/effects.tsv" "$WORK/effects.tsv" "gathered variant shards equal the unsharded run"
rows=$(tail -n +2 "$WORK/vrun/effects.tsv" | wc -l)
[ "$rows" -eq 61 ] && pass || fail "expected 61 variant rows, got $rows"
[ ! -e "$WORK/vrun/variant_shards/shard_0_of_3.tsv" ] && pass || fail "temporary variant shard files were left behind"

finish
