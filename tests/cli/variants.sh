#!/usr/bin/env bash
# `genobird variants` and `genobird mutagenesis` on 12 kb of human chr22 (hisat2's example, tests/data) with
# its dbSNP variants and hand-made records (multi-allelic, indels, symbolic alleles, chromosome ends), scored
# with the fixture model (window 200 bp). Differential: every ref/alt probability equals `predict --fasta` on
# the windows tools/bench/variants/naive_fasta.py cuts independently. Also: REF mismatch (error or
# --skip-invalid), unknown chromosome, VCF/BCF output read back by bcftools and by genobird (htslib), INFO
# header, --region with and without an index, shards gathered == unsharded, and mutagenesis == variants.
source "$(dirname "$0")/lib.sh"
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
NAIVE="$ROOT/tools/bench/variants/naive_fasta.py"
MODEL="$TEST_DATA/infer_model"
GENOME="$WORK/frag.fa"
VCF="$WORK/variants.vcf"
cp "$TEST_DATA/hg19_22_20M_12kb.fa" "$GENOME"
cp "$TEST_DATA/hg19_22_20M_12kb.vcf" "$VCF"
V=("$GENOBIRD" variants --model "$MODEL" --genome "$GENOME")

# --- TSV output, and the log's counts ---------------------------------------------------------------
expect_status 0 "variants TSV" -- "${V[@]}" --vcf "$VCF" -o "$WORK/v.tsv"
cp "$WORK/err" "$WORK/v.log"
expect_match "$WORK/v.tsv" $'^chrom\tpos\tid\tref\talt\tpromoter.promoter_ref\tpromoter.promoter_alt\tpromoter.promoter_diff\tpromoter.promoter_log_odds\tchromatin.dnase_ref\t.*\tchromatin.h3k4me3_log_odds\tpadded_bp\trecord$' "TSV header"
# 61 records: 53 dbSNP + 8 hand-made; 64 ALT alleles of which 3 symbolic (<DEL>, <DUP>, a breakend).
rows=$(tail -n +2 "$WORK/v.tsv" | wc -l)
[ "$rows" -eq 61 ] && pass || fail "expected 61 scored ALT rows, got $rows"
expect_match "$WORK/v.log" 'skipped 3 symbolic or structural ALT alleles' "symbolic alleles skipped and counted"
# The reference window of a site is scored once: 59 records with a scorable ALT + 61 ALT windows.
expect_match "$WORK/v.log" 'scored 61 ALT alleles of 59 records \(61 read; 120 windows\)' "one reference window per site"
# Multi-allelic: three rows, one reference probability.
multi=$(awk -F'\t' '$3 == "multi_allelic"' "$WORK/v.tsv" | wc -l)
[ "$multi" -eq 3 ] && pass || fail "multi_allelic: expected 3 rows, got $multi"
refs=$(awk -F'\t' '$3 == "multi_allelic" { print $6 }' "$WORK/v.tsv" | sort -u | wc -l)
[ "$refs" -eq 1 ] && pass || fail "multi_allelic: the 3 ALTs do not share one reference probability"
expect_match "$WORK/v.tsv" $'\tsnv_and_symbolic\t[ACGT]\t[ACGT]\t' "the SNV of a record with a symbolic ALT is scored"
# The same site split into one record per ALT (bcftools norm -m-): same rows, still one reference window.
bcftools norm -m- -o "$WORK/split.vcf" "$VCF" 2> /dev/null
expect_status 0 "variants on split records" -- "${V[@]}" --vcf "$WORK/split.vcf" -o "$WORK/split.tsv"
expect_match "$WORK/err" 'scored 61 ALT alleles of 61 records \(64 read; 120 windows\)' "split multi-allelic records share the reference window"
cut -f1-22 "$WORK/split.tsv" > "$WORK/split_rows"
cut -f1-22 "$WORK/v.tsv" > "$WORK/v_rows"
expect_same "$WORK/split_rows" "$WORK/v_rows" "split records score as the multi-allelic record"
# Chromosome ends follow predict: N padding counted (window 200: POS 2 -> 99 N; POS 11999 -> 98 N).
expect_match "$WORK/v.tsv" $'\tnear_start\t.*\t99\t[0-9]+$' "left end padded with N"
expect_match "$WORK/v.tsv" $'\tnear_end\t.*\t98\t[0-9]+$' "right end padded with N"
# Differences and log odds follow from the probabilities (up to their 4 written decimals).
awk -F'\t' 'NR > 1 { d = $7 - $6 - $8; if (d > 1e-4 || d < -1e-4) bad++
  r = $6 < 1e-6 ? 1e-6 : ($6 > 1 - 1e-6 ? 1 - 1e-6 : $6); a = $7 < 1e-6 ? 1e-6 : ($7 > 1 - 1e-6 ? 1 - 1e-6 : $7)
  if ($6 > 0.01 && $6 < 0.99 && $7 > 0.01 && $7 < 0.99) { l = log(a / (1 - a)) - log(r / (1 - r)) - $9; if (l > 0.02 || l < -0.02) bad++ } }
  END { exit bad > 0 }' "$WORK/v.tsv" && pass || fail "diff or log_odds do not follow from ref and alt"

