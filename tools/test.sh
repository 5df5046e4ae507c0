#!/usr/bin/env bash
# Installs what genobird needs, builds it and runs the whole test suite. Exits non-zero on any failure.
#   tools/test.sh [extra ctest arguments, e.g. -R io]
#   tools/test.sh --sanitize [extra ctest arguments]
# BUILD_DIR (default build/) selects the build folder.
#
# --sanitize builds genobird's own code a second time with AddressSanitizer and UndefinedBehaviorSanitizer
# (build-asan/; libtorch and the other Debian libraries are not instrumented) and runs the unit tests and
# the command-line bad-input catalogues (tests/cli/bad_*.sh) there; any sanitizer report fails the run.
# Leaks kept on purpose by third-party libraries are suppressed in tools/sanitizer/lsan.supp.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/install-deps.sh
jobs=$(nproc)
if [ "${1:-}" = "--sanitize" ]; then
  shift
  build=${BUILD_DIR:-build-asan}
  cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_FLAGS_RELEASE="-O1 -DNDEBUG" \
    -DCMAKE_C_FLAGS_RELEASE="-O1 -DNDEBUG" -DGENOBIRD_SANITIZE=ON >/dev/null
  # Only what the sanitized run executes: the two executables and the unit-test binaries.
  cmake --build "$build" -j "$jobs" --target genobird genobird-torch test_util test_io test_tokenizer test_model \
    test_train test_infer
  root=$(pwd)
  export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:halt_on_error=1:detect_odr_violation=0:exitcode=86"
  export LSAN_OPTIONS="suppressions=$root/tools/sanitizer/lsan.supp:print_suppressions=0"
  export UBSAN_OPTIONS="suppressions=$root/tools/sanitizer/ubsan.supp:print_stacktrace=1:halt_on_error=1"
  cd "$build"
  ctest --output-on-failure -j "$jobs" -L '^(util|io|tokenizer|model|train|infer)$' "$@"
  ctest --output-on-failure -j "$jobs" -R '^cli\.bad_' "$@"
  exit 0
fi
build=${BUILD_DIR:-build}
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build" -j "$jobs"
cd "$build"
ctest --output-on-failure -j "$jobs" "$@"
