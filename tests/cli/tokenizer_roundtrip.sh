# genobird tokenizer: train on the lambda genome, encode, decode back to the same (normalised) sequence;
# info; errors for a corrupt tokenizer.json and a bad id line.
source "$(dirname "$0")/lib.sh"

expect_status 0 "train" -- "$GENOBIRD" tokenizer train --input "$TEST_DATA/lambda_virus.fa" --vocab-size 300 \
  -o "$WORK/tokenizer.json"
expect_match "$WORK/tokenizer.json" '"type": "BPE"' "tokenizer.json holds a BPE model"
expect_match "$WORK/tokenizer.json" '"\[MASK\]": 4' "special ids are fixed"

# A record with soft-masking, an IUPAC code and an N run: decoding gives the normalised sequence.
printf '>mixed\nACGTacgtRYNNNNACGT\n>empty\n\n' > "$WORK/mixed.fa"
head -c 2000 "$TEST_DATA/lambda_virus.fa" >> "$WORK/mixed.fa"; echo >> "$WORK/mixed.fa"
expect_status 0 "encode" -- "$GENOBIRD" tokenizer encode --tokenizer "$WORK/tokenizer.json" --input "$WORK/mixed.fa" \
  -o "$WORK/ids.tsv"
expect_match "$WORK/ids.tsv" $'^mixed\t[0-9]+( [0-9]+)*$' "encode writes name<TAB>ids"
expect_match "$WORK/ids.tsv" $'^empty\t$' "an empty record has no ids"
expect_status 0 "decode" -- "$GENOBIRD" tokenizer decode --tokenizer "$WORK/tokenizer.json" --input "$WORK/ids.tsv" \
  -o "$WORK/decoded.fa"
awk '/^>/ { if (name != "") print name "\n" seq; name = $1; seq = ""; next }
     { s = toupper($0); gsub(/[^ACGT]/, "N", s); seq = seq s }
     END { print name "\n" seq }' "$WORK/mixed.fa" > "$WORK/expected.fa"
expect_same "$WORK/decoded.fa" "$WORK/expected.fa" "decode(encode(x)) is x normalised"

expect_status 0 "info" -- "$GENOBIRD" tokenizer info "$WORK/tokenizer.json" --input "$TEST_DATA/lambda_virus.fa"
expect_match "$WORK/out" $'^vocab_size\t300$' "info prints the vocabulary size"
expect_match "$WORK/out" $'^bp_per_token\t[0-9.]+$' "info prints bp per token"
expect_match "$WORK/out" $'^longest_token\t[0-9]+\t[0-9]+\t[ACGTN]+$' "info lists the longest tokens"

# Errors: exit 1, the file named, nothing on stdout.
sed 's/"\[MASK\]": 4/"[MASK]": 3/' "$WORK/tokenizer.json" > "$WORK/corrupt.json"
expect_status 1 "corrupt tokenizer" -- "$GENOBIRD" tokenizer encode --tokenizer "$WORK/corrupt.json" --input "$WORK/mixed.fa"
expect_match "$WORK/err" 'corrupt.json: .*id 3 is given to both' "the corrupt file and the fault are named"
if [ -s "$WORK/out" ]; then fail "nothing on stdout after an error"; else pass; fi
printf 'ok\t10 11\nbad\t10 x\n' > "$WORK/bad.tsv"
expect_status 1 "bad id line" -- "$GENOBIRD" tokenizer decode --tokenizer "$WORK/tokenizer.json" --input "$WORK/bad.tsv" \
  -o "$WORK/never.fa"
expect_match "$WORK/err" 'bad.tsv:2: expected a token id' "the bad line is named"
if [ -e "$WORK/never.fa" ]; then fail "a failed decode leaves no output file"; else pass; fi
expect_status 2 "missing --input" -- "$GENOBIRD" tokenizer train -o "$WORK/x.json"

finish
