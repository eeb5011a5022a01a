#!/usr/bin/env bash
# Keeps training runs across the loss of their machine (run folders outside the repository were lost
# five times): `save` commits what resuming needs from ROOT (every run's config, state, log, last
# checkpoint, best model, init and teachers, and ROOT/data's small files) to the branch `runs` of this
# repository, one commit without parents that replaces the last (main and the working tree are not
# touched; old saves become garbage). `restore` writes them back into an empty or missing ROOT; the
# big derived data (aligned.csv) is remade by the recipes. Then the recipe's own command resumes.
# Usage: scripts/park-runs.sh save [ROOT=/work/runs] | scripts/park-runs.sh restore [ROOT=/work/runs]
# Save between epochs, or pause the trainer around it (pkill -STOP/-CONT -f 'dangpli train').
set -euo pipefail
cd "$(dirname "$0")/.."
usage() { echo "usage: $0 save|restore [ROOT]" >&2; exit 2; }
[[ $# -ge 1 && $# -le 2 ]] || usage
action=$1
root=${2:-/work/runs}
branch=refs/heads/runs
index=$(mktemp -u)
trap 'rm -f "$index"' EXIT
git_at_root() { GIT_INDEX_FILE=$index git --work-tree="$root" "$@"; }

case $action in
save)
  [[ -d $root ]] || { echo "$root: no such folder" >&2; exit 3; }
  files=()
  while IFS= read -r -d '' state; do
    run=$(dirname "$state")
    last=$(sed -n 's/^epochs_done: *//p' "$state")
    for f in config.yaml state.yaml log.csv best init teachers "checkpoints/epoch-$(printf %03d "$last")"; do
      [[ -e $run/$f ]] && files+=("${run#"$root"/}/$f")
    done
  done < <(find "$root" -mindepth 2 -maxdepth 2 -name state.yaml -print0)
  # ROOT/data's files under 20 MB (teacher votes); aligned.csv is remade in minutes.
  while IFS= read -r -d '' f; do files+=("${f#"$root"/}"); done \
    < <(find "$root/data" -maxdepth 1 -type f -size -20M -print0 2>/dev/null)
  (( ${#files[@]} )) || { echo "$root: no training run to save" >&2; exit 3; }
  git_at_root add -f -- "${files[@]}"
  tree=$(git_at_root write-tree)
  commit=$(git commit-tree "$tree" -m "Training runs of $root as of $(date -u +%FT%TZ) (scripts/park-runs.sh)")
  git update-ref "$branch" "$commit"
  echo "saved ${#files[@]} paths of $root to branch runs ($(git rev-parse --short "$commit"))"
  ;;
restore)
  git rev-parse -q --verify "$branch" > /dev/null || { echo "no branch runs in this repository: nothing saved" >&2; exit 3; }
  # Never over a run that may be newer than the save.
  if [[ -d $root ]] && [[ -n $(find "$root" -mindepth 2 -maxdepth 2 -name state.yaml -print -quit) ]]; then
    echo "$root: holds training runs already; restore only into an empty or missing folder" >&2; exit 3
  fi
  mkdir -p "$root"
  git_at_root read-tree "$branch"
  git_at_root checkout-index -a
  echo "restored branch runs ($(git rev-parse --short "$branch")) into $root"
  ;;
*) usage ;;
esac
