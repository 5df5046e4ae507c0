#!/usr/bin/python3
"""Scores promoter tracks along a chromosome against known TSSs (tools/bench/annotate-chr2R.sh).

    tss_bins.py --tss TSS.bed[.gz] --chrom CHROM [--from BP] [--to BP] [--threshold P] NAME=TRACK.bedgraph...

Bins are the rows of each bedGraph (the tracks must share their bins). A bin is positive when a TSS lies
within 300 bp of it (0 when inside), negative when every TSS is more than 3,000 bp away, and left out in
between. Per track: bin-level AUROC and AUPRC; peaks = runs of adjacent bins scoring at least --threshold
(default 0.5), merged as `genobird annotate --peaks` merges them; the share of TSSs within 500 bp of a peak
and the share of peaks within 500 bp of a TSS. --from/--to keep bins (and TSSs) starting in [FROM, TO).
Prints one TSV row per track.
"""
import argparse
import gzip

import numpy as np
from sklearn.metrics import average_precision_score, roc_auc_score

POSITIVE_REACH = 300
NEGATIVE_DISTANCE = 3000
MATCH_DISTANCE = 500


def read_tss(path, chrom):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt") as f:
        starts = [int(line.split("\t")[1]) for line in f if line.startswith(chrom + "\t")]
    return np.unique(np.array(starts, dtype=np.int64))


def read_track(path, chrom):
    rows = [line.split("\t") for line in open(path) if line.startswith(chrom + "\t")]
    starts = np.array([int(r[1]) for r in rows], dtype=np.int64)
    ends = np.array([int(r[2]) for r in rows], dtype=np.int64)
    scores = np.array([float(r[3]) for r in rows])
    return starts, ends, scores


def distance_to_points(starts, ends, points):
    """Distance from each interval [start, end) to the nearest point (0 when a point is inside)."""
    if len(points) == 0:
        return np.full(len(starts), np.iinfo(np.int64).max)
    i = np.searchsorted(points, starts)  # first point >= start
    right = points[np.minimum(i, len(points) - 1)]
    d_right = np.where(i < len(points), np.maximum(right - (ends - 1), 0), np.iinfo(np.int64).max)
    left = points[np.maximum(i - 1, 0)]
    d_left = np.where(i > 0, starts - left, np.iinfo(np.int64).max)
    return np.minimum(d_left, d_right)


def distance_to_intervals(points, starts, ends):
    """Distance from each point to the nearest of the sorted, disjoint intervals [start, end)."""
    big = np.iinfo(np.int64).max
    if len(starts) == 0:
        return np.full(len(points), big)
    i = np.searchsorted(starts, points, side="right") - 1  # last interval starting at or before the point
    at_or_before = np.where(i >= 0, np.maximum(points - (ends[np.maximum(i, 0)] - 1), 0), big)
    after = np.where(i + 1 < len(starts), starts[np.minimum(i + 1, len(starts) - 1)] - points, big)
    return np.minimum(at_or_before, after)


def merged_peaks(starts, ends, scores, threshold):
    peaks = []
    for s, e, p in zip(starts, ends, scores):
        if p < threshold:
            continue
        if peaks and peaks[-1][1] == s:
            peaks[-1][1] = e
        else:
            peaks.append([s, e])
    return np.array(peaks, dtype=np.int64).reshape(-1, 2)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tss", required=True)
    parser.add_argument("--chrom", required=True)
    parser.add_argument("--from", dest="lo", type=int, default=0)
    parser.add_argument("--to", dest="hi", type=int, default=np.iinfo(np.int64).max)
    parser.add_argument("--threshold", type=float, default=0.5)
    parser.add_argument("tracks", nargs="+", metavar="NAME=TRACK")
    args = parser.parse_args()

    tss = read_tss(args.tss, args.chrom)
    tss_in_range = tss[(tss >= args.lo) & (tss < args.hi)]
    print("track\trange\tpositive_bins\tnegative_bins\tauroc\tauprc\tpeaks\ttss_near_peak\tpeaks_near_tss")
    reference_bins = None
    for spec in args.tracks:
        name, path = spec.split("=", 1)
        starts, ends, scores = read_track(path, args.chrom)
        keep = (starts >= args.lo) & (starts < args.hi)
        starts, ends, scores = starts[keep], ends[keep], scores[keep]
        if reference_bins is None:
            reference_bins = (starts, ends)
        elif not (np.array_equal(starts, reference_bins[0]) and np.array_equal(ends, reference_bins[1])):
            raise SystemExit(f"tss_bins.py: {path} has other bins than the first track")
        d = distance_to_points(starts, ends, tss)
        positive, negative = d <= POSITIVE_REACH, d > NEGATIVE_DISTANCE
        labelled = positive | negative
        y, p = positive[labelled].astype(int), scores[labelled]
        peaks = merged_peaks(starts, ends, scores, args.threshold)
        tss_hit = distance_to_intervals(tss_in_range, peaks[:, 0], peaks[:, 1])
        peak_hit = distance_to_points(peaks[:, 0], peaks[:, 1], tss)
        tss_share = np.mean(tss_hit <= MATCH_DISTANCE) if len(tss_in_range) else float("nan")
        peak_share = np.mean(peak_hit <= MATCH_DISTANCE) if len(peaks) else float("nan")
        span = f"{args.lo}-{'end' if args.hi == np.iinfo(np.int64).max else args.hi}"
        print(f"{name}\t{args.chrom}:{span}\t{y.sum()}\t{len(y) - y.sum()}\t{roc_auc_score(y, p):.4f}\t"
              f"{average_precision_score(y, p):.4f}\t{len(peaks)}\t{tss_share:.4f}\t{peak_share:.4f}")


if __name__ == "__main__":
    main()
