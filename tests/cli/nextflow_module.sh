#!/usr/bin/env bash
# The command script of the Nextflow module GENOBIRD_PREDICT (its template), filled in as Nextflow would and
# run for every shard of a small BED: the shards gathered equal one unsharded predict run, and versions.yml
# names the genobird version. (Nextflow itself is not needed: this is the script it would run.)
source "$(dirname "$0")/lib.sh"
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
TEMPLATE="$ROOT/examples/nextflow/modules/local/genobird/predict/templates/genobird_predict.sh"
MODEL="$TEST_DATA/infer_model"
awk '/^>/ { n++ } n <= 20' "$ROOT/examples/data/dm3_upstream_chr2R.fa" > "$WORK/upstream.fa"
head -40 "$ROOT/examples/data/dm3_upstream_chr2R.bed" > "$WORK/regions.bed"

# fill NAME VALUE...: Nextflow's interpolation of ${NAME} in the template, and its \$ escape.
fill() {
  local script
  script=$(cat "$TEMPLATE")
  while [ $# -gt 0 ]; do script=${script//"\${$1}"/$2}; shift 2; done
  printf '%s\n' "${script//\\\$/\$}"
}
for i in 0 1; do
  mkdir -p "$WORK/task$i"
  # Shard 0 finds genobird on PATH (the default); shard 1 is given the binary's path (task.ext.genobird).
  if [ "$i" -eq 0 ]; then binary=genobird; path="$(dirname "$GENOBIRD"):$PATH"; else binary=$GENOBIRD; path=$PATH; fi
  fill genobird "$binary" model_arg "--model $MODEL" genome "$WORK/upstream.fa" regions "$WORK/regions.bed" shard_arg "--shard $i/2" \
       task.cpus 1 args "--strand" prefix "shard_$i" task.process "GENOBIRD_PREDICT" > "$WORK/task$i/.command.sh"
  expect_status 0 "module script, shard $i" -- env PATH="$path" bash -c "cd '$WORK/task$i' && bash .command.sh"
  expect_match "$WORK/task$i/versions.yml" "^    genobird: [0-9]+\.[0-9]+\.[0-9]+$" "versions.yml names the genobird version"
  expect_match "$WORK/task$i/versions.yml" '^"GENOBIRD_PREDICT":$' "versions.yml names the process"
done
bash "$ROOT/examples/gather-shards.sh" "$WORK/regions.bed" "$WORK/task0/shard_0.tsv" "$WORK/task1/shard_1.tsv" > "$WORK/gathered.tsv"
"$GENOBIRD" predict --model "$MODEL" --genome "$WORK/upstream.fa" --regions "$WORK/regions.bed" --strand -o "$WORK/unsharded.tsv" 2> /dev/null
expect_same "$WORK/gathered.tsv" "$WORK/unsharded.tsv" "module shards gathered equal one unsharded run"
# The module declares nf-core's interface.
expect_match "$ROOT/examples/nextflow/modules/local/genobird/predict/main.nf" "tuple val\(meta\), path\(regions\)" "meta tuple input"
expect_match "$ROOT/examples/nextflow/modules/local/genobird/predict/main.nf" "^    stub:" "stub block"
expect_match "$ROOT/examples/nextflow/modules/local/genobird/predict/main.nf" 'path "versions.yml"' "versions output"
expect_match "$ROOT/examples/nextflow/modules/local/genobird/predict/main.nf" "genobird = task.ext.genobird \?: 'genobird'" "the binary is a setting"
expect_match "$ROOT/examples/nextflow/nextflow.config" "ext.genobird = \{ params.genobird \}" "the workflow passes --genobird to the module"

finish
