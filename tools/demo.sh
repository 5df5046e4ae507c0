#!/usr/bin/env bash
# The genobird demo: installs what it needs, builds, and runs the main job on data shipped in examples/.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/install-deps.sh
build=${BUILD_DIR:-build}
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release > /dev/null
cmake --build "$build" -j "$(nproc)" --target genobird
genobird="$build/tools/genobird/genobird"
out=${DEMO_OUT:-demo-output}
mkdir -p "$out"

# Sequences of BED regions (both strands) from the lambda phage genome, then reads in their original orientation.
"$genobird" extract --genome tests/data/lambda_virus.fa --regions examples/data/lambda_regions.bed --strand --name \
  -o "$out/lambda_regions.fa"
"$genobird" reads --input tests/data/lambda_aligned.bam -o "$out/lambda_reads.fa"
echo "demo: wrote $out/lambda_regions.fa ($(grep -c '>' "$out/lambda_regions.fa") regions) and" \
  "$out/lambda_reads.fa ($(grep -c '>' "$out/lambda_reads.fa") reads)"
