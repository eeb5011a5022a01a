#!/usr/bin/env bash
# Student w5 (issue 14): w1's network (resnet-wide, 48/96/192) on a schedule twice as long (120 epochs;
# the narrow s10 gained 0.5 points single view over s4 that way), seed 107, taught by the seven members
# analyze reads since session 24 (teacher-7.csv: 72.14% mirror on PublicTest as an ensemble, against
# teacher-5's 71.58%). Remakes its data (align_fer2013's crops, the teacher's votes) and starts the
# run, or resumes it with the same command. About 3 h of quiet CPU, so it spans sessions.
# Usage, from the repository root after scripts/build.sh:
#   nohup models/ensemble/recipes/w5.sh [ROOT=/work/runs] >> ROOT/w5.log 2>&1 &
# Rules, written before the result (session 24):
# - live's model only if it reads more PublicTest faces right than fer-resnet-wide (w1) single view with
#   McNemar p < 0.10 (bench/paired_faces.py on dangpli eval --predictions rows), is not worse through
#   dangpli live paired by clip (bench/paired_clips.py), and bench_classify single view stays under 3 ms;
# - a member of analyze's ensemble if mean recall at balance 0.5 on aligned.csv, mirror, rises over the seven.
set -euo pipefail
cd "$(dirname "$0")/../../.."
source models/ensemble/recipes/data.sh
wide_student_of_seven w5 107 0.3
