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
    """Average precision as `genobird evaluate` and sklearn compute it: over the distinct scores, high to low,
    the precision at that threshold weighted by the recall it adds, so tied scores count as one step
    whatever their order; None without positives."""
    ranked = sorted(zip(scores, truth), key=lambda x: -x[0])
    positives = sum(1 for t in truth if t)
    if not positives:
        return None
    total, hits, seen, i = 0.0, 0, 0, 0
    while i < len(ranked):
        j = i
        while j < len(ranked) and ranked[j][0] == ranked[i][0]:
            j += 1
        new_hits = sum(1 for _, t in ranked[i:j] if t)
        hits, seen = hits + new_hits, seen + (j - i)
        total += new_hits / positives * (hits / seen)
        i = j
    return total