# --- differential test against predict --fasta on independently edited windows --------------------------
differential() {  # $1: label, rest: extra options for both
  local label=$1
  shift
  python3 "$NAIVE" "$GENOME" "$VCF" 200 "$WORK/ref.fa" "$WORK/alt.fa"
  expect_status 0 "variants $label" -- "${V[@]}" --vcf "$VCF" "$@" -o "$WORK/d.tsv"
  expect_status 0 "predict ref $label" -- "$GENOBIRD" predict --model "$MODEL" --fasta "$WORK/ref.fa" "$@" -o "$WORK/ref.tsv"
  expect_status 0 "predict alt $label" -- "$GENOBIRD" predict --model "$MODEL" --fasta "$WORK/alt.fa" "$@" -o "$WORK/alt.tsv"
  # predict columns 2-5 (4 outputs); variants: ref at 6, 10, 14, 18 and alt at 7, 11, 15, 19.
  paste <(tail -n +2 "$WORK/ref.tsv" | cut -f2-5) <(tail -n +2 "$WORK/alt.tsv" | cut -f2-5) > "$WORK/naive.txt"
  tail -n +2 "$WORK/d.tsv" | cut -f6,10,14,18,7,11,15,19 |
    awk -F'\t' -v OFS='\t' '{ print $1, $3, $5, $7, $2, $4, $6, $8 }' > "$WORK/ours.txt"
  [ "$(wc -l < "$WORK/naive.txt")" -eq 61 ] && pass || fail "$label: the naive way wrote $(wc -l < "$WORK/naive.txt") pairs, expected 61"
  expect_same "$WORK/ours.txt" "$WORK/naive.txt" "$label: variants' ref/alt probabilities equal predict --fasta on edited windows"
}
differential "forward"
differential "--rc mean" --rc mean
# Negative control: the alternate windows do change some probability.
changed=$(awk -F'\t' 'NR > 1 && $6 != $7' "$WORK/v.tsv" | wc -l)
[ "$changed" -gt 0 ] && pass || fail "no ALT changed any probability (the alt windows may not be edited)"
# Indels keep the window length: their alt windows are 200 bp like every other.
python3 "$NAIVE" "$GENOME" "$VCF" 200 "$WORK/ref.fa" "$WORK/alt.fa"
awk '!/^>/ && length($0) != 200' "$WORK/alt.fa" | grep -q . && fail "an alt window is not 200 bp" || pass
expect_match "$WORK/v.tsv" $'\tdel_30bp\t' "30 bp deletion scored"
expect_match "$WORK/v.tsv" $'\tins_25bp\t' "25 bp insertion scored"

# --- REF mismatch and unknown chromosome -------------------------------------------------------------
BAD="$TEST_DATA/hg19_22_20M_12kb_ref_mismatch.vcf"
expect_status 1 "REF mismatch" -- "${V[@]}" --vcf "$BAD" -o "$WORK/bad.tsv"
expect_match "$WORK/err" "genobird variants: error: .*hg19_22_20M_12kb_ref_mismatch.vcf:5: REF A does not match the genome at 22_20-21M:3000" "REF mismatch names file and line"
expect_absent "$WORK/bad.tsv" "no output after a REF mismatch"
expect_status 0 "REF mismatch --skip-invalid" -- "${V[@]}" --vcf "$BAD" --skip-invalid -o "$WORK/skip.tsv"
expect_match "$WORK/err" 'line 5: REF A does not match.*record skipped' "--skip-invalid warns with the line"
rows=$(tail -n +2 "$WORK/skip.tsv" | wc -l)
[ "$rows" -eq 2 ] && pass || fail "--skip-invalid: expected 2 rows, got $rows"
sed 's/^22_20-21M\t3059/chrUn\t3059/' "$BAD" | grep -v wrong_ref > "$WORK/unknown.vcf"
expect_status 1 "unknown chromosome" -- "${V[@]}" --vcf "$WORK/unknown.vcf" -o "$WORK/u.tsv"
expect_match "$WORK/err" 'unknown.vcf:5: chromosome "chrUn" is not in the genome' "unknown chromosome names file and line"

