#!/usr/bin/env bash
# tools/bench: the two peers of the chromatin-profile benchmark, bench_deepsea_cnn (DeepSEA's CNN) and
# bench_promoter_baseline on multi-label data (a k-mer logistic regression per profile), on a real
# `make-dataset chromatin` dataset: the lambda genome with GAATTC written into a quarter of its 100-bp
# blocks, cut into three chromosomes (train, validation, test), and two profiles: the 20-bp bins whose
# 200-bp window holds GAATTC (learnable from the sequence) and bins drawn at random (not learnable).
# Checks the tables, that both peers learn the motif profile and not the random one, the predictions
# files (rows, and the AUROC they give back), rescoring a saved net, the one-label output of the k-mer
# baseline, and clean failures.
source "$(dirname "$0")/lib.sh"
BENCH="$(dirname "$GENOBIRD")/../bench"
CNN="$BENCH/bench_deepsea_cnn"
KMER="$BENCH/bench_promoter_baseline"

awk 'BEGIN { srand(3) } NR > 1 { seq = seq $0 }
  END { for (b = 0; b + 100 <= length(seq); b += 100) if (rand() < 0.25) { p = b + int(rand() * 94); seq = substr(seq, 1, p) "GAATTC" substr(seq, p + 7) }
        printf ">chrA\n%s\n>chrB\n%s\n>chrC\n%s\n", substr(seq, 1, 30000), substr(seq, 30001, 9000), substr(seq, 39001) }' \
  "$TEST_DATA/lambda_virus.fa" > "$WORK/genome.fa"
# Bin [s, s + 20) has the window [s - 90, s + 110); awk's substr counts from 1.
awk 'function emit(name, seq,   s) {
       for (s = 100; s + 110 <= length(seq); s += 20) {
         if (index(substr(seq, s - 89, 200), "GAATTC")) print name "\t" s "\t" s + 20 "\tmotif:GAATTC"
         if (rand() < 0.3) print name "\t" s "\t" s + 20 "\trandom"
       } }
     BEGIN { srand(7) } /^>/ { if (seq != "") emit(name, seq); name = substr($1, 2); seq = ""; next } { seq = seq $0 }
     END { emit(name, seq) }' "$WORK/genome.fa" > "$WORK/peaks.bed"
expect_status 0 "make-dataset chromatin" -- "$GENOBIRD" make-dataset chromatin --genome "$WORK/genome.fa" --peak-table "$WORK/peaks.bed" \
  --bin 20 --window 200 --background-fraction 1 --test-chroms chrC --valid-chroms chrB --out "$WORK/data"
D="$WORK/data"
expect_match "$D/test.tsv" $'^name\tchrom\tstart\tend\tstrand\tsequence\tmotif:GAATTC\trandom$' "dataset header"
# The fixture is what it claims: the motif label is exactly "the window holds GAATTC", and both labels have
# both classes in every split.
for split in train valid test; do
  awk -F'\t' 'NR > 2 { if ((index($6, "GAATTC") > 0) != $7) bad++; m[$7]++; r[$8]++ }
    END { exit !(bad == 0 && m[0] > 50 && m[1] > 50 && r[0] > 50 && r[1] > 30) }' "$D/$split.tsv" && pass ||
    fail "$split: motif label is not 'window holds GAATTC', or a class is missing"
done
test_rows=$(awk 'NR > 2' "$D/test.tsv" | wc -l)

# check_table TABLE WHO: a row per label and a mean row, figures in [0, 1], counts of the test file; the
# motif profile learnt (AUROC >= 0.85), the random one near chance (0.35..0.65).
check_table() {
  expect_match "$1" $'^label\tpositives\texamples\tauroc\tauprc$' "$2: header"
  awk -F'\t' -v n="$test_rows" 'NR > 1 { rows++; if ($3 != n || $4 < 0 || $4 > 1 || $5 < 0 || $5 > 1) bad++; name[NR] = $1 }
    END { exit !(rows == 3 && bad == 0 && name[2] == "motif:GAATTC" && name[3] == "random" && name[4] == "mean") }' "$1" && pass ||
    fail "$2: expected rows motif:GAATTC, random, mean with figures in [0, 1] over $test_rows examples: $(cat "$1")"
  awk -F'\t' '$1 == "motif:GAATTC" { exit !($4 >= 0.85) }' "$1" && pass || fail "$2: motif profile not learnt: $(grep motif "$1")"
  awk -F'\t' '$1 == "random" { exit !($4 >= 0.35 && $4 <= 0.65) }' "$1" && pass || fail "$2: random profile not near chance: $(grep random "$1")"
  awk -F'\t' '{ a[$1] = $4 } END { exit !(a["mean"] - (a["motif:GAATTC"] + a["random"]) / 2 < 0.0002 && (a["motif:GAATTC"] + a["random"]) / 2 - a["mean"] < 0.0002) }' "$1" &&
    pass || fail "$2: mean row is not the mean of the labels"
}

