#!/usr/bin/env bash
# Student w6 (issue 14): w5's recipe (resnet-wide, 120 epochs, taught by the seven, teacher-7.csv) with
# another seed (113) and 40% of its views from the aligner's crops instead of 30%: w5 read PublicTest best
# of all single models (71.83%) but its framing gap grew to 1.93 points (w1: 0.77; the issue asks <= 1),
# so this asks whether more aligned views keep the long schedule's gain and close the gap. About 3.2 h of
# quiet CPU; resumes with the same command.
# Usage, from the repository root after scripts/build.sh:
#   nohup models/ensemble/recipes/w6.sh [ROOT=/work/runs] >> ROOT/w6.log 2>&1 &
# Rules, written before the result (session 27):
# - live's model only if it reads more PublicTest faces right than fer-resnet-wide (w1) single view with
#   McNemar p < 0.10 (bench/paired_faces.py on dangpli eval --predictions rows), is not worse through
#   dangpli live paired by clip (bench/paired_clips.py), bench_classify single view stays under 3 ms, and
#   its bench_framing gap is at most 1 point;
# - a member of analyze's ensemble if mean recall at balance 0.5 on aligned.csv, mirror, rises over the seven.
set -euo pipefail
cd "$(dirname "$0")/../../.."
source models/ensemble/recipes/data.sh
teacher_votes_once "$root/data/teacher-7.csv" \
    models/emotion/fer-resnet.onnx models/emotion/m3-resnet.onnx models/emotion/fer-resnet-wide.onnx \
    models/emotion/w2-resnet-wide.onnx models/emotion/w3-resnet-wide.onnx models/emotion/w4-resnet-wide.onnx \
    models/emotion/x1-resnet-wider.onnx
exec build/bin/dangpli train "$root/w6" --data "$D" --arch resnet-wide --epochs 120 --batch 64 --lr 0.05 --warmup 2 \
    --seed 113 --erase 0.25 --blur 0.1 --blur-sigma 0.3 1.2 --gamma 0.8 1.25 --jpeg 0.1 --jpeg-quality 30 90 \
    --ferplus-votes "$root/data/teacher-7.csv" --ferplus-mix 0.5 --aligned-data "$root/data/aligned.csv" --aligned-mix 0.4
