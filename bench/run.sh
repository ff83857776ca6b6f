#!/usr/bin/env bash
# One command for the speed table in README.md: Trainbench vs PyTorch-from-Python (same model,
# batch, optimizer and files; interleaved, repeated), GUI vs CLI epoch time, UI stalls, dataset
# load time, prediction latency, peak memory, and the runs library's opening and overlay times. Installs its peer (python3-torch) if missing.
# usage: bench/run.sh [ROUNDS]   (default 3)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/setup.sh"
tb_setup
# Debian's own Python: python3-torch is built on the same libtorch we link.
py=/usr/bin/python3
if ! "$py" -c 'import torch, numpy' 2> /dev/null; then
  tb_say "installing the peer: python3-torch"
  tb_as_root apt-get install -y -qq --no-install-recommends python3-torch python3-numpy > /dev/null
fi
rounds=${1:-3}
data=$TB_ROOT/data/mnist
cli=$TB_BUILD/bin/trainbench-cli
field() { python3 -c "import json,sys; print(json.loads(sys.stdin.readline())['$1'])"; }

ours=()
peer=()
e2e=()
walls=()
evalRates=()
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
guiRatios=()
stalls=()
for ((r = 1; r <= rounds; r++)); do
  # The GUI and the CLI back to back, so each pair sees the machine in the same mood; which goes
  # first alternates, so that an order effect cancels out.
  if ((r % 2)); then
    mine=$("$cli" bench --data "$data" --epochs 1)
    gui=$(TRAINBENCH_DATA_DIR=$data "$TB_BUILD/bin/trainbench-guibench" 2> /dev/null)
  else
    gui=$(TRAINBENCH_DATA_DIR=$data "$TB_BUILD/bin/trainbench-guibench" 2> /dev/null)
    mine=$("$cli" bench --data "$data" --epochs 1)
  fi
  o=$(echo "$mine" | field samples_per_second)
  p1=$("$py" "$TB_ROOT/bench/peer_pytorch.py" "$data" 1 | field samples_per_second)
  p2=$("$py" "$TB_ROOT/bench/peer_pytorch.py" "$data" 2 0 seed-cnn --tuned | field samples_per_second)
  p3=$("$py" "$TB_ROOT/bench/peer_pytorch.py" "$data" 1 0 seed-cnn --tuned | field samples_per_second)
  p=$(python3 -c "print(max($p1, $p2, $p3))")
  # End to end: the whole one-epoch process as a user runs it (start, load, train, test),
  # against the peer's bare training loop at its best setting.
  start=$(date +%s.%N)
  epoch=$("$cli" train --data "$data" --epochs 1 --json --no-progress --runs "$scratch" 2> /dev/null | tail -1)
  end=$(date +%s.%N)
  wall=$(python3 -c "print($end - $start)")
  e2e+=("$(python3 -c "print((60000 / $p) / $wall)")")
  walls+=("$wall")
  evalRates+=("$(python3 -c "import json; print(10000 / json.loads('$epoch')['eval_seconds'])")")
  # Where the process's time went: the loop runs in another minute than bench's loop above, and
  # this VM's speed moves from minute to minute.
  python3 -c "import json; e = json.loads('$epoch'); w = $wall; print(f'round $r end to end: {w:.2f} s = loop {e[\"seconds\"]:.2f} s ({e[\"samples_per_second\"]:.0f} samples/s) + test set {e[\"eval_seconds\"]:.2f} s + the rest {w - e[\"seconds\"] - e[\"eval_seconds\"]:.2f} s; {60000 / $p / w:.2f}x the peer\'s best loop')" >&2
  c=$(echo "$mine" | field epoch_seconds)
  g=$(echo "$gui" | field gui_epoch_seconds)
  echo "round $r: trainbench $o samples/s, pytorch $p samples/s (1 thread $p1, 1 thread tuned $p3, 2 threads tuned $p2);" \
    "epoch CLI $c s, GUI $g s" >&2
  ours+=("$o")
  peer+=("$p")
  guiRatios+=("$(python3 -c "print($g / $c)")")
  stalls+=("$(echo "$gui" | field ui_worst_stall_ms)")
