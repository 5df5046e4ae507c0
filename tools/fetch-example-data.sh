#!/usr/bin/env bash
# Fetches the real example data genobird's benchmarks and experiments use, from Debian data packages
# (apt-get download; no other network access needed), and writes plain files under data/ (git-ignored):
#   data/klebsiella/*.fna            four complete Klebsiella pneumoniae genomes (kleborate-examples)
#   data/lambda/lambda_virus.fa      lambda phage genome, 48.5 kb (bowtie2-examples)
#   data/lambda/reads.bam            26,000 real reads, unaligned BAM (bowtie2-examples)
#   data/dm3/dm3_upstream2000.fa     26,454 Drosophila upstream regions, 2 kb each (r-bioc-biostrings)
#   data/dm3/chr2R.fa                the whole dm3 chromosome arm 2R, 21,146,708 bp, with .fai (augustus-doc)
#   data/dm3/insulators/*.bed        ChIP-chip peaks of four insulator proteins (BEAF, CTCF, Cp190, SuHw) in
#                                    two cell lines (Kc, Mbn2), Bushey et al. 2009, dm3 (python3-pybedtools)
#   data/chromhmm/                   RefSeq TSS/gene coordinates for several assemblies (chromhmm-example)
#   data/hg19/22_20-21M.fa           1 Mb of human chr22 (hg19 chr22:20,000,001-21,000,000), as a sequence of
#                                    its own named 22_20-21M (hisat2's example reference), with .fai
#   data/hg19/22_20-21M.vcf.gz       its 3,502 dbSNP variants (hisat2's 22_20-21M.snp) as a VCF on that
#                                    sequence, REF taken from it and checked with bcftools norm; .tbi index
# Idempotent: what is already there is kept. DATA_DIR overrides data/.
set -euo pipefail
cd "$(dirname "$0")/.."
data=${DATA_DIR:-data}
mkdir -p "$data"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Downloads package $1 into $work and unpacks it into $work/$1.
unpack() {
  (cd "$work" && apt-get download "$1" >/dev/null 2>&1) || {
    apt-get update -qq >/dev/null 2>&1 || true
    (cd "$work" && apt-get download "$1" >/dev/null)
  }
  dpkg -x "$work/$1"_*.deb "$work/$1"
}

