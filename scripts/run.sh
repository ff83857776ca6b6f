#!/usr/bin/env bash
# Set up what is missing (Debian packages, MNIST, build), then start the Trainbench window.
# Arguments are passed to the program.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
tb_setup
export TRAINBENCH_DATA_DIR=${TRAINBENCH_DATA_DIR:-$TB_ROOT/data/mnist}
if [[ -z ${DISPLAY:-} && -z ${WAYLAND_DISPLAY:-} && -z ${QT_QPA_PLATFORM:-} ]]; then
  tb_say "no display found; starting under a virtual X server (xvfb-run)"
  exec xvfb-run -a "$TB_BUILD/bin/trainbench" "$@"
fi
exec "$TB_BUILD/bin/trainbench" "$@"
