#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz) with clang into build-fuzz/ and runs each for SECONDS (default
# 60), starting from seed corpora made from tests/data/. Prints, per target, the CPU time fuzzed, the
# inputs run and the coverage reached; exits non-zero when any target finds a crash, a sanitizer report,
# a hang (-timeout) or an allocation beyond -rss_limit_mb. Findings are kept in build-fuzz/fuzz-findings/,
# the grown corpora in build-fuzz/fuzz-corpus/ (reused by the next run).
#   tools/fuzz.sh [SECONDS] [TARGET...]     e.g. tools/fuzz.sh 30 bed fasta_index
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
shift || true
build=${FUZZ_BUILD_DIR:-build-fuzz}
all_targets=(sequence_reader bed fasta_index tokenizer_json config_json genobird_json safetensors_header deepsea_mat)
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=("${all_targets[@]}")

launcher=()
command -v ccache > /dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_FLAGS_RELEASE=-O1 -DCMAKE_C_FLAGS_RELEASE=-O1 \
  -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_C_COMPILER=clang -DGENOBIRD_LIBS="util;io;tokenizer" \
  -DGENOBIRD_FUZZ=ON -DGENOBIRD_BUILD_TESTS=OFF "${launcher[@]}" > /dev/null
cmake --build "$build" -j "$(nproc)" --target "${targets[@]/#/fuzz_}" > /dev/null

# Seeds: real files of tests/data/, and small ones derived from them.
seeds="$build/fuzz-seeds"
rm -rf "$seeds"
for t in "${all_targets[@]}"; do mkdir -p "$seeds/$t" "$build/fuzz-corpus/$t"; done
data=tests/data
head -c 4000 "$data/lambda_virus.fa" > "$seeds/sequence_reader/lambda_head.fa"
(samtools fastq "$data/lambda_reads.bam" 2> /dev/null || true) | head -16 > "$seeds/sequence_reader/reads.fq"
gzip -c "$seeds/sequence_reader/reads.fq" > "$seeds/sequence_reader/reads.fq.gz"
awk -v OFS='\t' '{ print $1, 0, 100, "a", 0, "+"; print $1, 50, $2, "b", 1, "-" }' "$data/lambda_virus.fa.fai" > "$seeds/bed/lambda.bed"
printf 'track name=x\n# comment\n\nchr1\t0\t10\n' > "$seeds/bed/header.bed"
{ printf '\0'; head -c 3000 "$data/lambda_virus.fa"; } > "$seeds/fasta_index/fasta"
printf '\001a\t16\t8\t10\t11\nb\t10\t32\t8\t9\nc\t0\t45\t0\t0\nd\t6\t51\t4\t6\n' > "$seeds/fasta_index/fai"
{ printf '\001'; cat "$data/lambda_virus.fa.fai"; } > "$seeds/fasta_index/lambda_fai"
cp "$data/lambda_bpe512.json" "$seeds/tokenizer_json/"
cp "$data/infer_model/config.json" "$seeds/config_json/"
cp models/*.json "$seeds/config_json/"
cp "$data/infer_model/genobird.json" "$seeds/genobird_json/"
cp "$data/infer_model/model.safetensors" "$seeds/safetensors_header/"
python3 tests/cli/write_mat5.py "$seeds/deepsea_mat/plain.mat" 3 12 2
python3 tests/cli/write_mat5.py "$seeds/deepsea_mat/compressed.mat" 3 12 2 --compress

# Inputs that once failed (tests/fuzz/regressions/TARGET/) are seeds too, so every run retries them.
for t in "${all_targets[@]}"; do
  if [ -d "tests/fuzz/regressions/$t" ]; then cp "tests/fuzz/regressions/$t"/* "$seeds/$t/"; fi
done

findings="$build/fuzz-findings"
mkdir -p "$findings"
status=0
printf '%-20s %10s %12s %8s %s\n' target cpu_s inputs cov result
for t in "${targets[@]}"; do
  log="$build/fuzz-$t.log"
  result=ok
  # deepsea_mat: a compressed .mat may hold ~1000x its size and is read as doubles, so its peak memory per
  # input is legitimately larger; ASan's allocator keeps such blocks mapped, so it gets a larger RSS limit.
  rss=2048
  [ "$t" != deepsea_mat ] || rss=4096
  # A small ASan quarantine: freed blocks (a .mat may legitimately decompress to ~1000x its size) must not
  # pile up into a false "out of memory" against -rss_limit_mb.
  ASAN_OPTIONS=quarantine_size_mb=16 TMPDIR=$(mktemp -d) /usr/bin/time -f '%U %S' -o "$build/fuzz-$t.time" \
    "$build/tests/fuzz/fuzz_$t" "$build/fuzz-corpus/$t" "$seeds/$t" -max_total_time="$seconds" -timeout=20 \
    -rss_limit_mb="$rss" -malloc_limit_mb=2048 -max_len=65536 -print_final_stats=1 -artifact_prefix="$findings/$t-" > "$log" 2>&1 || { result=FOUND; status=1; }
  cpu=$(tail -1 "$build/fuzz-$t.time" | awk '{ printf "%.0f", $1 + $2 }')
  inputs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo 0)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*' || echo 0)
  printf '%-20s %10s %12s %8s %s\n' "$t" "$cpu" "$inputs" "$cov" "$result"
  [ "$result" = ok ] || grep -E 'ERROR|SUMMARY|Test unit written' "$log" | head -5 >&2
done
exit $status
