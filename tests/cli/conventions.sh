#!/usr/bin/env bash
# The command-line contract of ../shared/docs/CLI.md: help on stdout with status 0, usage errors with
# status 2 and usage on stderr, --version, `help CMD` equal to `CMD --help`.
source "$(dirname "$0")/lib.sh"

expect_status 0 "--help" -- "$GENOBIRD" --help
expect_match "$WORK/out" '^Usage: genobird <command>' "--help prints usage on stdout"
expect_match "$WORK/out" '^  extract ' "--help lists extract"
expect_status 0 "help" -- "$GENOBIRD" help
expect_status 2 "no arguments" -- "$GENOBIRD"
expect_match "$WORK/err" '^Usage: genobird' "no arguments prints usage on stderr"

expect_status 0 "--version" -- "$GENOBIRD" --version
expect_match "$WORK/out" '^genobird [0-9]+\.[0-9]+\.[0-9]+$' "--version is one line 'genobird X.Y.Z'"
[ "$(wc -l < "$WORK/out")" -eq 1 ] && pass || fail "--version prints exactly one line"
expect_status 0 "--version --verbose" -- "$GENOBIRD" --version --verbose
expect_match "$WORK/out" '^htslib ' "--version --verbose names htslib"

for cmd in extract reads; do
  expect_status 0 "$cmd --help" -- "$GENOBIRD" "$cmd" --help
  cp "$WORK/out" "$WORK/cmd_help"
  expect_match "$WORK/cmd_help" "^Usage: genobird $cmd " "$cmd --help usage line"
  expect_status 0 "help $cmd" -- "$GENOBIRD" help "$cmd"
  expect_same "$WORK/out" "$WORK/cmd_help" "help $cmd equals $cmd --help"
done

expect_status 2 "unknown command" -- "$GENOBIRD" frobnicate
expect_match "$WORK/err" "unknown command 'frobnicate'" "unknown command is named"
expect_status 2 "unknown option" -- "$GENOBIRD" extract --genome x --regions y --bogus
expect_match "$WORK/err" '^genobird extract: error: .*bogus' "unknown option error format"
expect_match "$WORK/err" '^Usage: genobird extract' "usage follows a usage error"
expect_status 2 "missing required option" -- "$GENOBIRD" extract --genome "$TEST_DATA/lambda_virus.fa"
expect_match "$WORK/err" 'regions' "missing option is named"
expect_status 2 "bad option value" -- "$GENOBIRD" reads --input "$TEST_DATA/lambda_aligned.bam" --min-mapq lots
expect_status 2 "out-of-range option value" -- "$GENOBIRD" reads --input "$TEST_DATA/lambda_aligned.bam" --min-mapq 300
expect_status 2 "filter on FASTQ input" -- "$GENOBIRD" reads --input "$TEST_DATA/lambda_virus.fa" --min-mapq 5
expect_status 1 "missing input file" -- "$GENOBIRD" extract --genome "$WORK/none.fa" --regions "$WORK/none.bed"
expect_match "$WORK/err" '^genobird extract: error: .*none\.fa' "missing file is named"
[ ! -s "$WORK/out" ] && pass || fail "nothing on stdout after an error"

finish
