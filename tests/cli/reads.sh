#!/usr/bin/env bash
# `genobird reads` against `samtools fasta -n -F 0x900` on real lambda reads: unaligned BAM, aligned BAM
# with secondary/supplementary records, SAM, CRAM; FASTQ input; region and MAPQ filters against samtools view.
source "$(dirname "$0")/lib.sh"
command -v samtools > /dev/null || { echo "samtools is required (tools/install-deps.sh installs it)" >&2; exit 1; }
ref="$TEST_DATA/lambda_virus.fa"

samtools view -h "$TEST_DATA/lambda_aligned.bam" > "$WORK/aligned.sam"
for input in "$TEST_DATA/lambda_reads.bam" "$TEST_DATA/lambda_aligned.bam" "$WORK/aligned.sam"; do
  samtools fasta -n -F 0x900 "$input" > "$WORK/theirs.fa" 2> /dev/null
  expect_status 0 "reads $(basename "$input")" -- "$GENOBIRD" reads --input "$input"
  expect_same "$WORK/out" "$WORK/theirs.fa" "reads $(basename "$input") equals samtools fasta -n -F 0x900"
done

samtools fasta -n -F 0x900 --reference "$ref" "$TEST_DATA/lambda_aligned.cram" > "$WORK/theirs.fa" 2> /dev/null
expect_status 0 "reads CRAM" -- "$GENOBIRD" reads --input "$TEST_DATA/lambda_aligned.cram" --reference "$ref"
expect_same "$WORK/out" "$WORK/theirs.fa" "reads CRAM equals samtools fasta"

# Negative control: samtools without -n appends /1 and /2 to paired names, so the comparison must fail.
samtools fasta -F 0x900 "$TEST_DATA/lambda_aligned.bam" > "$WORK/theirs_suffixed.fa" 2> /dev/null
expect_status 0 "reads aligned BAM" -- "$GENOBIRD" reads --input "$TEST_DATA/lambda_aligned.bam"
expect_differ "$WORK/out" "$WORK/theirs_suffixed.fa" "negative control: output differs from samtools fasta without -n"

# Reverse-strand reads come back in sequencing orientation: the reverse complement of their mapped form.
samtools view -f 16 -F 0x900 "$TEST_DATA/lambda_aligned.bam" | awk -F '\t' 'NR == 1 { print $1 "\t" $10 }' > "$WORK/rev"
rev_name=$(cut -f1 "$WORK/rev")
rev_mapped=$(cut -f2 "$WORK/rev")
rev_original=$(echo "$rev_mapped" | rev | tr ACGTN TGCAN)
"$GENOBIRD" reads --input "$TEST_DATA/lambda_aligned.bam" -q | grep -A1 -x ">$rev_name" | grep -v '>' > "$WORK/rev_out"
grep -qx "$rev_original" "$WORK/rev_out" && pass || fail "reverse-strand read $rev_name is reverse-complemented back"

# Region and MAPQ filters select what samtools view selects.
region='gi|9626243|ref|NC_001416.1|:10000-20000'
want=$(samtools view -c -F 0x900 -q 30 "$TEST_DATA/lambda_aligned.bam" "$region")
expect_status 0 "region + mapq" -- "$GENOBIRD" reads --input "$TEST_DATA/lambda_aligned.bam" --region "$region" --min-mapq 30
got=$(grep -c '^>' "$WORK/out" || true)
[ "$got" -eq "$want" ] && [ "$want" -gt 0 ] && pass || fail "region + mapq: $got reads, samtools view counts $want"
expect_status 1 "unknown region" -- "$GENOBIRD" reads --input "$TEST_DATA/lambda_aligned.bam" --region chrNope:1-10
expect_match "$WORK/err" "chrNope" "unknown region is named"

# FASTQ (gzip) input: the same names and sequences as samtools fastq of the BAM.
samtools fastq -n "$TEST_DATA/lambda_reads.bam" 2> /dev/null | gzip > "$WORK/reads.fq.gz"
samtools fasta -n "$TEST_DATA/lambda_reads.bam" > "$WORK/theirs.fa" 2> /dev/null
expect_status 0 "reads FASTQ.gz" -- "$GENOBIRD" reads --input "$WORK/reads.fq.gz"
expect_same "$WORK/out" "$WORK/theirs.fa" "FASTQ input gives the same FASTA"
expect_status 0 "reads FASTQ on stdin" -- sh -c "\"$GENOBIRD\" reads --input - < \"$WORK/reads.fq.gz\""
expect_same "$WORK/out" "$WORK/theirs.fa" "FASTQ on stdin"

finish
