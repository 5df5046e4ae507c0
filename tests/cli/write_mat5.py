#!/usr/bin/env python3
"""Writes a DeepSEA-style MATLAB v5 file (valid.mat layout), intact or damaged, for the bad-input catalogue.

    write_mat5.py OUT N LENGTH LABELS [--compress] [--declare-length L] [--truncate BYTES] [--x-name NAME]

validxdata is uint8 [N, 4, LENGTH] (one-hot A, C, G, T), validdata uint8 [N, LABELS], both column-major as
MATLAB stores them. --declare-length writes L into the header's dimensions while the data keeps LENGTH (a
data element shorter, or longer, than its declared shape); --truncate cuts BYTES off the end of the file.
"""
import random
import struct
import sys
import zlib

MI_INT8, MI_UINT8, MI_INT32, MI_UINT32, MI_MATRIX, MI_COMPRESSED = 1, 2, 5, 6, 14, 15
MX_UINT8_CLASS = 9


def element(kind, payload):
    data = struct.pack("<II", kind, len(payload)) + payload
    return data + b"\0" * ((8 - len(data) % 8) % 8)


def matrix(name, dims, payload):
    body = (element(MI_UINT32, struct.pack("<II", MX_UINT8_CLASS, 0))
            + element(MI_INT32, struct.pack("<%di" % len(dims), *dims))
            + element(MI_INT8, name.encode())
            + element(MI_UINT8, payload))
    return struct.pack("<II", MI_MATRIX, len(body)) + body


args = sys.argv[1:]
out, n, length, labels = args[0], int(args[1]), int(args[2]), int(args[3])
options = args[4:]
compress = "--compress" in options
declared = int(options[options.index("--declare-length") + 1]) if "--declare-length" in options else length
truncate = int(options[options.index("--truncate") + 1]) if "--truncate" in options else 0
x_name = options[options.index("--x-name") + 1] if "--x-name" in options else "validxdata"

rng = random.Random(7)
x = bytearray(n * 4 * length)
for s in range(n):
    for p in range(length):
        x[s + n * (rng.randrange(4) + 4 * p)] = 1  # column-major (s, b, p)
y = bytes(rng.randrange(2) for _ in range(n * labels))
variables = [matrix(x_name, [n, 4, declared], bytes(x)), matrix("validdata", [n, labels], y)]
blob = b"MATLAB 5.0 MAT-file, written by write_mat5.py".ljust(116, b" ") + b"\0" * 8 + struct.pack("<H", 0x0100) + b"IM"
for v in variables:
    if compress:
        z = zlib.compress(v)
        blob += struct.pack("<II", MI_COMPRESSED, len(z)) + z
    else:
        blob += v
if truncate:
    blob = blob[:-truncate]
with open(out, "wb") as f:
    f.write(blob)
