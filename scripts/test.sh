#!/usr/bin/env bash
# Set up what is missing (Debian packages, MNIST, build), then run every test with CTest.
# Exits non-zero when any test fails. Arguments go to ctest (e.g. -L core, -R tst_cli).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
tb_setup
cd "$TB_BUILD"
exec ctest --output-on-failure --timeout 1800 "$@"
