#!/usr/bin/env python3
"""Loss curve of a pretraining run as an SVG, from its metrics.tsv (standard library only).

Usage: plot_metrics.py METRICS_TSV OUT_SVG [--title TEXT] [--baseline-ppl X --baseline-label TEXT]
Plots ln(perplexity) = cross-entropy (nats) of the training rows and of the validation rows against the
step, and the validation cross-entropy at the positions that show [MASK] where metrics.tsv has it; an
optional horizontal line marks a baseline's perplexity on the same validation tokens.
"""
import argparse
import math


def read_tsv(path):
    with open(path) as f:
        header = f.readline().rstrip("\n").split("\t")
        rows = [dict(zip(header, line.rstrip("\n").split("\t"))) for line in f if line.strip()]
    return rows


def points(rows, column, transform=float):
    return [(float(r["step"]), transform(r[column])) for r in rows if r.get(column, "NA") != "NA"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("metrics")
    parser.add_argument("svg")
    parser.add_argument("--title", default="genobird pretrain")
    parser.add_argument("--baseline-ppl", type=float)
    parser.add_argument("--baseline-label", default="baseline")
    args = parser.parse_args()

    rows = read_tsv(args.metrics)
    series = [("training loss", points(rows, "loss"), "#1f77b4"), ("validation loss", points(rows, "valid_loss"), "#d62728"),
              ("validation loss at [MASK]", points(rows, "valid_mask_perplexity", lambda v: math.log(float(v))), "#9467bd")]
    series = [s for s in series if s[1]]
    lines = [(args.baseline_label, math.log(args.baseline_ppl), "#2ca02c")] if args.baseline_ppl else []
    xs = [x for _, pts, _ in series for x, _ in pts]
    ys = [y for _, pts, _ in series for _, y in pts] + [y for _, y, _ in lines]
    x_lo, x_hi = 0.0, max(xs)
    y_lo, y_hi = math.floor(min(ys)), math.ceil(max(ys))
    width, height, left, right, top, bottom = 720, 420, 70, 20, 40, 50
    sx = lambda x: left + (x - x_lo) / (x_hi - x_lo or 1) * (width - left - right)
    sy = lambda y: top + (y_hi - y) / (y_hi - y_lo or 1) * (height - top - bottom)

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" font-size="12">',
           f'<rect width="{width}" height="{height}" fill="white"/>',
           f'<text x="{width / 2}" y="20" text-anchor="middle" font-size="14">{args.title}</text>']
    for i in range(6):  # grid and tick labels
        y = y_lo + (y_hi - y_lo) * i / 5
        out.append(f'<line x1="{left}" x2="{width - right}" y1="{sy(y):.1f}" y2="{sy(y):.1f}" stroke="#ddd"/>')
        out.append(f'<text x="{left - 6}" y="{sy(y) + 4:.1f}" text-anchor="end">{y:.2f}</text>')
        x = x_lo + (x_hi - x_lo) * i / 5
        out.append(f'<text x="{sx(x):.1f}" y="{height - bottom + 16}" text-anchor="middle">{x:.0f}</text>')
    out.append(f'<text x="{width / 2}" y="{height - 10}" text-anchor="middle">optimizer step</text>')
    out.append(f'<text x="16" y="{height / 2}" text-anchor="middle" transform="rotate(-90 16 {height / 2})">'
               'masked-token cross-entropy (nats) = ln perplexity</text>')
    legend_y = top + 10
    for label, pts, color in series:
        if pts:
            path = " ".join(f"{sx(x):.1f},{sy(y):.1f}" for x, y in pts)
            out.append(f'<polyline fill="none" stroke="{color}" stroke-width="2" points="{path}"/>')
            for x, y in pts if len(pts) < 20 else []:
                out.append(f'<circle cx="{sx(x):.1f}" cy="{sy(y):.1f}" r="3" fill="{color}"/>')
        out.append(f'<text x="{width - right - 200}" y="{legend_y}" fill="{color}">{label}</text>')
        legend_y += 16
    for label, y, color in lines:
        out.append(f'<line x1="{left}" x2="{width - right}" y1="{sy(y):.1f}" y2="{sy(y):.1f}" stroke="{color}" '
                   'stroke-dasharray="6 4" stroke-width="2"/>')
        out.append(f'<text x="{width - right - 200}" y="{legend_y}" fill="{color}">{label}</text>')
        legend_y += 16
    out.append("</svg>")
    with open(args.svg, "w") as f:
        f.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
