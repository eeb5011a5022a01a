#!/usr/bin/env bash
# What one `dangpli` call costs before and around its work, as a script calling it per photo feels it:
# CPU seconds (user + sys) and wall seconds of `dangpli --help` (start-up alone: loading the shared
# libraries and their static initialisers) and of `dangpli analyze` on one example photo, the median
# of N runs. Give a second build folder to compare two builds, alternating, in the same minutes, or
# `preload:LIB` to compare the build with itself started with LIB loaded first (LD_PRELOAD): what the
# program cost when it linked LIB (session 31: `preload:libmpv.so.2`, libmpv before the player loaded it).
# Usage: bench/cli_start.sh [BUILD_DIR=build] [OTHER_BUILD_DIR|preload:LIB] [N=5]
set -euo pipefail
cd "$(dirname "$0")/.."
builds=("${1:-build}")
[[ -n "${2:-}" ]] && builds+=("$2")
n=${3:-5}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
photo=data/examples/happy-baby.jpeg
for ((i = 0; i < n; i++)); do
  for b in "${builds[@]}"; do
    key=${b//[\/:.]/_}
    program=${builds[0]}/bin/dangpli preload=
    if [[ $b == preload:* ]]; then preload=${b#preload:}; else program=$b/bin/dangpli; fi
    /usr/bin/time -f "%U %S %e" -o "$tmp/t" env LD_PRELOAD="$preload" "$program" --help > /dev/null
    awk '{print $1 + $2, $3}' "$tmp/t" >> "$tmp/help-$key"
    /usr/bin/time -f "%U %S %e" -o "$tmp/t" env LD_PRELOAD="$preload" "$program" analyze "$photo" > /dev/null
    awk '{print $1 + $2, $3}' "$tmp/t" >> "$tmp/analyze-$key"
  done
done
median() { sort -n -k"$2" "$1" | awk -v c="$2" '{v[NR] = $c} END {print v[int((NR + 1) / 2)]}'; }
printf '| build | --help CPU s | --help wall s | analyze (one photo) CPU s | analyze wall s |\n|---|---:|---:|---:|---:|\n'
for b in "${builds[@]}"; do
  key=${b//[\/:.]/_}
  printf '| %s | %s | %s | %s | %s |\n' "$b" "$(median "$tmp/help-$key" 1)" "$(median "$tmp/help-$key" 2)" \
    "$(median "$tmp/analyze-$key" 1)" "$(median "$tmp/analyze-$key" 2)"
done
