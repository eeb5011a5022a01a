#!/usr/bin/env bash
# CPU cost of `dangpli train`: one epoch of the ResNet on the first ROWS Training faces (and as
# many PublicTest faces to validate on), 2 torch threads, user and system CPU seconds of the whole
# process (loading, training, validation). System time is where page faults show: see
# keep_large_blocks_in_heap() in cli/train_command.cpp. Compare builds in one run on a quiet machine.
# Usage: bench/train_cpu.sh [BUILD_DIR=build] [ROWS=3000] [RUNS=2]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}; rows=${2:-3000}; runs=${3:-2}
data=${DANGPLI_FER2013:-../shared/data/fer2013/fer2013_train_publictest.csv.gz}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf '| run | user CPU s | system CPU s | wall s |\n|---|---:|---:|---:|\n'
for i in $(seq "$runs"); do
  /usr/bin/time -f "%U %S %e" -o "$tmp/time" "$build/bin/dangpli" train "$tmp/run$i" --data "$data" --arch resnet \
    --epochs 1 --limit "$rows" --threads 2 > /dev/null 2>&1
  read -r user sys wall < "$tmp/time"
  printf '| %d | %s | %s | %s |\n' "$i" "$user" "$sys" "$wall"
done
echo
echo "one epoch on $rows faces, 2 threads; reproduce: bench/train_cpu.sh $build $rows $runs"
