#!/usr/bin/env bash
# Portability check: compiles every translation unit of core and the CLI as the Windows build
# would see it, with Debian's MinGW-w64 cross compiler (-fsyntax-only), against the same libtorch,
# protobuf, zlib, libpng, libjpeg and nlohmann-json headers. Any POSIX-only call outside core's platform
# layer, a missing include that glibc happened to supply, or a GCC-on-Linux assumption fails it.
# It cannot see MSVC specifics, linking, or the Qt layer (CI builds those on Windows).
#
# usage: check-windows.sh SOURCE_DIR BUILD_DIR     exit 77 (skipped) without the cross compiler
set -uo pipefail
src=$1
build=$2
cxx=${TRAINBENCH_MINGW_CXX:-x86_64-w64-mingw32-g++-posix}
if ! command -v "$cxx" > /dev/null; then
  echo "SKIPPED: $cxx not found (Debian: apt-get install g++-mingw-w64-x86-64-posix)"
  exit 77
fi

# Only the third-party headers, never /usr/include itself: glibc's headers there would hide
# exactly the POSIX calls this check is for.
sysroot=$(mktemp -d)
trap 'rm -rf "$sysroot"' EXIT
for h in ATen c10 caffe2 torch google nlohmann gflags glog zlib.h zconf.h png.h pngconf.h pnglibconf.h \
    jpeglib.h jmorecfg.h jerror.h; do
  [[ -e /usr/include/$h ]] && ln -s "/usr/include/$h" "$sysroot/$h"
done
# libjpeg's configuration header lives in the multiarch folder.
for jconfig in /usr/include/*/jconfig.h; do
  [[ -e $jconfig ]] && ln -sf "$jconfig" "$sysroot/jconfig.h" && break
done

# libtorch's headers under MinGW: NDEBUG as in a release build, and the *_BUILD_MAIN_LIB
# defines so that its inline definitions are not declared dllimport (an error in GCC).
flags=(-std=c++17 -fsyntax-only -w -DNDEBUG -D_WIN32_WINNT=0x0A00
  -DTORCH_BUILD_MAIN_LIB -DC10_BUILD_MAIN_LIB -DCAFFE2_BUILD_MAIN_LIB
  -I"$src/core/include" -I"$build/core/include" -I"$src/core" -I"$build/core/proto/track/proto" -I"$build/core/proto"
  -I"$src/app/cli" -isystem "$sysroot" -isystem "$sysroot/torch/csrc/api/include")
# libtorch quirk: torch/nn/modules/instancenorm.h calls functional::detail::instance_norm without
# including torch/nn/functional/instancenorm.h; on Linux an earlier include happens to bring it in.
quirks=(-include torch/nn/functional/instancenorm.h)

# MinGW emulates some POSIX headers (unistd.h among them) that MSVC lacks, so the compiler alone
# would let them through: outside core/platform, no source may include one.
posix='unistd|dlfcn|pthread|fcntl|termios|malloc|execinfo|pwd|grp|libgen|sys/[a-z_]+'
if hits=$(cd "$src" && grep -rnE "^[[:space:]]*#[[:space:]]*include[[:space:]]*<($posix)\.h>" \
    --include='*.cpp' --include='*.h' core app ui | grep -v '^core/platform/'); then
  echo "FAILED: POSIX-only headers outside core/platform (the platform layer is the place for OS calls):"
  echo "$hits"
  exit 1
fi

mapfile -t units < <(cd "$src" && { find core -name '*.cpp' ! -name '*_posix.cpp'; find app/cli -name '*.cpp'; } | sort)
printf '%s\n' "${flags[@]}" > "$sysroot/flags.rsp"
printf '%s\n' "${quirks[@]}" > "$sysroot/quirks.rsp"
compile() {
  local unit=$1 extra=()
  [[ $unit == core/* ]] && extra=("@$sysroot/quirks.rsp")
  if ! out=$("$cxx" "@$sysroot/flags.rsp" "${extra[@]}" "$src/$unit" 2>&1); then
    echo "FAILED: $unit"
    echo "$out" | grep -E 'error|fatal' | head -20
    return 1
  fi
}
export -f compile
export cxx src sysroot
# One compiler per core; xargs exits non-zero when any unit failed.
if printf '%s\n' "${units[@]}" | xargs -P "$(nproc)" -I{} bash -c 'compile "$1"' _ {}; then
  echo "${#units[@]} translation units of core and the CLI compile for Windows (MinGW-w64)"
else
  echo "some of the ${#units[@]} translation units do not compile for Windows (above)"
  exit 1
fi
