#!/usr/bin/env bash
# make-dataset promoter|chromatin, finetune, evaluate: datasets from the real lambda genome, a tiny model
# trained for a few steps, metrics and curves written, heads kept side by side, and clean failures.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/heads_common.sh"

expect_status 0 "promoter dataset" -- "$GENOBIRD" make-dataset promoter --positives "$WORK/tss.bed" --genome "$genome" \
  --window=-249..+50 --valid-fraction 0.2 --test-fraction 0.2 --out "$WORK/prom"
for split in train valid test; do
  expect_match "$WORK/prom/$split.tsv" '^#genobird-dataset	version=1	task=promoter$' "$split magic line"
  expect_match "$WORK/prom/$split.tsv" '^name	chrom	start	end	strand	sequence	promoter$' "$split header"
done
# Every positive has its DeePromoter negative in the same split: as many 0 as 1 labels, 300 bp each.
cat "$WORK"/prom/{train,valid,test}.tsv | awk -F'\t' 'NR > 2 && $1 !~ /^#|^name$/ {n[$7]++; if (length($6) != 300) bad++}
  END {print n[0] + 0, n[1] + 0, bad + 0}' > "$WORK/counts"
expect_match "$WORK/counts" '^40 40 0$' "40 positives, 40 negatives, all 300 bp"
expect_status 0 "same seed" -- "$GENOBIRD" make-dataset promoter --positives "$WORK/tss.bed" --genome "$genome" \
  --window=-249..+50 --valid-fraction 0.2 --test-fraction 0.2 --out "$WORK/prom_again"
expect_same "$WORK/prom/train.tsv" "$WORK/prom_again/train.tsv" "seeded dataset"
expect_status 0 "other seed" -- "$GENOBIRD" make-dataset promoter --positives "$WORK/tss.bed" --genome "$genome" \
  --window=-249..+50 --valid-fraction 0.2 --test-fraction 0.2 --seed 7 --out "$WORK/prom_seed7"
expect_differ "$WORK/prom/train.tsv" "$WORK/prom_seed7/train.tsv" "seed changes the dataset"

printf '%s\t5000\t5400\tTF:a\n%s\t9050\t9200\tTF:b\n%s\t20000\t20900\tTF:a\n' "$chrom" "$chrom" "$chrom" > "$WORK/peaks.bed"
expect_status 0 "chromatin dataset" -- "$GENOBIRD" make-dataset chromatin --genome "$genome" --peak-table "$WORK/peaks.bed" \
  --test-chroms none --valid-chroms none --background-fraction 0.02 --out "$WORK/chrom"
expect_match "$WORK/chrom/train.tsv" '^name	chrom	start	end	strand	sequence	TF:a	TF:b$' "chromatin header"
expect_match "$WORK/chrom/train.tsv" "_bin45	.*	8600	9600	\+	[ACGT]{1000}	0	1$" "bin 45 [9000, 9200): 150 bp of TF:b"

# Split by position: test = 30,001-end with every bin, validation = 20,001-30,000; no training window reaches
# into either range.
expect_status 0 "chromatin dataset split by position" -- "$GENOBIRD" make-dataset chromatin --genome "$genome" \
  --peak-table "$WORK/peaks.bed" --test-chroms '' --valid-chroms '' --test-regions "$chrom:30,001-" \
  --valid-regions "$chrom:20001-30000" --background-fraction 0.02 --test-background-fraction 1 --out "$WORK/chrom_pos"
awk -F'\t' 'NR > 2 && ($3 < 29600 || $4 > 48502) { bad++ } END { exit bad > 0 || NR != 92 }' "$WORK/chrom_pos/test.tsv" \
  && pass || fail "test bins: every bin from 30,000 on, 90 of them"
awk -F'\t' 'NR > 2 && $4 > 20000 { bad++ } END { exit bad > 0 }' "$WORK/chrom_pos/train.tsv" \
  && pass || fail "a training window reaches into the validation range"
expect_match "$WORK/err" "dropped because their window reaches into a held-out region" "guarded bins counted"
expect_status 2 "malformed region" -- "$GENOBIRD" make-dataset chromatin --genome "$genome" --peak-table "$WORK/peaks.bed" \
  --test-regions "$chrom:10-x" --out "$WORK/chrom_bad"
expect_match "$WORK/err" "is not CHR:START-END" "the malformed region is explained"

# Bad input: a BED line on a chromosome the genome lacks names file and line; nothing is written.
printf '%s\t2000\t2001\n' chrZ > "$WORK/bad.bed"
expect_status 1 "unknown chromosome" -- "$GENOBIRD" make-dataset promoter --positives "$WORK/bad.bed" --genome "$genome" --out "$WORK/bad"
expect_match "$WORK/err" "bad.bed:1: chromosome 'chrZ' is not in the genome" "error names file and line"
expect_absent "$WORK/bad/train.tsv" "no dataset after a failure"
expect_status 2 "bad window" -- "$GENOBIRD" make-dataset promoter --positives "$WORK/tss.bed" --genome "$genome" --window 5 --out "$WORK/x"
# FASTA positives holding only upstream bases (the TSS just past the end): the default window reaches past it,
# and the error says which window fits; that window works.
awk 'NR > 1 { seq = seq $0 } END { for (i = 0; i < 3; i++) printf ">up%d\n%s\n", i, substr(seq, 1 + i * 2000, 400) }' "$genome" > "$WORK/upstream.fa"
expect_status 1 "upstream FASTA, default window" -- "$GENOBIRD" make-dataset promoter --positives "$WORK/upstream.fa" --tss-at end --out "$WORK/up"
expect_match "$WORK/err" "upstream.fa: no usable positive window: the window -249\.\.\+50 reaches outside all 3 records; with --tss-at end the TSS is just past each record's last base, so the window must end at -1 or before: try --window -300\.\.-1$" \
  "the error names a window that fits"
