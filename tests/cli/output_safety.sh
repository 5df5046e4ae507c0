#!/usr/bin/env bash
# Outputs never lie: an interrupted or failed run leaves no temporary and no file under the final name (a .gz
# and its index appear together or not at all); what can be checked is checked before the work starts;
# devices, named pipes and process substitutions are written directly, never replaced; a reader that goes
# away ends the run quietly; symbolic links stay links.
source "$(dirname "$0")/lib.sh"
MODEL="$TEST_DATA/infer_model"
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cp "$ROOT/examples/data/dm3_upstream_chr2R.fa" "$WORK/upstream.fa"
head -3 "$ROOT/examples/data/dm3_upstream_chr2R.bed" | sort -k1,1 -k2,2n > "$WORK/three.bed"

# leftovers DIR: the files genobird may have left in DIR besides the inputs.
leftovers() { find "$1" -maxdepth 1 -newer "$WORK/upstream.fa" ! -name '*.fai' ! -name 'out' ! -name 'err' ! -name '*.bed' -type f | sort; }

# --- Signals: SIGINT, SIGTERM and SIGHUP in the middle of an annotate run with three outputs. Job control
# on, as in an interactive shell: without it, bash starts background jobs with SIGINT ignored, and genobird
# (like every program) leaves an ignored signal ignored.
set -m
for sig in INT TERM HUP; do
  dir="$WORK/sig_$sig"
  mkdir -p "$dir"
  "$GENOBIRD" annotate --model "$MODEL" --genome "$WORK/upstream.fa" --step 5 -t 1 -q \
    -o "$dir/track.bedgraph.gz" --peaks "$dir/peaks.bed" --plot "$dir/track.svg" 2> "$dir/stderr" &
  pid=$!
  # Wait until the run has created its temporaries, i.e. is in the middle of its work.
  for _ in $(seq 1 300); do compgen -G "$dir/*.tmp.*" > /dev/null && break; sleep 0.1; done
  compgen -G "$dir/*.tmp.*" > /dev/null && pass || fail "SIG$sig: the run made no temporary file to interrupt"
  sleep 0.5
  kill -s "$sig" "$pid"
  status=0
  wait "$pid" || status=$?
  want=$((128 + $(kill -l "$sig")))
  [ "$status" -eq "$want" ] && pass || fail "SIG$sig: exit status $status, expected $want"
  left=$(find "$dir" -type f ! -name stderr)
  [ -z "$left" ] && pass || fail "SIG$sig left files behind: $left"
done
set +m

# --- A failure after scoring: the index cannot be built. Unsorted regions are refused before any work,
# naming the line, and nothing appears under either name.
head -2 "$ROOT/examples/data/dm3_upstream_chr2R.bed" > "$WORK/unsorted.bed"  # one sequence, 1700-2000 before 0-300
sort -k1,1 -k2,2n "$WORK/unsorted.bed" | cmp -s - "$WORK/unsorted.bed" && fail "fixture: unsorted.bed is sorted" || pass
expect_status 1 "unsorted regions with a .gz output" -- "$GENOBIRD" annotate --model "$MODEL" --genome "$WORK/upstream.fa" \
  --regions "$WORK/unsorted.bed" -o "$WORK/loci.bedgraph.gz"
expect_match "$WORK/err" "^genobird annotate: error: .*unsorted.bed:2: .*sort" "unsorted regions: message names the line and says to sort"
expect_absent "$WORK/loci.bedgraph.gz" "unsorted regions: no .gz"
expect_absent "$WORK/loci.bedgraph.gz.tbi" "unsorted regions: no index"
# The same regions into a plain bedGraph are fine: only an index needs the order.
expect_status 0 "unsorted regions into plain text" -- "$GENOBIRD" annotate --model "$MODEL" --genome "$WORK/upstream.fa" \
  --regions "$WORK/unsorted.bed" -o "$WORK/loci.bedgraph"
# A sorted run writes both, and tabix reads the pair.
expect_status 0 "sorted regions with a .gz output" -- "$GENOBIRD" annotate --model "$MODEL" --genome "$WORK/upstream.fa" \
  --regions "$WORK/three.bed" -o "$WORK/loci.bedgraph.gz"
[ -s "$WORK/loci.bedgraph.gz" ] && [ -s "$WORK/loci.bedgraph.gz.tbi" ] && pass || fail "sorted regions: .gz and .tbi written"
chrom=$(head -1 "$WORK/three.bed" | cut -f1)
[ "$(tabix "$WORK/loci.bedgraph.gz" "$chrom" | wc -l)" -gt 0 ] && pass || fail "tabix reads the written pair"

# --- Checked before the work: output folders that do not exist or cannot be written, for every output.
missing="$WORK/no/such/folder"
for opt in -o --peaks --plot; do
  expect_status 1 "annotate $opt into a missing folder" -- "$GENOBIRD" annotate --model "$MODEL" --genome "$WORK/upstream.fa" \
    --step 500 "$opt" "$missing/x.out"
  expect_match "$WORK/err" "^genobird annotate: error: cannot write .*folder $missing does not exist" "annotate $opt: message"
  [ ! -s "$WORK/out" ] && pass || fail "annotate $opt into a missing folder: nothing scored to stdout before the error"
done
expect_status 1 "tokenizer train -o into a missing folder" -- "$GENOBIRD" tokenizer train --input "$TEST_DATA/lambda_virus.fa" \
  --vocab-size 300 -o "$missing/tokenizer.json"
