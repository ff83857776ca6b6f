#!/usr/bin/env bash
# Format check: every C++ source and header in the tree is as .clang-format says. Pinned to the
# clang-format of Debian 12 (major version 14): other versions lay out some constructs
# differently, so elsewhere the check is skipped rather than failing on the tool's version.
#
# usage: check-format.sh SOURCE_DIR     exit 77 (skipped) without clang-format 14
#        fix with: clang-format -i $(git ls-files '*.cpp' '*.h')
set -uo pipefail
src=$1
tool=${TRAINBENCH_CLANG_FORMAT:-clang-format}
if ! command -v "$tool" > /dev/null; then
  echo "SKIPPED: $tool not found (Debian: apt-get install clang-format)"
  exit 77
fi
version=$("$tool" --version | grep -oE '[0-9]+\.[0-9]+\.[0-9]+' | head -1)
if [[ ${version%%.*} != 14 ]]; then
  echo "SKIPPED: $tool is version $version; the tree is formatted with clang-format 14"
  exit 77
fi
cd "$src" || exit 1
# The tracked files when this is a git checkout, else every source file (a source tarball).
if git rev-parse --is-inside-work-tree > /dev/null 2>&1; then
  mapfile -t files < <(git ls-files '*.cpp' '*.h' | grep -E '^(app|bench|core|tests|ui)/')
else
  mapfile -t files < <(find app bench core tests ui -name '*.cpp' -o -name '*.h' | sort)
fi
bad=()
for file in "${files[@]}"; do
  [[ -f $file ]] || continue
  "$tool" --dry-run --Werror "$file" > /dev/null 2>&1 || bad+=("$file")
done
if ((${#bad[@]})); then
  echo "FAILED: ${#bad[@]} of ${#files[@]} files differ from .clang-format:"
  printf '  %s\n' "${bad[@]}"
  echo "fix with: clang-format -i ${bad[*]}"
  exit 1
fi
echo "${#files[@]} files formatted as .clang-format says"
