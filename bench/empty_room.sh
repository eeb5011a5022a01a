#!/usr/bin/env bash
# `dangpli live` with nobody in front of the camera: how often it believes someone arrived (a new
# main face, confirmed: announced, and the away pace ended), how many "faces" it followed for a
# moment without confirming them, how often it says "no face in sight", and its CPU share. Two 640x480 MJPG clips at 30 fps with sensor noise, made by ffmpeg: a flat wall, and a
# busy scene (ffmpeg's mandelbrot source, zooming) in which the detectors see a "face" now and then.
# Usage: bench/empty_room.sh [BUILD_DIR=build] [SECONDS=60] [LIVE FLAGS...]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}; seconds=${2:-60}
extra=("${@:3}")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
make_clip() {
  ffmpeg -loglevel error -f lavfi -i "$2" -t "$seconds" -c:v mjpeg -q:v 4 "$tmp/$1.avi"
}
make_clip wall "color=c=0x706050:s=640x480:r=30,format=yuv420p,noise=alls=10:allf=t"
make_clip busy "mandelbrot=s=640x480:r=30,noise=alls=8:allf=t"
printf '| scene | arrivals | faces never confirmed | "no face in sight" | frames with a face | CPU s | share of one core |\n'
printf '|---|---:|---:|---:|---:|---:|---:|\n'
for scene in wall busy; do
  rm -f "$tmp/ev.jsonl" "$tmp/tr.jsonl"
  /usr/bin/time -f "%U %S" -o "$tmp/time" "$build/bin/dangpli" live --source "$tmp/$scene.avi" --player silent \
    --no-ask --db "$tmp/store.db" --events "$tmp/ev.jsonl" --trace "$tmp/tr.jsonl" "${extra[@]}" > /dev/null 2>&1
  # a new person counts as an arrival once confirmed (a frame of it without "confirmed":false)
  arrivals=$(awk '/"new_person":true/ { pending = 1 } pending && /"box"/ && !/"confirmed":false/ { n++; pending = 0 }
                  END { print n + 0 }' "$tmp/tr.jsonl")
  fleeting=$(( $(grep -c '"new_person":true' "$tmp/tr.jsonl" || true) - arrivals ))
  notices=$(grep -c '"event":"no_face"' "$tmp/ev.jsonl" || true)
  found=$(grep -vc '"faces":0' "$tmp/tr.jsonl" || true)
  frames=$(wc -l < "$tmp/tr.jsonl")
  awk -v s="$scene" -v a="$arrivals" -v l="$fleeting" -v n="$notices" -v f="$found" -v fr="$frames" -v secs="$seconds" \
    '{ cpu = $1 + $2; printf "| %s | %d | %d | %d | %d of %d | %.1f | %.2f |\n", s, a, l, n, f, fr, cpu, cpu / secs }' "$tmp/time"
done
echo
echo "${seconds} s each. An arrival is a new main face once confirmed (followed for 0.4 s); the CPU includes loading the models."
echo "reproduce: bench/empty_room.sh $build $seconds${extra[*]:+ ${extra[*]}}"
