#!/usr/bin/env bash
# `genobird annotate` on the real lambda genome with the fixture model (window 200 bp): the bedGraph tiles
# the genome, agrees with predict on the same windows, .gz output is bgzip + tabix, peaks follow the
# threshold, chromatin heads give a labelled TSV, BED regions, thread counts, and the SVG plots.
source "$(dirname "$0")/lib.sh"
MODEL="$TEST_DATA/infer_model"
GENOME="$WORK/lambda.fa"
cp "$TEST_DATA/lambda_virus.fa" "$GENOME"
chrom=$(head -1 "$GENOME" | cut -c2- | cut -d' ' -f1)
length=$(grep -v '>' "$GENOME" | tr -d '\n' | wc -c)

expect_status 0 "annotate genome" -- "$GENOBIRD" annotate --model "$MODEL" --genome "$GENOME" --step 100 -o "$WORK/a.bedgraph" --plot "$WORK/track.svg"
expect_match "$WORK/err" "annotate.*bp/s" "progress and summary report bp/s"
expect_match "$WORK/err" "^genobird annotate: done, [0-9.]+ kbp, " "the progress line names the command once"
expect_match "$WORK/err" "^genobird annotate: annotated 1 sequence, " "one sequence is singular"
grep -q "annotate: annotate:" "$WORK/err" && fail "the command is named twice: $(grep "annotate: annotate:" "$WORK/err")" || pass
# Bins tile the genome: contiguous, 100 bp (the last shorter), 4 columns.
awk -F'\t' -v c="$chrom" -v L="$length" '
  NF != 4 || $1 != c || $2 != expect || ($3 - $2 != 100 && $3 != L) { bad++ } { expect = $3 }
  END { exit (bad > 0 || expect != L) }' "$WORK/a.bedgraph" && pass || fail "bedGraph bins do not tile the genome in 100-bp steps"
bins=$(wc -l < "$WORK/a.bedgraph")
[ "$bins" -eq $(( (length + 99) / 100 )) ] && pass || fail "expected $(( (length + 99) / 100 )) bins, got $bins"

# Each bin's value is predict's score of the window centred on the bin, moved inside the genome at its ends
# (the fixture's window is 200 bp): predict scores each such window given as a region of exactly that width.
awk -F'\t' -v OFS='\t' -v L="$length" 'NR % 37 == 1 { c = int(($2 + $3) / 2); s = c - 100; if (s < 0) s = 0;
  if (s + 200 > L) s = L - 200; print $1, s, s + 200 }
  END { c = int(($2 + $3) / 2); s = c - 100; if (s + 200 > L) s = L - 200; print $1, s, s + 200 }' "$WORK/a.bedgraph" > "$WORK/sample.bed"
"$GENOBIRD" predict --model "$MODEL" --genome "$GENOME" --regions "$WORK/sample.bed" -o "$WORK/sample.tsv" 2> /dev/null
paste <(awk -F'\t' 'NR % 37 == 1 { print $4 } END { print $4 }' "$WORK/a.bedgraph") <(tail -n +2 "$WORK/sample.tsv" | cut -f4) \
  | awk '{ d = $1 - $2; if (d < 0) d = -d; if (d > 0.00015) bad++ } END { exit bad > 0 }' \
  && pass || fail "annotate values differ from predict on the same windows"
# Control: the first bin's window centred without the shift runs off the start (N-padded) and scores otherwise.
head -n 1 "$WORK/a.bedgraph" | cut -f1-3 > "$WORK/first.bed"
"$GENOBIRD" predict --model "$MODEL" --genome "$GENOME" --regions "$WORK/first.bed" -o "$WORK/first.tsv" 2> /dev/null
[ "$(tail -n 1 "$WORK/first.tsv" | cut -f4)" != "$(head -n 1 "$WORK/a.bedgraph" | cut -f4)" ] && pass \
  || fail "the first bin scores the same with and without N padding: the check above proves nothing"

