#!/usr/bin/env bash
# Student w8 (issue 14): w7's recipe and seed (127: the same initial weights and the same draws), with the
# teacher's share of each target raised from 0.5 to 0.8 (--ferplus-mix 0.8; the rest FER2013's label). Every
# wide student so far took half its target from the teacher; w5-w7 read PublicTest 71.3-71.8% single view
# against 72.78% mirror for their teacher w5 + w6, and a stronger teacher (w7's w5 + w6 against w5's and w6's
# seven) did not lift the student: this asks whether listening to it more does. The same seed makes w7 its
# pair: only the weight differs. About 3.5 h of quiet CPU (two sessions); resumes with the same command.
# Usage, from the repository root after scripts/build.sh:
#   nohup models/ensemble/recipes/w8.sh [ROOT=/work/runs] >> ROOT/w8.log 2>&1 &
# Then: models/ensemble/recipes/measure-student.sh w8 w8-resnet-wide [ROOT]
# Rules, written before the result (session 32), against live's model w6-resnet-wide:
# - live's model only if it reads more PublicTest faces right than w6 single view with McNemar p < 0.10
#   (bench/paired_faces.py on dangpli eval --predictions rows) or a mean PublicTest over its last ten epochs
#   (log.csv) above w6's 71.20%, is not worse through dangpli live paired by clip (bench/paired_clips.py),
#   bench_classify single view stays under 3 ms, and its bench_framing gap on every PublicTest face is at
#   most 1 point;
# - the weight helps if its last-ten mean is above w7's 71.04% (same seed, same draws) and it reads more
#   faces right than w7 face by face;
# - a member of analyze's ensemble if mean recall at balance 0.5 on aligned.csv, mirror, rises over its members.
# Result (session 33, /work/runs/w8-measure): 195 against 198 faces with w6 (p = 0.92), last-ten mean 71.06%:
# not live's model; 206 against 207 with w7: the weight does not help; mean recall 71.01% against the nine's
# 70.77%: the tenth member of analyze's ensemble.
set -euo pipefail
cd "$(dirname "$0")/../../.."
source models/ensemble/recipes/data.sh
wide_student_weighted w8 127 0.3 0.8 "$root/data/teacher-w5w6.csv" models/ensemble/w5-resnet-wide.onnx \
  models/emotion/w6-resnet-wide.onnx