done
details=$mine
# Every other preset, train loop against train loop (bench's samples/s against the same model in
# PyTorch at its best of 1 thread, 1 thread tuned and 2 threads tuned): lenet5 and mlp on the
# whole set, deep-cnn on a slice; color-cnn on made-up 32x32 colour images (bench/make_cifar.py).
colour=$scratch/cifar
"$py" "$TB_ROOT/bench/make_cifar.py" "$colour" 6000 1000
declare -A presetRatio presetOurs presetPeer
for model in lenet5 mlp deep-cnn color-cnn; do
  # Whole epochs for the small models: a slice of a second or less scattered their ratio most.
  limit=60000
  [[ $model == deep-cnn || $model == color-cnn ]] && limit=6000
  dir=$data
  [[ $model == color-cnn ]] && dir=$colour
  r1=()
  for ((r = 1; r <= rounds; r++)); do
    a=$("$cli" bench --data "$dir" --model "$model" --limit "$limit" --epochs 1 2> /dev/null | field samples_per_second)
    b=$("$py" "$TB_ROOT/bench/peer_pytorch.py" "$dir" 1 "$limit" "$model" | field samples_per_second)
    c=$("$py" "$TB_ROOT/bench/peer_pytorch.py" "$dir" 1 "$limit" "$model" --tuned | field samples_per_second)
    d=$("$py" "$TB_ROOT/bench/peer_pytorch.py" "$dir" 2 "$limit" "$model" --tuned | field samples_per_second)
    best=$(python3 -c "print(max($b, $c, $d))")
    echo "$model round $r: trainbench $a samples/s, pytorch best $best (1 thread $b, tuned $c, 2 threads tuned $d)" >&2
    r1+=("$(python3 -c "print($a / $best)")")
    presetOurs[$model]=$a
    presetPeer[$model]=$best
  done
  presetRatio[$model]=$(printf '%s\n' "${r1[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
done
runsLib=$("$TB_BUILD/bin/trainbench-runsbench" 500 2> /dev/null)
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
o=$(median "${ours[@]}")
p=$(median "${peer[@]}")
cpu=$(lscpu | sed -n 's/^Model name: *//p' | head -1)
cat <<TABLE
Machine: $cpu, $(nproc) cores, Debian $(cat /etc/debian_version), libtorch $("$cli" --version | sed 's/.*libtorch \(.*\))/\1/')

| measure | value |
|---|---|
| Trainbench, seed CNN, batch 32, 1 epoch (median of $rounds) | $(printf '%.0f' "$o") samples/s |
| PyTorch from Python, same model (best of 1 thread, 1 thread tuned, 2 threads tuned; median of $rounds) | $(printf '%.0f' "$p") samples/s |
| ratio, train loop | $(python3 -c "print(f'{$o / $p:.2f}x')") |
| end to end: whole \`train --epochs 1\` process (start, load, train, test) vs the peer's best loop (median of $rounds) | $(python3 -c "print(f'{$(median "${e2e[@]}"):.2f}x')") ($(python3 -c "print(f'{$(median "${walls[@]}"):.1f}')") s) |
| lenet5, train loop vs the peer's best (median of $rounds ratios; last: ${presetOurs[lenet5]%.*} vs ${presetPeer[lenet5]%.*} samples/s) | $(python3 -c "print(f'{${presetRatio[lenet5]}:.2f}x')") |
| mlp, train loop vs the peer's best (last: ${presetOurs[mlp]%.*} vs ${presetPeer[mlp]%.*} samples/s) | $(python3 -c "print(f'{${presetRatio[mlp]}:.2f}x')") |
| deep-cnn, train loop vs the peer's best (last: ${presetOurs[deep-cnn]%.*} vs ${presetPeer[deep-cnn]%.*} samples/s) | $(python3 -c "print(f'{${presetRatio[deep-cnn]}:.2f}x')") |
| color-cnn, 32x32 colour, train loop vs the peer's best (last: ${presetOurs[color-cnn]%.*} vs ${presetPeer[color-cnn]%.*} samples/s) | $(python3 -c "print(f'{${presetRatio[color-cnn]}:.2f}x')") |
| test-set evaluation, seed CNN (10,000 images, median of $rounds) | $(python3 -c "print(f'{$(median "${evalRates[@]}"):.0f}')") images/s |
| GUI epoch / CLI epoch, training part (median of $rounds pairs) | $(python3 -c "print(f'{$(median "${guiRatios[@]}"):.3f}')") (pairs: $(printf '%s ' "${guiRatios[@]}" | python3 -c "import sys; print(', '.join(f'{float(x):.3f}' for x in sys.stdin.read().split()))")) |
| UI thread's longest stall while training (worst of $rounds) | $(printf '%s\n' "${stalls[@]}" | sort -n | tail -1) ms |
| UI thread's CPU time during the GUI epoch (last round) | $(echo "$gui" | field ui_thread_cpu_seconds) s of $(echo "$gui" | field gui_wall_seconds) s |
| dataset load (60,000 + 10,000 images) | $(echo "$details" | field dataset_load_seconds) s |
| single prediction: a 280x280 drawing preprocessed and classified, as the Draw tab does (median / p99) | $(echo "$details" | field predict_ms_median) / $(echo "$details" | field predict_ms_p99) ms |
| peak RSS of trainbench-cli bench | $(echo "$details" | field peak_rss_mb) MB |
| page faults of a whole run, CLI / GUI (last round) | $(echo "$details" | field page_faults) / $(echo "$gui" | field page_faults) |
| Runs panel: open a runs folder of 500 runs (20 epochs each) | $(echo "$runsLib" | field open_seconds) s |
| Runs panel: UI thread's longest stall overlaying 10 of them | $(echo "$runsLib" | field overlay_worst_stall_ms) ms |
TABLE
