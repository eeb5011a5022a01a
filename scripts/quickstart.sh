#!/usr/bin/env bash
# A fresh machine to a running dangpli: installs the Debian packages, builds, reads the emotions on
# the example photo, then runs the main job, `dangpli live`, on the demo clip made from the example
# photos (paced like a camera, about 30 s). Where there is no sound card the silent player decides
# and logs the music instead of playing it. For the webcam afterwards: build/bin/dangpli live
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh build
build/bin/dangpli analyze data/examples/happy-baby.jpeg

player=mpv
if ! compgen -G "/dev/snd/pcmC*p" >/dev/null && [[ -z "${PULSE_SERVER:-}" && ! -S "${XDG_RUNTIME_DIR:-/nonexistent}/pulse/native" ]]; then
  player=silent  # no sound card: decide and log only
fi
exec build/bin/dangpli live --source build/demo/demo.avi --realtime --player "$player" --no-ask
