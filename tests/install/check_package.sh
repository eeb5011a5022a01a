#!/usr/bin/env bash
# Makes the Debian package from this build with CPack (into a temp folder) and checks it with
# scripts/check-deb.sh: dpkg accepts it here (dry run) and the unpacked program runs on its own.
#   check_package.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build=$1 source=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cpack -G DEB --config "$build/CPackConfig.cmake" -B "$tmp" > "$tmp/cpack.log" 2>&1 || { cat "$tmp/cpack.log"; exit 1; }
"$source/scripts/check-deb.sh" "$tmp"/dangpli_*.deb
