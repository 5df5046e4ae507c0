#!/usr/bin/python3
"""Promoter examples of the bundled model, with the negatives a whole genome holds besides promoters.

    tools/promoter-dm3-examples.py UPSTREAM_FA GENES_BED_GZ TSS_BED_GZ WORK [SEED]

Reads dm3_upstream2000.fa (2,000 bp upstream of each RefSeq TSS; the header's comment gives chrN:start-end,
1-based, and the name ends in _f or _r for the gene's strand) and splits it by arm: 2R = test, 3L =
validation, every other arm = training. For each split S it writes

  WORK/upstream_S.fa   the upstream records (upper-case, one per name): the positives' source, whose last
                       300 bp (-300..-1) `make-dataset promoter --tss-at end` takes
  WORK/negatives_S.fa  300 bp negatives from the same arms only:
                       distal: the first 300 bp of each record (-2000..-1701), as read from the gene's strand,
                         once per position, left out when a RefSeq TSS lies within 300 bp of it;
                       body: windows inside a RefSeq gene span and at least 1,000 bp from every RefSeq TSS,
                         cut from the forward-strand sequence that the split's upstream records cover
                         (neighbouring genes' upstream regions reach into gene bodies), one per position on a
                         300 bp grid, then drawn at random down to the number of records;
                       each negative is reverse-complemented with probability 1/2, so both strands of
                       non-promoter DNA are present.
  WORK/negatives_S.tsv the negatives' origin: name, kind (distal|body), chrom, start (0-based), strand read

Seeded (default 42): the same inputs give the same files.
"""
import gzip
import random
import sys
from bisect import bisect_left

from dm3_upstream import covered_genome, read_upstream, revcomp

WINDOW = 300
MIN_TSS_DISTANCE = 1000
PROMOTER_REACH = 300


def split_of(chrom):
    return "test" if chrom == "chr2R" else "valid" if chrom == "chr3L" else "train"


def read_bed(path):
    by_chrom = {}
    with gzip.open(path, "rt") as f:
        for line in f:
            fields = line.split("\t")
            by_chrom.setdefault(fields[0], []).append((int(fields[1]), int(fields[2])))
    for spans in by_chrom.values():
        spans.sort()
    return by_chrom


def near_tss(tss_sorted, start, end, distance=MIN_TSS_DISTANCE):
    """True when a TSS lies within `distance` bp of [start, end)."""
    i = bisect_left(tss_sorted, start - distance)
    return i < len(tss_sorted) and tss_sorted[i] < end + distance


def body_windows(genome, genes, tss_by_chrom):
    """Start positions of WINDOW-bp forward-strand pieces, fully covered, inside a gene, far from TSSs."""
    starts = []
    for chrom, seq in genome.items():
        tss_sorted = tss_by_chrom.get(chrom, [])
        taken = set()
        for gene_start, gene_end in genes.get(chrom, []):
            first = (gene_start + WINDOW - 1) // WINDOW * WINDOW
            for s in range(first, gene_end - WINDOW + 1, WINDOW):
                if s in taken or s + WINDOW > len(seq) or near_tss(tss_sorted, s, s + WINDOW):
                    continue
                piece = seq[s:s + WINDOW]
                if "." in piece or "N" in piece:
                    continue
                taken.add(s)
                starts.append((chrom, s))
    return starts


def main():
    upstream_path, genes_path, tss_path, work = sys.argv[1:5]
    seed = int(sys.argv[5]) if len(sys.argv) > 5 else 42
    genes = read_bed(genes_path)
    # TSS positions per chromosome, sorted once for every distance test below.
    tss_by_chrom = {c: [s for s, _ in spans] for c, spans in read_bed(tss_path).items()}
    records = {"train": [], "valid": [], "test": []}
    for rec in read_upstream(upstream_path):
        records[split_of(rec[1])].append(rec)

    for split, recs in records.items():
        rng = random.Random(f"{seed}-{split}")
        genome = covered_genome(recs)

        with open(f"{work}/upstream_{split}.fa", "w") as out:
            for name, _, _, _, _, seq in recs:
                out.write(f">{name}\n{seq}\n")

        negatives = []  # (name, kind, chrom, start, strand, sequence)
        distal_seen = set()
        for name, chrom, start, end, strand, seq in recs:
            fwd_start = end - WINDOW if strand == "-" else start
            key = (chrom, fwd_start, strand)
            # Kept once (transcripts of one gene share a TSS), and only when no other TSS's promoter
            # (within PROMOTER_REACH bp of it) overlaps the window.
            if key in distal_seen or "N" in seq[:WINDOW] or \
                    near_tss(tss_by_chrom.get(chrom, []), fwd_start, fwd_start + WINDOW, PROMOTER_REACH):
                continue
            distal_seen.add(key)
            negatives.append((f"{name}_distal", "distal", chrom, fwd_start, strand, seq[:WINDOW]))
        body = body_windows(genome, genes, tss_by_chrom)
        rng.shuffle(body)
        for chrom, s in sorted(body[:len(recs)]):
            negatives.append((f"body_{chrom}_{s}", "body", chrom, s, "+", genome[chrom][s:s + WINDOW]))
        with open(f"{work}/negatives_{split}.fa", "w") as fa, open(f"{work}/negatives_{split}.tsv", "w") as tsv:
            tsv.write("name\tkind\tchrom\tstart\tstrand\n")
            for name, kind, chrom, s, strand, seq in negatives:
                if rng.random() < 0.5:
                    seq, strand = revcomp(seq), "-" if strand == "+" else "+"
                fa.write(f">{name}\n{seq}\n")
                tsv.write(f"{name}\t{kind}\t{chrom}\t{s}\t{strand}\n")
        n_body = sum(1 for n in negatives if n[1] == "body")
        print(f"{split}: {len(recs)} upstream records, {len(negatives) - n_body} distal and {n_body} gene-body "
              f"negatives ({len(body)} candidate body windows)", file=sys.stderr)


if __name__ == "__main__":
    main()
