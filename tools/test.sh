#!/usr/bin/env bash
# Installs what genobird needs, builds it and runs the whole test suite. Exits non-zero on any failure.
#   tools/test.sh [extra ctest arguments, e.g. -R io]
# BUILD_DIR (default build/) selects the build folder.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/install-deps.sh
build=${BUILD_DIR:-build}
jobs=$(nproc)
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build" -j "$jobs"
cd "$build"
ctest --output-on-failure -j "$jobs" "$@"
