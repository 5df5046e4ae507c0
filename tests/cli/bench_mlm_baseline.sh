#!/usr/bin/env bash
# tools/bench/mlm_baseline: the predictors the pretraining benchmark compares the model with, on the
# validation examples the trainer makes. Checks its rows, that the [MASK]-shown positions are the ~80% of
# masked positions the 80/10/10 rule gives, and that the n-gram uses its counts: the very sequence it
# counted is predicted far better than a held-out one or than by frequency alone (on lambda's 48 kb the
# held-out half gains nothing: too few counts).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/pretrain_common.sh"
BASELINE="$(dirname "$GENOBIRD")/../bench/mlm_baseline"
split_lambda

run_baseline() {  # TRAINING_FASTA VALID_FASTA OUT
  "$BASELINE" --genome "$1" --valid-genome "$2" --tokenizer "$TOKENIZER" --seq-len 64 --valid-windows 32 > "$3" 2> "$WORK/err"
}
field() {  # FILE PREDICTOR POSITIONS COLUMN
  awk -F'\t' -v p="$2" -v s="$3" -v c="$4" '$1 == p && $2 == s { print $c }' "$1"
}

run_baseline "$WORK/left.fa" "$WORK/right.fa" "$WORK/held_out.tsv" && pass || fail "mlm_baseline failed: $(head -c 300 "$WORK/err")"
expect_match "$WORK/held_out.tsv" "^predictor	positions	masked_tokens	accuracy	perplexity	smoothing$" "header"
[ "$(wc -l < "$WORK/held_out.tsv")" -eq 5 ] && pass || fail "expected a header and 4 rows: $(cat "$WORK/held_out.tsv")"
all=$(field "$WORK/held_out.tsv" bidirectional_ngram all 3)
shown=$(field "$WORK/held_out.tsv" bidirectional_ngram mask_shown 3)
[ "$(field "$WORK/held_out.tsv" most_frequent all 3)" = "$all" ] && pass || fail "both predictors score the same positions"
awk -v a="$all" -v s="$shown" 'BEGIN { exit !(a > 100 && s / a > 0.7 && s / a < 0.9) }' && pass ||
  fail "[MASK]-shown positions $shown of $all masked: expected about 80%"
# Counted on the sequence it is then asked about, the n-gram recalls what lies between two neighbours.
run_baseline "$WORK/right.fa" "$WORK/right.fa" "$WORK/seen.tsv" && pass || fail "mlm_baseline failed: $(head -c 300 "$WORK/err")"
seen=$(field "$WORK/seen.tsv" bidirectional_ngram mask_shown 4)
awk -v a="$seen" 'BEGIN { exit !(a > 0.6) }' && pass || fail "n-gram accuracy $seen on the counted sequence, expected > 0.6"
seen_ppl=$(field "$WORK/seen.tsv" bidirectional_ngram mask_shown 5)
held_out_ppl=$(field "$WORK/held_out.tsv" bidirectional_ngram mask_shown 5)
unigram_ppl=$(field "$WORK/seen.tsv" most_frequent mask_shown 5)
awk -v s="$seen_ppl" -v h="$held_out_ppl" -v u="$unigram_ppl" 'BEGIN { exit !(s * 10 < h && s * 10 < u) }' && pass ||
  fail "n-gram perplexity on the counted sequence $seen_ppl, held out $held_out_ppl, frequency only $unigram_ppl"

expect_status 1 "a missing genome" -- "$BASELINE" --genome "$WORK/none.fa" --valid-genome "$WORK/right.fa" --tokenizer "$TOKENIZER"
finish
