#!/usr/bin/env bash
# Builds the Debian package and checks it: a Release build without the trainer (libtorch is for
# training the model, not for using it), CPack, then scripts/check-deb.sh on the result.
#   scripts/package.sh            -> build-package/dangpli_<version>_<arch>.deb
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --no-trainer
cmake -S . -B build-package -G Ninja -DCMAKE_BUILD_TYPE=Release -DDANGPLI_WITH_TRAINER=OFF \
      -DDANGPLI_BUILD_TESTS=OFF -DDANGPLI_BUILD_BENCH=OFF -DDANGPLI_BUILD_EXAMPLES=OFF ${DANGPLI_CMAKE_ARGS:-}
cmake --build build-package -j "$(nproc)"
(cd build-package && cpack -G DEB)
scripts/check-deb.sh build-package/dangpli_*.deb
