#!/usr/bin/env bash
# Runs every libFuzzer target of a DANGPLI_FUZZ build for a bounded time, two at a time, starting
# from the seed corpus in fuzz/corpus/<target>/ (copied: what a run finds stays in the work folder).
# Prints each target's executions and findings; fails if any target found a crash, a leak, an
# undefined behaviour, an escaped exception or a broken promise (its abort()).
# Usage: scripts/fuzz.sh [BUILD_DIR=build-asan] [SECONDS_EACH=60] [WORK_DIR=BUILD_DIR/fuzz-runs]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build-asan}
seconds=${2:-60}
work=${3:-$build/fuzz-runs}
targets=(playlist_csv playlist_yaml playlist_m3u fer2013_csv model_card onnx_graph live_config)
mkdir -p "$work"

run_one() {
  local t=$1 dir=$work/$1
  rm -rf "$dir"; mkdir -p "$dir/corpus" "$dir/findings"
  cp fuzz/corpus/"$t"/* "$dir/corpus/"
  # -rss_limit_mb: our readers refuse big inputs early; a run that needs 2 GB is a finding.
  if "$build/fuzz/fuzz_$t" "$dir/corpus" -max_total_time="$seconds" -print_final_stats=1 -max_len=65536 \
       -rss_limit_mb=2048 -timeout=10 -artifact_prefix="$dir/findings/" > "$dir/log" 2>&1; then
    echo 0 > "$dir/rc"
  else
    echo $? > "$dir/rc"
  fi
}

for ((i = 0; i < ${#targets[@]}; i += 2)); do
  run_one "${targets[i]}" &
  [[ -n "${targets[i + 1]:-}" ]] && run_one "${targets[i + 1]}" &
  wait
done

failed=0
printf '| target | executions | seconds | corpus | findings |\n|---|---:|---:|---:|---:|\n'
for t in "${targets[@]}"; do
  dir=$work/$t
  execs=$(awk '/stat::number_of_executed_units/ {print $2}' "$dir/log")
  findings=$(find "$dir/findings" -type f | wc -l)
  printf '| %s | %s | %s | %s | %s |\n' "$t" "${execs:-?}" "$seconds" "$(find "$dir/corpus" -type f | wc -l)" "$findings"
  if [[ $(cat "$dir/rc") != 0 || $findings != 0 ]]; then
    failed=1
    echo "fuzz_$t failed (exit $(cat "$dir/rc")); its log: $dir/log" >&2
    grep -m 20 -E "ERROR|SUMMARY|runtime error|abort|uncaught|Test unit written" "$dir/log" >&2 || true
  fi
done
exit $failed
