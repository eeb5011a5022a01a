#!/usr/bin/env bash
# Installs what the project needs, builds everything (trainer included) and runs every test once:
# the end-to-end CLI, trainer, packaging and Python tests on the release build, the others in the
# instrumented job (scripts/sanitize.sh: ASan + UBSan build, the tests labelled `sanitized`, the
# fuzzers). --quick runs every test on the release build and leaves the instrumented job out.
# Tests read ../shared (FER2013 samples, face photos) beside the checkout.
# Usage: scripts/test.sh [--quick]
set -euo pipefail
cd "$(dirname "$0")/.."
sanitize=1
case "${1:-}" in
  "") ;;
  --quick) sanitize=0 ;;
  *) echo "scripts/test.sh: unknown option '$1' (usage: scripts/test.sh [--quick])" >&2; exit 2 ;;
esac
scripts/install-deps.sh
scripts/build.sh build
if (( sanitize )); then
  # Each test once: the tests labelled `sanitized` (tests/CMakeLists.txt) run under ASan + UBSan below.
  (cd build && ctest --output-on-failure -j "$(nproc)" --timeout 900 -LE '^sanitized$')
  scripts/sanitize.sh build-asan 10
else
  (cd build && ctest --output-on-failure -j "$(nproc)" --timeout 900)
fi
