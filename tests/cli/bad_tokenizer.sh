#!/usr/bin/env bash
# The bad-input catalogue of tokenizer.json files and token-id inputs: each case is a one-field edit of
# the fixture tokenizer (tests/data/lambda_bpe512.json), read in turn by `tokenizer encode`, `decode` and
# `info`; errors name the file and the JSON field (or the line of an id file). Also: a tokenizer path naming
# /dev/zero, a FIFO or a folder is refused before it is read, and `tokenizer info` measures a long
# single-line FASTA in memory proportional to the record.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/bad_input_common.sh"
TOKENIZER="$TEST_DATA/lambda_bpe512.json"
EDIT="python3 $(dirname "$0")/json_edit.py"
head -4 "$TEST_DATA/lambda_virus.fa" > "$WORK/small.fa"
printf 'r1\t10 11 12\n' > "$WORK/ids.txt"

commands=(encode decode info)
c=0
run_tokenizer() {  # run_tokenizer NAME FILE REGEX
  local name=$1 file=$2 regex=$3 out="$WORK/out_$CASES.txt"
  c=$(( (c + 1) % 3 ))
  case ${commands[$c]} in
    encode) fail_case "$name (encode)" 1 "$regex" "$out" -- "$GENOBIRD" tokenizer encode --tokenizer "$file" --input "$WORK/small.fa" -o "$out" ;;
    decode) fail_case "$name (decode)" 1 "$regex" "$out" -- "$GENOBIRD" tokenizer decode --tokenizer "$file" --input "$WORK/ids.txt" -o "$out" ;;
    info) fail_case "$name (info)" 1 "$regex" "$out" -- "$GENOBIRD" tokenizer info --tokenizer "$file" --input "$WORK/small.fa" -o "$out" ;;
  esac
}
t=0
json_case() {  # json_case PATH VALUE REGEX
  t=$((t + 1))
  local file="$WORK/tok_$t.json"
  $EDIT "$TOKENIZER" "$file" "$1" "$2"
  run_tokenizer "tokenizer.json $1 = $2" "$file" "$file: $3"
}
json_case model '"BPE"' "field \"model\" is string; expected an object"
json_case model DELETE "missing field \"model\""
json_case model.type '"WordPiece"' "model.type is \"WordPiece\"; expected \"BPE\""
json_case model.type 5 "field \"model.type\" is number; expected a string"
json_case model.vocab '["A", "C"]' "field \"model.vocab\" is array; expected an object"
json_case model.vocab.A '"5"' "model.vocab\\[\"A\"\\] is \"5\"; expected an integer id"
json_case model.vocab.A 1.5 "model.vocab\\[\"A\"\\] is 1.5; expected an integer id"
json_case model.vocab.A -1 "model.vocab\\[\"A\"\\] has id -1; ids must be 0..511"
json_case model.vocab.A 100000 "model.vocab\\[\"A\"\\] has id 100000; ids must be 0..511"
json_case model.vocab.A 6 "id 6 is given to both"
json_case model.merges '{}' "field \"model.merges\" is object; expected an array"
json_case model.merges.0 7 "model.merges\\[0\\] is 7; expected \"LEFT RIGHT\""
json_case model.merges.0 '"AC"' "model.merges\\[0\\] is \"AC\"; expected two tokens separated by one space"
json_case model.merges.0 '"A Q"' "model.merges\\[0\\] uses 'Q', which is not in model.vocab"
json_case model.merges.0 '["A"]' "model.merges\\[0\\] is \\[\"A\"\\]; expected"
json_case model.dropout 0.1 "field \"model.dropout\" is 0.1; this tokenizer supports only null"
json_case model.byte_fallback true "field \"model.byte_fallback\" is true; this tokenizer supports only false"
json_case model.continuing_subword_prefix '"##"' "field \"model.continuing_subword_prefix\" is \"##\""
json_case added_tokens DELETE "missing field \"added_tokens\""
json_case added_tokens '{}' "field \"added_tokens\" is object; expected an array"
json_case added_tokens.0 '"[PAD]"' "field \"added_tokens\\[0\\]\" is string; expected an object"
json_case added_tokens.0.content 0 "field \"added_tokens\\[0\\].content\" is number; expected a string"
json_case added_tokens.0.id '"0"' "field \"added_tokens\\[0\\].id\" is string; expected an integer"
json_case added_tokens.1.id 7 "added token \\[UNK\\] has id 7; expected 1"
json_case added_tokens.1.content '"[UNKNOWN]"' "added_tokens lacks the special token \\[UNK\\]"
json_case normalizer null "field \"normalizer\" is null; expected .*DNA normalisation"
json_case pre_tokenizer '{"type": "Whitespace"}' "field \"pre_tokenizer\" is .*; expected"
echo '[1, 2, 3]' > "$WORK/array.json"
run_tokenizer "tokenizer.json an array" "$WORK/array.json" "$WORK/array.json: expected a JSON object at the top level, found array"
head -c 1500 "$TOKENIZER" > "$WORK/truncated.json"
run_tokenizer "tokenizer.json truncated" "$WORK/truncated.json" "$WORK/truncated.json: not valid JSON"
: > "$WORK/empty.json"
run_tokenizer "tokenizer.json empty" "$WORK/empty.json" "$WORK/empty.json: not valid JSON"
run_tokenizer "tokenizer.json is /dev/zero" /dev/zero "/dev/zero: tokenizer.json must be a regular file"
ln -s /dev/zero "$WORK/zero.json"
run_tokenizer "tokenizer.json a link to /dev/zero" "$WORK/zero.json" "zero.json: tokenizer.json must be a regular file"
mkfifo "$WORK/fifo.json"
run_tokenizer "tokenizer.json a FIFO" "$WORK/fifo.json" "fifo.json: tokenizer.json must be a regular file"
mkdir "$WORK/folder.json"
run_tokenizer "tokenizer.json a folder" "$WORK/folder.json" "folder.json: tokenizer.json must be a regular file"
run_tokenizer "tokenizer.json missing" "$WORK/none.json" "cannot open $WORK/none.json: No such file"

