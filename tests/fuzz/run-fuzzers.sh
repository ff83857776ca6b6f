#!/usr/bin/env bash
# Builds the libFuzzer targets in tests/fuzz/ with clang (ASan + UBSan) and runs each for SECONDS
# on a copy of its seed corpus; fails on any crash, leak or undefined behaviour.
# usage: run-fuzzers.sh SRC BUILD SECONDS TORCH_LIBRARY   (exit 77: no clang with libFuzzer here)
set -euo pipefail
src=$(cd "$1" && pwd)
build=$(cd "$2" && pwd)
seconds=${3:-10}
torch=${4:-/usr/lib/x86_64-linux-gnu/libtorch.so}
cxx=$(command -v clang++ || true)
out=$build/fuzz
mkdir -p "$out"
if [[ -z $cxx ]] ||
  ! echo 'extern "C" int LLVMFuzzerTestOneInput(const unsigned char*, unsigned long) { return 0; }' |
  "$cxx" -x c++ -fsanitize=fuzzer - -o "$out/probe" 2> /dev/null; then
  echo "clang++ with libFuzzer not found: skipped"
  exit 77
fi
flags=(-std=c++17 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
  -I"$src/core/include" -I"$build/core/include" -I"$src/core" -I"$src/tests/fuzz")
core=$src/core
declare -A sources=(
  [fuzz_idx]="$core/data/idxreader.cpp $core/data/imageset.cpp"
  [fuzz_image]="$core/data/image.cpp $core/infer/grayimage.cpp $core/infer/digitpreprocessor.cpp
    $core/common/text.cpp"
  [fuzz_dataset_cache]="$core/data/datasetcache.cpp $core/common/atomicfile.cpp $core/platform/platform_posix.cpp"
  [fuzz_checkpoint_records]="$core/train/checkpointrecords.cpp"
  [fuzz_checkpoint_header]="$core/train/checkpointinfo.cpp $core/train/checkpointrecords.cpp $core/train/configjson.cpp
    $core/train/trainingconfig.cpp $core/train/optimizerconfig.cpp $core/train/learningrateschedule.cpp
    $core/train/epochmetrics.cpp $core/model/modelsummary.cpp $core/model/layerspec.cpp
    $core/model/modelpresets.cpp $core/data/augmentation.cpp $core/data/datasetoptions.cpp
    $core/common/text.cpp"
)
declare -A libs=(
  [fuzz_idx]="-lz" [fuzz_image]="-lpng -ljpeg" [fuzz_dataset_cache]="-ldl"
  [fuzz_checkpoint_header]="-L$(dirname "$torch") -ltorch -ltorch_cpu -lc10"
  [fuzz_checkpoint_records]="-L$(dirname "$torch") -ltorch -ltorch_cpu -lc10"
)
declare -A includes=(
  [fuzz_checkpoint_header]="-isystem /usr/include/torch/csrc/api/include"
  [fuzz_checkpoint_records]="-isystem /usr/include/torch/csrc/api/include"
)
status=0
for name in fuzz_idx fuzz_image fuzz_checkpoint_header fuzz_checkpoint_records fuzz_dataset_cache; do
  binary=$out/$name
  # shellcheck disable=SC2086 # lists of files and flags
  if ! "$cxx" "${flags[@]}" ${includes[$name]:-} "$src/tests/fuzz/$name.cpp" ${sources[$name]} \
    ${libs[$name]} -o "$binary" 2> "$out/$name.build.log"; then
    echo "FAILED to build $name:"
    head -20 "$out/$name.build.log"
    status=1
    continue
  fi
  corpus=$out/$name.corpus
  rm -rf "$corpus" && cp -r "$src/tests/fuzz/corpus/${name#fuzz_}" "$corpus"
  if ASAN_OPTIONS=detect_leaks=1 "$binary" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=3072 \
    -print_final_stats=1 "$corpus" > "$out/$name.log" 2>&1; then
    runs=$(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$out/$name.log" | grep -oE '[0-9]+$' || echo '?')
    echo "$name: $runs runs in ${seconds}s, no problem found (corpus $(ls "$corpus" | wc -l) files)"
  else
    echo "FAILED: $name found a problem:"
    grep -E 'ERROR|runtime error|Test unit written' "$out/$name.log" | head -10
    status=1
  fi
done
rm -f /tmp/trainbench-fuzz-* # the targets' scratch files
exit $status
