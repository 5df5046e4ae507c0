#!/usr/bin/env bash
# The bad-input catalogue: malformed FASTA, FASTQ, BED and BAM files, each a small edit of real data.
# Every case must exit with status 1, print "genobird CMD: error: FILE:LINE: ..." (or the record) naming
# what is wrong, and leave no output file behind.
source "$(dirname "$0")/lib.sh"
ref="$TEST_DATA/lambda_virus.fa"
chrom=$(head -1 "$ref" | cut -c2- | cut -d' ' -f1)
head -4 "$ref" > "$WORK/small.fa"          # a real 3-line FASTA record
samtools fastq -n "$TEST_DATA/lambda_reads.bam" 2> /dev/null | head -8 > "$WORK/small.fq"  # two real FASTQ records
printf '%s\t0\t100\ta\t0\t+\n%s\t200\t300\tb\t0\t-\n' "$chrom" "$chrom" > "$WORK/good.bed"

n=0
# check_case NAME COMMAND MESSAGE_REGEX FILE...: runs genobird COMMAND ... -o OUT and checks the contract.
check_case() {
  local name=$1 command=$2 regex=$3
  shift 3
  n=$((n + 1))
  local out="$WORK/out_$n.fa"
  expect_status 1 "$name" -- "$GENOBIRD" $command "$@" -o "$out"
  expect_match "$WORK/err" "^genobird $command: error: .*$regex" "$name: message"
  expect_absent "$out" "$name"
}
reads_case() { local name=$1 file=$2 regex=$3; check_case "$name" reads "$regex" --input "$file"; }
bed_case() { local name=$1 file=$2 regex=$3; check_case "$name" extract "$regex" --genome "$ref" --regions "$file"; }

# --- FASTA ---
{ echo "ACGT"; cat "$WORK/small.fa"; } > "$WORK/no_header.fa"
reads_case "FASTA without '>'" "$WORK/no_header.fa" "no_header.fa:1: expected a FASTA header"
sed '3s/^\(.\{10\}\)./\1!/' "$WORK/small.fa" > "$WORK/bad_char.fa"
reads_case "FASTA with an illegal byte" "$WORK/bad_char.fa" "bad_char.fa:3: unexpected '!' in sequence at column 11"
{ head -2 "$WORK/small.fa"; printf 'ACGT\0ACGT\n'; } > "$WORK/nul.fa"
reads_case "FASTA with a NUL byte" "$WORK/nul.fa" "nul.fa:3: NUL byte"
{ echo ">"; tail -n +2 "$WORK/small.fa"; } > "$WORK/no_name.fa"
reads_case "FASTA header without a name" "$WORK/no_name.fa" "no_name.fa:1: FASTA header without a sequence name"
gzip -c "$ref" | head -c 6000 > "$WORK/truncated.fa.gz"
reads_case "truncated gzip FASTA" "$WORK/truncated.fa.gz" "truncated.fa.gz:[0-9]+: truncated gzip"
{ printf '\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03'; head -c 2000 /dev/urandom | tr -d '\0'; } > "$WORK/corrupt.fa.gz"
reads_case "corrupt gzip FASTA" "$WORK/corrupt.fa.gz" "corrupt.fa.gz:[0-9]+: (corrupt compressed data|truncated gzip)"
{ head -2 "$ref"; head -3 "$ref" | tail -1 | cut -c1-30; tail -n +4 "$ref" | head -5; } > "$WORK/ragged.fa"
check_case "FASTA genome with ragged lines (cannot be indexed)" extract "ragged.fa: cannot build or read the .fai index" \
  --genome "$WORK/ragged.fa" --regions "$WORK/good.bed"

