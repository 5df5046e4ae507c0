"""Rank metrics shared by the heads benchmark scripts (standard library only)."""


def auroc(scores, truth):
    """Exact AUROC from mid-ranks (a tie between a positive and a negative counts one half); None without
    both classes. The same value as counting every positive-negative pair, in O(n log n)."""
    positives = sum(1 for t in truth if t)
    negatives = len(truth) - positives
    if not positives or not negatives:
        return None
    ranked = sorted(zip(scores, truth), key=lambda x: x[0])
    rank_sum, i = 0.0, 0
    while i < len(ranked):
        j = i
        while j < len(ranked) and ranked[j][0] == ranked[i][0]:
            j += 1
        rank_sum += (i + j + 1) / 2 * sum(1 for _, t in ranked[i:j] if t)  # mid-rank of the tie group
        i = j
    return (rank_sum - positives * (positives + 1) / 2) / (positives * negatives)


def average_precision(scores, truth):
    """Mean of the precision at each positive, scores ranked high to low; None without positives."""
    ranked = sorted(zip(scores, truth), key=lambda x: -x[0])
    hits, total, positives = 0, 0.0, sum(1 for t in truth if t)
    for rank, (_, t) in enumerate(ranked, 1):
        if t:
            hits += 1
            total += hits / rank
    return total / positives if positives else None
