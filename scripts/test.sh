#!/usr/bin/env bash
# Set up what is missing (Debian packages, MNIST, build), then run every test with CTest.
# Exits non-zero when any test fails. Arguments go to ctest (e.g. -L core, -R tst_cli).
#   --sanitize   build everything with AddressSanitizer + UBSan into build-sanitize/ and run the
#                tests of the code itself there (not the portability, format, packaging and fuzz
#                checks, which do not run our binaries or build their own).
set -euo pipefail
sanitize=0
if [[ ${1:-} == --sanitize ]]; then
  sanitize=1
  shift
  export TRAINBENCH_BUILD_DIR=${TRAINBENCH_BUILD_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/build-sanitize}
  export TB_CMAKE_EXTRA="-DCMAKE_CXX_FLAGS=-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
fi
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
tb_setup
cd "$TB_BUILD"
if ((sanitize)); then
  # libtorch and OpenBLAS keep allocations until exit on purpose: leak reports would be theirs.
  export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0:halt_on_error=1}
  export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
  exec ctest --output-on-failure --timeout 3600 -LE 'portability|format|packaging|fuzz' "$@"
fi
exec ctest --output-on-failure --timeout 1800 "$@"
