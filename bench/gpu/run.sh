#!/usr/bin/env bash
# The GPU check of issue #18, on a machine with an NVIDIA GPU and PyTorch 2.x from pip (its
# libtorch, headers and CMake files are inside the installed torch package):
#   1. build core, trainbench-cli and trainbench-cudacheck against that libtorch (CUDA);
#   2. trainbench-cudacheck: core's layers on CUDA tensors take libtorch's CUDA ops, not the CPU
#      fast paths, and match libtorch's results;
#   3. the tutorial (seed CNN, 5 epochs, batch 32, seed 0) on CUDA with trainbench-cli, and the
#      same model in PyTorch from Python on the same GPU (bench/peer_pytorch.py --device=cuda,
#      plain and tuned), one after another, in two rounds, so each sees the GPU in the same state;
#   4. checkpoints across libtorch versions, and c10d with two processes (--nproc, torchrun);
#   5. lenet5, mlp, deep-cnn and color-cnn (made-up colour images) on CUDA, one epoch each and
#      one more resumed from its checkpoint;
#   6. a profile of 200 steps of ours (TRAINBENCH_PROFILE), for where the time goes.
# usage: bench/gpu/run.sh OUTDIR
# TB_OLD_CHECKPOINT: a checkpoint written by another libtorch (say Debian's 1.13) to predict with;
# OUTDIR/mlp-new.ckpt is one written by this libtorch, to take back. TB_GPU_ROUNDS (default 2),
# TB_GPU_PEERS (default "plain tuned"), TB_GPU_MISC=0 (no checkpoint and c10d step) and
# TB_GPU_PRESETS=0 (no other presets) shorten it; TB_GPU_DEVICE=cpu runs the presets step on the
# CPU (a dry run of its commands).
# Environment: TB_MNIST (IDX files, raw or .gz; default data/mnist); TB_GPU_DEBS, a folder of
# Debian 12 .deb files unpacked into a private prefix, for a machine without those development
# packages and with no network (the device machine of this project's sessions); on Debian 12:
#   apt-get download libprotobuf-dev libprotobuf32 libprotobuf-lite32 protobuf-compiler \
#     libprotoc32 zlib1g-dev zlib1g libpng-dev libpng16-16 libjpeg62-turbo-dev libjpeg62-turbo \
#     libjpeg-dev nlohmann-json3-dev
# Every step runs even when one fails; OUTDIR gets the logs, the summary goes to standard output.
set -uo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
out=${1:?usage: bench/gpu/run.sh OUTDIR}
mkdir -p "$out"
mnist=${TB_MNIST:-$root/data/mnist}
if [[ ! -f $mnist/train-images-idx3-ubyte ]]; then
  # Gzipped IDX files (the form they travel in): the peer reads raw ones.
  mkdir -p /tmp/trainbench-gpu-mnist
  for f in "$mnist"/*.gz; do gunzip -c "$f" > "/tmp/trainbench-gpu-mnist/$(basename "$f" .gz)"; done
  mnist=/tmp/trainbench-gpu-mnist
fi
py=${PYTHON:-python3}
build=/tmp/trainbench-gpu-build
step() { printf '\n== %s (%s)\n' "$1" "$(date +%T)"; }

step "machine"
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader
"$py" -c 'import torch; print("torch", torch.__version__, "cuda", torch.version.cuda, "cudnn", torch.backends.cudnn.version())'
echo "$(nproc) CPU cores; $(g++ --version | head -1); $(cmake --version | head -1)"
command -v nvcc > /dev/null || export PATH=/usr/local/cuda/bin:$PATH
nvcc --version | tail -1

prefixPath=$("$py" -c 'import torch; print(torch.utils.cmake_prefix_path)')
extraFlags=""
protoc=()
if [[ -n ${TB_GPU_DEBS:-} ]]; then
  step "unpacking the development packages from $TB_GPU_DEBS"
  deps=/tmp/trainbench-gpu-deps
  rm -rf "$deps"
  for deb in "$TB_GPU_DEBS"/*.deb; do dpkg -x "$deb" "$deps"; done
  arch=x86_64-linux-gnu
  # zlib1g-dev's libz.so points at /lib/...: make it point inside the prefix.
  ln -sf "$deps/lib/$arch/libz.so.1" "$deps/usr/lib/$arch/libz.so"
  export LD_LIBRARY_PATH=$deps/usr/lib/$arch:$deps/lib/$arch${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
  prefixPath="$deps/usr;$prefixPath"
  extraFlags="-I$deps/usr/include/$arch"
  protoc=(-DProtobuf_PROTOC_EXECUTABLE="$deps/usr/bin/protoc" -DZLIB_ROOT="$deps/usr")
fi

step "configure against PyTorch's libtorch"
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DTRAINBENCH_BUILD_UI=OFF -DTRAINBENCH_BUILD_TESTS=OFF -DTRAINBENCH_BUILD_GPU_CHECK=ON \
  -DCMAKE_PREFIX_PATH="$prefixPath" -DCMAKE_CXX_FLAGS="$extraFlags" \
  -DCMAKE_CUDA_COMPILER="$(command -v nvcc)" "${protoc[@]}" > "$out/configure.log" 2>&1
configured=$?
grep -E "Torch|CUDA|cuDNN|Protobuf|Found|Warning|Error" "$out/configure.log" | head -40
step "build (exit of configure: $configured)"
built=1
if ((configured == 0)); then
  ninja -C "$build" -k 0 trainbench-cli trainbench-cudacheck > "$out/build.log" 2>&1
  built=$?
  grep -E "error|Error" "$out/build.log" | head -60
  tail -3 "$out/build.log"
fi
cli=$build/bin/trainbench-cli

peer() { "$py" "$root/bench/peer_pytorch.py" "$mnist" 16 0 seed-cnn --device=cuda --epochs=5 "$@"; }
if ((built != 0)); then
  step "peer only (our build failed): PyTorch on CUDA, 5 epochs, plain and tuned"
  peer 2>> "$out/peer.log"
  peer --tuned 2>> "$out/peer.log"
else
  step "trainbench-cudacheck"
  "$build/bin/trainbench-cudacheck"
  echo "exit $?"
  step "the tutorial on CUDA, 5 epochs, seed 0: trainbench-cli, then PyTorch plain and tuned"
  for ((round = 1; round <= ${TB_GPU_ROUNDS:-2}; round++)); do
    echo "ours, round $round:"
    "$cli" train --data "$mnist" --device cuda --epochs 5 --seed 0 --json --no-progress \
      --runs "$out/runs$round" 2>> "$out/ours.log"
    echo "ours, round $round: exit $?; $(tail -1 "$out/ours.log")"
    for kind in ${TB_GPU_PEERS:-plain tuned}; do
      # tuned: fused Adam and set_to_none
      echo "peer ($kind), round $round: $(peer $([[ $kind == tuned ]] && echo --tuned) 2>> "$out/peer.log")"
    done
  done
  if [[ ${TB_GPU_MISC:-1} != 0 ]]; then
    step "checkpoints across libtorch versions, and c10d (Gloo, 2 processes; then under torchrun)"
    if [[ -n ${TB_OLD_CHECKPOINT:-} ]]; then
      echo "predict with $TB_OLD_CHECKPOINT (written by another libtorch):"
      "$cli" predict --model "$TB_OLD_CHECKPOINT" "$root/tests/fuzz/corpus/image/gray.png"
      echo "exit $?"
    fi
    small=(--model mlp --epochs 1 --limit 3200 --test-limit 500 --no-progress --device cpu)
    "$cli" train "${small[@]}" --data "$mnist" --save "$out/mlp-new.ckpt" --runs "$out/runs-ckpt" \
      >> "$out/misc.log" 2>&1
    echo "train --save: exit $?; predict with it: $("$cli" predict --model "$out/mlp-new.ckpt" \
      "$root/tests/fuzz/corpus/image/gray.png" 2>&1)"
    "$cli" train "${small[@]}" --data "$mnist" --nproc 2 --runs "$out/runs-nproc" 2>&1 | tail -2
    echo "--nproc 2: exit ${PIPESTATUS[0]}"
    "$py" -m torch.distributed.run --standalone --nproc_per_node=2 --no_python "$cli" train \
      "${small[@]}" --data "$mnist" --runs "$out/runs-torchrun" >> "$out/misc.log" 2>&1
    echo "torchrun, 2 processes: exit $?; $(grep -E "^Epoch|rank" "$out/misc.log" | tail -3)"
  fi
  if [[ ${TB_GPU_PRESETS:-1} != 0 ]]; then
    step "the other presets on CUDA: one epoch on 6,400 images, then one more resumed from it"
    # color-cnn on made-up colour images (bench/make_cifar.py): the colour input path on CUDA.
    colour=/tmp/trainbench-gpu-cifar
    "$py" "$root/bench/make_cifar.py" "$colour" 6400 2000
    for model in lenet5 mlp deep-cnn color-cnn; do
      dir=$mnist
      [[ $model == color-cnn ]] && dir=$colour
      slice=(--data "$dir" --device "${TB_GPU_DEVICE:-cuda}" --model "$model" --epochs 1
        --limit 6400 --test-limit 2000 --no-progress --runs "$out/runs-$model")
      "$cli" train "${slice[@]}" --run first >> "$out/misc.log" 2>&1
      first=$?
      "$cli" train "${slice[@]}" --run resumed --resume "$out/runs-$model/first/last.ckpt" \
        >> "$out/misc.log" 2>&1
      echo "$model: exit $first, resumed: exit $?; $(grep -E '^Epoch' "$out/misc.log" | tail -2 |
        tr '\n' ' ')"
    done
  fi
  step "profile: 200 steps of ours on CUDA"
  TRAINBENCH_PROFILE=$out/profile.json "$cli" train --data "$mnist" --device cuda --epochs 1 \
    --limit 6400 --test-limit 1000 --no-progress --runs "$out/runs-profile" > "$out/profile.log" 2>&1
  echo "exit $?"
  [[ -f $out/profile.json ]] && gzip -f "$out/profile.json"
  rm -rf "$out"/runs*
fi
