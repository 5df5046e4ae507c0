#!/usr/bin/env bash
# tools/bench/heads/chromatin_pairs.py, the per-profile measure of the synthetic long- vs short-context
# chromatin test, on predictions worked out by hand: which bins each "motif-matched" AUROC compares; and its
# average precision (ranking.py) against the definition evaluate uses.
source "$(dirname "$0")/lib.sh"
SCRIPT="$(dirname "$0")/../../tools/bench/heads/chromatin_pairs.py"

# Three motifs; the bins are one event of each kind for motif 0 plus a background bin:
#   single S0 | far S0 F0 D2 | near S0 N0 | decoy D2 (M1 near, M2 far, no M0) | background.
# D2's matched bins are motif 0's events with M0 at the centre (single, far, near), not the decoy.
labels="S0 S1 S2 N0 F0 D2"
write() {  # write FILE, then per bin: name and six "truth:probability" fields
  local file=$1
  shift
  { printf 'name'; for l in $labels; do printf '\t%s\tp_%s' "$l" "$l"; done; printf '\n'
    while [ $# -gt 0 ]; do
      printf '%s' "$1"; shift
      for _ in $labels; do printf '\t%s\t%s' "${1%%:*}" "${1#*:}"; shift; done
      printf '\n'
    done; } > "$file"
}
#                       S0    S1    S2    N0    F0    D2
write "$WORK/short.tsv" \
  single     1:0.9 0:0.1 0:0.1 0:0.4 0:0.5 0:0.5 \
  far        1:0.9 0:0.1 0:0.1 0:0.4 1:0.5 1:0.5 \
  near       1:0.9 0:0.1 0:0.1 1:0.6 0:0.5 0:0.5 \
  decoy      0:0.1 0:0.2 0:0.1 0:0.1 0:0.1 1:0.9 \
  background 0:0.1 0:0.1 0:0.1 0:0.1 0:0.1 0:0.1
write "$WORK/long.tsv" \
  single     1:0.9 0:0.1 0:0.1 0:0.4 0:0.2 0:0.2 \
  far        1:0.9 0:0.1 0:0.1 0:0.4 1:0.8 1:0.8 \
  near       1:0.9 0:0.1 0:0.1 1:0.6 0:0.3 0:0.3 \
  decoy      0:0.1 0:0.2 0:0.1 0:0.1 0:0.1 1:0.9 \
  background 0:0.1 0:0.1 0:0.1 0:0.1 0:0.1 0:0.1
expect_status 0 "chromatin_pairs.py" -- python3 "$SCRIPT" "$WORK/short.tsv" "$WORK/long.tsv"
cp "$WORK/out" "$WORK/table"
# F0: far (0.5) ties single and near, beats decoy and background: AUROC short 3/4; average precision counts
# the tie as one step (precision 1/3), whatever order the tied bins are listed in. Matched to S0's bins (far
# against single and near): 0.5 short, 1 long.
expect_match "$WORK/table" '^F0	1	0\.750	1\.000	0\.333	1\.000	2	0\.500	1\.000$' "F0 row"
# D2: positives decoy (0.9) and far (0.5, tied with single and near): AUROC short (3 + 2) / 6; average
# precision 1/2 x 1 + 1/2 x 2/4. The matched bins leave the decoy out: far against single and near.
expect_match "$WORK/table" '^D2	2	0\.833	1\.000	0\.750	1\.000	2	0\.500	1\.000$' "D2 row, decoy left out of the matched bins"
# N0, matched to S0's bins: near against single and far, which it outscores in both files.
expect_match "$WORK/table" '^N0	1	1\.000	1\.000	1\.000	1\.000	2	1\.000	1\.000$' "N0 row"
expect_match "$WORK/table" '^S1	0	NA	NA	NA	NA	NA	NA	NA$' "no positives: NA"
expect_match "$WORK/table" '^mean_F	1\.000	0\.750	1\.000	0\.333	1\.000	2\.000	0\.500	1\.000$' "family means"

# Average precision against its definition, counted afresh at every distinct threshold t (as evaluate's
# ThresholdSweep): sum over t of (recall(t) - recall(previous t)) x precision(t), on random tied scores.
python3 - "$(dirname "$SCRIPT")" > "$WORK/ap" <<'PY'
import random, sys
sys.path.insert(0, sys.argv[1])
from ranking import average_precision
rng = random.Random(3)
worst = 0.0
for trial in range(200):
    scores = [rng.randint(0, 6) / 6 for _ in range(rng.randint(1, 40))]
    truth = [rng.random() < 0.3 for _ in scores]
    positives = sum(truth)
    if not positives:
        continue
    total, previous_recall = 0.0, 0.0
    for t in sorted(set(scores), reverse=True):
        tp = sum(1 for s, y in zip(scores, truth) if y and s >= t)
        fp = sum(1 for s, y in zip(scores, truth) if not y and s >= t)
        total += (tp / positives - previous_recall) * tp / (tp + fp)
        previous_recall = tp / positives
    order = list(range(len(scores)))
    rng.shuffle(order)  # the listing order of tied scores must not matter
    shuffled = average_precision([scores[i] for i in order], [truth[i] for i in order])
    worst = max(worst, abs(total - average_precision(scores, truth)), abs(total - shuffled))
print(f"{worst:.2e}")
PY
awk '{exit !($1 < 1e-12)}' "$WORK/ap" && pass || fail "average precision differs from its definition by $(cat "$WORK/ap")"
finish
