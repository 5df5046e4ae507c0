#!/usr/bin/env python3
"""Per-profile table of the synthetic long- vs short-context chromatin test (standard library only).

Usage: chromatin_pairs.py SHORT_PREDICTIONS LONG_PREDICTIONS
Each file is `genobird evaluate --predictions` output on the same test bins (name, then label and p_label
for each profile). For every profile it prints the test positives, AUROC and AUPRC of both models, and
for the pair profiles N_i and F_i the "motif-matched" AUROC: positives against the bins whose centre
carries the same motif M_i (S_i = 1) but that are not positive for the profile. That is the comparison a
window either can or cannot make (a 1 kb window cannot see a partner 1.2 kb away), without the easy
negatives that lack M_i altogether, which dominate the plain AUROC. For a distal profile D_j (M_j 1.2 kb
from the bin; bench_chromatin_synthetic --distal-profiles 1) the matched bins are those of motif
i = j - 2 (S_i = 1 or F_i = 1): its far events against its single and near events, which look the same
through a 1 kb window. Its decoy events are left out there: they show M_(i+1) without M_i, which a 1 kb
window does see.

The metrics are recomputed here from the one set of predictions, which needs no model and no re-run of
`genobird evaluate` per subset (a window scores the same alone and in any batch: model::independent_batches).
The plain AUROC and AUPRC columns equal `evaluate`'s (eval*.tsv), which the test suite checks against
independent references.
"""
import sys

from ranking import auroc, average_precision


def read_predictions(path):
    with open(path) as f:
        header = f.readline().rstrip("\n").split("\t")
        labels = header[1::2]
        rows = {}
        for line in f:
            fields = line.rstrip("\n").split("\t")
            rows[fields[0]] = {label: (int(fields[1 + 2 * k]), float(fields[2 + 2 * k])) for k, label in enumerate(labels)}
    return labels, rows


def fmt(x):
    return "NA" if x is None else f"{x:.3f}"


def main():
    labels, short = read_predictions(sys.argv[1])
    _, long_ = read_predictions(sys.argv[2])
    names = sorted(set(short) & set(long_))
    print("profile\tpositives\tauroc_short\tauroc_long\tauprc_short\tauprc_long\tmatched_negatives"
          "\tmatched_auroc_short\tmatched_auroc_long")
    order = sorted(labels, key=lambda l: ("SNFD".index(l[0]) if l[0] in "SNFD" else 4, l))
    motifs = sum(1 for l in labels if l[0] == "S")
    families = {}  # first letter -> rows of numbers, for the means printed last
    for label in order:
        truth = [short[n][label][0] for n in names]
        s = [short[n][label][1] for n in names]
        g = [long_[n][label][1] for n in names]
        row = [label, str(sum(truth)), fmt(auroc(s, truth)), fmt(auroc(g, truth)),
               fmt(average_precision(s, truth)), fmt(average_precision(g, truth))]
        if label[0] == "D" and motifs:
            m = (int(label[1:]) - 2) % motifs
            anchor, also = "S" + str(m), "F" + str(m)
        else:
            anchor, also = "S" + label[1:], label
        if label[0] in "NFD" and anchor in labels and also in labels:
            keep = [i for i, n in enumerate(names) if short[n][anchor][0] == 1 or short[n][also][0] == 1]
            sub_truth = [truth[i] for i in keep]
            row += [str(len(keep) - sum(sub_truth)), fmt(auroc([s[i] for i in keep], sub_truth)),
                    fmt(auroc([g[i] for i in keep], sub_truth))]
        else:
            row += ["NA", "NA", "NA"]
        print("\t".join(row))
        families.setdefault(label[0], []).append(row[1:])
    for family, rows in families.items():
        means = []
        for column in zip(*rows):
            values = [float(v) for v in column if v != "NA"]
            means.append(fmt(sum(values) / len(values)) if values else "NA")
        print("\t".join(["mean_" + family] + means))


if __name__ == "__main__":
    main()
