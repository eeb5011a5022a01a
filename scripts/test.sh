#!/usr/bin/env bash
# Installs what the project needs, builds everything (trainer included) and runs every test; with
# --sanitize, then the instrumented job: ASan + UBSan build and tests, and the fuzzers
# (scripts/sanitize.sh). Tests read ../shared (FER2013 samples, face photos) beside the checkout.
# Usage: scripts/test.sh [--sanitize]
set -euo pipefail
cd "$(dirname "$0")/.."
sanitize=0
[[ "${1:-}" == "--sanitize" ]] && sanitize=1
scripts/install-deps.sh
scripts/build.sh build
(cd build && ctest --output-on-failure -j "$(nproc)" --timeout 900)
if (( sanitize )); then
  scripts/sanitize.sh build-asan 60
fi
