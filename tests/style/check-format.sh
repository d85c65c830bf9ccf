#!/usr/bin/env bash
# The C++ house format (.clang-format) holds for every source: clang-format --dry-run -Werror
# over engine/, storage/, api/ and tests/. The version is pinned (Debian's clang-format-14), so
# another clang in the tree cannot change the verdict. Fix with: tests/style/check-format.sh --fix
set -euo pipefail
cd "$(dirname "$0")/../.."
clang_format=${CLANG_FORMAT:-clang-format-14}
mapfile -d '' files < <(find engine storage api tests \
  \( -name node_modules -o -name build \) -prune -o \( -name '*.cc' -o -name '*.h' \) -print0 | sort -z)
if [ "${1:-}" = --fix ]; then
  exec "$clang_format" -i --style=file "${files[@]}"
fi
exec "$clang_format" --dry-run -Werror --style=file "${files[@]}"