# --- FASTQ ---
sed '4s/.$//' "$WORK/small.fq" > "$WORK/short_qual.fq"
reads_case "FASTQ quality shorter than sequence" "$WORK/short_qual.fq" "short_qual.fq:[0-9]+: FASTQ record '.*' has [0-9]+ quality values for [0-9]+ bases|short_qual.fq:[0-9]+: .*quality length"
sed '4s/$/II/' "$WORK/small.fq" > "$WORK/long_qual.fq"
reads_case "FASTQ quality longer than sequence" "$WORK/long_qual.fq" "long_qual.fq:4: FASTQ record '.*': quality length [0-9]+ differs from sequence length [0-9]+"
head -6 "$WORK/small.fq" > "$WORK/no_plus.fq"
reads_case "FASTQ record cut before '+'" "$WORK/no_plus.fq" "no_plus.fq:7: FASTQ record '.*' ends before its '\+' line"
head -7 "$WORK/small.fq" > "$WORK/no_qual.fq"
reads_case "FASTQ record cut before its quality" "$WORK/no_qual.fq" "no_qual.fq:8: FASTQ record '.*' has 0 quality values"
sed '5s/^@/X/' "$WORK/small.fq" > "$WORK/bad_header.fq"
reads_case "FASTQ record without '@'" "$WORK/bad_header.fq" "bad_header.fq:5: expected a FASTQ header"
sed '4s/^./\x7f/' "$WORK/small.fq" > "$WORK/bad_qual.fq"
reads_case "FASTQ quality byte out of range" "$WORK/bad_qual.fq" "bad_qual.fq:4: quality value byte 0x7f"
sed '2s/^\(.\{5\}\)./\1Z/' "$WORK/small.fq" > "$WORK/bad_base.fq"
reads_case "FASTQ with a non-IUPAC base" "$WORK/bad_base.fq" "bad_base.fq:2: unexpected 'Z' in sequence"

# --- BED ---
printf '%s\t0\t100\n%s\t5\n' "$chrom" "$chrom" > "$WORK/two_columns.bed"
bed_case "BED line with 2 columns" "$WORK/two_columns.bed" "two_columns.bed:2: expected at least 3 tab-separated columns"
printf 'track name=x\n%s\tten\t100\n' "$chrom" > "$WORK/text_start.bed"
bed_case "BED start not a number" "$WORK/text_start.bed" "text_start.bed:2: start 'ten' is not a non-negative integer"
printf '# header\n\n%s\t-5\t100\n' "$chrom" > "$WORK/negative.bed"
bed_case "BED negative start" "$WORK/negative.bed" "negative.bed:3: start is negative"
printf '%s\t10\t20\n%s\t500\t100\n' "$chrom" "$chrom" > "$WORK/reversed.bed"
bed_case "BED start after end" "$WORK/reversed.bed" "reversed.bed:2: start 500 is greater than end 100"
printf '%s\t10\t20\tname\t0\tx\n' "$chrom" > "$WORK/strand.bed"
bed_case "BED bad strand" "$WORK/strand.bed" "strand.bed:1: strand \(column 6\) must be"
printf '%s\t10\t2e3\n' "$chrom" > "$WORK/float_end.bed"
bed_case "BED end in scientific notation" "$WORK/float_end.bed" "float_end.bed:1: end '2e3' is not a non-negative integer"
printf '%s\t10\t99999999999999999999999\n' "$chrom" > "$WORK/huge.bed"
bed_case "BED end overflows" "$WORK/huge.bed" "huge.bed:1: end '.*' is too large"
{ printf '%s\t10\t20\n' "$chrom"; printf '%s\t1\0\t20\n' "$chrom"; } > "$WORK/nul.bed"
bed_case "BED with a NUL byte" "$WORK/nul.bed" "nul.bed:2: NUL byte"

# --- BAM ---
size=$(stat -c %s "$TEST_DATA/lambda_aligned.bam")
head -c $((size / 2)) "$TEST_DATA/lambda_aligned.bam" > "$WORK/truncated.bam"
reads_case "truncated BAM" "$WORK/truncated.bam" "truncated.bam: record [0-9]+: truncated or corrupt record"
# A BAM whose header block is damaged: the BGZF container is intact but the BAM magic is not.
printf 'BAX\1garbage' | bgzip -c > "$WORK/bad_magic.bam"
reads_case "BAM with damaged magic (not recognised as BAM)" "$WORK/bad_magic.bam" "bad_magic.bam:1: expected a FASTA header"
samtools view -h "$TEST_DATA/lambda_aligned.bam" | awk 'BEGIN { OFS = "\t" } /^@/ { print; next } NR == 12 { $4 = "notanumber" } { print }' > "$WORK/bad_pos.sam"
reads_case "SAM record with a non-numeric position" "$WORK/bad_pos.sam" "bad_pos.sam: record [0-9]+: truncated or corrupt record"

