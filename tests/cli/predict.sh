#!/usr/bin/env bash
# `genobird predict` on BED regions of the real lambda genome with the fixture model (tests/data/infer_model,
# window 200 bp): minus strands against extract + reverse complement, chromosome ends (N padding, flagged),
# unknown chromosomes (error, or --skip-invalid), an empty BED, shards gathered == unsharded, thread counts,
# FASTA input, and usage errors.
source "$(dirname "$0")/lib.sh"
MODEL="$TEST_DATA/infer_model"
GENOME="$WORK/lambda.fa"
cp "$TEST_DATA/lambda_virus.fa" "$GENOME"
GATHER="$(dirname "$0")/../../examples/gather-shards.sh"
chrom=$(head -1 "$GENOME" | cut -c2- | cut -d' ' -f1)
length=$(grep -v '>' "$GENOME" | tr -d '\n' | wc -c)

# 60 random regions of varied length on both strands, one at each chromosome end.
awk -v c="$chrom" -v L="$length" 'BEGIN {
    srand(5)
    for (i = 0; i < 60; i++) {
      s = 200 + int(rand() * (L - 1000)); e = s + 1 + int(rand() * 500)
      printf "%s\t%d\t%d\tr%d\t%d\t%s\n", c, s, e, i, i, (i % 3 == 0 ? "-" : "+")
    }
    printf "%s\t0\t20\tleft_end\t0\t+\n", c
    printf "%s\t%d\t%d\tright_end\t0\t-\n", c, L - 30, L
  }' > "$WORK/regions.bed"

expect_status 0 "predict BED" -- "$GENOBIRD" predict --model "$MODEL" --genome "$GENOME" --regions "$WORK/regions.bed" --strand -o "$WORK/p.tsv"
expect_match "$WORK/p.tsv" $'^chrom\tstart\tend\tname\tscore\tstrand\tpromoter.promoter\tchromatin.dnase\tchromatin.ctcf\tchromatin.h3k4me3\tpadded_bp$' "header: region columns, head outputs, padded_bp"
rows=$(tail -n +2 "$WORK/p.tsv" | wc -l)
[ "$rows" -eq 62 ] && pass || fail "expected 62 rows, got $rows"
# Region columns come back as read, in input order.
cut -f1-6 "$WORK/p.tsv" | tail -n +2 > "$WORK/cols.bed"
expect_same "$WORK/cols.bed" "$WORK/regions.bed" "region columns and order kept"
# Windows running off the ends: left_end's window [-90, 110) has 90 N; right_end's [L-115, L+85) has 85.
expect_match "$WORK/p.tsv" $'\tleft_end\t.*\t90$' "left chromosome end padded and flagged"
expect_match "$WORK/p.tsv" $'\tright_end\t.*\t85$' "right chromosome end padded and flagged"
interior_padded=$(awk -F'\t' 'NR > 1 && $4 ~ /^r[0-9]/ && $11 != 0' "$WORK/p.tsv" | wc -l)
[ "$interior_padded" -eq 0 ] && pass || fail "$interior_padded interior regions flagged as padded"
awk -F'\t' 'NR > 1 { for (i = 7; i <= 10; i++) if ($i !~ /^[01]\.[0-9][0-9][0-9][0-9]$/) bad++ } END { exit bad > 0 }' "$WORK/p.tsv" \
  && pass || fail "probabilities are not 4-decimal numbers in [0, 1]"

