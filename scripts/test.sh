#!/usr/bin/env bash
# Installs what the project needs, builds everything (trainer included) and runs every test, then
# the instrumented job: ASan + UBSan build and tests, and the fuzzers (scripts/sanitize.sh).
# --quick leaves the instrumented job out. Tests read ../shared (FER2013 samples, face photos)
# beside the checkout.
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
(cd build && ctest --output-on-failure -j "$(nproc)" --timeout 900)
if (( sanitize )); then
  scripts/sanitize.sh build-asan 30  # 30 s per fuzzer keeps CI under 30 minutes on 2 cores
fi
