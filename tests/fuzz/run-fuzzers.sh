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
# The generated build.ninja names paths unquoted: paths that need quoting are not supported.
if [[ "$src$build" =~ [[:space:]\$:\'\"] ]]; then
  echo "paths with spaces, quotes, \$ or : are not supported here ($src, $build): skipped"
  exit 77
fi
# LeakSanitizer matches lsan.supp's function name only on symbolised stacks: the symbolizer must
# be found (Debian's llvm-14 installs it under a versioned name).
symbolizer=$(command -v llvm-symbolizer || command -v llvm-symbolizer-14 ||
  ls /usr/lib/llvm-*/bin/llvm-symbolizer 2> /dev/null | tail -1 || true)
if [[ -z $symbolizer ]]; then
  echo "llvm-symbolizer not found (Debian: apt-get install llvm-14), without which leak reports" \
    "cannot be matched against lsan.supp: skipped"
  exit 77
fi
export ASAN_SYMBOLIZER_PATH=$symbolizer
if ! command -v ninja > /dev/null; then
  echo "ninja not found: skipped"
  exit 77
fi
flags="-std=c++17 -g -O1 -fsanitize=address,undefined -fno-sanitize-recover=undefined
  -I$src/core/include -I$build/core/include -I$src/core -I$src/tests/fuzz
  -isystem /usr/include/torch/csrc/api/include"
torchLibs="-L$(dirname "$torch") -ltorch -ltorch_cpu -lc10"
core=core
checkpointHeader="$core/train/checkpointinfo.cpp $core/train/checkpointrecords.cpp
  $core/train/configjson.cpp $core/train/trainingconfig.cpp $core/train/optimizerconfig.cpp
  $core/train/learningrateschedule.cpp $core/train/epochmetrics.cpp $core/model/modelsummary.cpp
  $core/model/layerspec.cpp $core/model/modelpresets.cpp $core/data/augmentation.cpp
  $core/data/datasetoptions.cpp $core/common/text.cpp"
images="$core/data/image.cpp $core/infer/grayimage.cpp $core/infer/digitpreprocessor.cpp"
declare -A sources=(
  [fuzz_idx]="$core/data/idxreader.cpp $core/data/imageset.cpp"
  [fuzz_image]="$images $core/common/text.cpp"
  [fuzz_dataset_cache]="$core/data/datasetcache.cpp $core/common/atomicfile.cpp $core/platform/platform_posix.cpp"
  [fuzz_checkpoint_records]="$core/train/checkpointrecords.cpp"
  [fuzz_checkpoint_header]="$checkpointHeader"
  [fuzz_checkpoint]="$checkpointHeader $images $core/infer/predictor.cpp $core/model/network.cpp
    $core/model/networkweights.cpp $core/model/convblock.cpp $core/model/tiledmaxpool.cpp
    $core/model/denseblock.cpp $core/model/dropoutblock.cpp $core/model/activationkernels.cpp
    $core/model/batchnormblock.cpp $core/model/splitgemm.cpp
    $core/track/crc32c.cpp $core/data/dataset.cpp $core/data/cifarreader.cpp
    $core/data/imagefolderreader.cpp $core/data/idxreader.cpp $core/data/imageset.cpp
    $core/data/datasetcache.cpp $core/common/atomicfile.cpp $core/platform/platform_posix.cpp"
)
declare -A libs=(
  [fuzz_idx]="-lz" [fuzz_image]="-lpng -ljpeg" [fuzz_dataset_cache]="-ldl"
  [fuzz_checkpoint_header]="$torchLibs" [fuzz_checkpoint_records]="$torchLibs"
  [fuzz_checkpoint]="$torchLibs -lpng -ljpeg -lz -ldl"
)
targets=(fuzz_idx fuzz_image fuzz_checkpoint_header fuzz_checkpoint_records fuzz_checkpoint
  fuzz_dataset_cache)

# Each source is compiled once for all targets, by ninja (in parallel, again only when it or a
# header it includes changed): the whole-checkpoint target alone needs a good part of core.
declare -A compiled=()
{
  echo "rule cxx"
  echo "  command = $cxx $(echo $flags) -fsanitize=fuzzer-no-link -MD -MF \$out.d -c \$in -o \$out"
  echo "  depfile = \$out.d"
  echo "  deps = gcc"
  echo "rule harness"
  echo "  command = $cxx $(echo $flags) -fsanitize=fuzzer -MD -MF \$out.d -c \$in -o \$out"
  echo "  depfile = \$out.d"
  echo "  deps = gcc"
  echo "rule link"
  echo "  command = $cxx -fsanitize=fuzzer,address,undefined \$in \$libs -o \$out"
  for name in "${targets[@]}"; do
    objects=""
    echo "build obj/$name.o: harness $src/tests/fuzz/$name.cpp"
    for file in ${sources[$name]}; do
      object=obj/${file//\//_}.o
      objects+=" $object"
      [[ -n ${compiled[$object]:-} ]] && continue
      compiled[$object]=1
      echo "build $object: cxx $src/$file"
    done
    echo "build $name: link obj/$name.o$objects"
    echo "  libs = ${libs[$name]}"
  done
} > "$out/build.ninja.new"
mv "$out/build.ninja.new" "$out/build.ninja"
if ! ninja -C "$out" > "$out/build.log" 2>&1; then
  echo "FAILED to build the fuzz targets:"
  grep -E 'error|FAILED' "$out/build.log" | head -20 || tail -20 "$out/build.log"
  exit 1
fi
status=0
for name in "${targets[@]}"; do
  binary=$out/$name
  corpus=$out/$name.corpus
  rm -rf "$corpus" && cp -r "$src/tests/fuzz/corpus/${name#fuzz_}" "$corpus"
  # Full stacks on every allocation, so that the one leak of libtorch's own (lsan.supp) is
  # told apart from any of ours.
  options=detect_leaks=1
  [[ $name == fuzz_checkpoint ]] && options+=:fast_unwind_on_malloc=0
  if ASAN_OPTIONS=$options LSAN_OPTIONS=suppressions=$src/tests/fuzz/lsan.supp "$binary" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=3072 \
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