# Minus strand: the score of a region with --strand equals the score of its window, cut out by extract
# --strand (reverse complement) and given as FASTA; plus-strand regions likewise without reverse complement.
awk -F'\t' -v OFS='\t' '$4 ~ /^r[0-9]/ { c = int(($2 + $3) / 2); print $1, c - 100, c + 100, $4, $5, $6 }' "$WORK/regions.bed" > "$WORK/windows.bed"
"$GENOBIRD" extract --genome "$GENOME" --regions "$WORK/windows.bed" --strand --name > "$WORK/windows.fa" 2> /dev/null
expect_status 0 "predict FASTA of extracted windows" -- "$GENOBIRD" predict --model "$MODEL" --fasta "$WORK/windows.fa" -o "$WORK/f.tsv"
expect_match "$WORK/f.tsv" $'^name\tpromoter.promoter\tchromatin.dnase\tchromatin.ctcf\tchromatin.h3k4me3\tscored_bp$' "FASTA header"
paste <(awk -F'\t' 'NR > 1 && $4 ~ /^r[0-9]/ { print $7, $8, $9, $10 }' "$WORK/p.tsv") \
      <(awk -F'\t' 'NR > 1 { print $2, $3, $4, $5 }' "$WORK/f.tsv") \
  | awk '{ for (i = 1; i <= 4; i++) { d = $i - $(i + 4); if (d < 0) d = -d; if (d > 0.00015) bad++ } } END { exit bad > 0 }' \
  && pass || fail "BED --strand scores differ from extract --strand + predict --fasta"
# Negative control: without --strand the minus-strand rows change.
"$GENOBIRD" predict --model "$MODEL" --genome "$GENOME" --regions "$WORK/regions.bed" -o "$WORK/nostrand.tsv" 2> /dev/null
minus_same=$(paste "$WORK/p.tsv" "$WORK/nostrand.tsv" | awk -F'\t' 'NR > 1 && $6 == "-" && $4 ~ /^r[0-9]/ && $7 == $18' | wc -l)
[ "$minus_same" -lt 15 ] && pass || fail "negative control: --strand changed almost no minus-strand score ($minus_same equal)"

# Thread counts and batch sizes do not change the output.
for t in 1 2; do
  expect_status 0 "predict -t $t" -- "$GENOBIRD" predict --model "$MODEL" --genome "$GENOME" --regions "$WORK/regions.bed" --strand -t "$t" --batch-size 5 -o "$WORK/t$t.tsv"
done
expect_same "$WORK/t1.tsv" "$WORK/t2.tsv" "-t 1 and -t 2 give identical output"
# Another batch size changes the matrix shapes BLAS multiplies, and with them the last bits of its sums, so
# the two runs agree to the printed precision (one unit in the last printed digit) rather than byte for byte.
paste "$WORK/t1.tsv" "$WORK/p.tsv" | awk -F'\t' 'NR > 1 {
    for (i = 1; i <= 11; i++) {
      if (i >= 7 && i <= 10) { d = $i - $(i + 11); if (d < 0) d = -d; if (d > 0.00015) bad++ }
      else if ($i != $(i + 11)) bad++
    }
  } END { exit bad > 0 }' \
  && pass || fail "--batch-size 5 and the default give different output"

# Shards gathered back equal the unsharded run.
for i in 0 1 2; do
  expect_status 0 "shard $i/3" -- "$GENOBIRD" predict --model "$MODEL" --genome "$GENOME" --regions "$WORK/regions.bed" --strand --shard "$i/3" -o "$WORK/shard$i.tsv"
done
first_rows=$(tail -n +2 "$WORK/shard1.tsv" | cut -f4 | head -3 | tr '\n' ' ')
[ "$first_rows" = "r1 r4 r7 " ] && pass || fail "shard 1/3 should hold every third region from r1, has: $first_rows"
bash "$GATHER" "$WORK/regions.bed" "$WORK/shard0.tsv" "$WORK/shard1.tsv" "$WORK/shard2.tsv" > "$WORK/gathered.tsv"
expect_same "$WORK/gathered.tsv" "$WORK/p.tsv" "gathered shards equal the unsharded output"

