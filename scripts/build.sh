#!/usr/bin/env bash
# Configures and builds dangpli into ./build (or $1). Models come from the network, or from the
# folder named by DANGPLI_MODEL_MIRROR (laid out like models/manifest.txt's paths).
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${1:-build}
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release ${DANGPLI_CMAKE_ARGS:-}
cmake --build "$build_dir" -j "$(nproc)"
