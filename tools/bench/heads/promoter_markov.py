#!/usr/bin/env python3
"""How far the DeePromoter task can be pushed by a classifier that knows how its negatives are made.

Usage: promoter_markov.py REAL_FASTA VALID_TSV TEST_TSV [ORDER ...]

A DeePromoter negative is its positive with 12 of 20 pieces replaced by uniform random bases. This scorer
models real sequence with a Markov chain of order k (counted on REAL_FASTA, add-one smoothing) and scores
a window by the likelihood ratio "all 20 pieces real" against "each piece real with probability 8/20,
else uniform random" -- the construction's own generative story, so it is close to the best a classifier
can do from the sequence alone once the chain is good. For each order it prints the test AUROC, the F1
and MCC at the threshold that maximises F1 on VALID_TSV, and the F1 at the threshold that maximises it on
the test set itself (an optimistic ceiling). Inputs: `genobird make-dataset promoter` files; REAL_FASTA
must hold no test sequence (promoter_dm3.sh passes the upstream regions of every other arm).
Standard library only.
"""
import math
import sys

from ranking import auroc

BASES = {"A": 0, "C": 1, "G": 2, "T": 3}
PIECES, KEPT = 20, 8


def read_fasta(path):
    name, seq = None, []
    with open(path) as f:
        for line in f:
            if line.startswith(">"):
                if name is not None:
                    yield "".join(seq).upper()
                name, seq = line, []
            else:
                seq.append(line.strip())
    if name is not None:
        yield "".join(seq).upper()


def read_dataset(path):
    rows = []
    with open(path) as f:
        for line in f:
            if line.startswith("#") or line.startswith("name\t"):
                continue
            fields = line.rstrip("\n").split("\t")
            rows.append((fields[5].upper(), int(fields[6])))
    return rows


def count_chain(sequences, order):
    counts = {}
    for seq in sequences:
        for i in range(order, len(seq)):
            base = BASES.get(seq[i])
            if base is None:
                continue
            row = counts.setdefault(seq[i - order:i], [1, 1, 1, 1])
            row[base] += 1
    return {context: [math.log(4 * c / sum(row)) for c in row] for context, row in counts.items()}


def score(seq, chain, order):
    # Per-base log-likelihood ratio of the chain against uniform bases; 0 where the context is unseen.
    per_base = [0.0] * len(seq)
    for i in range(order, len(seq)):
        base = BASES.get(seq[i])
        row = chain.get(seq[i - order:i])
        if base is not None and row is not None:
            per_base[i] = row[base]
    bounds = [len(seq) * p // PIECES for p in range(PIECES + 1)]
    kept, total = KEPT / PIECES, 0.0
    for p in range(PIECES):
        x = sum(per_base[bounds[p]:bounds[p + 1]])
        # log P(piece | real) / P(piece | negative) = -log(kept + (1 - kept) exp(-x)); for very negative x
        # that is x - log(1 - kept), which does not overflow.
        total += -math.log(kept + (1 - kept) * math.exp(-x)) if x > -30 else x - math.log(1 - kept)
    return total


def confusion(scored, threshold):
    tp = sum(1 for s, y in scored if s >= threshold and y)
    fp = sum(1 for s, y in scored if s >= threshold and not y)
    fn = sum(1 for s, y in scored if s < threshold and y)
    tn = len(scored) - tp - fp - fn
    return tp, fp, fn, tn


def f1_mcc(scored, threshold):
    tp, fp, fn, tn = confusion(scored, threshold)
    f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    denominator = math.sqrt((tp + fp) * (tp + fn) * (tn + fp) * (tn + fn))
    return f1, ((tp * tn - fp * fn) / denominator if denominator else 0.0)


def best_f1_threshold(scored):
    best, best_threshold = -1.0, 0.0
    ordered = sorted(scored, key=lambda t: -t[0])
    positives = sum(y for _, y in scored)
    tp = fp = 0
    for k, (s, y) in enumerate(ordered):
        tp += y
        fp += 1 - y
        if k + 1 < len(ordered) and ordered[k + 1][0] == s:
            continue
        f1 = 2 * tp / (tp + fp + positives)
        if f1 > best:
            best, best_threshold = f1, s
    return best_threshold, best


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    real, valid, test = list(read_fasta(sys.argv[1])), read_dataset(sys.argv[2]), read_dataset(sys.argv[3])
    orders = [int(k) for k in sys.argv[4:]] or [4, 6, 8]
    print("order\ttest_auroc\ttest_f1\ttest_mcc\ttest_f1_at_test_best_threshold")
    for order in orders:
        chain = count_chain(real, order)
        valid_scored = [(score(s, chain, order), y) for s, y in valid]
        test_scored = [(score(s, chain, order), y) for s, y in test]
        threshold, _ = best_f1_threshold(valid_scored)
        f1, mcc = f1_mcc(test_scored, threshold)
        test_auroc = auroc([s for s, _ in test_scored], [y for _, y in test_scored])
        print(f"{order}\t{test_auroc:.4f}\t{f1:.4f}\t{mcc:.4f}\t{best_f1_threshold(test_scored)[1]:.4f}")


if __name__ == "__main__":
    main()
