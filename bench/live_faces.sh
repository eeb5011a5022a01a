#!/usr/bin/env bash
# What `dangpli live` reads from a face held a few seconds, against what `dangpli eval` reads from
# the face's own 48x48 crop. Held PublicTest faces become webcam-like clips (make_face_clips: the
# face upscaled on a 640x480 frame, drifting, with sensor noise, MJPG at 30 fps), each run through
# `dangpli live` on its defaults (silent player) with --events and --trace. Per clip:
#   - shown at the end: the mood of the last mood_changed event (what the screen shows at the end);
#   - shown longest: the mood on the screen for most of the clip;
#   - frames' mean: the argmax of the seven scores averaged over the traced frames (the framing
#     alone, no mood rules).
# Each is compared with the crop's reading (agreement, and per 20 faces the number read otherwise)
# and with FER2013's label (accuracy).
# Usage: bench/live_faces.sh [BUILD_DIR=build] [STEP=20] [SECONDS=6] [SCALE=4] [-- extra live flags]
# (SCALE: the 48-pixel faces are shown SCALE times as large)
# DANGPLI_MODEL_DIR=DIR (holding emotion/NAME.onnx and .yaml, NAME the bundled model that
# `dangpli --version` names) measures another model.
# DANGPLI_BENCH_ROWS=FILE keeps the per-clip rows (clip,label,crop,end,longest,mean).
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}; step=${2:-20}; seconds=${3:-6}; scale=${4:-4}
shift $(($# < 4 ? $# : 4)); [[ ${1:-} == -- ]] && shift
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$build/bench/make_face_clips" "$tmp/clips" "" "$step" "$seconds" "$scale"
rows=$tmp/rows.csv
: > "$rows"
while IFS=, read -r clip label crop; do
  [[ $clip == clip ]] && continue
  rm -f "$tmp/ev.jsonl" "$tmp/tr.jsonl"
  "$build/bin/dangpli" live --source "$tmp/clips/$clip" --player silent --no-ask --db "$tmp/store.db" \
    --events "$tmp/ev.jsonl" --trace "$tmp/tr.jsonl" "$@" > /dev/null 2>&1
  end=$(jq -r 'select(.event == "mood_changed") | .emotion' "$tmp/ev.jsonl" | tail -n 1)
  longest=$(jq -rs '(map(select(.event == "ended" or .event == "interrupted")) | last | .t) as $last_t
      | [map(select(.event == "mood_changed")) | . as $m | range(length) as $i
         | {e: $m[$i].emotion, d: ((if $i + 1 < ($m | length) then $m[$i + 1].t else $last_t end) - $m[$i].t)}]
      | group_by(.e) | map({e: .[0].e, d: (map(.d) | add)}) | max_by(.d) | .e // "none"' "$tmp/ev.jsonl")
  mean=$(jq -rs '["angry","disgust","fear","happy","sad","surprise","neutral"] as $n
      | [.[] | select(.scores) | .scores] | if length == 0 then "none"
        else transpose | map(add) | . as $s | $n[($s | index($s | max))] end' "$tmp/tr.jsonl")
  echo "$clip,$label,$crop,${end:-none},$longest,$mean" >> "$rows"
done < "$tmp/clips/clips.csv"
cp "$rows" "${DANGPLI_BENCH_ROWS:-/dev/null}"
awk -F, '
  { n++; for (k = 4; k <= 6; k++) { agree[k] += ($k == $3); right[k] += ($k == $2) } crop_right += ($3 == $2)
    if ($4 == "none") none++ }
  END {
    printf "%d held faces, every %dth of PublicTest, %s s each, %sx; no mood at all: %d\n\n", n, step, secs, scale, none
    printf "| live reading | agrees with the crop | read otherwise, per 20 faces | accuracy (label) |\n|---|---:|---:|---:|\n"
    split("shown at the end,shown longest,frames'"'"' mean", name, ",")
    for (k = 4; k <= 6; k++)
      printf "| %s | %.1f%% | %.1f | %.1f%% |\n", name[k - 3], 100 * agree[k] / n, 20 * (n - agree[k]) / n, 100 * right[k] / n
    printf "| (the crop, as eval reads it) | | | %.1f%% |\n", 100 * crop_right / n
  }' step="$step" secs="$seconds" scale="$scale" "$rows"
echo
echo "reproduce: bench/live_faces.sh $build $step $seconds $scale${*:+ -- $*}"
