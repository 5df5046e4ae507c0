#!/usr/bin/env bash
# Shown outputs in the user guide are real: every ```sh block of docs/user-guide.md that a ```text block follows
# directly (blank lines between at most)
# is run (in a scratch folder holding the repository's examples/data/ and models/, genobird on PATH) and its stdout
# must be that text, numbers equal to the 4 decimals they are written with (the last may differ by 1 on another
# CPU, as another batch size can change it).
source "$(dirname "$0")/lib.sh"
ROOT=$(cd "$TEST_DATA/../.." && pwd)
GUIDE="$ROOT/docs/user-guide.md"
mkdir -p "$WORK/run/examples" "$WORK/blocks"
# A copy of the example inputs, so that the .fai indexes the commands make stay out of the repository.
cp -r "$ROOT/examples/data" "$WORK/run/examples/"
ln -s "$ROOT/models" "$WORK/run/"
# Blocks on the larger real data read data/, which tools/fetch-example-data.sh makes (idempotent).
if grep -Eq '(^|[ =])data/' "$GUIDE"; then
  DATA_DIR="$ROOT/data" "$ROOT/tools/fetch-example-data.sh" 2> "$WORK/fetch.log" || fail "fetch-example-data.sh: $(tail -3 "$WORK/fetch.log")"
  ln -s "$ROOT/data" "$WORK/run/"
fi
export PATH="$(dirname "$GENOBIRD"):$PATH"

# Pairs of blocks: blocks/N.sh and blocks/N.text.
python3 - "$GUIDE" "$WORK/blocks" <<'PY'
import sys
lines = open(sys.argv[1]).read().split("\n")
blocks, i = [], 0
while i < len(lines):
    if lines[i].startswith("```"):
        kind, body, first = lines[i][3:].strip(), [], i
        i += 1
        while not lines[i].startswith("```"):
            body.append(lines[i]); i += 1
        blocks.append((kind, "\n".join(body) + "\n", first, i))
    i += 1
# A ```text block shows the output of the ```sh block right above it, with nothing but blank lines between.
def adjacent(a, b):
    return all(not line.strip() for line in lines[a[3] + 1:b[2]])
pairs = [(a[1], b[1]) for a, b in zip(blocks, blocks[1:]) if a[0] == "sh" and b[0] == "text" and adjacent(a, b)]
for n, (sh, text) in enumerate(pairs):
    open(f"{sys.argv[2]}/{n}.sh", "w").write(sh)
    open(f"{sys.argv[2]}/{n}.text", "w").write(text)
PY
pairs=$(find "$WORK/blocks" -name '*.sh' | wc -l)
[ "$pairs" -ge 1 ] && pass || fail "no ```sh block followed by a ```text block in $GUIDE"

# compare.py WANT GOT: the same lines and tab-separated fields; decimal numbers may differ by 1 in the 4th place.
cat > "$WORK/compare.py" <<'PY'
import sys
want, got = (open(p).read().split("\n") for p in sys.argv[1:])
def same(a, b):
    if a == b:
        return True
    try:
        return "." in a and "." in b and abs(float(a) - float(b)) <= 1.5e-4
    except ValueError:
        return False
ok = len(want) == len(got) and all(
    len(w.split("\t")) == len(g.split("\t")) and all(same(a, b) for a, b in zip(w.split("\t"), g.split("\t")))
    for w, g in zip(want, got))
sys.exit(0 if ok else 1)
PY

for block in "$WORK"/blocks/*.sh; do
  want="${block%.sh}.text"
  got="${block%.sh}.out"
  if ! (cd "$WORK/run" && bash -e "$block" > "$got" 2> "$got.err"); then
    fail "$(head -1 "$block") failed: $(tail -3 "$got.err")"
    continue
  fi
  if python3 "$WORK/compare.py" "$want" "$got"; then
    pass
  else
    fail "the output shown after '$(head -1 "$block")' is not what it prints: $(diff "$want" "$got" | head -6)"
  fi
done

# Negative control: the score the guide once showed (0.8123) instead of the real one is caught.
sed 's/\t0\.[0-9]\{4\}\t/\t0.8123\t/' "$WORK/blocks/0.text" > "$WORK/changed.text"
cmp -s "$WORK/changed.text" "$WORK/blocks/0.text" && fail "the control found no score to change in the first shown output"
python3 "$WORK/compare.py" "$WORK/changed.text" "$WORK/blocks/0.out" && fail "a changed score goes unnoticed" || pass

finish
