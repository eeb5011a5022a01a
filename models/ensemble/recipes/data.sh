# Sourced by the student recipes (x1.sh, w5.sh to w8.sh, se1.sh, mx1.sh, l1.sh): ROOT, the data D, and the derived data each run needs,
# remade only when missing (run folders outside the repository were lost with a machine five times: between
# sessions, `scripts/park-runs.sh save` keeps what resuming needs on this repository's branch `runs`, and
# `scripts/park-runs.sh restore` brings it back before the recipe resumes).
# Sets: root (ROOT, default /work/runs), D (FER2013's CSV, or DANGPLI_FER2013). Run from the repository root.
root=${1:-/work/runs}
D=${DANGPLI_FER2013:-../shared/data/fer2013/fer2013_train_publictest.csv.gz}
mkdir -p "$root/data"
# align_fer2013's crops of every row (about 6 minutes on 2 threads; the same on any thread count).
[[ -s $root/data/aligned.csv ]] || build/tools/align_fer2013 "$D" "$root/data/aligned.csv"

# teacher_votes_once FILE MODEL...: the models' mean probabilities (mirror) for every row, in the FER+
# votes format that --ferplus-votes reads; made once.
teacher_votes_once() {
  local file=$1; shift
  [[ -s $file ]] || build/tools/teacher_votes "$D" "$file" --tta mirror "$@"
}

# student ARCH RUN SEED ALIGNED_MIX TEACHER_WEIGHT VOTES MODEL...: w5's recipe (120 epochs, TEACHER_WEIGHT of each
# target the MODELs' mean mirror votes, made once into VOTES, the rest FER2013's label) with --arch ARCH into
# ROOT/RUN with SEED and ALIGNED_MIX of its views from aligned.csv; starts the run or resumes it. Flags in the
# array student_flags (set before the call) are added to the recipe (mx1: --mixup); student_epochs (l1: 240) sets
# the schedule's length.
student() {
  local arch=$1 run=$2 seed=$3 aligned_mix=$4 weight=$5 votes=$6; shift 6
  teacher_votes_once "$votes" "$@"
  exec build/bin/dangpli train "$root/$run" --data "$D" --arch "$arch" --epochs "$student_epochs" --batch 64 --lr 0.05 --warmup 2 \
      --seed "$seed" --erase 0.25 --blur 0.1 --blur-sigma 0.3 1.2 --gamma 0.8 1.25 --jpeg 0.1 --jpeg-quality 30 90 \
      --ferplus-votes "$votes" --ferplus-mix "$weight" --aligned-data "$root/data/aligned.csv" --aligned-mix "$aligned_mix" \
      "${student_flags[@]}"
}
student_flags=()
student_epochs=120

# wide_student_weighted RUN SEED ALIGNED_MIX TEACHER_WEIGHT VOTES MODEL...: student with resnet-wide (w8).
wide_student_weighted() {
  student resnet-wide "$@"
}

# wide_student RUN SEED ALIGNED_MIX VOTES MODEL...: the same with half of each target the teacher's (w5-w7).
wide_student() {
  local run=$1 seed=$2 aligned_mix=$3; shift 3
  wide_student_weighted "$run" "$seed" "$aligned_mix" 0.5 "$@"
}

# The seven members analyze reads since session 24.
seven=(models/emotion/fer-resnet.onnx models/emotion/m3-resnet.onnx models/emotion/fer-resnet-wide.onnx
       models/emotion/w2-resnet-wide.onnx models/emotion/w3-resnet-wide.onnx models/emotion/w4-resnet-wide.onnx
       models/emotion/x1-resnet-wider.onnx)

# wide_student_of_seven RUN SEED ALIGNED_MIX: wide_student taught by the seven (teacher-7.csv): w5, w6.
wide_student_of_seven() {
  wide_student "$1" "$2" "$3" "$root/data/teacher-7.csv" "${seven[@]}"
}