# A malformed record, and a file that is not a VCF at all.
awk -v OFS='\t' '!/^#/ && ++n == 3 { print $1, $2, $3; next } { print }' "$VCF" > "$WORK/malformed.vcf"
expect_status 1 "record cut short" -- "${V[@]}" --vcf "$WORK/malformed.vcf" -o "$WORK/m.tsv"
expect_match "$WORK/err" 'genobird variants: error: .*malformed.vcf:8: has 3 tab-separated columns, a VCF record needs at least 8' "short record names file and line"
expect_absent "$WORK/m.tsv" "no output after a malformed record"
expect_status 1 "FASTA given as VCF" -- "${V[@]}" --vcf "$GENOME" -o "$WORK/m.tsv"
expect_match "$WORK/err" 'is not a VCF or BCF file' "a non-VCF input is named as such"

# --- VCF / BCF output ---------------------------------------------------------------------------------
for out in out.vcf out.vcf.gz out.bcf; do
  expect_status 0 "variants -o $out" -- "${V[@]}" --vcf "$VCF" -o "$WORK/$out"
  expect_status 0 "bcftools view $out" -- bcftools view "$WORK/$out"
  n=$(grep -vc '^#' "$WORK/out" || true)
  [ "$n" -eq 61 ] && pass || fail "$out: bcftools read $n records, expected all 61"
  expect_match "$WORK/out" '^##INFO=<ID=GB_promoter_promoter_ALT,Number=A,Type=Float,Description=' "$out: INFO header declared"
  expect_match "$WORK/out" '^##INFO=<ID=GB_chromatin_h3k4me3_LOR,Number=A,Type=Float' "$out: INFO header for every label"
done
touch "$WORK/plain_file"
[ "$(stat -c %a "$WORK/out.vcf.gz")" = "$(stat -c %a "$WORK/plain_file")" ] && pass || fail "VCF output has mode $(stat -c %a "$WORK/out.vcf.gz"), not a plain file's"
expect_status 0 "bcftools index -t" -- bcftools index -t "$WORK/out.vcf.gz"
expect_status 0 "tabix query" -- bcftools view -H -r 22_20-21M:4990-5010 "$WORK/out.vcf.gz"
expect_match "$WORK/out" 'multi_allelic.*GB_promoter_promoter_ALT=[0-9.e-]+,[0-9.e-]+,[0-9.e-]+;' "multi-allelic: one value per ALT"
expect_status 0 "symbolic record" -- bcftools view -H -i 'ID="snv_and_symbolic"' "$WORK/out.vcf.gz"
expect_match "$WORK/out" 'GB_promoter_promoter_ALT=[0-9.e-]+,\.;' "symbolic ALT has a missing value"
# Values agree with the TSV (the VCF keeps floats, the TSV 4 decimals).
bcftools query -f '%ID\t%ALT\t%INFO/GB_chromatin_ctcf_REF\t%INFO/GB_chromatin_ctcf_ALT\n' -i 'ID!="symbolic_del" && ID!="breakend"' "$WORK/out.bcf" |
  awk -F'\t' -v OFS='\t' '{ n = split($2, alt, ","); split($4, v, ","); for (i = 1; i <= n; i++) if (v[i] != ".") printf "%s\t%s\t%.4f\t%.4f\n", $1, alt[i], $3, v[i] }' > "$WORK/vcf_vals"
tail -n +2 "$WORK/v.tsv" | awk -F'\t' -v OFS='\t' '{ print $3, $5, $14, $15 }' > "$WORK/tsv_vals"
expect_same "$WORK/vcf_vals" "$WORK/tsv_vals" "VCF INFO values equal the TSV's"
# genobird reads its own output back through htslib: same scores.
expect_status 0 "variants on its own VCF output" -- "${V[@]}" --vcf "$WORK/out.vcf.gz" -o "$WORK/again.tsv"
expect_same "$WORK/again.tsv" "$WORK/v.tsv" "annotated VCF read back by htslib gives the same rows"
expect_status 0 "BCF input" -- "${V[@]}" --vcf "$WORK/out.bcf" -o "$WORK/bcf_in.tsv"
expect_same "$WORK/bcf_in.tsv" "$WORK/v.tsv" "BCF input gives the same rows"
expect_status 0 "stdin VCF" -- bash -c "\"\$@\" --vcf - < \"$VCF\"" _ "${V[@]}"
tail -n +2 "$WORK/out" > "$WORK/stdin_rows"
tail -n +2 "$WORK/v.tsv" > "$WORK/file_rows"
expect_same "$WORK/stdin_rows" "$WORK/file_rows" "VCF on stdin, TSV to stdout"

