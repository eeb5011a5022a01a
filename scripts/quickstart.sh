#!/usr/bin/env bash
# A fresh machine to a running dangpli: installs the Debian packages, builds, and reads the
# emotions on the bundled example photo.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh build
build/bin/dangpli analyze data/examples/happy-baby.jpeg
