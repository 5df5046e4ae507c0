# Shared helpers for the command-line tests. Each test script sources this file; ctest sets GENOBIRD
# (the binary), TEST_DATA (tests/data) and TEST_TMP (a scratch folder).
set -eu
: "${GENOBIRD:?GENOBIRD must name the genobird binary}"
: "${TEST_DATA:?TEST_DATA must name tests/data}"
TEST_TMP=${TEST_TMP:-/tmp}
WORK=$(mktemp -d "$TEST_TMP/$(basename "$0" .sh).XXXXXX" 2>/dev/null || { mkdir -p "$TEST_TMP"; mktemp -d "$TEST_TMP/$(basename "$0" .sh).XXXXXX"; })
trap 'rm -rf "$WORK"' EXIT
FAILURES=0
CHECKS=0

fail() { echo "FAIL: $*" >&2; FAILURES=$((FAILURES + 1)); }
pass() { CHECKS=$((CHECKS + 1)); }

# expect_status WANT DESCRIPTION -- command...: runs the command (stdout to $WORK/out, stderr to $WORK/err)
# and checks its exit status.
expect_status() {
  local want=$1 what=$2
  shift 3
  local got=0
  "$@" > "$WORK/out" 2> "$WORK/err" || got=$?
  if [ "$got" -ne "$want" ]; then
    fail "$what: exit status $got, expected $want; stderr: $(head -c 400 "$WORK/err")"
  else
    pass
  fi
}

# expect_match FILE REGEX DESCRIPTION: FILE has a line matching the extended regular expression.
expect_match() {
  if grep -Eq -- "$2" "$1"; then pass; else fail "$3: no line of $(basename "$1") matches /$2/: $(head -c 400 "$1")"; fi
}

# expect_no_match FILE REGEX DESCRIPTION: no line of FILE matches the extended regular expression.
expect_no_match() {
  if grep -Eq -- "$2" "$1"; then fail "$3: $(basename "$1") has /$2/: $(grep -E -m1 -- "$2" "$1")"; else pass; fi
}

# expect_same A B DESCRIPTION: the two files are byte-identical.
expect_same() {
  if cmp -s "$1" "$2"; then pass; else fail "$3: $(cmp "$1" "$2" 2>&1 | head -1)"; fi
}

# expect_differ A B DESCRIPTION: the two files differ (negative controls).
expect_differ() {
  if cmp -s "$1" "$2"; then fail "$3: files are identical but must differ"; else pass; fi
}

# expect_absent PATH DESCRIPTION: no file at PATH (and no temporary beside it).
expect_absent() {
  if [ -e "$1" ] || compgen -G "$1.tmp.*" > /dev/null; then fail "$2: $1 (or a temporary) was left behind"; else pass; fi
}

finish() {
  if [ "$FAILURES" -gt 0 ]; then
    echo "$FAILURES of $((CHECKS + FAILURES)) checks failed" >&2
    exit 1
  fi
  [ "$CHECKS" -gt 0 ] || { echo "no checks ran" >&2; exit 1; }
  echo "$CHECKS checks passed"
}
