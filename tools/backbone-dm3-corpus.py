#!/usr/bin/python3
"""The Drosophila pretraining corpus of models/backbone-dm3 (tools/train-backbone.sh).

    tools/backbone-dm3-corpus.py CHR2R_FA UPSTREAM_FA OUT_TRAIN_FA OUT_HELDOUT_FA

Training: dm3 chr2R 0-14,000,000 (the training range of the chromatin benchmark) and the stretches that the
dm3_upstream2000 records of every chromosome except chr2R cover, overlapping records of neighbouring genes
merged so that each base appears once (forward strand; `genobird pretrain` samples both strands).
Held out: chr2R 14,000,000-16,000,000 (the chromatin benchmark's validation range). Nothing from
chr2R 16,000,000-end, the chromatin test range, and nothing of chr2R beyond those two ranges.
"""
import sys

from dm3_upstream import covered_genome, covered_segments, read_upstream

TRAIN_END, HELDOUT_END = 14_000_000, 16_000_000
LINE = 60


def write_record(out, name, seq):
    out.write(f">{name}\n")
    for i in range(0, len(seq), LINE):
        out.write(seq[i:i + LINE] + "\n")


def main():
    chr2r_path, upstream_path, train_path, heldout_path = sys.argv[1:5]
    chr2r = "".join(line.strip() for line in open(chr2r_path) if not line.startswith(">")).upper()
    with open(train_path, "w") as train, open(heldout_path, "w") as heldout:
        write_record(train, "chr2R_0_14000000", chr2r[:TRAIN_END])
        write_record(heldout, "chr2R_14000000_16000000", chr2r[TRAIN_END:HELDOUT_END])
        records = [r for r in read_upstream(upstream_path) if r[1] != "chr2R"]
        total = 0
        # Stretches shorter than one upstream record come from records cut at a chromosome start.
        for chrom, start, seq in covered_segments(covered_genome(records), min_length=1000):
            write_record(train, f"{chrom}_{start}_{start + len(seq)}", seq)
            total += len(seq)
    print(f"corpus: chr2R 0-14 Mbp and {total:,} bp of upstream stretches of other chromosomes; "
          f"held out: chr2R 14-16 Mbp", file=sys.stderr)


if __name__ == "__main__":
    main()
