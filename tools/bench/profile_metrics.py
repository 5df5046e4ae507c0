#!/usr/bin/python3
"""Per-profile AUROC and AUPRC of several models on the same test examples (tools/bench/chromatin-dm3.sh).

    profile_metrics.py --data TEST.tsv [--markdown] NAME=PREDICTIONS.tsv...

TEST.tsv is a `genobird make-dataset` file (the labels); each PREDICTIONS.tsv has a header, the example name
in column 1 and one probability column per label, named p_LABEL (`genobird evaluate --predictions`), else by
the label itself or `head.label` (the benchmark programs). Only
the examples that every predictions file scores are used (a longer window loses the bins near the ends and
gaps), so every model is scored on the same bins. Prints one row per profile and model, then the means over
the profiles that have both classes; --markdown prints a table with the models side by side instead.
"""
import argparse

import numpy as np
from sklearn.metrics import average_precision_score, roc_auc_score


def read_labels(path):
    with open(path) as f:
        f.readline()  # #genobird-dataset line
        header = f.readline().rstrip("\n").split("\t")
        labels = header[6:]
        rows = {}
        for line in f:
            fields = line.rstrip("\n").split("\t")
            rows[fields[0]] = [int(x) for x in fields[6:]]
    return labels, rows


def read_predictions(path, labels):
    with open(path) as f:
        header = f.readline().rstrip("\n").split("\t")
        columns = []
        for label in labels:
            # `genobird evaluate --predictions` writes the truth as LABEL and the probability as p_LABEL.
            matches = [i for i, h in enumerate(header) if h == "p_" + label]
            if not matches:
                matches = [i for i, h in enumerate(header) if h == label or h.endswith("." + label)]
            if len(matches) != 1:
                raise SystemExit(f"profile_metrics.py: {path}: no single column for label {label}")
            columns.append(matches[0])
        out = {}
        for line in f:
            fields = line.rstrip("\n").split("\t")
            out[fields[0]] = [float(fields[i]) for i in columns]
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", required=True)
    parser.add_argument("--markdown", action="store_true")
    parser.add_argument("models", nargs="+", metavar="NAME=PREDICTIONS")
    args = parser.parse_args()

    labels, truth = read_labels(args.data)
    models = [(spec.split("=", 1)[0], read_predictions(spec.split("=", 1)[1], labels)) for spec in args.models]
    names = sorted(set(truth).intersection(*[set(p) for _, p in models]))
    y = np.array([truth[n] for n in names])
    results = {}  # (model, label) -> (auroc, auprc)
    for model, predictions in models:
        p = np.array([predictions[n] for n in names])
        for k, label in enumerate(labels):
            if 0 < y[:, k].sum() < len(names):
                results[model, label] = (roc_auc_score(y[:, k], p[:, k]), average_precision_score(y[:, k], p[:, k]))
    scored = [label for label in labels if (models[0][0], label) in results]
    means = {m: tuple(np.mean([results[m, label][i] for label in scored]) for i in range(2)) for m, _ in models}

    if args.markdown:
        print(f"Test examples scored by every model: {len(names)}.\n")
        print("| profile | positives | " + " | ".join(f"{m} AUROC / AUPRC" for m, _ in models) + " |")
        print("|---|---:|" + "---:|" * len(models))
        for k, label in enumerate(labels):
            if label in scored:
                cells = " | ".join(f"{results[m, label][0]:.3f} / {results[m, label][1]:.3f}" for m, _ in models)
                print(f"| {label} | {int(y[:, k].sum())} | {cells} |")
        cells = " | ".join(f"**{means[m][0]:.3f} / {means[m][1]:.3f}**" for m, _ in models)
        print(f"| **mean of {len(scored)}** | | {cells} |")
        return
    print("model\tprofile\texamples\tpositives\tauroc\tauprc")
    for model, _ in models:
        for k, label in enumerate(labels):
            if label in scored:
                print(f"{model}\t{label}\t{len(names)}\t{int(y[:, k].sum())}\t{results[model, label][0]:.4f}\t{results[model, label][1]:.4f}")
        print(f"{model}\tmean\t{len(names)}\t\t{means[model][0]:.4f}\t{means[model][1]:.4f}")


if __name__ == "__main__":
    main()