expect_status 0 "upstream FASTA, the window suggested" -- "$GENOBIRD" make-dataset promoter --positives "$WORK/upstream.fa" --tss-at end \
  --window -300..-1 --valid-fraction 0 --out "$WORK/up"
[ "$(grep -c $'\t1$' "$WORK/up/train.tsv")" -eq 3 ] && pass || fail "3 positives expected with --window -300..-1"

# A tiny model fine-tuned from scratch, then evaluated.
expect_status 0 "finetune promoter" -- "$GENOBIRD" finetune promoter --preset tiny --tokenizer "$TEST_DATA/lambda_bpe512.json" \
  --train "$WORK/prom/train.tsv" --valid "$WORK/prom/valid.tsv" --out "$WORK/model" --steps 12 --eval-every 6 -t 1
expect_match "$WORK/model/genobird.json" '"name": "promoter"' "head written to genobird.json"
# Without --warmup the warm-up is 5% of --steps, so a 12-step run is not all warm-up (it was 100 steps).
grep -q 'warm-up' "$WORK/err" && fail "default warm-up of a short run warned: $(grep 'warm-up' "$WORK/err")" || pass
expect_match "$WORK/model/finetune-promoter.tsv" '^step	loss	lr	valid_auroc	examples_per_s$' "training log"
expect_status 0 "evaluate" -- "$GENOBIRD" evaluate --model "$WORK/model" --data "$WORK/prom/test.tsv" --curves "$WORK/curves" -t 1
expect_match "$WORK/out" '^level	name	examples	positives	auroc	auprc	accuracy	precision	recall	f1	mcc$' "metrics header"
expect_match "$WORK/out" '^label	promoter	[0-9]+	[0-9]+	[0-9.]+	' "per-label row"
expect_match "$WORK/out" '^median	all	1	' "summary row"
expect_match "$WORK/curves.roc.svg" '<polyline' "ROC curve drawn"
expect_match "$WORK/curves.pr.svg" '<svg' "PR curve written"
expect_status 0 "evaluate json, rc max" -- "$GENOBIRD" evaluate --model "$WORK/model" --data "$WORK/prom/test.tsv" --json --rc max -t 1
expect_match "$WORK/out" '"rc": "max"' "JSON output"
expect_status 2 "bad --rc" -- "$GENOBIRD" evaluate --model "$WORK/model" --data "$WORK/prom/test.tsv" --rc both

# A chromatin head added to the promoter model keeps the promoter head; this one averages all tokens.
expect_status 2 "bad --pooling" -- "$GENOBIRD" finetune chromatin --model "$WORK/model" --pooling max \
  --train "$WORK/chrom/train.tsv" --valid "$WORK/chrom/train.tsv" --out "$WORK/model2" --steps 4 -t 1
expect_status 0 "finetune chromatin onto it" -- "$GENOBIRD" finetune chromatin --model "$WORK/model" --pooling mean \
  --train "$WORK/chrom/train.tsv" --valid "$WORK/chrom/train.tsv" --out "$WORK/model2" --steps 4 --eval-every 4 --head-only \
  --warmup 100 -t 1
# An explicit warm-up longer than the run is warned about: the rate would end at 4% of --lr.
expect_match "$WORK/err" "^genobird finetune chromatin: warning: warm-up \(100 steps\) is not shorter than the run \(4 steps\): the learning rate climbs to 4% of its peak 0\.0001 and never decays; give a shorter --warmup \(or -1: 5% of --steps\)$" \
  "--warmup beyond --steps is warned about"
expect_match "$WORK/model2/genobird.json" '"name": "promoter"' "promoter head kept"
expect_match "$WORK/model2/genobird.json" '"name": "chromatin"' "chromatin head added"
python3 -c 'import json, sys; print(" ".join(h["name"] + ":" + h.get("pooling", "-") for h in json.load(open(sys.argv[1]))["heads"]))' \
  "$WORK/model2/genobird.json" > "$WORK/pooling"
expect_match "$WORK/pooling" '^promoter:cls chromatin:mean$' "each head keeps its pooling"
expect_status 0 "model info" -- "$GENOBIRD" model info "$WORK/model2"
expect_match "$WORK/out" '^head	chromatin	classification	2 labels	multi_label	pooling mean$' "model info shows the pooling"
expect_status 0 "evaluate picks the head by labels" -- "$GENOBIRD" evaluate --model "$WORK/model2" --data "$WORK/prom/test.tsv" -t 1
expect_status 1 "validation labels differ from training labels" -- "$GENOBIRD" finetune promoter --model "$WORK/model2" --train "$WORK/chrom/train.tsv" \
  --valid "$WORK/prom/valid.tsv" --out "$WORK/model3" --steps 2 -t 1
finish
