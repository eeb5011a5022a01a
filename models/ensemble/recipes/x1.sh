#!/usr/bin/env bash
# Student x1 (issue 14): the widest network inside live's 3 ms budget (--arch resnet-wider, 48/112/224
# channels) on w1's recipe, seed 97, taught by the five members analyze read before w4 (teacher-5.csv).
# Committed because run folders outside the repository were lost with a machine twice: this script
# remakes its data (align_fer2013's crops, the teacher's votes) and starts the run, or resumes it with
# the same command. Usage, from the repository root after scripts/build.sh:
#   nohup models/ensemble/recipes/x1.sh [ROOT=/work/runs] >> ROOT/x1.log 2>&1 &
# Rules, written before the result (session 22):
# - live's model only if it reads more PublicTest faces right than fer-resnet-wide (w1) single view with
#   McNemar p < 0.10, is not worse through dangpli live paired by clip (bench/paired_clips.py), and
#   bench_classify single view stays under 3 ms on a quiet core;
# - a member of analyze's ensemble if mean recall at balance 0.5 on aligned.csv, mirror, rises over the six.
set -euo pipefail
cd "$(dirname "$0")/../../.."
source models/ensemble/recipes/data.sh
teacher_votes_once "$root/data/teacher-5.csv" \
    models/emotion/fer-resnet.onnx models/emotion/m3-resnet.onnx models/emotion/fer-resnet-wide.onnx \
    models/emotion/w2-resnet-wide.onnx models/emotion/w3-resnet-wide.onnx
exec build/bin/dangpli train "$root/x1" --data "$D" --arch resnet-wider --epochs 60 --batch 64 --lr 0.05 --warmup 2 \
    --seed 97 --erase 0.25 --blur 0.1 --blur-sigma 0.3 1.2 --gamma 0.8 1.25 --jpeg 0.1 --jpeg-quality 30 90 \
    --ferplus-votes "$root/data/teacher-5.csv" --ferplus-mix 0.5 --aligned-data "$root/data/aligned.csv" --aligned-mix 0.3
