#!/usr/bin/env bash
# Gathers the outputs of `genobird predict --shard I/N` (I = 0..N-1) back into the order of the input BED.
#
#   gather-shards.sh REGIONS.bed SHARD_0.tsv ... SHARD_N-1.tsv > all.tsv
#
# Shard I holds regions I, I+N, I+2N, ... of the BED, so the rows are interleaved: walk the BED, and for its
# k-th region take the next row of shard k % N when that row is this region (a region left out by
# --skip-invalid has no row, and is passed over). The header is written once. The BED may be gzip-compressed;
# its columns must be tab-separated, as genobird writes them back.
set -euo pipefail
if [ $# -lt 2 ]; then
  echo "usage: $0 REGIONS.bed SHARD_0.tsv [SHARD_1.tsv ...]" >&2
  exit 2
fi
bed=$1
shift
gzip -cdf -- "$bed" | awk -v shards="$#" '
  BEGIN {
    for (i = 0; i < shards; i++) {
      file[i] = ARGV[i + 1]
      if ((getline header < file[i]) <= 0) { print "gather-shards: " file[i] " is empty (no header)" > "/dev/stderr"; exit 1 }
      if (i == 0) print header
      ARGV[i + 1] = ""
    }
    k = 0
  }
  /^(#|track|browser)/ || /^[ \t\r]*$/ { next }
  {
    s = k % shards; k++
    if (!(s in pending)) {
      if ((getline row < file[s]) <= 0) next
      pending[s] = row
    }
    if (index(pending[s], $0 "\t") == 1) { print pending[s]; delete pending[s] }
  }
  END {
    for (s in pending) { print "gather-shards: " file[s] " has rows that match no region of the BED" > "/dev/stderr"; exit 1 }
    for (i = 0; i < shards; i++)
      if ((getline row < file[i]) > 0) { print "gather-shards: " file[i] " has rows that match no region of the BED" > "/dev/stderr"; exit 1 }
  }' "$@"
