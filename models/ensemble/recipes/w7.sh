#!/usr/bin/env bash
# Student w7 (issue 14): w5's recipe (resnet-wide, 120 epochs, 30% of its views from the aligner's crops),
# seed 127, taught by the two 120-epoch students instead of the seven: w5 + w6 read PublicTest at 72.78%
# mirror as an ensemble, against 72.14% for the seven and 72.53% for the nine (teacher_votes --only
# PublicTest --tta mirror, session 28; chosen on PublicTest, the split we select on). About 3.3 h of quiet
# CPU; resumes with the same command.
# Usage, from the repository root after scripts/build.sh:
#   nohup models/ensemble/recipes/w7.sh [ROOT=/work/runs] >> ROOT/w7.log 2>&1 &
# Then: models/ensemble/recipes/measure-student.sh w7 w7-resnet-wide [ROOT]
# Restarted from epoch 0 in session 30: /work/runs went with the machine at epoch 77 of 120 (the fourth
# run folder lost that way).
# Rules, written before the result (session 28, as w6's; the first restated in session 30, before the
# restart, since live's model is now w6-resnet-wide, chosen on the schedule's evidence and the product's framing):
# - live's model only if it reads more PublicTest faces right than w6-resnet-wide single view, with McNemar
#   p < 0.10 (bench/paired_faces.py on dangpli eval --predictions rows) or a mean PublicTest over its last
#   ten epochs (log.csv, libtorch) above w6's 71.20% (so not one lucky epoch), is not worse through
#   dangpli live paired by clip (bench/paired_clips.py), bench_classify single view stays under 3 ms, and
#   its bench_framing gap on every PublicTest face (STEP 1) is at most 1 point;
# - a member of analyze's ensemble if mean recall at balance 0.5 on aligned.csv, mirror, rises over its members.
# Result (session 32, /work/runs/w7-measure): 205 against 207 faces with w6 (p = 0.96), last-ten mean 71.04%:
# not live's model; mean recall 70.77% against the eight's 70.47%: the ninth member of analyze's ensemble.
set -euo pipefail
cd "$(dirname "$0")/../../.."
source models/ensemble/recipes/data.sh
wide_student w7 127 0.3 "$root/data/teacher-w5w6.csv" models/ensemble/w5-resnet-wide.onnx models/emotion/w6-resnet-wide.onnx
