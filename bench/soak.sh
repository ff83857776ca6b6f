#!/usr/bin/env bash
# The soak figures for README.md: RUNS short runs (1 epoch of SAMPLES training images, the whole
# test set evaluated, predictions and confusion matrix shown) trained one after another in one
# window (offscreen) without restarting it; memory and threads after each run.
# usage: bench/soak.sh [RUNS] [SAMPLES]   (default 20 runs of 3000 samples)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/setup.sh"
tb_setup
runs=${1:-20}
samples=${2:-3000}
# Bounded: a window that never becomes ready for the next run must not hang the script.
out=$(TRAINBENCH_DATA_DIR=$TB_ROOT/data/mnist timeout 3600 \
  "$TB_BUILD/bin/trainbench-soakbench" "$runs" "$samples" 2> "$TB_BUILD/soakbench.log") || {
  echo "trainbench-soakbench failed or timed out; see $TB_BUILD/soakbench.log" >&2
  exit 1
}
echo "$out" | python3 -c '
import json, sys
rows = [json.loads(l) for l in sys.stdin if l.strip()]
per_run, summary = rows[:-1], rows[-1]
print("| run | resident MB | peak MB | threads |")
print("|---|---|---|---|")
for r in per_run:
    if r["run"] in (1, 2, 3, 5, 10, 15) or r["run"] == len(per_run):
        print("| {run} | {resident_mb:.0f} | {peak_mb:.0f} | {threads} |".format(**r))
s = summary
print()
print("Peak memory from run 2 to run {runs}: {peak_mb_run2:.0f} -> {peak_mb_last:.0f} MB "
      "({peak_growth_percent:+.1f}%); threads before the first run {threads_before}, "
      "after run 2 {threads_run2}, at most {threads_most}, after the last {threads_last}.".format(**s))
'