# check_predictions PREDICTIONS TABLE WHO: a row per test example, in the test file's order, and the
# motif column ranks the test labels to the table's AUROC (Mann-Whitney, ties one half).
check_predictions() {
  expect_match "$1" $'^name\tmotif:GAATTC\trandom$' "$3: predictions header"
  cmp -s <(awk -F'\t' 'NR > 2 { print $1 }' "$D/test.tsv") <(awk -F'\t' 'NR > 1 { print $1 }' "$1") && pass ||
    fail "$3: predictions rows are not the test examples"
  local recomputed
  recomputed=$(paste <(awk -F'\t' 'NR > 2 { print $7 }' "$D/test.tsv") <(awk -F'\t' 'NR > 1 { print $2 }' "$1") |
    awk '{ if ($1 == 1) p[++np] = $2; else q[++nq] = $2 }
         END { for (i = 1; i <= np; i++) for (j = 1; j <= nq; j++) s += (p[i] > q[j]) + 0.5 * (p[i] == q[j]); printf "%.4f", s / (np * nq) }')
  awk -F'\t' -v r="$recomputed" '$1 == "motif:GAATTC" { d = $4 - r; exit !(d < 0.002 && d > -0.002) }' "$2" && pass ||
    fail "$3: AUROC from the predictions $recomputed, table $(grep motif "$2")"
}

# --- DeepSEA's CNN, 5% wide (16/24/48 filters, 46 dense units) ---
cnn_options=(--width-scale 0.05 --lr 3e-3 --steps 1000 --eval-every 200 --patience 10 --seed 1 -t 1)
expect_status 0 "CNN trains" -- "$CNN" --train "$D/train.tsv" --valid "$D/valid.tsv" --test "$D/test.tsv" "${cnn_options[@]}" \
  --save "$WORK/cnn.pt" --predictions "$WORK/cnn_pred.tsv"
cp "$WORK/out" "$WORK/cnn.tsv"
expect_match "$WORK/err" "^step 1000	loss [0-9.]+	valid mean AUROC [0-9.]+" "CNN progress on stderr"
check_table "$WORK/cnn.tsv" CNN
check_predictions "$WORK/cnn_pred.tsv" "$WORK/cnn.tsv" CNN
# A saved net scores the test file as the trained one did, without training.
expect_status 0 "CNN --load" -- "$CNN" --load "$WORK/cnn.pt" --test "$D/test.tsv" --predictions "$WORK/cnn_pred2.tsv"
expect_same "$WORK/cnn.tsv" "$WORK/out" "rescored table"
expect_same "$WORK/cnn_pred.tsv" "$WORK/cnn_pred2.tsv" "rescored predictions"
expect_no_match "$WORK/err" "^step " "no training with --load"

# --- k-mer logistic regression, one model per profile ---
expect_status 0 "k-mer baseline" -- "$KMER" --train "$D/train.tsv" --valid "$D/valid.tsv" --test "$D/test.tsv" --epochs 3 --predictions "$WORK/kmer_pred.tsv"
cp "$WORK/out" "$WORK/kmer.tsv"
check_table "$WORK/kmer.tsv" k-mer
check_predictions "$WORK/kmer_pred.tsv" "$WORK/kmer.tsv" k-mer
expect_match "$WORK/err" "^random: kept l2 " "k-mer: L2 chosen per label"
expect_status 0 "k-mer baseline --rc max" -- "$KMER" --train "$D/train.tsv" --valid "$D/valid.tsv" --test "$D/test.tsv" --epochs 3 --rc max
check_table "$WORK/out" "k-mer --rc max"
# One label: the promoter benchmark's output, kept as it was.
for split in train valid test; do cut -f1-7 "$D/$split.tsv" > "$WORK/one_$split.tsv"; done
expect_status 0 "k-mer baseline, one label" -- "$KMER" --train "$WORK/one_train.tsv" --valid "$WORK/one_valid.tsv" \
  --test "$WORK/one_test.tsv" --epochs 3 --predictions "$WORK/one_pred.tsv"
expect_match "$WORK/out" "^baseline l2 0.001: validation AUROC 0\.[0-9]{4}$" "one label: penalty lines"
expect_match "$WORK/out" $'^kmer4-6_logistic\\(l2=[0-9e.-]+\\)\t'"$test_rows"$'\t0\\.9[0-9]{3}\t' "one label: model row, motif learnt"
expect_match "$WORK/one_pred.tsv" $'^name\tmotif:GAATTC$' "one label: predictions header"

# --- failures: bad input exits 1 naming the file, bad options 2, no output file left behind ---
expect_status 1 "CNN, missing file" -- "$CNN" --train "$WORK/none.tsv" --valid "$D/valid.tsv" --test "$D/test.tsv" --predictions "$WORK/p.tsv"
expect_match "$WORK/err" "^bench_deepsea_cnn: error: .*none\.tsv" "missing file named"
expect_absent "$WORK/p.tsv" "no predictions after a failure"
printf '#genobird-dataset\tversion=1\ttask=chromatin\nname\tchrom\tstart\tend\tstrand\tsequence\nx\t.\t.\t.\t.\tACGT\n' > "$WORK/nolabels.tsv"
expect_status 1 "CNN, dataset without labels" -- "$CNN" --load "$WORK/cnn.pt" --test "$WORK/nolabels.tsv"
expect_match "$WORK/err" "nolabels\.tsv" "dataset without labels named"
expect_status 1 "k-mer, dataset without labels" -- "$KMER" --train "$WORK/nolabels.tsv" --valid "$D/valid.tsv" --test "$D/test.tsv"
expect_status 1 "CNN --load, other labels" -- "$CNN" --load "$WORK/cnn.pt" --test "$WORK/one_test.tsv"
expect_match "$WORK/err" "one_test\.tsv.*labels differ" "label mismatch explained"
expect_status 1 "CNN --load, not a saved net" -- "$CNN" --load "$D/test.tsv" --test "$D/test.tsv"
awk -F'\t' 'BEGIN { OFS = "\t" } NR == 4 { $6 = $6 "A" } { print }' "$D/test.tsv" > "$WORK/ragged.tsv"
expect_status 1 "CNN, windows of different lengths" -- "$CNN" --load "$WORK/cnn.pt" --test "$WORK/ragged.tsv"
expect_match "$WORK/err" "ragged\.tsv: example 2 \('chrC_bin6'\) is 201 bp, the first is 200 bp" "length mismatch names file and example"
expect_status 2 "CNN, no --valid" -- "$CNN" --train "$D/train.tsv" --test "$D/test.tsv"
expect_status 2 "CNN, bad --width-scale" -- "$CNN" --train "$D/train.tsv" --valid "$D/valid.tsv" --test "$D/test.tsv" --width-scale 0
expect_status 2 "CNN, bad --rc-augment" -- "$CNN" --train "$D/train.tsv" --valid "$D/valid.tsv" --test "$D/test.tsv" --rc-augment maybe
expect_status 2 "CNN, unknown option" -- "$CNN" --load "$WORK/cnn.pt" --test "$D/test.tsv" --bogus 1
expect_status 2 "CNN, --load with --train" -- "$CNN" --load "$WORK/cnn.pt" --train "$D/train.tsv" --test "$D/test.tsv"
expect_status 2 "k-mer, unknown option" -- "$KMER" --train "$D/train.tsv" --valid "$D/valid.tsv" --test "$D/test.tsv" --bogus 1
expect_status 2 "k-mer, option without value" -- "$KMER" --train "$D/train.tsv" --valid "$D/valid.tsv" --test "$D/test.tsv" --rc
expect_status 1 "k-mer, --track with two labels" -- "$KMER" --train "$D/train.tsv" --valid "$D/valid.tsv" --test "$D/test.tsv" \
  --genome "$WORK/genome.fa" --window 200 --step 100 --track "$WORK/t.bedgraph"
finish
