# Shared by the bad-input catalogues (bad_*.sh; sourced after lib.sh): one function per case, and the count.
# A case passes when the command exits with the expected status (1 for bad input, 2 for a usage error), its
# stderr says "genobird COMMAND: error: ..." matching the case's pattern (which names the file and the field
# or line), and nothing is left at the output path (nor a temporary beside it). Each command runs under a
# timeout, so that a regression to a hang fails the case instead of the suite.
CASES=0

# fail_case NAME STATUS REGEX OUTPUT -- COMMAND...: OUTPUT "-" means stdout must stay empty.
fail_case() {
  local name=$1 status=$2 regex=$3 output=$4
  shift 5
  CASES=$((CASES + 1))
  expect_status "$status" "$name" -- timeout 300 "$@"
  expect_match "$WORK/err" "^genobird [a-z -]+: error: .*$regex" "$name: message"
  if grep -Eq 'out of memory|std::|bad_alloc|PytorchStreamReader|json.exception|c10::' "$WORK/err"; then
    fail "$name: library internals in the message: $(head -c 300 "$WORK/err")"
  else
    pass
  fi
  if [ "$output" = "-" ]; then
    [ -s "$WORK/out" ] && fail "$name: wrote to stdout" || pass
  elif [ -n "$output" ]; then
    expect_absent "$output" "$name"
  fi
}

# at_least N: the catalogue holds at least N cases.
at_least() {
  [ "$CASES" -ge "$1" ] && pass || fail "the catalogue has $CASES cases, fewer than $1"
  echo "$CASES cases"
}
