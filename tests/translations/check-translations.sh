#!/usr/bin/env bash
# Translation check: lupdate over the window's sources, in a temporary copy of each .ts file,
# must leave no unfinished entry (a string of the window nobody translated) and no vanished or
# obsolete one (a translation whose string is gone). Run lupdate on the real file to fix either:
#   lupdate -locations none -no-obsolete -target-language zh_CN ui app/gui \
#       -ts resources/translations/trainbench_zh_CN.ts
# and translate what it marks unfinished (Qt Linguist, or any editor).
#
# usage: check-translations.sh SOURCE_DIR     exit 77 (skipped) without lupdate
set -uo pipefail
src=$1
lupdate=${TRAINBENCH_LUPDATE:-}
for candidate in "$lupdate" /usr/lib/qt6/bin/lupdate lupdate-qt6 lupdate; do
  [[ -n $candidate ]] && command -v "$candidate" > /dev/null && lupdate=$candidate && break
done
if ! command -v "$lupdate" > /dev/null 2>&1; then
  echo "SKIPPED: lupdate not found (Debian: apt-get install qt6-l10n-tools)"
  exit 77
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
status=0
shopt -s nullglob
files=("$src"/resources/translations/*.ts)
if (( ${#files[@]} == 0 )); then
  echo "FAILED: no .ts files in $src/resources/translations"
  exit 1
fi
for ts in "${files[@]}"; do
  name=$(basename "$ts")
  cp "$ts" "$work/$name"
  language=$(sed -n 's/.*<TS [^>]*language="\([^"]*\)".*/\1/p' "$ts" | head -1)
  if ! (cd "$src" && "$lupdate" -silent -locations none -target-language "$language" ui app/gui \
          -ts "$work/$name") > "$work/lupdate.log" 2>&1; then
    echo "FAILED: lupdate could not read $name:"
    cat "$work/lupdate.log"
    status=1
    continue
  fi
  unfinished=$(grep -c 'type="unfinished"' "$work/$name")
  gone=$(grep -cE 'type="(vanished|obsolete)"' "$work/$name")
  total=$(grep -c '<message' "$work/$name")
  if (( unfinished > 0 || gone > 0 )); then
    echo "FAILED: $name: $unfinished unfinished and $gone vanished of $total strings:"
    grep -B2 -E 'type="(unfinished|vanished|obsolete)"' "$work/$name" | grep '<source>' | head -20
    status=1
  else
    echo "$name: all $total strings translated"
  fi
done
exit $status
