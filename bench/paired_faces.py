#!/usr/bin/env python3
"""Pairs two models face by face and says whether one reads more faces right than the other.

Each model's readings come from `dangpli eval --predictions` on the same data and split:

    build/bin/dangpli eval --model A.onnx --dataset $D --predictions a.csv
    build/bin/dangpli eval --model B.onnx --dataset $D --predictions b.csv
    bench/paired_faces.py a.csv b.csv [NAME_A NAME_B]

Two models read the same faces, so what tells them apart is only the faces exactly one of them reads
right: the two-sided exact sign test on those (McNemar's exact test) gives p.
Rows: origin,label,predicted,... (dangpli eval --predictions). Exit 2 on a bad file or unmatched rows."""
import csv
import sys

from paired_clips import sign_test_p  # one home for the exact test (this folder)


def read_readings(path: str) -> list:
    """(origin, label, predicted) of every row, in order."""
    rows = []
    try:
        with open(path, newline="") as f:
            reader = csv.reader(f)
            header = next(reader, None)
            if not header or header[:3] != ["origin", "label", "predicted"]:
                raise ValueError(f"{path}:1: expected the header of dangpli eval --predictions (origin,label,predicted,...)")
            for number, row in enumerate(reader, start=2):
                if len(row) < 3:
                    raise ValueError(f"{path}:{number}: expected origin,label,predicted,...")
                rows.append((row[0], row[1], row[2]))
    except OSError as e:
        raise ValueError(f"{path}: {e.strerror}") from e
    if not rows:
        raise ValueError(f"{path}: no rows")
    return rows


def main() -> int:
    if len(sys.argv) not in (3, 5):
        print("usage: bench/paired_faces.py A.csv B.csv [NAME_A NAME_B]", file=sys.stderr)
        return 2
    name_a, name_b = sys.argv[3:5] if len(sys.argv) == 5 else ("A", "B")
    try:
        a = read_readings(sys.argv[1])
        b = read_readings(sys.argv[2])
        if len(a) != len(b):
            raise ValueError(f"{sys.argv[1]} has {len(a)} faces, {sys.argv[2]} {len(b)}: not the same data")
        for i, (ra, rb) in enumerate(zip(a, b)):
            if ra[:2] != rb[:2]:
                raise ValueError(f"{sys.argv[2]}:{i + 2}: face {rb[0]} ({rb[1]}) where {sys.argv[1]} has {ra[0]} ({ra[1]})")
    except ValueError as e:
        print(f"paired_faces: {e}", file=sys.stderr)
        return 2
    n = len(a)
    right_a = sum(label == predicted for _, label, predicted in a)
    right_b = sum(label == predicted for _, label, predicted in b)
    only_a = sum(ra[1] == ra[2] != rb[2] for ra, rb in zip(a, b))
    only_b = sum(rb[1] == rb[2] != ra[2] for ra, rb in zip(a, b))
    print(f"{n} faces: {name_a} {right_a} right ({100 * right_a / n:.2f}%), {name_b} {right_b} ({100 * right_b / n:.2f}%)")
    print(f"right only with {name_a}: {only_a}, only with {name_b}: {only_b}, exact McNemar p = {sign_test_p(only_a, only_b):.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
