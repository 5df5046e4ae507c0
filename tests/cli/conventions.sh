#!/usr/bin/env bash
# The command-line contract of ../shared/docs/CLI.md: help on stdout with status 0, usage errors with
# status 2 and, on stderr, the error line and where the usage is (see 'genobird help CMD'), --version,
# `help CMD` equal to `CMD --help`, defaults in --help in their short form.
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

# expect_usage_error WHAT ERROR_LINE HELP_LINE: stderr is exactly the error line and the pointer to the usage.
expect_usage_error() {
  printf '%s\n%s\n' "$2" "$3" > "$WORK/want_err"
  expect_same "$WORK/err" "$WORK/want_err" "$1: stderr is the error and where the usage is"
  [ ! -s "$WORK/out" ] && pass || fail "$1: nothing on stdout"
}
expect_status 2 "unknown command" -- "$GENOBIRD" frobnicate
expect_usage_error "unknown command" "genobird: error: unknown command 'frobnicate'" "see 'genobird help'"
expect_status 2 "unknown command of a group" -- "$GENOBIRD" tokenizer frobnicate
expect_usage_error "unknown command of a group" "genobird: error: unknown command 'tokenizer frobnicate'" \
  "see 'genobird help tokenizer'"
expect_status 2 "unknown option" -- "$GENOBIRD" extract --genome x --regions y --bogus
expect_usage_error "unknown option" "genobird extract: error: unrecognised option '--bogus'" "see 'genobird help extract'"
expect_status 2 "missing required option" -- "$GENOBIRD" extract --genome "$TEST_DATA/lambda_virus.fa"
expect_usage_error "missing required option" "genobird extract: error: the option '--regions' is required but missing" \
  "see 'genobird help extract'"
expect_status 2 "bad option value" -- "$GENOBIRD" reads --input "$TEST_DATA/lambda_aligned.bam" --min-mapq lots
expect_match "$WORK/err" "^genobird reads: error: .*min-mapq" "bad option value is named"
expect_match "$WORK/err" "^see 'genobird help reads'$" "bad option value: where the usage is"
expect_status 2 "out-of-range option value" -- "$GENOBIRD" reads --input "$TEST_DATA/lambda_aligned.bam" --min-mapq 300
expect_usage_error "out-of-range option value" "genobird reads: error: --min-mapq must be between 0 and 255" \
  "see 'genobird help reads'"
expect_status 2 "filter on FASTQ input" -- "$GENOBIRD" reads --input "$TEST_DATA/lambda_virus.fa" --min-mapq 5
expect_match "$WORK/err" "^see 'genobird help reads'$" "error of a command's own check: where the usage is"
expect_status 1 "missing input file" -- "$GENOBIRD" extract --genome "$WORK/none.fa" --regions "$WORK/none.bed"
expect_match "$WORK/err" '^genobird extract: error: .*none\.fa' "missing file is named"
[ ! -s "$WORK/out" ] && pass || fail "nothing on stdout after an error"

# Defaults in --help are written short: 0.05, not Boost's 0.050000000000000003. Every command of the list,
# the members of each group included.
mapfile -t first_words < <("$GENOBIRD" --help | sed -n '/^Commands:/,/^$/s/^  \([a-z-]*\) .*/\1/p' | sort -u)
commands=()
for word in "${first_words[@]}"; do
  "$GENOBIRD" help "$word" > "$WORK/word_help"
  if grep -q "^Usage: genobird $word <command>" "$WORK/word_help"; then
    mapfile -t -O "${#commands[@]}" commands < <(sed -n "s/^  genobird \($word [a-z-]*\) .*/\1/p" "$WORK/word_help")
  else
    commands+=("$word")
  fi
done
[ "${#commands[@]}" -ge 10 ] && pass || fail "the command list has ${#commands[@]} commands: ${commands[*]}"
for cmd in "${commands[@]}"; do
  # shellcheck disable=SC2086  # "tokenizer train" is two words
  expect_status 0 "help $cmd" -- "$GENOBIRD" help $cmd
  if grep -Eq '[0-9]\.[0-9]{7,}|[0-9]{7,}e' "$WORK/out"; then
    fail "$cmd --help writes a default with every digit: $(grep -Eo '\(=[^)]*\)' "$WORK/out" | grep -E '[0-9]{7,}' | head -3 | tr '\n' ' ')"
  else
    pass
  fi
done
"$GENOBIRD" help finetune promoter > "$WORK/finetune_help"
expect_match "$WORK/finetune_help" '--weight-decay arg \(=0\.01\)' "a double default is shown short"
expect_match "$WORK/finetune_help" '--lr arg \(=0\.0001\)' "a small double default is shown short"

finish
