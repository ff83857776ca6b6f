#!/usr/bin/env bash
# Builds the .deb with CPack and checks its files and metadata; exit 77 (skipped) without dpkg.
# usage: check-deb.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build=$1
src=$2
if ! command -v dpkg-deb > /dev/null || ! command -v dpkg-shlibdeps > /dev/null; then
  echo "SKIP: dpkg-deb/dpkg-shlibdeps not found, no Debian package to check"
  exit 77
fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
(cd "$build" && cpack -G DEB -B "$out" > "$out/cpack.log" 2>&1) || { cat "$out/cpack.log"; exit 1; }
deb=$(ls "$out"/trainbench_*.deb)
echo "built $(basename "$deb")"
files=$(dpkg-deb --contents "$deb" | awk '{print $6}')
fail=0
for f in ./usr/bin/trainbench ./usr/bin/trainbench-cli \
         ./usr/share/applications/org.trainbench.Trainbench.desktop \
         ./usr/share/metainfo/org.trainbench.Trainbench.metainfo.xml \
         ./usr/share/icons/hicolor/scalable/apps/org.trainbench.Trainbench.svg \
         ./usr/share/icons/hicolor/48x48/apps/org.trainbench.Trainbench.png \
         ./usr/share/icons/hicolor/256x256/apps/org.trainbench.Trainbench.png; do
  grep -qx -- "$f" <<< "$files" || { echo "missing in package: $f"; fail=1; }
done
depends=$(dpkg-deb --field "$deb" Depends)
echo "Depends: $depends"
for d in libopenblas0-pthread libtorch libqt6widgets6 libqcustomplot2.1-qt6 libprotobuf libpng16 libjpeg62-turbo; do
  grep -q "$d" <<< "$depends" || { echo "Depends lacks $d"; fail=1; }
done
[[ $(dpkg-deb --field "$deb" Package) == trainbench ]] || { echo "wrong package name"; fail=1; }
version=$(sed -n 's/^project(Trainbench/&/p;s/^  VERSION \([0-9.]*\)$/\1/p' "$src/CMakeLists.txt" | tail -1)
[[ $(dpkg-deb --field "$deb" Version) == "$version" ]] || { echo "version is not $version"; fail=1; }
dpkg-deb -x "$deb" "$out/root"
if command -v desktop-file-validate > /dev/null; then
  desktop-file-validate "$out/root/usr/share/applications/org.trainbench.Trainbench.desktop" || fail=1
fi
if command -v appstreamcli > /dev/null; then
  appstreamcli validate --no-net --explain "$out/root/usr/share/metainfo/org.trainbench.Trainbench.metainfo.xml" || fail=1
fi
"$out/root/usr/bin/trainbench-cli" --version | grep -q "trainbench-cli $version" || { echo "trainbench-cli --version"; fail=1; }
QT_QPA_PLATFORM=offscreen "$out/root/usr/bin/trainbench" --version | grep -q "$version" || { echo "trainbench --version"; fail=1; }
exit $fail
