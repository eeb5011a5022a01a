#!/usr/bin/env bash
# Measures a finished student run ROOT/NAME by the rules in its recipe's header (recipes/NAME.sh) into
# ROOT/NAME-measure, ROOT/cmp-NAME (and ROOT/cmp-LIVE, live's model, when missing): export as MODEL; PublicTest single and
# mirror on FER2013's crops and on the aligner's; face by face against every committed single model
# (bench/paired_faces.py; rows kept in ROOT/paired); analyze's ensemble with and without the student at
# balance 0.5 on the aligner's crops, mirror; bench/compare_model.sh; clips paired with live's model (the one
# `dangpli --version` names: w6-resnet-wide since session 30); one-core timing alternating with it. About 40 minutes on the 2-vCPU machine: pause training while it runs.
# Resumes: a step whose output file exists is kept, so a cut run is finished by the same command (each
# output is written under a .part name and renamed when its step ends; delete one to redo its step).
# Usage, from anywhere: models/ensemble/recipes/measure-student.sh NAME MODEL [ROOT=/work/runs]
#   e.g. measure-student.sh w5 w5-resnet-wide
# (x1 was measured in session 24 by its forerunner, git show 8a64db5:models/ensemble/recipes/measure-x1.sh.)
set -euo pipefail
cd "$(dirname "$0")/../../.."
(( $# >= 2 )) || { echo "usage: measure-student.sh NAME MODEL [ROOT=/work/runs]" >&2; exit 2; }
name=$1; model=$2; root=${3:-/work/runs}
run=$root/$name out=$root/$name-measure
# What dangpli live reads (kDefaultModelName), as --version names it: "emotion model: NAME (...) PATH".
live=$(build/bin/dangpli --version | sed -n 's/^emotion model: \([^ ]*\) .* \(\/[^ ]*\)$/\1/p')
live_model=$(build/bin/dangpli --version | sed -n 's/^emotion model: \([^ ]*\) .* \(\/[^ ]*\)$/\2/p')
[[ -n $live && -f $live_model ]] || { echo "measure-student: build/bin/dangpli --version names no emotion model" >&2; exit 1; }
# `dangpli train` runs as libexec/dangpli/dangpli-train with the same arguments.
pgrep -f "train $run " > /dev/null && { echo "measure-student: $name is still training" >&2; exit 2; }
want=$(sed -n 's/^epochs: //p' "$run/config.yaml" 2>/dev/null || true)
done_epochs=0
[[ -f $run/log.csv ]] && done_epochs=$(( $(wc -l < "$run/log.csv") - 1 ))
[[ -n $want ]] && (( done_epochs == want )) ||
  { echo "measure-student: $run has $done_epochs of ${want:-?} epochs; resume its recipe first" >&2; exit 2; }
source models/ensemble/recipes/data.sh "$root"  # D, and aligned.csv remade if it was lost
aligned=$root/data/aligned.csv
[[ -e $out ]] && echo "measure-student: $out exists: its finished steps are kept, the others run" >&2
mkdir -p "$out" "$root/paired"
# step FILE COMMAND...: runs COMMAND with its stdout into FILE, unless FILE exists already.
step() {
  local file=$1; shift
  [[ -e $file ]] && return 0
  "$@" > "$file.part"
  mv "$file.part" "$file"
}
M=$out/$model.onnx
[[ -f $M && -f ${M%.onnx}.yaml ]] || build/bin/dangpli train "$run" --export "$M" --name "$model"

step "$out/eval-single.txt" build/bin/dangpli eval --model "$M" --dataset "$D" \
  --predictions "$root/paired/$name-single.csv"
step "$out/eval-mirror.txt" build/bin/dangpli eval --model "$M" --dataset "$D" --tta mirror
for tta in single mirror; do
  step "$out/aligned-$tta.txt" build/bin/dangpli eval --model "$M" --dataset "$aligned" --tta $tta
done

# Live's rule, first half: more PublicTest faces right than live's model, single view (the recipe's header says
# what more).
declare -A others=([w1]=emotion/fer-resnet-wide [w2]=emotion/w2-resnet-wide [w3]=emotion/w3-resnet-wide
  [w4]=emotion/w4-resnet-wide [x1]=emotion/x1-resnet-wider [s4]=emotion/fer-resnet [w5]=ensemble/w5-resnet-wide
  [w6]=emotion/w6-resnet-wide [w7]=emotion/w7-resnet-wide [w8]=emotion/w8-resnet-wide)
paired_with_every_model() {
  for other in w1 w2 w3 w4 x1 s4 w5 w6 w7 w8; do
    [[ $other == "$name" ]] && continue
    [[ -s $root/paired/$other-single.csv ]] || build/bin/dangpli eval --model "models/${others[$other]}.onnx" \
      --dataset "$D" --predictions "$root/paired/$other-single.csv" > /dev/null
    bench/paired_faces.py "$root/paired/$name-single.csv" "$root/paired/$other-single.csv" "$name" "$other"
  done
}
step "$out/paired-faces.txt" paired_with_every_model

# Analyze's rule: mean recall at balance 0.5 on the aligner's crops, mirror, with the student against without.
members=$(sed -n 's/^members: \[\(.*\)\]/\1/p' models/emotion/fer-ensemble.yaml | sed "s|\([^ ,][^,]*\)|$PWD/models/emotion/\1|g")
printf 'name: without\nmembers: [%s]\n' "$members" > "$out/without.yaml"
printf 'name: with\nmembers: [%s, %s]\n' "$members" "$M" > "$out/with.yaml"
for card in without with; do
  step "$out/ensemble-$card.txt" build/bin/dangpli eval --model "$out/$card.yaml" --dataset "$aligned" --tta mirror \
    --balance 0.5
  awk -v card="$card" '/^accuracy/ {acc = $2} /^class/ {f = 1; next} f && NF == 5 {s += $3; n++} /^macro/ {f = 0; f1 = $3}
    END {printf "%s: accuracy %s, mean recall %.2f%%, macro F1 %s\n", card, acc, 100 * s / n, f1}' "$out/ensemble-$card.txt"
done > "$out/ensembles.txt"

# Live's rule, second half: held faces through dangpli live, paired by clip; and the framing gap.
# compare_model.sh refuses a folder that exists, so a cut one (.part) is started again.
compare_once() {  # compare_once MODEL FOLDER
  [[ -e $2 ]] && return 0
  rm -rf "$2.part"
  ALIGNED=$aligned bench/compare_model.sh "$1" "$2.part" 20
  mv "$2.part" "$2"
}
compare_once "$live_model" "$root/cmp-$live"
compare_once "$M" "$root/cmp-$name"
step "$out/paired-clips.txt" bench/paired_clips.py "$root/cmp-$name/live-rows.csv" "$root/cmp-$live/live-rows.csv" "$name" "$live"

# Live's budget: single view under 3 ms on one core, alternating with live's model in the same minutes.
classify_alternating() {
  for round in 1 2 3; do
    for m in "$live_model" "$M"; do
      echo "round $round $(basename "$m"): $(taskset -c 0 build/bench/bench_classify "$m" | grep -m1 '^| 1 | 1 |')"
    done
  done
}
step "$out/classify-alternating.txt" classify_alternating
tail -n +1 "$out"/*.txt