# --- FASTA genomes (extract, and predict/annotate, which read the genome the same way) ---
genome_case() {  # genome_case NAME FASTA REGEX: extract of good.bed from FASTA
  check_case "$1" extract "$3" --genome "$2" --regions "$WORK/good.bed"
}
cp "$ref" "$WORK/stale.fa"
samtools faidx "$WORK/stale.fa"
sed -i '3s/^\(.\)/\1\1/' "$WORK/stale.fa"  # one base inserted after indexing
genome_case "FASTA edited after indexing (stale .fai)" "$WORK/stale.fa" "stale.fa.fai: the index does not match .*stale.fa .*delete .*stale.fa.fai to rebuild it"
cp "$ref" "$WORK/stale2.fa"
samtools faidx "$WORK/stale2.fa"
head -n -3 "$ref" > "$WORK/stale2.fa"  # records cut short after indexing
genome_case "FASTA shortened after indexing" "$WORK/stale2.fa" "stale2.fa.fai: the index does not match"
cp "$ref" "$WORK/stale3.fa"
samtools faidx "$WORK/stale3.fa"
{ cat "$ref"; echo ">extra"; echo "ACGT"; } > "$WORK/stale3.fa"  # a record added after indexing
genome_case "FASTA grown after indexing" "$WORK/stale3.fa" "stale3.fa.fai: the index does not match .*continues after the last indexed record"
cp "$ref" "$WORK/renamed.fa"
samtools faidx "$WORK/renamed.fa"
sed -i '1s/^>/>x/' "$WORK/renamed.fa"
genome_case "FASTA renamed after indexing" "$WORK/renamed.fa" "renamed.fa.fai: the index does not match"
{ cat "$WORK/small.fa"; cat "$WORK/small.fa"; } > "$WORK/duplicate.fa"
genome_case "FASTA genome with a repeated name" "$WORK/duplicate.fa" "duplicate.fa:5: duplicate sequence name '$chrom' \\(first at line 1\\)"
{ cat "$WORK/small.fa"; echo ">other"; echo "ACGT"; cat "$WORK/small.fa"; } > "$WORK/duplicate2.fa"
samtools faidx "$WORK/duplicate2.fa" 2> /dev/null || true
genome_case "FASTA genome with a repeated name, indexed by samtools" "$WORK/duplicate2.fa" "duplicate2.fa:7: duplicate sequence name '$chrom'"
line3=$(sed -n 3p "$WORK/small.fa")
{ head -2 "$WORK/small.fa"; printf '%s\0%s\n' "${line3:0:10}" "${line3:11}"; tail -n +4 "$WORK/small.fa"; } > "$WORK/nul_seq.fa"
check_case "FASTA genome with a NUL byte in a sequence" extract "nul_seq.fa:3: NUL byte in the sequence of '$chrom'" --genome "$WORK/nul_seq.fa" --regions "$WORK/good.bed"
{ printf '>%s\0x\n' "$chrom"; tail -n +2 "$WORK/small.fa"; } > "$WORK/nul_name.fa"
genome_case "FASTA genome with a NUL byte in a name" "$WORK/nul_name.fa" "nul_name.fa:1: NUL byte in the FASTA header"
out="$WORK/predict_stale.tsv"
n=$((n + 1))
expect_status 1 "predict on a stale .fai" -- "$GENOBIRD" predict --model "$TEST_DATA/infer_model" --genome "$WORK/stale.fa" --regions "$WORK/good.bed" -o "$out"
expect_match "$WORK/err" "^genobird predict: error: .*stale.fa.fai: the index does not match" "predict on a stale .fai: message"
expect_absent "$out" "predict on a stale .fai"
out="$WORK/annotate_dup.bedgraph"
n=$((n + 1))
expect_status 1 "annotate on a repeated name" -- "$GENOBIRD" annotate --model "$TEST_DATA/infer_model" --genome "$WORK/duplicate.fa" -o "$out"
expect_match "$WORK/err" "^genobird annotate: error: .*duplicate.fa:5: duplicate sequence name" "annotate on a repeated name: message"
expect_absent "$out" "annotate on a repeated name"