# Unknown chromosome: an error naming file and line, no output left; --skip-invalid leaves it out and logs it.
{ head -3 "$WORK/regions.bed"; printf 'chrNope\t10\t50\tbad\t0\t+\n'; printf '%s\t%d\t%d\tpast\t0\t+\n' "$chrom" $((length - 5)) $((length + 5)); tail -2 "$WORK/regions.bed"; } > "$WORK/invalid.bed"
expect_status 1 "unknown chromosome" -- "$GENOBIRD" predict --model "$MODEL" --genome "$GENOME" --regions "$WORK/invalid.bed" -o "$WORK/invalid.tsv"
expect_match "$WORK/err" "invalid.bed:4: .*chrNope" "error names file, line and chromosome"
expect_absent "$WORK/invalid.tsv" "no output after an error"
expect_status 0 "--skip-invalid" -- "$GENOBIRD" predict --model "$MODEL" --genome "$GENOME" --regions "$WORK/invalid.bed" --skip-invalid -o "$WORK/skipped.tsv"
expect_match "$WORK/err" "skipped 2 invalid regions" "skipped regions counted in the log"
rows=$(tail -n +2 "$WORK/skipped.tsv" | wc -l)
[ "$rows" -eq 5 ] && pass || fail "--skip-invalid: expected 5 rows, got $rows"
# Sharding with skipped regions still gathers back in order.
for i in 0 1; do
  "$GENOBIRD" predict --model "$MODEL" --genome "$GENOME" --regions "$WORK/invalid.bed" --skip-invalid --shard "$i/2" -o "$WORK/ishard$i.tsv" 2> /dev/null
done
bash "$GATHER" "$WORK/invalid.bed" "$WORK/ishard0.tsv" "$WORK/ishard1.tsv" > "$WORK/igathered.tsv"
expect_same "$WORK/igathered.tsv" "$WORK/skipped.tsv" "gathered shards with skipped regions equal the unsharded output"

# Empty BED (comments only): just the header.
printf '# nothing here\n' > "$WORK/empty.bed"
expect_status 0 "empty BED" -- "$GENOBIRD" predict --model "$MODEL" --genome "$GENOME" --regions "$WORK/empty.bed"
printf 'chrom\tstart\tend\tpromoter.promoter\tchromatin.dnase\tchromatin.ctcf\tchromatin.h3k4me3\tpadded_bp\n' > "$WORK/want_empty.tsv"
expect_same "$WORK/out" "$WORK/want_empty.tsv" "empty BED gives just the header"

# Rows with another column count are an error naming the line.
{ head -2 "$WORK/regions.bed"; printf '%s\t10\t50\n' "$chrom"; } > "$WORK/ragged.bed"
expect_status 1 "ragged BED" -- "$GENOBIRD" predict --model "$MODEL" --genome "$GENOME" --regions "$WORK/ragged.bed"
expect_match "$WORK/err" "ragged.bed:3: has 3 columns" "ragged BED names the line"
# A failed run ends with its error: no "done" summary that reads as success.
grep -q "done, " "$WORK/err" && fail "a failed predict reports done: $(grep "done, " "$WORK/err")" || pass
# Control: a run that succeeds does report done, with one region in the singular.
head -1 "$WORK/regions.bed" > "$WORK/one.bed"
expect_status 0 "one region" -- "$GENOBIRD" predict --model "$MODEL" --genome "$GENOME" --regions "$WORK/one.bed"
expect_match "$WORK/err" "^genobird predict: done, 1 region, " "a successful run reports done"
expect_match "$WORK/err" "^genobird predict: scored 1 of 1 region$" "one region is singular"

# Without --model the bundled model (models/promoter-dm3, one "promoter" label) is used.
expect_status 0 "bundled model" -- "$GENOBIRD" predict --fasta "$WORK/windows.fa"
expect_match "$WORK/out" $'^name\tpromoter\tscored_bp$' "bundled model header"
expect_match "$WORK/err" "using the bundled model .*promoter-dm3" "bundled model named in the log"

# Usage errors.
expect_status 2 "bad --shard" -- "$GENOBIRD" predict --model "$MODEL" --genome "$GENOME" --regions "$WORK/regions.bed" --shard 3/3
expect_match "$WORK/err" "--shard must be I/N" "bad --shard explained"
expect_status 2 "no input" -- "$GENOBIRD" predict --model "$MODEL"
expect_status 2 "bad --rc" -- "$GENOBIRD" predict --model "$MODEL" --fasta "$WORK/windows.fa" --rc both
expect_status 1 "missing model" -- "$GENOBIRD" predict --model "$WORK/nomodel" --fasta "$WORK/windows.fa"

finish
