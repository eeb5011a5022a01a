#!/usr/bin/env bash
# Images per second per core for `dangpli analyze` (decode + detect + classify) on 640x480 JPEG
# photos, and the Dask run (python3 -m dangpli.dask) on 1 and 2 workers, side by side. A figure,
# never a test. Run from the checkout after building (and, for Dask, with the Python module):
#   bench/batch_throughput.sh [BUILD_DIR=build] [COUNT=64]
set -euo pipefail
build=${1:-build} count=${2:-64}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$build/bench/make_batch_photos" "$tmp/photos" "$count"
cpus=$(nproc)

# wall seconds of a command (its output thrown away; its exit status 0 or 1 accepted)
wall() {
    local t0 t1
    t0=$(date +%s.%N)
    "$@" > /dev/null 2>&1 || (( $? == 1 ))
    t1=$(date +%s.%N)
    echo "$t1 - $t0" | bc -l
}
row() {  # name cores seconds
    printf '%-46s %5d %8.2f %10.2f %10.2f\n' "$1" "$2" "$3" "$(echo "$count / $3" | bc -l)" \
        "$(echo "$count / $3 / $2" | bc -l)"
}

printf '%d photos 640x480, %d CPUs here\n' "$count" "$cpus"
printf '%-46s %5s %8s %10s %10s\n' "run" "cores" "seconds" "images/s" "per core"
row "dangpli analyze -j 1 (taskset 1 core)" 1 "$(wall taskset -c 0 "$build/bin/dangpli" analyze -j 1 --format jsonl "$tmp/photos")"
if (( cpus >= 2 )); then
    row "dangpli analyze -j 2 (taskset 2 cores)" 2 "$(wall taskset -c 0,1 "$build/bin/dangpli" analyze -j 2 --format jsonl "$tmp/photos")"
fi
if PYTHONPATH="$build/python" /usr/bin/python3 -c 'import dangpli.dask, distributed' 2> /dev/null; then
    for workers in 1 2; do
        (( workers <= cpus )) || continue
        rm -f "$tmp/out.jsonl"
        row "python3 -m dangpli.dask --workers $workers (incl. start)" "$workers" \
            "$(wall env PYTHONPATH="$build/python" /usr/bin/python3 -m dangpli.dask "$tmp/photos" "$tmp/out.jsonl" --workers "$workers")"
    done
    # The cluster's start (processes, imports, model loads) alone: every path already done.
    printf '%-46s %5d %8.2f\n' "  its start alone (all paths already done)" 2 \
        "$(wall env PYTHONPATH="$build/python" /usr/bin/python3 -m dangpli.dask "$tmp/photos" "$tmp/out.jsonl" --workers 2)"
else
    echo "(no Dask run: the Python module or python3-distributed is missing)"
fi
