#!/usr/bin/env bash
# Every ```sh block of README.md and docs/user-guide.md runs as written, from the repository root, after the
# two set-up commands (and tools/fetch-example-data.sh where a block uses data/), with genobird on PATH as the
# README says. The blocks of one file run in order in one shell, so a block may use files an earlier one made.
# They run in the repository itself, as a user would run them; what they create there (files and folders that
# were not there before) is removed afterwards.
# Not run: the README's set-up block itself (it is tools/test.sh, which runs this test). Blocks fenced as
# ```text are output or commands for other machines (GPU, Nextflow) and are not commands to run here.
source "$(dirname "$0")/lib.sh"
repo=$(cd "$(dirname "$0")/../.." && pwd)
[ -x "$repo/build/tools/genobird/genobird" ] || { echo "the documented set-up builds into $repo/build; it is missing" >&2; exit 1; }

# The example data first (it stays, as it would for a user), then a list of what is there before the blocks run.
if cat "$repo/README.md" "$repo/docs/user-guide.md" | grep -Eq '(^|[ =])data/'; then
  DATA_DIR="$repo/data" "$repo/tools/fetch-example-data.sh" 2> "$WORK/fetch.log" || fail "fetch-example-data.sh: $(tail -3 "$WORK/fetch.log")"
fi
before="$WORK/before"
(cd "$repo" && ls -A) | sort > "$before"
cleanup() {
  (cd "$repo" && ls -A) | sort | comm -13 "$before" - | while read -r made; do rm -rf "${repo:?}/$made"; done
  rm -rf "$WORK"
}
trap cleanup EXIT

# extract_blocks FILE: prints the ```sh blocks of FILE as one script, each block preceded by a line naming
# its first line, so that a failure names the block.
extract_blocks() {
  awk -v file="$1" '
    /^```sh[[:space:]]*$/ { inside = 1; start = NR + 1; body = ""; next }
    inside && /^```[[:space:]]*$/ {
      inside = 0
      if (body ~ /tools\/test\.sh/) next   # the set-up block: it is what runs this test
      printf "echo \"--- %s:%d\" >&2\n%s", file, start, body
      next
    }
    inside { body = body $0 "\n" }
  ' "$repo/$1"
}


for doc in README.md docs/user-guide.md; do
  script="$WORK/$(basename "$doc" .md).sh"
  # -e as a careful user's script would; not pipefail, which would count `sort | head` ending sort early as
  # a failure, as no interactive shell does.
  { echo 'set -eu'; extract_blocks "$doc"; } > "$script"
  blocks=$(grep -c '^echo "--- ' "$script" || true)
  if [ "$blocks" -eq 0 ]; then
    fail "$doc: no \`\`\`sh blocks found"
    continue
  fi
  status=0
  (cd "$repo" && timeout 900 bash "$script") > "$WORK/doc.out" 2> "$WORK/doc.err" || status=$?
  if [ "$status" -eq 0 ]; then
    pass
  else
    failed=$(grep '^--- ' "$WORK/doc.err" | tail -1 | cut -c5-)
    fail "$doc: the block at $failed failed with status $status: $(grep -v '^--- ' "$WORK/doc.err" | tail -5)"
  fi
  echo "$doc: $blocks blocks" >&2
done
finish
