#!/usr/bin/env python3
"""Pairs two runs of bench/live_faces.sh clip by clip (their DANGPLI_BENCH_ROWS files) and says whether
one model reads held faces through `dangpli live` better than the other.

Two models read the same clips, so what tells them apart is only the clips where they differ: for the
mood shown at the end, how many are right (FER2013's label) only with A, only with B, and how many agree
with the model's own crop reading only with A, only with B. The two-sided exact sign test on those
discordant clips gives p (McNemar's exact test).

Usage: bench/paired_clips.py ROWS_A.csv ROWS_B.csv [NAME_A NAME_B]
Rows: clip,label,crop,end,longest,mean (bench/live_faces.sh). Exit 2 on a bad file."""
import csv
import math
import sys


def sign_test_p(only_a: int, only_b: int) -> float:
    """Two-sided exact binomial test of only_a against only_b at p = 1/2."""
    n = only_a + only_b
    if n == 0:
        return 1.0
    tail = sum(math.comb(n, k) for k in range(min(only_a, only_b) + 1)) / 2 ** n
    return min(1.0, 2 * tail)


def read_rows(path: str) -> dict:
    rows = {}
    try:
        with open(path, newline="") as f:
            for number, row in enumerate(csv.reader(f), start=1):
                if len(row) != 6:
                    raise ValueError(f"{path}:{number}: expected 6 fields (clip,label,crop,end,longest,mean), got {len(row)}")
                rows[row[0]] = row
    except OSError as e:
        raise ValueError(f"{path}: {e.strerror}") from e
    if not rows:
        raise ValueError(f"{path}: no rows")
    return rows


def main(argv: list) -> int:
    if len(argv) not in (3, 5):
        print(__doc__.strip().splitlines()[-2], file=sys.stderr)
        return 2
    name_a, name_b = (argv[3], argv[4]) if len(argv) == 5 else ("A", "B")
    try:
        a, b = read_rows(argv[1]), read_rows(argv[2])
    except ValueError as e:
        print(f"paired_clips: {e}", file=sys.stderr)
        return 2
    clips = sorted(a.keys() & b.keys())
    if len(clips) != len(a) or len(clips) != len(b):
        print(f"paired_clips: the runs hold different clips ({len(a)} and {len(b)}, {len(clips)} shared); "
              "run both with the same STEP, SECONDS and SCALE", file=sys.stderr)
        return 2
    print(f"{len(clips)} clips, mood shown at the end; {name_a} against {name_b}\n")
    print(f"| measure | {name_a} | {name_b} | only {name_a} | only {name_b} | sign test p |")
    print("|---|---:|---:|---:|---:|---:|")
    for measure, truth in (("right (label)", lambda r: r[1]), ("agrees with its crop", lambda r: r[2])):
        hit_a = [a[c][3] == truth(a[c]) for c in clips]
        hit_b = [b[c][3] == truth(b[c]) for c in clips]
        only_a = sum(x and not y for x, y in zip(hit_a, hit_b))
        only_b = sum(y and not x for x, y in zip(hit_a, hit_b))
        print(f"| {measure} | {sum(hit_a)} | {sum(hit_b)} | {only_a} | {only_b} | {sign_test_p(only_a, only_b):.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
