# genobird pretrain: the model directory it writes, and clear errors before training for bad inputs.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/pretrain_common.sh"
split_lambda
write_tiny_config "$WORK/tiny.json" 0.1
RUN=(pretrain --tokenizer "$TOKENIZER" --config "$WORK/tiny.json" --steps 6 --batch-size 2
     --checkpoint-every 3 --log-every 2 --valid-windows 4 -t 1)

expect_status 0 "help" -- "$GENOBIRD" pretrain --help
expect_match "$WORK/out" "--valid-genome" "help lists --valid-genome"

expect_status 0 "tiny run" -- "$GENOBIRD" "${RUN[@]}" --seq-len 64 --genome "$WORK/left.fa" --valid-genome "$WORK/right.fa" --out "$WORK/run"
for file in config.json model.safetensors tokenizer.json genobird.json metrics.tsv; do
  [ -s "$WORK/run/$file" ] && pass || fail "model directory lacks $file"
done
expect_match "$WORK/run/metrics.tsv" "^step	loss	masked_accuracy	perplexity	lr	" "metrics.tsv header"
# Rows every 2 steps, and at the validation steps (with each checkpoint: 3 and 6).
[ "$(cut -f1 "$WORK/run/metrics.tsv" | tr '\n' ' ')" = "step 2 3 4 6 " ] && pass || fail "metrics.tsv rows: $(cut -f1 "$WORK/run/metrics.tsv" | tr '\n' ' ')"
expect_match "$WORK/run/metrics.tsv" "^3	.*	[0-9.]+	[0-9.]+	[0-9.]+$" "validation row at the checkpoint"
expect_match "$WORK/run/metrics.tsv" "^4	.*	NA	NA	NA$" "no validation between checkpoints"
expect_match "$WORK/run/metrics.tsv" "^6	.*	[0-9.]+	[0-9.]+	[0-9.]+$" "last row has validation metrics"
expect_match "$WORK/run/genobird.json" '"kind": "mlm"' "genobird.json declares the MLM head"
expect_match "$WORK/run/genobird.json" '"command_line": ".*pretrain' "provenance records the command line"
expect_match "$WORK/run/genobird.json" '"valid_masked_accuracy"' "provenance records final metrics"
expect_match "$WORK/run/config.json" '"vocab_size": 512' "config.json"
[ -d "$WORK/run/checkpoints/step-000000006" ] && pass || fail "final checkpoint missing"
expect_status 0 "model info reads it" -- "$GENOBIRD" model info "$WORK/run"

expect_status 2 "second run into the same directory" -- "$GENOBIRD" "${RUN[@]}" --seq-len 64 --genome "$WORK/left.fa" --out "$WORK/run"
expect_match "$WORK/err" "already holds a pretraining run; pass --resume" "refuses to overwrite a run"

expect_status 1 "missing FASTA" -- "$GENOBIRD" "${RUN[@]}" --seq-len 64 --genome "$WORK/nothing.fa" --out "$WORK/bad1"
expect_match "$WORK/err" "nothing.fa.*cannot open FASTA" "names the missing FASTA"

printf ">short\nACGTACGTAC\n" > "$WORK/short.fa"
expect_status 1 "genome shorter than a window" -- "$GENOBIRD" "${RUN[@]}" --seq-len 64 --genome "$WORK/short.fa" --out "$WORK/bad2"
expect_match "$WORK/err" "short.fa: no sequence is at least one window long: the longest is 10 bp" "names the short genome"

sed 's/"vocab_size": 512/"vocab_size": 600/' "$WORK/tiny.json" > "$WORK/tiny600.json"
expect_status 1 "tokenizer vocabulary differs from the model's" -- "$GENOBIRD" pretrain --tokenizer "$TOKENIZER" \
  --config "$WORK/tiny600.json" --genome "$WORK/left.fa" --out "$WORK/bad3" --seq-len 64
expect_match "$WORK/err" "lambda_bpe512.json: the tokenizer has 512 tokens but the model's vocab_size is 600" "vocabulary mismatch"
# A preset is a shape: it takes the tokenizer's vocabulary (the tiny preset's own is 4,096).
expect_status 0 "a preset with a 512-token tokenizer" -- "$GENOBIRD" pretrain --tokenizer "$TOKENIZER" --preset tiny \
  --genome "$WORK/left.fa" --out "$WORK/preset_run" --seq-len 64 --steps 2 --batch-size 2 --checkpoint-every 0 -t 1
expect_match "$WORK/preset_run/config.json" '"vocab_size": 512' "the preset takes the tokenizer's vocabulary"

touch "$WORK/a_file"
expect_status 1 "unwritable output directory" -- "$GENOBIRD" "${RUN[@]}" --seq-len 64 --genome "$WORK/left.fa" --out "$WORK/a_file/run"
expect_match "$WORK/err" "cannot create --out .*a_file is not a folder" "names the output directory and why"

expect_status 2 "seq-len beyond the model's positions" -- "$GENOBIRD" "${RUN[@]}" --genome "$WORK/left.fa" --seq-len 512 --out "$WORK/bad4"
expect_match "$WORK/err" "exceeds the model's max_position_embeddings 256" "seq-len check"
# Reads as training data: primary BAM records and FASTQ records, long enough for the window; held-out genome.
samtools fastq "$TEST_DATA/lambda_reads.bam" 2>/dev/null > "$WORK/reads.fq"
expect_status 0 "reads run" -- "$GENOBIRD" "${RUN[@]}" --seq-len 16 --reads "$TEST_DATA/lambda_aligned.bam" "$WORK/reads.fq" \
  --valid-genome "$TEST_DATA/lambda_virus.fa" --out "$WORK/reads_run"
expect_match "$WORK/err" "reads: [0-9]+ reads" "the log counts the reads"
bam_reads=$(samtools view -c -F 0x900 "$TEST_DATA/lambda_aligned.bam")
fq_reads=$(awk 'END { print NR / 4 }' "$WORK/reads.fq")
[ "$(grep -c '^>' "$WORK/reads_run/reads/rank-0.fa")" -eq $((bam_reads + fq_reads)) ] && pass || fail "read corpus holds every primary read"
# The corpus keeps the reads' original orientation, as samtools fasta does (which orders mates differently).
samtools fasta -F 0x900 "$TEST_DATA/lambda_aligned.bam" 2>/dev/null | awk '!/^>/' | sort > "$WORK/samtools_seqs"
awk '!/^>/' "$WORK/reads_run/reads/rank-0.fa" | head -n "$bam_reads" | sort > "$WORK/corpus_seqs"
expect_same "$WORK/corpus_seqs" "$WORK/samtools_seqs" "BAM reads in the corpus equal samtools fasta"
expect_match "$WORK/reads_run/genobird.json" '"reads": \[' "provenance lists the reads"
expect_status 1 "reads shorter than a window" -- "$GENOBIRD" "${RUN[@]}" --seq-len 128 --reads "$TEST_DATA/lambda_aligned.bam" --out "$WORK/bad5"
expect_match "$WORK/err" "lambda_aligned.bam: --reads: the longest read is 280 bp .* give a shorter --seq-len" "names the short reads"
expect_absent "$WORK/bad5/reads" "a refused reads run leaves no corpus"
expect_status 2 "no training data" -- "$GENOBIRD" "${RUN[@]}" --seq-len 16 --out "$WORK/bad6"
expect_match "$WORK/err" "give training data" "asks for --genome or --reads"

# None of the failed runs trained: no metrics, no model.
for bad in bad1 bad2 bad3 bad4 bad5 bad6; do expect_absent "$WORK/$bad/metrics.tsv" "$bad wrote no metrics"; done
finish
