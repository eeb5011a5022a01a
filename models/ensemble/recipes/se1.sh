#!/usr/bin/env bash
# Student se1 (issue 14): w7's recipe and seed (127; teacher w5 + w6 at half of each target, 30% of its views
# from the aligner's crops, 120 epochs) with --arch resnet-wide-se: resnet-wide with a squeeze-and-excitation
# gate in every block (Hu et al. 2018; 49k more weights, 1.78-2.09 ms a face against w6's 1.63-2.20 on one
# core, three rounds alternating, session 34). Four resnet-wide students (w5-w8) plateaued at 71.27-71.83%
# PublicTest single view (last-ten means 71.04-71.64%) whatever their teacher and its weight: this asks
# whether the network, not the teacher, is what holds them there. w7 is its pair: only the architecture
# differs (its initial weights differ with it). About 3.5-4 h of quiet CPU (two sessions); resumes with
# the same command.
# Usage, from the repository root after scripts/build.sh:
#   nohup models/ensemble/recipes/se1.sh [ROOT=/work/runs] >> ROOT/se1.log 2>&1 &
# On a fresh machine, first: scripts/park-runs.sh restore [ROOT] (the last save, if any); before leaving it:
# scripts/park-runs.sh save [ROOT].
# Then: models/ensemble/recipes/measure-student.sh se1 se1-resnet-wide-se [ROOT]
# Rules, written before the result (session 34), against live's model w6-resnet-wide:
# - live's model only if it reads more PublicTest faces right than w6 single view with McNemar p < 0.10
#   (bench/paired_faces.py on dangpli eval --predictions rows) or a mean PublicTest over its last ten epochs
#   (log.csv) above w6's 71.20%, is not worse through dangpli live paired by clip (bench/paired_clips.py),
#   bench_classify single view stays under 3 ms, and its bench_framing gap on every PublicTest face is at
#   most 1 point;
# - the gate helps if its last-ten mean is above the highest of w5-w8 (71.64%) and it reads more faces
#   right than w7 face by face;
# - a member of analyze's ensemble if mean recall at balance 0.5 on aligned.csv, mirror, rises over its
#   members by at least 0.2 points (0.24 and 0.30 for the last two members).
set -euo pipefail
cd "$(dirname "$0")/../../.."
source models/ensemble/recipes/data.sh
student resnet-wide-se se1 127 0.3 0.5 "$root/data/teacher-w5w6.csv" models/ensemble/w5-resnet-wide.onnx \
  models/emotion/w6-resnet-wide.onnx