# --- SAM/BAM/CRAM ---
samtools view -h "$TEST_DATA/lambda_aligned.bam" | awk 'BEGIN { OFS = "\t" } /^@/ { print; next } NR == 10 { $10 = "*"; $11 = "*" } { print }' > "$WORK/no_seq.sam"
reads_case "SAM record with SEQ '*'" "$WORK/no_seq.sam" "no_seq.sam: record [0-9]+ \\('[^']+'\\): no sequence \\(SEQ is '\\*'\\)"
sed '2,$s/A/C/g' "$ref" > "$WORK/wrong_ref.fa"
check_case "CRAM decoded against the wrong reference (MD5 mismatch)" reads "wrong_ref.fa: sequence '$chrom' has MD5 [0-9a-f]+, but .*lambda_aligned.cram was compressed against MD5 [0-9a-f]+ \\(@SQ M5\\): wrong reference" \
  --input "$TEST_DATA/lambda_aligned.cram" --reference "$WORK/wrong_ref.fa"
sed '1s/.*/>other/' "$ref" > "$WORK/other_ref.fa"
check_case "CRAM with a reference that lacks its sequence" reads "other_ref.fa: has no sequence '$chrom', which .*lambda_aligned.cram was compressed against" \
  --input "$TEST_DATA/lambda_aligned.cram" --reference "$WORK/other_ref.fa"
{ head -2 "$ref"; } > "$WORK/short_ref.fa"
check_case "CRAM with a shortened reference" reads "short_ref.fa: sequence '$chrom' has (MD5|[0-9]+ bases)" \
  --input "$TEST_DATA/lambda_aligned.cram" --reference "$WORK/short_ref.fa"

# --- the same malformed sequence files through every command that reads FASTA/FASTQ ---
sequence_files=(no_header.fa:"no_header.fa:1: expected a FASTA header" bad_char.fa:"bad_char.fa:3: unexpected '!' in sequence"
                nul.fa:"nul.fa:3: NUL byte" no_name.fa:"no_name.fa:1: FASTA header without a sequence name"
                truncated.fa.gz:"truncated.fa.gz:[0-9]+: truncated gzip" long_qual.fq:"long_qual.fq:4: FASTQ record"
                no_plus.fq:"no_plus.fq:7: FASTQ record" bad_header.fq:"bad_header.fq:5: expected a FASTQ header"
                bad_qual.fq:"bad_qual.fq:4: quality value byte 0x7f" bad_base.fq:"bad_base.fq:2: unexpected 'Z' in sequence")
for entry in "${sequence_files[@]}"; do
  file="$WORK/${entry%%:*}" regex=${entry#*:}
  check_case "tokenizer encode: ${entry%%:*}" "tokenizer encode" "$regex" --tokenizer "$TEST_DATA/lambda_bpe512.json" --input "$file"
  check_case "tokenizer info: ${entry%%:*}" "tokenizer info" "$regex" --tokenizer "$TEST_DATA/lambda_bpe512.json" --input "$file"
  check_case "tokenizer train: ${entry%%:*}" "tokenizer train" "$regex" --vocab-size 64 --input "$file"
  case $file in
    *.fa|*.fa.gz) check_case "predict --fasta: ${entry%%:*}" predict "$regex" --model "$TEST_DATA/infer_model" --fasta "$file" ;;
  esac
done

[ "$n" -ge 70 ] && pass || fail "the catalogue has $n cases, fewer than 70"
echo "$n cases"
finish
