#!/usr/bin/env bash
# Measures student x1 (x1.sh beside this) by the rules written in x1.sh before its result, into
# ROOT/x1-measure (and ROOT/cmp-x1, ROOT/cmp-w1 from bench/compare_model.sh; per-face rows kept in
# ROOT/paired for later pairings). About an hour on the 2-vCPU machine; pause other work while it times.
# Usage, from anywhere, once x1 has trained its 60 epochs: models/ensemble/recipes/measure-x1.sh [ROOT=/work/runs]
set -euo pipefail
cd "$(dirname "$0")/../../.."
root=${1:-/work/runs}
D=${DANGPLI_FER2013:-../shared/data/fer2013/fer2013_train_publictest.csv.gz}
aligned=$root/data/aligned.csv
out=$root/x1-measure
[[ -e $out ]] && { echo "measure-x1: $out exists; move it away first (nothing is overwritten)" >&2; exit 2; }
pgrep -f "dangpli train $root/x1 " > /dev/null && { echo "measure-x1: x1 is still training" >&2; exit 2; }
epochs=$(( $(wc -l < "$root/x1/log.csv") - 1 ))
(( epochs == 60 )) || { echo "measure-x1: $root/x1 has $epochs of 60 epochs; resume x1.sh first" >&2; exit 2; }
mkdir -p "$out" "$root/paired"
M=$out/x1-resnet-wider.onnx
build/bin/dangpli train "$root/x1" --export "$M" --name x1-resnet-wider

build/bin/dangpli eval --model "$M" --dataset "$D" --predictions "$root/paired/x1-single.csv" > "$out/eval-single.txt"
build/bin/dangpli eval --model "$M" --dataset "$D" --tta mirror > "$out/eval-mirror.txt"
for tta in single mirror; do
  build/bin/dangpli eval --model "$M" --dataset "$aligned" --tta $tta > "$out/aligned-$tta.txt"
done

# Live's rule, first half: more PublicTest faces right than w1, single view, McNemar p < 0.10.
declare -A others=([w1]=models/emotion/fer-resnet-wide.onnx [w2]=models/emotion/w2-resnet-wide.onnx
  [w3]=models/emotion/w3-resnet-wide.onnx [w4]=models/emotion/w4-resnet-wide.onnx [s4]=models/emotion/fer-resnet.onnx)
for name in w1 w2 w3 w4 s4; do
  [[ -s $root/paired/$name-single.csv ]] ||
    build/bin/dangpli eval --model "${others[$name]}" --dataset "$D" --predictions "$root/paired/$name-single.csv" > /dev/null
  bench/paired_faces.py "$root/paired/x1-single.csv" "$root/paired/$name-single.csv" x1 "$name"
done > "$out/paired-faces.txt"

# Analyze's rule: mean recall at balance 0.5 on the aligner's crops, mirror, seven members against the six.
members=$(sed -n 's/^members: \[\(.*\)\]/\1/p' models/emotion/fer-ensemble.yaml | sed "s|\([^ ,][^,]*\)|$PWD/models/emotion/\1|g")
printf 'name: seven\nmembers: [%s, %s]\n' "$members" "$M" > "$out/seven.yaml"
printf 'name: w1-x1\nmembers: [%s, %s]\n' "$PWD/models/emotion/fer-resnet-wide.onnx" "$M" > "$out/w1-x1.yaml"
for card in models/emotion/fer-ensemble.yaml "$out/seven.yaml" "$out/w1-x1.yaml"; do
  build/bin/dangpli eval --model "$card" --dataset "$aligned" --tta mirror --balance 0.5 > "$out/ensemble-$(basename "$card" .yaml).txt"
  awk -v card="$card" '/^accuracy/ {acc = $2} /^class/ {f = 1; next} f && NF == 5 {s += $3; n++} /^macro/ {f = 0; f1 = $3}
    END {printf "%s: accuracy %s, mean recall %.2f%%, macro F1 %s\n", card, acc, 100 * s / n, f1}' "$out/ensemble-$(basename "$card" .yaml).txt"
done > "$out/ensembles.txt"

# Live's rule, second half: held faces through dangpli live, paired by clip; and the framing gap.
[[ -e $root/cmp-w1 ]] || ALIGNED=$aligned bench/compare_model.sh models/emotion/fer-resnet-wide.onnx "$root/cmp-w1" 20
ALIGNED=$aligned bench/compare_model.sh "$M" "$root/cmp-x1" 20
bench/paired_clips.py "$root/cmp-x1/live-rows.csv" "$root/cmp-w1/live-rows.csv" x1 w1 > "$out/paired-clips.txt"

# Live's budget: single view under 3 ms on one core, alternating with w1 in the same minutes.
for round in 1 2 3; do
  for m in models/emotion/fer-resnet-wide.onnx "$M"; do
    echo "round $round $(basename "$m"): $(taskset -c 0 build/bench/bench_classify "$m" | grep -m1 '^| 1 | 1 |')"
  done
done > "$out/classify-alternating.txt"
tail -n +1 "$out"/*.txt
