#!/usr/bin/env bash
# Measures a candidate emotion model the way the product's model is measured, so that the two can be
# compared figure for figure (the model card's figures; issue 14's swap rule):
#   eval-{single,mirror}.txt   PublicTest on FER2013's crops (dangpli eval)
#   aligned-{single,mirror}.txt PublicTest re-cut by tools/align_fer2013 (when ALIGNED=aligned.csv is set)
#   framing.txt                bench_framing's gap, MTCNN, every PublicTest face (on every 2nd, w5's read
#                              1.93 points against 0.03 on all: half the faces is about a point of noise)
#   live.txt, live-rows.csv    bench/live_faces.sh on live's defaults (held faces, every STEP-th)
#   classify.txt               bench_classify on one core (CPU time is noisy: compare in one run)
# Pair two models' live rows with bench/paired_clips.py.
# Usage: bench/compare_model.sh MODEL.onnx OUT_DIR [STEP=20, 0: no live run] [BUILD_DIR=build]
#   (MODEL.yaml, its card, must lie beside MODEL.onnx; OUT_DIR must not exist yet)
set -euo pipefail
cd "$(dirname "$0")/.."
if (( $# < 2 )); then
  echo "usage: bench/compare_model.sh MODEL.onnx OUT_DIR [STEP=20] [BUILD_DIR=build]" >&2; exit 2
fi
model=$(realpath "$1"); out=$2; step=${3:-20}; build=${4:-build}
card=${model%.onnx}.yaml
[[ -f $model && -f $card ]] || { echo "compare_model: $1: need the .onnx and its .yaml card beside it" >&2; exit 2; }
[[ -e $out ]] && { echo "compare_model: $out exists; give a new folder (nothing is overwritten)" >&2; exit 2; }
data=../shared/data/fer2013/fer2013_train_publictest.csv.gz
mkdir -p "$out/models/emotion"
out=$(realpath "$out")
# Live and the benches read the bundled model (its name from --version) from DANGPLI_MODEL_DIR
# first (file by file; the detectors still come from the build).
name=$("$build/bin/dangpli" --version | sed -n 's/^emotion model: \([^ ]*\) .*/\1/p')
[[ -n $name ]] || { echo "compare_model: $build/bin/dangpli --version names no emotion model" >&2; exit 1; }
ln -s "$model" "$out/models/emotion/$name.onnx"
sed "s/^model: .*/model: $name.onnx/" "$card" > "$out/models/emotion/$name.yaml"

for tta in single mirror; do
  "$build/bin/dangpli" eval --model "$model" --dataset "$data" --tta $tta > "$out/eval-$tta.txt"
  if [[ -n ${ALIGNED:-} ]]; then
    "$build/bin/dangpli" eval --model "$model" --dataset "$ALIGNED" --tta $tta > "$out/aligned-$tta.txt"
  fi
done
DANGPLI_MODEL_DIR=$out/models "$build/bench/bench_framing" ../shared/data/fer2013/publictest 1 > "$out/framing.txt"
if (( step > 0 )); then  # the longest part: STEP 0 leaves it out
  DANGPLI_MODEL_DIR=$out/models DANGPLI_BENCH_ROWS=$out/live-rows.csv bench/live_faces.sh "$build" "$step" > "$out/live.txt"
fi
taskset -c 0 "$build/bench/bench_classify" "$model" > "$out/classify.txt"

echo "$(basename "$model"): $out"
for f in eval-single eval-mirror aligned-single aligned-mirror; do
  [[ -f $out/$f.txt ]] && echo "$f: $(grep -m1 '^accuracy' "$out/$f.txt")"
done
echo "framing: $(grep -h "gap on found" "$out/framing.txt")"
[[ -f $out/live.txt ]] && echo "live (live reading | agrees | otherwise per 20 | right): $(grep -h "shown at the end" "$out/live.txt")"
echo "one core, batch 1 (single | mirror | ten-crop ms): $(grep -m1 "^| 1 | 1 |" "$out/classify.txt")"
