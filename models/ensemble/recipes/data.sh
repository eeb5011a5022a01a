# Sourced by the student recipes (x1.sh, w5.sh): ROOT, the data D, and the derived data each run needs,
# remade only when missing (run folders outside the repository were lost with a machine three times).
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
