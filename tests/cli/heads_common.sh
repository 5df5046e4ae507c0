# Shared set-up of the fine-tuning command-line tests (sourced after lib.sh): 40 promoter positions on the
# real lambda genome, alternating strands, 1,100 bp apart, as a BED of 1-bp TSSs in $WORK/tss.bed.
genome="$TEST_DATA/lambda_virus.fa"
chrom=$(head -1 "$genome" | cut -c2- | cut -d' ' -f1)
for i in $(seq 1 40); do
  printf '%s\t%d\t%d\ttss%d\t0\t%s\n' "$chrom" $((i * 1100)) $((i * 1100 + 1)) "$i" "$([ $((i % 2)) -eq 0 ] && echo + || echo -)"
done > "$WORK/tss.bed"