expect_match "$WORK/err" "^genobird tokenizer train: error: cannot write .*$missing does not exist" "tokenizer train: message"
expect_status 1 "-o naming a folder" -- "$GENOBIRD" extract --genome "$TEST_DATA/lambda_virus.fa" --regions "$WORK/three.bed" -o "$WORK"
expect_match "$WORK/err" "it is a folder" "-o naming a folder: message"
expect_status 1 "model init --out under a file" -- "$GENOBIRD" model init --preset tiny --tokenizer "$MODEL/tokenizer.json" \
  --out "$WORK/upstream.fa/model"
expect_match "$WORK/err" "^genobird model init: error: cannot create --out .*is not a folder" "model init --out under a file: message"

# --- File names at the system's limit: a 255-byte name works (its temporary name is shortened); 256 bytes
# is refused with the reason.
long=$(printf 'n%.0s' $(seq 1 251)).tsv
expect_status 0 "255-byte output name" -- "$GENOBIRD" predict --model "$MODEL" --genome "$WORK/upstream.fa" --regions "$WORK/three.bed" \
  -o "$WORK/$long"
[ -s "$WORK/$long" ] && pass || fail "255-byte output name: file written"
expect_status 1 "256-byte output name" -- "$GENOBIRD" predict --model "$MODEL" --genome "$WORK/upstream.fa" --regions "$WORK/three.bed" \
  -o "$WORK/x$long"
expect_match "$WORK/err" "file name is 256 bytes long, more than this system's limit of 255" "256-byte output name: reason"

# --- Devices, named pipes and process substitution are written, not replaced.
expect_status 0 "-o /dev/null" -- "$GENOBIRD" predict --model "$MODEL" --genome "$WORK/upstream.fa" --regions "$WORK/three.bed" -o /dev/null
[ -c /dev/null ] && pass || fail "/dev/null is no longer a character device"
"$GENOBIRD" predict --model "$MODEL" --genome "$WORK/upstream.fa" --regions "$WORK/three.bed" -q > "$WORK/direct.tsv"
"$GENOBIRD" predict --model "$MODEL" --genome "$WORK/upstream.fa" --regions "$WORK/three.bed" -q -o /dev/stdout > "$WORK/dev_stdout.tsv"
expect_same "$WORK/dev_stdout.tsv" "$WORK/direct.tsv" "-o /dev/stdout"
if [ -w /dev/full ]; then
  expect_status 1 "-o /dev/full" -- "$GENOBIRD" predict --model "$MODEL" --genome "$WORK/upstream.fa" --regions "$WORK/three.bed" -o /dev/full
  expect_match "$WORK/err" "^genobird predict: error: cannot write /dev/full: No space left on device" "-o /dev/full: message"
  [ -c /dev/full ] && pass || fail "/dev/full is no longer a character device"
fi
mkfifo "$WORK/fifo"
cat "$WORK/fifo" > "$WORK/from_fifo" &
reader=$!
expect_status 0 "-o FIFO" -- "$GENOBIRD" predict --model "$MODEL" --genome "$WORK/upstream.fa" --regions "$WORK/three.bed" -o "$WORK/fifo"
wait "$reader"
[ -p "$WORK/fifo" ] && pass || fail "the FIFO was replaced by a regular file"
expect_same "$WORK/from_fifo" "$WORK/direct.tsv" "what came through the FIFO equals stdout"
"$GENOBIRD" predict --model "$MODEL" --genome "$WORK/upstream.fa" --regions "$WORK/three.bed" -q -o >(cat > "$WORK/substituted.tsv")
sleep 0.5
expect_same "$WORK/substituted.tsv" "$WORK/direct.tsv" "-o >(...) process substitution"

# --- A symbolic link stays a link; its target gets the new content.
printf 'old\n' > "$WORK/target.tsv"
ln -s target.tsv "$WORK/link.tsv"
expect_status 0 "-o through a symbolic link" -- "$GENOBIRD" predict --model "$MODEL" --genome "$WORK/upstream.fa" --regions "$WORK/three.bed" \
  -o "$WORK/link.tsv"
[ -L "$WORK/link.tsv" ] && pass || fail "-o replaced the symbolic link"
expect_same "$WORK/target.tsv" "$WORK/direct.tsv" "the link's target holds the output"

# --- A reader that goes away (| head -1): the first line arrives, the run ends with SIGPIPE's status 141,
# quietly, and leaves none of its other outputs.
set +e
"$GENOBIRD" annotate --model "$MODEL" --genome "$WORK/upstream.fa" --step 5 -t 1 --peaks "$WORK/pipe_peaks.bed" \
  2> "$WORK/pipe_err" | head -1 > "$WORK/first_line"
statuses=("${PIPESTATUS[@]}")
set -e
[ "${statuses[0]}" -eq 141 ] && pass || fail "annotate | head -1: exit status ${statuses[0]}, expected 141"
[ "$(wc -l < "$WORK/first_line")" -eq 1 ] && pass || fail "annotate | head -1: no first line"
grep -q 'error' "$WORK/pipe_err" && fail "annotate | head -1 printed an error: $(cat "$WORK/pipe_err")" || pass
expect_absent "$WORK/pipe_peaks.bed" "annotate | head -1: peaks"

finish
