#!/usr/bin/env bash
# Student mx1 (issue 14): w7's recipe and seed (127; resnet-wide; teacher w5 + w6 at half of each target, 30% of
# its views from the aligner's crops, 120 epochs) with mixup (--mixup 0.2: each batch blended with a shuffled copy
# of itself, targets too; Zhang et al. 2018), never tried here. Five resnet-wide students (w5-w8, and se1 with its
# gates) plateaued at 70.5-71.8% PublicTest single view whatever their teacher, its weight or the network: this
# asks whether a regulariser of the inputs moves the plateau. w7 is its pair: only mixup differs. About 4 h of
# quiet CPU (two sessions); resumes with the same command.
# Usage, from the repository root after scripts/build.sh:
#   nohup models/ensemble/recipes/mx1.sh [ROOT=/work/runs] >> ROOT/mx1.log 2>&1 &
# On a fresh machine, first: scripts/park-runs.sh restore [ROOT]; before leaving it: scripts/park-runs.sh save [ROOT].
# Then: models/ensemble/recipes/measure-student.sh mx1 mx1-resnet-wide [ROOT]
# Rules, written before the result (session 38), against live's model w6-resnet-wide:
# - live's model only if it reads more PublicTest faces right than w6 single view with McNemar p < 0.10
#   (bench/paired_faces.py on dangpli eval --predictions rows) or a mean PublicTest over its last ten epochs
#   (log.csv) above w6's 71.20%, is not worse through dangpli live paired by clip (bench/paired_clips.py),
#   bench_classify single view stays under 3 ms (the network is w6's, so it will), and its bench_framing gap on
#   every PublicTest face is at most 1 point;
# - mixup helps if its last-ten mean is above the highest of w5-w8 (71.64%) and it reads more faces right than
#   w7 face by face;
# - a member of analyze's ensemble if mean recall at balance 0.5 on aligned.csv, mirror, rises over its members
#   by at least 0.2 points.
set -euo pipefail
cd "$(dirname "$0")/../../.."
source models/ensemble/recipes/data.sh
student_flags=(--mixup 0.2)
student resnet-wide mx1 127 0.3 0.5 "$root/data/teacher-w5w6.csv" models/ensemble/w5-resnet-wide.onnx \
  models/emotion/w6-resnet-wide.onnx
