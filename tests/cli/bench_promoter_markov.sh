#!/usr/bin/env bash
# tools/bench/heads/promoter_markov.py, the reference that knows how DeePromoter negatives are made, and the
# rank metrics it shares with chromatin_pairs.py (ranking.py): metrics against values worked out by hand,
# AUROC from mid-ranks against counting every positive-negative pair, and, on a DeePromoter set built by
# `genobird make-dataset` from the real lambda genome (chain counted on one half, windows from the other),
# that it separates positives from their negatives -- and does not when the chain is counted on random
# sequence, which carries no information about real DNA.
source "$(dirname "$0")/lib.sh"
HEADS="$(dirname "$0")/../../tools/bench/heads"
SCRIPT="$HEADS/promoter_markov.py"

# Hand-worked metrics. Scores 0.9(1) 0.8(0) 0.8(1) 0.3(0): of the 4 positive-negative pairs, 3 are ordered
# right and one is tied (counts 1/2): AUROC 3.5/4. At threshold 0.8: TP 2, FP 1, FN 0, TN 1, so F1 4/5 and
# MCC (2 - 0) / sqrt(3 * 2 * 2 * 1) = 0.5774; that threshold is also the one with the best F1.
python3 - "$HEADS" > "$WORK/metrics" <<'EOF'
import random, sys
sys.path.insert(0, sys.argv[1])
import promoter_markov as pm
from ranking import auroc
scored = [(0.9, 1), (0.8, 0), (0.8, 1), (0.3, 0)]
f1, mcc = pm.f1_mcc(scored, 0.8)
threshold, best = pm.best_f1_threshold(scored)
print(f"{auroc([s for s, _ in scored], [y for _, y in scored]):.4f} {f1:.4f} {mcc:.4f} {threshold} {best:.4f}")
# Mid-rank AUROC against the pair count it stands for, on random scores with many ties.
rng = random.Random(1)
for trial in range(50):
    scores = [rng.randint(0, 9) for _ in range(rng.randint(2, 60))]
    truth = [rng.random() < 0.4 for _ in scores]
    pos = [s for s, t in zip(scores, truth) if t]
    neg = [s for s, t in zip(scores, truth) if not t]
    want = sum((p > n) + 0.5 * (p == n) for p in pos for n in neg) / (len(pos) * len(neg)) if pos and neg else None
    got = auroc(scores, truth)
    if (got is None) != (want is None) or (want is not None and abs(got - want) > 1e-12):
        print(f"mid-rank AUROC {got} != pair count {want}")
EOF
expect_match "$WORK/metrics" '^0\.8750 0\.8000 0\.5774 0\.8 0\.8000$' "AUROC, F1, MCC and best threshold by hand"
[ "$(wc -l < "$WORK/metrics")" -eq 1 ] && pass || fail "mid-rank AUROC differs from the pair count: $(tail -n +2 "$WORK/metrics" | head -3)"

# Lambda: bases 1..24,000 are the real sequence the chain counts; 300 bp windows from the rest are positives.
awk 'NR > 1' "$TEST_DATA/lambda_virus.fa" | tr -d '\n' > "$WORK/lambda.txt"
{ echo ">real"; cut -c1-24000 "$WORK/lambda.txt" | fold -w 60; } > "$WORK/real.fa"
cut -c24001- "$WORK/lambda.txt" | awk '{for (i = 1; i + 299 <= length($0); i += 300) printf ">p%d\n%s\n", i, substr($0, i, 300)}' \
  > "$WORK/positives.fa"
expect_status 0 "DeePromoter set" -- "$GENOBIRD" make-dataset promoter --positives "$WORK/positives.fa" --window 0..299 \
  --negatives deepromoter --test-fraction 0.4 --valid-fraction 0.2 --seed 1 --out "$WORK/prom"
expect_status 0 "reference on lambda" -- python3 "$SCRIPT" "$WORK/real.fa" "$WORK/prom/valid.tsv" "$WORK/prom/test.tsv" 2 3
cp "$WORK/out" "$WORK/lambda.tsv"
expect_match "$WORK/lambda.tsv" '^order	test_auroc	test_f1	test_mcc	test_f1_at_test_best_threshold$' "header"
awk -F'\t' 'NR > 1 && $2 > 0.75 {n++} END {exit n != 2}' "$WORK/lambda.tsv" \
  && pass || fail "orders 2 and 3 should reach test AUROC > 0.75 on lambda: $(cat "$WORK/lambda.tsv")"

# Negative control: a chain counted on uniform random bases cannot tell real pieces from random ones.
awk 'BEGIN {srand(3); print ">random"; for (l = 0; l < 400; l++) {s = ""; for (i = 0; i < 60; i++) s = s substr("ACGT", int(rand() * 4) + 1, 1); print s}}' \
  > "$WORK/random.fa"
expect_status 0 "reference on a random chain" -- python3 "$SCRIPT" "$WORK/random.fa" "$WORK/prom/valid.tsv" "$WORK/prom/test.tsv" 2
awk -F'\t' 'NR == 2 {exit !($2 > 0.3 && $2 < 0.7)}' "$WORK/out" \
  && pass || fail "a random chain should score near AUROC 0.5: $(cat "$WORK/out")"

expect_status 1 "missing arguments" -- python3 "$SCRIPT" "$WORK/real.fa"
finish
