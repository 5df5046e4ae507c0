#!/usr/bin/env bash
# `genobird extract` against `bedtools getfasta` on the real lambda genome: random regions on both strands,
# with names, BED3 and BED6+, soft-masked (lowercase) bases, bgzip genome, .gz output; plus a negative
# control showing the comparison can fail.
source "$(dirname "$0")/lib.sh"
command -v bedtools > /dev/null || { echo "bedtools is required (tools/install-deps.sh installs it)" >&2; exit 1; }

# A copy of the genome with a soft-masked stretch, so case handling is compared too.
awk 'NR == 1 { print; next } NR >= 20 && NR <= 40 { print tolower($0); next } { print }' \
  "$TEST_DATA/lambda_virus.fa" > "$WORK/genome.fa"
chrom=$(head -1 "$WORK/genome.fa" | cut -c2- | cut -d' ' -f1)
length=$(grep -v '>' "$WORK/genome.fa" | tr -d '\n' | wc -c)

awk -v c="$chrom" -v L="$length" 'BEGIN {
    srand(11)
    for (i = 0; i < 2000; i++) {
      s = int(rand() * (L - 1)); e = s + 1 + int(rand() * 3000); if (e > L) e = L
      printf "%s\t%d\t%d\tregion%d\t%d\t%s\textra%d\n", c, s, e, i, i % 1000, (rand() < 0.5 ? "+" : "-"), i
    }
    printf "%s\t0\t%d\twhole\t0\t+\tx\n", c, L
    printf "%s\t%d\t%d\tlast\t0\t-\tx\n", c, L - 1, L
  }' > "$WORK/regions.bed"
cut -f1-3 "$WORK/regions.bed" > "$WORK/regions3.bed"

for bed in regions regions3; do
  for mode in "" "--strand" "--name" "--strand --name"; do
    theirs_flags=$(echo "$mode" | sed 's/--strand/-s/; s/--name/-name/')
    bedtools getfasta -fi "$WORK/genome.fa" -bed "$WORK/$bed.bed" $theirs_flags > "$WORK/theirs.fa" 2> /dev/null
    expect_status 0 "extract $bed $mode" -- "$GENOBIRD" extract --genome "$WORK/genome.fa" --regions "$WORK/$bed.bed" $mode
    expect_same "$WORK/out" "$WORK/theirs.fa" "extract $bed $mode equals bedtools getfasta $theirs_flags"
  done
done

# Negative control: without --strand the output must differ from bedtools -s (minus-strand regions exist).
bedtools getfasta -fi "$WORK/genome.fa" -bed "$WORK/regions.bed" -s > "$WORK/theirs_s.fa" 2> /dev/null
"$GENOBIRD" extract --genome "$WORK/genome.fa" --regions "$WORK/regions.bed" > "$WORK/ours_plain.fa" 2> /dev/null
expect_differ "$WORK/ours_plain.fa" "$WORK/theirs_s.fa" "negative control: unstranded output differs from bedtools -s"

# Regions bedtools skips (empty, past the end, unknown sequence) are skipped with a warning, as bedtools does.
printf '%s\t5\t5\n%s\t10\t%d\nchrUnknown\t0\t10\n%s\t0\t10\n' "$chrom" "$chrom" $((length + 5)) "$chrom" > "$WORK/odd.bed"
bedtools getfasta -fi "$WORK/genome.fa" -bed "$WORK/odd.bed" > "$WORK/theirs_odd.fa" 2> /dev/null || true
expect_status 0 "skipped regions" -- "$GENOBIRD" extract --genome "$WORK/genome.fa" --regions "$WORK/odd.bed"
expect_same "$WORK/out" "$WORK/theirs_odd.fa" "skipped regions match bedtools"
expect_match "$WORK/err" 'odd\.bed:3: .*chrUnknown.* not in the genome' "unknown sequence warning names file and line"

# bgzip genome (indexes built on first use), BED on stdin, bgzip output.
bgzip -c "$WORK/genome.fa" > "$WORK/genome.fa.gz"
expect_status 0 "bgzip genome, stdin BED, .gz output" -- \
  sh -c "\"$GENOBIRD\" extract --genome \"$WORK/genome.fa.gz\" --regions - --strand -o \"$WORK/out.fa.gz\" < \"$WORK/regions.bed\""
bedtools getfasta -fi "$WORK/genome.fa" -bed "$WORK/regions.bed" -s > "$WORK/theirs.fa" 2> /dev/null
zcat "$WORK/out.fa.gz" > "$WORK/ours_gz.fa"
expect_same "$WORK/ours_gz.fa" "$WORK/theirs.fa" "bgzip genome + .gz output"
[ -s "$WORK/genome.fa.gz.gzi" ] && pass || fail ".gzi index built for the bgzip genome"

# A plain-gzip genome cannot be indexed: a clear error that says what to do.
gzip -c "$WORK/genome.fa" > "$WORK/plain.fa.gz"
expect_status 1 "plain gzip genome" -- "$GENOBIRD" extract --genome "$WORK/plain.fa.gz" --regions "$WORK/regions.bed"
expect_match "$WORK/err" 'plain.fa.gz: .*bgzip' "plain gzip error suggests bgzip"

finish
