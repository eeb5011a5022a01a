#!/usr/bin/env bash
# Student l1 (issue 14): w5's recipe and seed (107; resnet-wide; the seven's mirror votes at half of each target,
# 30% of its views from the aligner's crops) on a schedule twice as long: 240 epochs. Doubling the schedule
# carried about a point, seed for seed (60-epoch wide students' last-ten means 69.7-70.4%, the 120-epoch ones
# 71.04-71.64%); every change since at 120 epochs (teachers, their weight, SE gates, mixup) stayed inside
# 70.5-71.8%. w5 is its pair: only the length differs. About 7 h of quiet CPU (four sessions); resumes with the
# same command. Written in session 41, before it trained.
# Usage, from the repository root after scripts/build.sh:
#   nohup models/ensemble/recipes/l1.sh [ROOT=/work/runs] >> ROOT/l1.log 2>&1 &
# On a fresh machine, first: scripts/park-runs.sh restore [ROOT]; before leaving it: scripts/park-runs.sh save [ROOT].
# Then: models/ensemble/recipes/measure-student.sh l1 l1-resnet-wide [ROOT]
# Rules, written before the result, against live's model w6-resnet-wide:
# - live's model only if it reads more PublicTest faces right than w6 single view with McNemar p < 0.10
#   (bench/paired_faces.py on dangpli eval --predictions rows) or a mean PublicTest over its last ten epochs
#   (log.csv) above w5's 71.64% (the best of any student), is not worse through dangpli live paired by clip
#   (bench/paired_clips.py), bench_classify single view stays under 3 ms (w5's network), and its bench_framing
#   gap on every PublicTest face is at most 1 point;
# - the longer schedule helps if its last-ten mean is above w5's 71.64% and it reads more faces right than w5
#   face by face;
# - a member of analyze's ensemble if mean recall at balance 0.5 on aligned.csv, mirror, rises over its members
#   by at least 0.2 points.
set -euo pipefail
cd "$(dirname "$0")/../../.."
source models/ensemble/recipes/data.sh
student_epochs=240
wide_student_of_seven l1 107 0.3