# --- token-id files (tokenizer decode --input) ---
ids_case() {  # ids_case NAME CONTENT REGEX
  printf "$2" > "$WORK/ids_$CASES.txt"
  fail_case "ids: $1" 1 "ids_$CASES.txt:$3" "$WORK/dec_$CASES.fa" -- \
    "$GENOBIRD" tokenizer decode --tokenizer "$TOKENIZER" --input "$WORK/ids_$CASES.txt" -o "$WORK/dec_$CASES.fa"
}
ids_case "id beyond the vocabulary" 'r1\t10 512\n' "1: token id 512 is outside the vocabulary"
ids_case "negative id" 'r1\t10\nr2\t-3\n' "2: token id -3 is outside the vocabulary"
ids_case "id not a number" 'r1\t10 x1\n' "1: expected a token id, found \"x1\""
ids_case "id overflows" 'r1\t99999999999999999999999\n' "1: expected a token id"
ids_case "no tab" 'r1 10 11\n' "1: expected \"name<TAB>id id ...\""
ids_case "empty name" '\t10 11\n' "1: expected \"name<TAB>id id ...\""
ids_case "NUL byte" 'r1\t10\0 11\n' "1: NUL byte"

# A 30 MB FASTA on one line: measured in memory proportional to the record (a few bytes per base), not
# the gigabytes that keeping every token's offsets took.
{ echo ">long"; head -c 30000000 /dev/zero | tr '\0' 'A' | sed 's/AAAA/ACGT/g'; echo; } > "$WORK/long.fa"
expect_status 0 "tokenizer info on a single-line FASTA" -- /usr/bin/time -f "%M" -o "$WORK/rss" \
  "$GENOBIRD" tokenizer info --tokenizer "$TOKENIZER" --input "$WORK/long.fa" -o "$WORK/long.txt"
expect_match "$WORK/long.txt" "^input_bases	30000000$" "every base measured"
rss_kb=$(tail -1 "$WORK/rss")
[ "$rss_kb" -lt 400000 ] && pass || fail "tokenizer info on 30 Mb took $rss_kb KB (more than ~13 bytes per base)"

at_least 40
finish
