#!/usr/bin/env python3
"""The naive way to score variants with a window model, written from scratch as the reference genobird's
`variants` is checked and timed against: for every ALT allele of a VCF, write the reference window and the
edited (alternate) window as FASTA records, to be scored by `genobird predict --fasta`.

  naive_fasta.py GENOME.fa VARIANTS.vcf[.gz] WINDOW_BP REF_OUT.fa ALT_OUT.fa

Windows follow genobird's documented rule (docs/user-guide.md, "Variant effects"): the reference window is the
WINDOW_BP bp centred on REF (centre = pos0 + len(REF) // 2, start = centre - WINDOW_BP // 2); the alternate
window is cut the same way from the edited sequence, centred on ALT, so indels keep the window length; N
beyond either end of the sequence. Records of unknown chromosomes or with a REF differing from the genome, and
symbolic or structural ALTs, are left out. Record names: "<record ordinal>:<ALT index>" (1-based), the ref
window repeated for each ALT, as a user pairing ref and alt lines would do.
"""
import gzip
import sys


def read_fasta(path):
    sequences, name, parts = {}, None, []
    with open(path) as handle:
        for line in handle:
            if line.startswith(">"):
                if name is not None:
                    sequences[name] = "".join(parts).upper()
                name, parts = line[1:].split()[0], []
            else:
                parts.append(line.strip())
    if name is not None:
        sequences[name] = "".join(parts).upper()
    return sequences


def window(sequence, centre, width):
    start = centre - width // 2
    return "".join(sequence[p] if 0 <= p < len(sequence) else "N" for p in range(start, start + width))


def main():
    genome_path, vcf_path, width, ref_out, alt_out = sys.argv[1:6]
    width = int(width)
    genome = read_fasta(genome_path)
    opener = gzip.open if vcf_path.endswith(".gz") else open
    ordinal = 0
    with opener(vcf_path, "rt") as vcf, open(ref_out, "w") as refs, open(alt_out, "w") as alts:
        for line in vcf:
            if line.startswith("#") or not line.strip():
                continue
            ordinal += 1
            chrom, pos, _, ref, alt = line.rstrip("\n").split("\t")[:5]
            pos0 = int(pos) - 1
            sequence = genome.get(chrom)
            if sequence is None or sequence[pos0:pos0 + len(ref)] != ref.upper():
                continue
            reference_window = window(sequence, pos0 + len(ref) // 2, width)
            for index, allele in enumerate(alt.split(","), start=1):
                if not allele or any(c not in "ACGTNacgtn" for c in allele):
                    continue
                # The edited sequence near the variant only (a whole-chromosome copy per ALT is needlessly slow):
                # its coordinates start at lo, it is len(allele) - len(ref) longer than the genome.
                lo, hi = max(0, pos0 - width), min(len(sequence), pos0 + len(ref) + width)
                local = sequence[lo:pos0] + allele.upper() + sequence[pos0 + len(ref):hi]
                edited_length = len(sequence) + len(allele) - len(ref)
                start = pos0 + len(allele) // 2 - width // 2
                alt_window = "".join(local[p - lo] if 0 <= p < edited_length else "N" for p in range(start, start + width))
                name = f"{ordinal}:{index}"
                refs.write(f">{name}\n{reference_window}\n")
                alts.write(f">{name}\n{alt_window}\n")


if __name__ == "__main__":
    main()