# Peaks: exactly the merged runs of bins >= threshold (the random fixture's 80th percentile, so peaks exist).
threshold=$(cut -f4 "$WORK/a.bedgraph" | sort -g | awk '{ v[NR] = $1 } END { print v[int(NR * 0.8)] }')
expect_status 0 "annotate --peaks" -- "$GENOBIRD" annotate --model "$MODEL" --genome "$GENOME" --step 100 -o "$WORK/a2.bedgraph" --peaks "$WORK/peaks.bed" --threshold "$threshold"
awk -F'\t' -v OFS='\t' -v t="$threshold" '$4 >= t + 0 { if (open && $2 == e) { e = $3 } else { if (open) print c, s, e; c = $1; s = $2; e = $3; open = 1 } }
  $4 < t + 0 { if (open) print c, s, e; open = 0 } END { if (open) print c, s, e }' "$WORK/a.bedgraph" > "$WORK/want_peaks.bed"
cut -f1-3 "$WORK/peaks.bed" > "$WORK/got_peaks.bed"
expect_same "$WORK/got_peaks.bed" "$WORK/want_peaks.bed" "peaks are the merged runs of bins above the threshold"
[ -s "$WORK/peaks.bed" ] && pass || fail "no peak at threshold $threshold: the check above proves nothing"
expect_match "$WORK/track.svg" "<polyline" "track plot has a line"
expect_match "$WORK/track.svg" "$chrom" "track plot names the sequence"

# Threads do not change the track.
expect_status 0 "annotate -t 1" -- "$GENOBIRD" annotate --model "$MODEL" --genome "$GENOME" --step 100 -t 1 -o "$WORK/a1.bedgraph"
expect_same "$WORK/a1.bedgraph" "$WORK/a.bedgraph" "-t 1 equals the default"

# .gz: bgzip with a tabix index that answers region queries.
expect_status 0 "annotate .gz" -- "$GENOBIRD" annotate --model "$MODEL" --genome "$GENOME" --step 100 -o "$WORK/a.bedgraph.gz"
[ -s "$WORK/a.bedgraph.gz.tbi" ] && pass || fail "no tabix index"
gzip -cd "$WORK/a.bedgraph.gz" > "$WORK/a_gz.bedgraph"
expect_same "$WORK/a_gz.bedgraph" "$WORK/a.bedgraph" ".gz content equals plain output"
tabix "$WORK/a.bedgraph.gz" "$chrom:1001-1200" > "$WORK/q.bedgraph"
awk -F'\t' '$2 >= 900 && $3 <= 1300 && $3 > 1000 && $2 < 1200' "$WORK/a.bedgraph" > "$WORK/want_q.bedgraph"
expect_same "$WORK/q.bedgraph" "$WORK/want_q.bedgraph" "tabix query returns the bins of the region"

# Chromatin head: TSV with one labelled column per profile.
expect_status 0 "annotate chromatin" -- "$GENOBIRD" annotate --model "$MODEL" --genome "$GENOME" --head chromatin --step 1000 -o "$WORK/c.tsv"
expect_match "$WORK/c.tsv" $'^#chrom\tstart\tend\tdnase\tctcf\th3k4me3$' "chromatin header"
awk -F'\t' 'NR > 1 && NF != 6 { bad++ } END { exit bad > 0 }' "$WORK/c.tsv" && pass || fail "chromatin rows need 6 columns"
expect_status 2 "unknown head" -- "$GENOBIRD" annotate --model "$MODEL" --genome "$GENOME" --head nope
expect_match "$WORK/err" "no such classification head" "unknown head explained"

# BED regions: only their bins, in BED order; an unknown chromosome is an error with file and line.
printf '%s\t5000\t5250\n%s\t100\t300\n' "$chrom" "$chrom" > "$WORK/r.bed"
expect_status 0 "annotate regions" -- "$GENOBIRD" annotate --model "$MODEL" --genome "$GENOME" --regions "$WORK/r.bed" --step 100 -o "$WORK/r.bedgraph" \
  --plot "$WORK/r.svg"
