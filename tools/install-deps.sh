#!/usr/bin/env bash
# Installs, with apt-get, every Debian 12 package genobird builds, tests and benchmarks with.
# Idempotent: packages already installed are skipped; `apt-get update` runs at most once, only when needed.
set -euo pipefail

packages=(
  # build
  cmake g++ make pkg-config
  # libraries
  libtorch-dev libopenblas0-pthread libhts-dev zlib1g-dev libboost-program-options-dev
  libgtest-dev nlohmann-json3-dev libgloo-dev libmatio-dev libbigwig-dev
  # sanitizer and fuzzing builds (tools/test.sh --sanitize, tools/fuzz.sh): clang with libFuzzer
  clang libclang-rt-14-dev
  # reference peers and tools the tests and benchmarks run
  samtools bcftools bedtools tabix sentencepiece snakemake xz-utils time
  # NumPy reads `embed` output back in its test; scikit-learn fits the linear probe of tools/bench
  python3-numpy python3-sklearn
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
echo "install-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
if ! $sudo apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null 2>&1; then
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
