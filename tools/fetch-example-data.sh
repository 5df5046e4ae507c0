#!/usr/bin/env bash
# Fetches the real example data genobird's benchmarks and experiments use, from Debian data packages
# (apt-get download; no other network access needed), and writes plain files under data/ (git-ignored):
#   data/klebsiella/*.fna            four complete Klebsiella pneumoniae genomes (kleborate-examples)
#   data/lambda/lambda_virus.fa      lambda phage genome, 48.5 kb (bowtie2-examples)
#   data/lambda/reads.bam            26,000 real reads, unaligned BAM (bowtie2-examples)
#   data/dm3/dm3_upstream2000.fa     26,454 Drosophila upstream regions, 2 kb each (r-bioc-biostrings)
#   data/chromhmm/                   RefSeq TSS/gene coordinates for several assemblies (chromhmm-example)
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

if [ ! -s "$data/chromhmm/.done" ]; then
  unpack chromhmm-example
  mkdir -p "$data/chromhmm"
  cp -r "$(find "$work/chromhmm-example" -type d -name COORDS | head -1)"/. "$data/chromhmm/"
  echo ok > "$data/chromhmm/.done"
fi

echo "example data in $data/:" >&2
(cd "$data" && find . -type f ! -name .done | sort | head -20) >&2
