#!/usr/bin/env bash
# The accuracy presets' figures for README.md: trains every recipe that `trainbench-cli presets
# --json` lists, on each dataset found here, exactly as printed, and reports the final test
# accuracy and the time (training + evaluation, and wall clock from start to exit).
# usage: bench/presets.sh [DATASET...]   (default: every dataset found; names as in the recipes:
#        mnist, fashion-mnist, cifar-10). CIFAR-10 is used when $TRAINBENCH_CIFAR_DIR points at
#        its binary batches (no registry here ships it).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/setup.sh"
tb_setup
cli=$TB_BUILD/bin/trainbench-cli
declare -A folders=([mnist]=$TB_ROOT/data/mnist
  [fashion-mnist]=/usr/share/datasets/fashion-mnist
  [cifar-10]=${TRAINBENCH_CIFAR_DIR:-})
wanted=("$@")
runs=$(mktemp -d)
trap 'rm -rf "$runs"' EXIT

"$cli" presets --json | python3 -c '
import json, sys
for line in sys.stdin:
    p = json.loads(line)
    for r in p.get("recipes", []):
        print(p["name"], r["dataset"], r["recipe"])' |
  while read -r preset dataset recipe; do
    dir=${folders[$dataset]:-}
    if ((${#wanted[@]})) && [[ ! " ${wanted[*]} " == *" $dataset "* ]]; then continue; fi
    if [[ -z $dir || ! -d $dir ]]; then
      echo "$preset on $dataset: skipped (no data folder)"
      continue
    fi
    start=$(date +%s.%N)
    # shellcheck disable=SC2086 # the recipe is a list of options
    "$cli" train --data "$dir" $recipe --json --no-progress --runs "$runs" > "$runs/out.json"
    end=$(date +%s.%N)
    python3 - "$preset" "$dataset" "$recipe" "$start" "$end" "$runs/out.json" << 'PY'
import json, sys
preset, dataset, recipe, start, end, path = sys.argv[1:]
epochs = [json.loads(l) for l in open(path) if l.startswith("{")]
train = sum(e["seconds"] + e["eval_seconds"] for e in epochs)
best = max(e["test_accuracy"] for e in epochs)
print(f"{preset} on {dataset} ({recipe}): final test accuracy {epochs[-1]['test_accuracy']*100:.2f}% "
      f"(best {best*100:.2f}%), {len(epochs)} epochs in {train/60:.1f} min "
      f"(wall clock {(float(end)-float(start))/60:.1f} min)")
PY
  done