if [ ! -s "$data/klebsiella/.done" ]; then
  unpack kleborate-examples
  mkdir -p "$data/klebsiella"
  for f in "$work"/kleborate-examples/usr/share/doc/kleborate/examples/data/*.fna.xz; do
    xz -dc "$f" > "$data/klebsiella/$(basename "$f" .xz)"
  done
  ls "$data/klebsiella" > "$data/klebsiella/.done"
fi

if [ ! -s "$data/lambda/.done" ]; then
  unpack bowtie2-examples
  mkdir -p "$data/lambda"
  root="$work/bowtie2-examples"
  zcat "$(find "$root" -name 'lambda_virus.fa.gz' | head -1)" > "$data/lambda/lambda_virus.fa"
  zcat "$(find "$root" -name 'combined_reads.bam.gz' | head -1)" > "$data/lambda/reads.bam"
  echo ok > "$data/lambda/.done"
fi

if [ ! -s "$data/dm3/.done" ]; then
  unpack r-bioc-biostrings
  mkdir -p "$data/dm3"
  zcat "$(find "$work/r-bioc-biostrings" -name 'dm3_upstream2000.fa.gz' | head -1)" > "$data/dm3/dm3_upstream2000.fa"
  echo ok > "$data/dm3/.done"
fi

if [ ! -s "$data/dm3/chr2R.done" ]; then
  unpack augustus-doc
  mkdir -p "$data/dm3"
  cp "$(find "$work/augustus-doc" -path '*tutorial/data/chr2R.fa*' | head -1)" "$work/chr2R.fa.in"
  case "$(head -c 2 "$work/chr2R.fa.in" | od -An -tx1 | tr -d ' ')" in
    1f8b) zcat "$work/chr2R.fa.in" > "$data/dm3/chr2R.fa" ;;
    *) mv "$work/chr2R.fa.in" "$data/dm3/chr2R.fa" ;;
  esac
  samtools faidx "$data/dm3/chr2R.fa"
  echo ok > "$data/dm3/chr2R.done"
fi

if [ ! -s "$data/dm3/insulators/.done" ]; then
  unpack python3-pybedtools
  mkdir -p "$data/dm3/insulators"
  for f in "$(find "$work/python3-pybedtools" -type d -path '*pybedtools/test/data' | head -1)"/*_Bushey_2009.bed; do
    cp "$f" "$data/dm3/insulators/"
  done
  ls "$data/dm3/insulators" > "$data/dm3/insulators/.done"
fi

if [ ! -s "$data/chromhmm/.done" ]; then
  unpack chromhmm-example
  mkdir -p "$data/chromhmm"
  cp -r "$(find "$work/chromhmm-example" -type d -name COORDS | head -1)"/. "$data/chromhmm/"
  echo ok > "$data/chromhmm/.done"
fi

if [ ! -s "$data/hg19/.done" ]; then
  unpack hisat2
  mkdir -p "$data/hg19"
  ref=$(find "$work/hisat2" -type d -path '*examples/reference' | head -1)
  # The fragment's own name (22:20000001-21000000) reads as a region to htslib; the file's stem is kept.
  sed '1s/^>.*/>22_20-21M/' "$ref/22_20-21M.fa" > "$data/hg19/22_20-21M.fa"
  samtools faidx "$data/hg19/22_20-21M.fa"
  # 22_20-21M.snp: id, single|deletion|insertion, fragment name, 0-based offset, ALT base | deleted length |
  # inserted bases. VCF POS is 1-based; indels take the preceding base as VCF's anchor.
  awk -v FS='\t' -v OFS='\t' '
    NR == FNR { if (!/^>/) seq = seq toupper($0); next }
    FNR == 1 {
      print "##fileformat=VCFv4.2"
      print "##contig=<ID=22_20-21M,length=" length(seq) ",assembly=hg19>"
      print "##fragment=hg19 chr22:20000001-21000000 (POS 1 is chr22:20000001)"
      print "##source=hisat2 examples/reference/22_20-21M.snp (dbSNP)"
      print "#CHROM", "POS", "ID", "REF", "ALT", "QUAL", "FILTER", "INFO"
    }
    $2 == "single" { print "22_20-21M", $4 + 1, $1, substr(seq, $4 + 1, 1), $5, ".", ".", "." }
    $2 == "deletion" { print "22_20-21M", $4, $1, substr(seq, $4, $5 + 1), substr(seq, $4, 1), ".", ".", "." }
    $2 == "insertion" { print "22_20-21M", $4, $1, substr(seq, $4, 1), substr(seq, $4, 1) $5, ".", ".", "." }
  ' "$data/hg19/22_20-21M.fa" "$ref/22_20-21M.snp" > "$work/hg19.vcf"
  bcftools sort -T "$work" -Ou -o "$work/hg19.bcf" "$work/hg19.vcf" 2> "$work/sort.log" || { cat "$work/sort.log" >&2; exit 1; }
  # --check-ref e: a REF that differs from the sequence stops here (none does: REF comes from it).
  bcftools norm --check-ref e -f "$data/hg19/22_20-21M.fa" -Oz -o "$data/hg19/22_20-21M.vcf.gz" "$work/hg19.bcf" \
    2> "$work/norm.log" || { cat "$work/norm.log" >&2; exit 1; }
  bcftools index -t -f "$data/hg19/22_20-21M.vcf.gz"
  echo ok > "$data/hg19/.done"
fi

echo "example data in $data/:" >&2
(cd "$data" && find . -type f ! -name .done | sort | sed -n 1,20p) >&2
