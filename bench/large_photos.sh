#!/usr/bin/env bash
# `dangpli analyze` on phone-sized photos: the shared photos scaled by ffmpeg to 12, 48 and 108
# megapixels (4032x3024, 8064x6048, 12000x9000; upscaled and stretched to 4:3, so the faces are those
# of the 1280-pixel originals, only bigger), each read at analyze's default smallest face (20 pixels, or 1/64 of the
# shorter side where that is more) and with `--min-face 20` (every size searched for, as before
# session 50). Prints faces found, wall and CPU seconds and peak memory of the whole command.
# Usage: bench/large_photos.sh [BUILD_DIR=build] [PHOTO...=group.jpeg happy-baby.jpeg]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
photos=("${@:2}")
[ ${#photos[@]} -gt 0 ] || photos=(group.jpeg happy-baby.jpeg)
faces_dir=${DANGPLI_SHARED_DIR:-../shared}/data/faces
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf '| photo | size | smallest face | faces | wall s | CPU s | peak MiB |\n|---|---|---|---:|---:|---:|---:|\n'
for photo in "${photos[@]}"; do
  for size in 4032x3024 8064x6048 12000x9000; do
    scaled="$tmp/${photo%.*}-$size.jpg"
    ffmpeg -loglevel error -i "$faces_dir/$photo" -vf "scale=${size/x/:}" -q:v 3 "$scaled"
    for smallest in default 20; do
      flags=(--max-pixels 200000000 --format csv -j 1)
      [ "$smallest" = default ] || flags+=(--min-face "$smallest")
      /usr/bin/time -f "%e %U %S %M" -o "$tmp/time" "$build/bin/dangpli" analyze "${flags[@]}" "$scaled" \
        > "$tmp/rows.csv" 2> "$tmp/err" || { echo "analyze failed on $scaled: $(cat "$tmp/err")" >&2; exit 1; }
      # rows with a face number: an image without faces has one row with that field empty
      faces=$(awk -F, 'NR > 1 && $4 != "" { n++ } END { print n + 0 }' "$tmp/rows.csv")
      awk -v p="$photo" -v s="$size" -v m="$smallest" -v f="$faces" \
        '{ printf "| %s | %s | %s | %d | %.1f | %.1f | %.0f |\n", p, s, m, f, $1, $2 + $3, $4 / 1024 }' "$tmp/time"
    done
  done
done
echo
echo "The figures include loading the ten-model ensemble; a 1280x853 photo costs about the same."
echo "reproduce: bench/large_photos.sh $build ${photos[*]}"
