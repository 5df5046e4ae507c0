#!/usr/bin/env python3
"""Largest absolute difference between the F32 tensors of two safetensors files (standard library only).

Usage: compare_safetensors.py A B TOLERANCE
Prints "max_abs_diff VALUE" and exits 0 when every tensor of A exists in B with the same shape and all
values agree within TOLERANCE, 1 otherwise (naming the first tensor that differs).
"""
import json
import struct
import sys
from array import array


def read(path):
    with open(path, "rb") as f:
        (n,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(n))
        data = f.read()
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        if info["dtype"] != "F32":
            sys.exit(f"{path}: {name} is {info['dtype']}, only F32 is compared")
        begin, end = info["data_offsets"]
        values = array("f")
        values.frombytes(data[begin:end])
        if sys.byteorder != "little":
            values.byteswap()
        tensors[name] = (info["shape"], values)
    return tensors


def main():
    a, b, tolerance = read(sys.argv[1]), read(sys.argv[2]), float(sys.argv[3])
    if sorted(a) != sorted(b):
        print(f"tensor names differ: {sorted(set(a) ^ set(b))}")
        return 1
    worst, worst_name = 0.0, None
    for name, (shape, values) in a.items():
        other_shape, other = b[name]
        if shape != other_shape:
            print(f"{name}: shape {shape} vs {other_shape}")
            return 1
        diff = max((abs(x - y) for x, y in zip(values, other)), default=0.0)
        if diff > worst:
            worst, worst_name = diff, name
    print(f"max_abs_diff {worst:.3g}" + (f" ({worst_name})" if worst_name else ""))
    return 0 if worst <= tolerance else 1


if __name__ == "__main__":
    sys.exit(main())
