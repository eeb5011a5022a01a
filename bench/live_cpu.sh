#!/usr/bin/env bash
# CPU share of `dangpli live` itself on a 640x480 video at 30 fps with one face (decode, detect or
# track, align, classify, mood, events), as a user's laptop would feel it: CPU seconds (user + sys)
# per frame x 30. Startup (model loading) is taken out by running a short and a long clip of the
# same kind and dividing the difference by the difference in frames. Tracking (the default) and
# full detection on every frame (--redetect-every 1 --classify-every 1, the old loop) side by side,
# with the peak resident memory of the long run (models, decoder and store included).
# Usage: bench/live_cpu.sh [BUILD_DIR=build] [LIVE FLAGS...]   (e.g. --detector yunet, for every row)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
extra=("${@:2}")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
photo=data/examples/happy-baby.jpeg
"$build/tools/make_demo_clip" "$tmp/short.avi" --fps 30 "$photo"                  # 9 s, 270 frames
"$build/tools/make_demo_clip" "$tmp/long.avi" --fps 30 "$photo" "$photo" "$photo" # 27 s of face + a 4 s gap
short_frames=270; long_frames=930
cpu() {  # CPU seconds of one run, then its peak resident set (KiB)
  /usr/bin/time -f "%U %S %M" -o "$tmp/time" "$build/bin/dangpli" live --source "$1" --player silent --no-ask \
    --db "$tmp/store-$RANDOM.db" "${extra[@]}" "${@:2}" > /dev/null 2>&1
  awk '{print $1 + $2, $3}' "$tmp/time"
}
printf '| loop | CPU ms per frame | share of one core at 30 fps | peak memory (MiB) |\n|---|---:|---:|---:|\n'
for setting in "tracking (defaults)|" "full detection and classification every frame|--redetect-every 1 --classify-every 1"; do
  name=${setting%%|*}; flags=${setting#*|}
  # shellcheck disable=SC2086
  short=$(cpu "$tmp/short.avi" $flags); long=$(cpu "$tmp/long.avi" $flags)
  s=${short% *}; l=${long% *}; peak=${long#* }
  awk -v n="$name" -v s="$s" -v l="$l" -v f=$((long_frames - short_frames)) -v k="$peak" \
    'BEGIN { ms = 1000 * (l - s) / f; printf "| %s | %.1f | %.2f | %.0f |\n", n, ms, ms * 30 / 1000, k / 1024 }'
done
echo
echo "640x480 MJPG at 30 fps, the example photo drifting slowly, one 4 s gap without a face in the long clip."
echo "reproduce: bench/live_cpu.sh $build${extra[*]:+ ${extra[*]}}"
