"""dm3_upstream2000.fa (r-bioc-biostrings) read back into the genome it was cut from.

Each record is the 2,000 bp upstream of a RefSeq TSS, read from the gene's strand: the header's comment gives
chrN:start-end (1-based; a start can be below 1) and the name ends in _f or _r. Neighbouring genes' records
overlap, so together they cover stretches of each chromosome arm.
"""
import re
import sys

COMPLEMENT = str.maketrans("ACGTN", "TGCAN")


def revcomp(seq):
    return seq.translate(COMPLEMENT)[::-1]


def read_upstream(path):
    """Yields (name, chrom, start0, end0, strand, sequence) once per record name."""
    seen = set()
    name = None
    chunks = []

    def record():
        return (name, chrom, start, end, strand, "".join(chunks).upper())

    with open(path) as f:
        for line in f:
            if line.startswith(">"):
                if name is not None and name not in seen:
                    seen.add(name)
                    yield record()
                fields = line[1:].split()
                name = fields[0]
                chrom, span = fields[1].split(":")
                first, last = re.fullmatch(r"(-?\d+)-(\d+)", span).groups()  # a start can be below 1
                start, end = int(first) - 1, int(last)
                strand = "-" if name.endswith("_r") else "+"
                chunks = []
            else:
                chunks.append(line.strip())
    if name is not None and name not in seen:
        yield record()



def covered_genome(records):
    """Forward-strand sequence of each chromosome covered by `records` ('.' where none is). Overlapping
    records must agree base for base, which checks that _r records are read as reverse complements."""
    genome, conflicts = {}, 0
    for _, chrom, start, end, strand, seq in records:
        forward = revcomp(seq) if strand == "-" else seq
        g = genome.setdefault(chrom, bytearray())
        if len(g) < end:
            g.extend(b"." * (end - len(g)))
        for i, base in enumerate(forward.encode()):
            if start + i < 0:
                continue
            old = g[start + i]
            if old != 46 and old != base:  # 46 = '.'
                conflicts += 1
            g[start + i] = base
    if conflicts:
        sys.exit(f"dm3_upstream: {conflicts} bases of overlapping upstream records disagree")
    return {c: g.decode() for c, g in genome.items()}


def covered_segments(genome, min_length=1):
    """(chrom, start, sequence) of each maximal covered stretch of at least `min_length` bp."""
    for chrom, seq in genome.items():
        for m in re.finditer(r"[^.]+", seq):
            if m.end() - m.start() >= min_length:
                yield chrom, m.start(), m.group()
