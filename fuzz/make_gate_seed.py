#!/usr/bin/env python3
"""Writes fuzz/corpus/onnx_graph/gate.onnx, the fuzzer's second seed: a tiny graph with a channel gate
(the operators a squeeze-and-excitation block adds, Sigmoid and a broadcasting Mul), for an 1x1x8x8 input:
Conv 3x3 pad 1 (2 channels) -> Relu -> r; GlobalAveragePool(r) -> Conv 1x1 -> Sigmoid -> t; Mul(r, t) ->
GlobalAveragePool -> Flatten -> Gemm(transB, 7 outputs) -> Softmax. Protobuf written by hand (no onnx
module needed). Usage, from the repository root: fuzz/make_gate_seed.py"""
import struct
from pathlib import Path


def varint(n):
    out = b""
    while True:
        byte = n & 0x7F
        n >>= 7
        if n:
            out += bytes([byte | 0x80])
        else:
            return out + bytes([byte])


def field(number, payload):  # length-delimited
    return varint(number << 3 | 2) + varint(len(payload)) + payload


def int_field(number, value):
    return varint(number << 3) + varint(value)


def text(number, s):
    return field(number, s.encode())


def ints_attribute(name, values):
    return text(1, name) + b"".join(int_field(8, v) for v in values) + int_field(20, 7)


def int_attribute(name, value):
    return text(1, name) + int_field(3, value) + int_field(20, 2)


def node(op, inputs, output, attributes=()):
    return (b"".join(text(1, i) for i in inputs) + text(2, output) + text(3, op + "_" + output) + text(4, op)
            + b"".join(field(5, a) for a in attributes))


def tensor(name, dims, values):
    return (b"".join(int_field(1, d) for d in dims) + int_field(2, 1) +
            field(4, struct.pack("<%df" % len(values), *values)) + text(8, name))


def value_info(name, dims):
    shape = b"".join(field(1, int_field(1, d)) for d in dims)
    return text(1, name) + field(2, field(1, int_field(1, 1) + field(2, shape)))


nodes = [
    node("Conv", ["x", "W0", "B0"], "c", [ints_attribute("kernel_shape", [3, 3]), ints_attribute("pads", [1, 1, 1, 1]),
                                          ints_attribute("strides", [1, 1])]),
    node("Relu", ["c"], "r"),
    node("GlobalAveragePool", ["r"], "s"),
    node("Conv", ["s", "Wg", "Bg"], "z", [ints_attribute("kernel_shape", [1, 1]), ints_attribute("pads", [0, 0, 0, 0]),
                                          ints_attribute("strides", [1, 1])]),
    node("Sigmoid", ["z"], "t"),
    node("Mul", ["r", "t"], "m"),
    node("GlobalAveragePool", ["m"], "g"),
    node("Flatten", ["g"], "f", [int_attribute("axis", 1)]),
    node("Gemm", ["f", "W1", "B1"], "l", [int_attribute("transB", 1)]),
    node("Softmax", ["l"], "probs", [int_attribute("axis", 1)]),
]
initializers = [
    tensor("W0", [2, 1, 3, 3], [0.1 * k for k in range(9)] + [0.05 * (9 - k) for k in range(9)]),
    tensor("B0", [2], [0.0, 0.5]),
    tensor("Wg", [2, 2, 1, 1], [1.0, -0.5, 0.25, 2.0]),
    tensor("Bg", [2], [-1.0, 0.5]),
    tensor("W1", [7, 2], [0.01 * k for k in range(14)]),
    tensor("B1", [7], [0.0] * 7),
]
graph = (b"".join(field(1, n) for n in nodes) + text(2, "gate") + b"".join(field(5, t) for t in initializers)
         + field(11, value_info("x", [1, 1, 8, 8])) + field(12, value_info("probs", [1, 7])))
model = int_field(1, 7) + field(8, text(1, "") + int_field(2, 11)) + field(7, graph)
out = Path(__file__).resolve().parent / "corpus/onnx_graph/gate.onnx"
out.write_bytes(model)
print(f"wrote {out} ({len(model)} bytes)")