expect_match "$WORK/err" "^genobird annotate: annotated 2 regions, 5 bins, " "the summary counts regions"
expect_match "$WORK/r.svg" " probability along 2 regions<" "the plot title calls BED regions regions"
printf '%s\n' "5000 5100" "5100 5200" "5200 5250" "100 200" "200 300" > "$WORK/want_r.txt"
cut -f2,3 "$WORK/r.bedgraph" | tr '\t' ' ' > "$WORK/got_r.txt"
expect_same "$WORK/got_r.txt" "$WORK/want_r.txt" "region bins"
printf 'chrX\t1\t10\n' >> "$WORK/r.bed"
expect_status 1 "annotate unknown chromosome" -- "$GENOBIRD" annotate --model "$MODEL" --genome "$GENOME" --regions "$WORK/r.bed" -o "$WORK/bad.bedgraph"
expect_match "$WORK/err" "r.bed:3: .*chrX" "error names file and line"
expect_absent "$WORK/bad.bedgraph" "no output after an error"

# Metaplot: equal-length records give the mean signal by position.
awk -v L=1000 'NR > 1 { seq = seq $0 } END { for (i = 0; i < 6; i++) printf ">rec%d\n%s\n", i, substr(seq, 1 + i * 5000, L) }' "$GENOME" > "$WORK/recs.fa"
expect_status 0 "annotate metaplot" -- "$GENOBIRD" annotate --model "$MODEL" --genome "$WORK/recs.fa" --step 50 -o "$WORK/m.bedgraph" --plot "$WORK/meta.svg"
expect_match "$WORK/meta.svg" "metaplot" "equal-length records give a metaplot"
expect_match "$WORK/meta.svg" "mean over 6 sequences of 1000 bp" "metaplot says what it averages"
points=$(grep -o '<polyline[^>]*points="[^"]*"' "$WORK/meta.svg" | tr ' ' '\n' | grep -c ',')
[ "$points" -eq 20 ] && pass || fail "metaplot should have 20 points (1000 bp / 50), has $points"


# Short and gap records: a record shorter than the window is scored on its own bases by annotate exactly as by
# predict --fasta (no N padding; predict flags it with scored_bp), and a window that is all N is not DNA:
# annotate leaves its bins out, predict writes NA. The full-attention notice is for -v only.
awk 'NR > 1 { seq = seq $0 } END { n = ""; for (i = 0; i < 250; i++) n = n "N"
  printf ">short\n%s\n>gap\n%s\n>long\n%s\n", substr(seq, 1, 100), n, substr(seq, 1001, 630) }' "$GENOME" > "$WORK/odd.fa"
expect_status 0 "annotate short and gap records" -- "$GENOBIRD" annotate --model "$MODEL" --genome "$WORK/odd.fa" --step 100 -o "$WORK/odd.bedgraph"
expect_match "$WORK/err" "3 bins whose window is all N \(assembly gaps\) left out of the track" "gap bins counted"
expect_match "$WORK/err" "1 sequence shorter than the 200 bp window: scored on its own bases" "short sequence flagged"
expect_no_match "$WORK/err" "full attention" "no full-attention notice without -v"
expect_no_match "$WORK/odd.bedgraph" "^gap" "no bins for the all-N record"
expect_status 0 "predict short and gap records" -- "$GENOBIRD" predict --model "$MODEL" --fasta "$WORK/odd.fa" -o "$WORK/odd.tsv"
expect_match "$WORK/odd.tsv" $'^gap\tNA\tNA\tNA\tNA\t200$' "predict writes NA for an all-N window"
expect_match "$WORK/odd.tsv" $'^short\t[0-9.]+\t.*\t100$' "predict flags the short record: scored_bp 100"
expect_match "$WORK/err" "1 record shorter than the window: scored on its own bases" "predict warns about the short record"
[ "$(awk -F'\t' '$1 == "short" { print $2 }' "$WORK/odd.tsv")" = "$(awk -F'\t' '$1 == "short" && $2 == 0 { print $4 }' "$WORK/odd.bedgraph")" ] \
  && pass || fail "the short record scores differently in predict and annotate"
expect_status 0 "annotate -v" -- "$GENOBIRD" annotate --model "$MODEL" --genome "$WORK/odd.fa" --step 100 -v -o "$WORK/odd.bedgraph"
expect_match "$WORK/err" "debug: sequences of at most [0-9]+ tokens use full attention" "the notice under -v"

finish
