#!/usr/bin/env python3
"""Logistic regression on pooled embeddings (tools/bench/linear-probe.sh writes the inputs).

linear_probe.py WORK NAME...: for each NAME, WORK/NAME.{train,valid,test}.npy hold the vectors of the
examples of WORK/{train,valid,test}.tsv (genobird datasets, label in the last column), row for row.
Features are standardised on the training set; the L2 strength C is chosen on the validation set (AUROC)
from a fixed grid, and the model refitted on the training set is scored on the test set.
"""
import sys

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score, roc_auc_score
from sklearn.preprocessing import StandardScaler


def labels(path):
    with open(path) as f:
        rows = f.read().splitlines()[2:]
    return np.array([int(r.rsplit("\t", 1)[1]) for r in rows])


def main():
    work, names = sys.argv[1], sys.argv[2:]
    y = {s: labels(f"{work}/{s}.tsv") for s in ("train", "valid", "test")}
    print("| model | dim | train / valid / test | C (on valid) | valid AUROC | test AUROC | test AUPRC |")
    print("|---|---|---|---|---|---|---|")
    for name in names:
        x = {s: np.load(f"{work}/{name}.{s}.npy").astype(np.float64) for s in y}
        for s in y:
            assert x[s].shape[0] == len(y[s]), (name, s, x[s].shape, len(y[s]))
        scaler = StandardScaler().fit(x["train"])
        x = {s: scaler.transform(v) for s, v in x.items()}
        best = None
        for c in (1e-5, 1e-4, 0.001, 0.01, 0.1, 1.0, 10.0):
            model = LogisticRegression(C=c, max_iter=2000).fit(x["train"], y["train"])
            auroc = roc_auc_score(y["valid"], model.decision_function(x["valid"]))
            if best is None or auroc > best[0]:
                best = (auroc, c, model)
        valid_auroc, c, model = best
        score = model.decision_function(x["test"])
        print(f"| {name} | {x['train'].shape[1]} | {len(y['train'])} / {len(y['valid'])} / {len(y['test'])} | {c:g} | "
              f"{valid_auroc:.4f} | {roc_auc_score(y['test'], score):.4f} | {average_precision_score(y['test'], score):.4f} |")


if __name__ == "__main__":
    main()