# --- --region ---------------------------------------------------------------------------------------------
bgzip -c "$VCF" > "$WORK/idx.vcf.gz"
expect_status 1 "--region without index" -- "${V[@]}" --vcf "$WORK/idx.vcf.gz" --region 22_20-21M:4000-7000 -o "$WORK/r.tsv"
expect_match "$WORK/err" 'needs an index' "--region without an index says so"
tabix -p vcf "$WORK/idx.vcf.gz"
expect_status 0 "--region" -- "${V[@]}" --vcf "$WORK/idx.vcf.gz" --region 22_20-21M:4000-7000 -o "$WORK/r.tsv"
awk -F'\t' 'NR > 1 && $2 >= 4000 && $2 <= 7000' "$WORK/v.tsv" | cut -f1-21 > "$WORK/r_expected"
tail -n +2 "$WORK/r.tsv" | cut -f1-21 > "$WORK/r_got"
[ -s "$WORK/r_got" ] && pass || fail "--region gave no rows"
expect_same "$WORK/r_got" "$WORK/r_expected" "--region rows equal the whole file's rows in the region"
bcftools view -Ob -o "$WORK/idx.bcf" "$VCF" && bcftools index "$WORK/idx.bcf"
expect_status 0 "--region on BCF" -- "${V[@]}" --vcf "$WORK/idx.bcf" --region 22_20-21M:4000-7000 -o "$WORK/rb.tsv"
tail -n +2 "$WORK/rb.tsv" | cut -f1-21 > "$WORK/rb_got"
expect_same "$WORK/rb_got" "$WORK/r_expected" "--region on an indexed BCF"

# --- shards gathered by the record column == unsharded -------------------------------------------------
for i in 0 1 2; do
  expect_status 0 "shard $i/3" -- "${V[@]}" --vcf "$VCF" --shard $i/3 -o "$WORK/shard$i.tsv"
done
{ head -1 "$WORK/shard0.tsv"; tail -q -n +2 "$WORK/shard0.tsv" "$WORK/shard1.tsv" "$WORK/shard2.tsv" | sort -t $'\t' -k 23,23n -s; } > "$WORK/gathered.tsv"
expect_same "$WORK/gathered.tsv" "$WORK/v.tsv" "3 shards gathered by record equal the unsharded run"
expect_status 2 "bad --shard" -- "${V[@]}" --vcf "$VCF" --shard 3/3

# --- mutagenesis == variants on the same SNVs ---------------------------------------------------------
expect_status 0 "mutagenesis" -- "$GENOBIRD" mutagenesis --model "$MODEL" --genome "$GENOME" --region 22_20-21M:4991-5010 --head dnase --plot "$WORK/m.svg" -o "$WORK/m.tsv"
rows=$(tail -n +2 "$WORK/m.tsv" | wc -l)
[ "$rows" -eq 60 ] && pass || fail "mutagenesis of 20 bp: expected 60 rows, got $rows"
expect_match "$WORK/m.tsv" $'^chrom\tpos\tref\talt\tpromoter.promoter_ref\t' "mutagenesis header"
# Every substitution as a VCF record, scored by variants: the same numbers.
{ printf '##fileformat=VCFv4.2\n##contig=<ID=22_20-21M,length=12000>\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n'
  tail -n +2 "$WORK/m.tsv" | awk -F'\t' -v OFS='\t' '{ print $1, $2, ".", $3, $4, ".", ".", "." }'; } > "$WORK/snvs.vcf"
expect_status 0 "variants on the substitutions" -- "${V[@]}" --vcf "$WORK/snvs.vcf" -o "$WORK/snvs.tsv"
tail -n +2 "$WORK/snvs.tsv" | cut -f1,2,4-21 > "$WORK/snv_rows"
tail -n +2 "$WORK/m.tsv" > "$WORK/m_rows"
expect_same "$WORK/m_rows" "$WORK/snv_rows" "mutagenesis rows equal variants rows"
# The heat map: 20 positions x 4 bases, the plotted label named, letters scaled.
cells=$(grep -c '<rect x=.* height="14.00" fill=' "$WORK/m.svg" || true)
[ "$cells" -eq 80 ] && pass || fail "heat map: expected 80 cells, got $cells"
expect_match "$WORK/m.svg" 'chromatin.dnase \(saturation mutagenesis\)' "plot titled with the label"
expect_match "$WORK/m.svg" '</svg>' "SVG complete"
# --fasta: one record mutated whole.
samtools faidx "$GENOME" 22_20-21M:4991-5010 > "$WORK/one.fa"
expect_status 0 "mutagenesis --fasta" -- "$GENOBIRD" mutagenesis --model "$MODEL" --fasta "$WORK/one.fa" -o "$WORK/mf.tsv"
rows=$(tail -n +2 "$WORK/mf.tsv" | wc -l)
[ "$rows" -eq 60 ] && pass || fail "mutagenesis --fasta: expected 60 rows, got $rows"
expect_status 2 "mutagenesis without region" -- "$GENOBIRD" mutagenesis --model "$MODEL" --genome "$GENOME"
expect_status 2 "mutagenesis bad region" -- "$GENOBIRD" mutagenesis --model "$MODEL" --genome "$GENOME" --region 22_20-21M:50-10

finish
