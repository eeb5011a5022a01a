#!/usr/bin/env bash
# Installs what the project needs, builds everything (trainer included) and runs every test.
# Tests read ../shared (FER2013 samples, face photos) beside the checkout.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh build
cd build
ctest --output-on-failure -j "$(nproc)" --timeout 900
