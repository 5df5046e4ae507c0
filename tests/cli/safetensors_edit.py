#!/usr/bin/env python3
"""Writes a damaged copy of a .safetensors file, for the bad-input catalogues.

    safetensors_edit.py IN OUT ACTION
ACTION: nan | inf | neginf (one value of the first F32 tensor), duplicate (the first tensor's key written
twice in the header), truncate (the last 100 bytes cut), header_length (a header length beyond the file),
not_json, gap (the first tensor's offsets shifted by 4), dtype (an unknown dtype), shape (a shape that does
not match its bytes), metadata (a non-string metadata value), extra (4 bytes after the last tensor).
"""
import json
import struct
import sys

source, target, action = sys.argv[1:4]
with open(source, "rb") as f:
    blob = f.read()
length = struct.unpack("<Q", blob[:8])[0]
header = json.loads(blob[8:8 + length])
data = bytearray(blob[8 + length:])
names = sorted((k for k in header if k != "__metadata__"), key=lambda k: header[k]["data_offsets"][0])
first = next(k for k in names if header[k]["dtype"] == "F32")
text = None
if action in ("nan", "inf", "neginf"):
    value = {"nan": float("nan"), "inf": float("inf"), "neginf": float("-inf")}[action]
    begin = header[first]["data_offsets"][0]
    data[begin:begin + 4] = struct.pack("<f", value)
elif action == "duplicate":
    body = json.dumps(header)
    entry = json.dumps({first: header[first]})[1:-1]
    text = body[:-1] + ", " + entry + "}"
elif action == "gap":
    header[first]["data_offsets"] = [o + 4 for o in header[first]["data_offsets"]]
elif action == "dtype":
    header[first]["dtype"] = "F128"
elif action == "shape":
    header[first]["shape"] = [s * 2 for s in header[first]["shape"]]
elif action == "metadata":
    header["__metadata__"] = {"format": 1}
elif action == "extra":
    data += b"\0\0\0\0"
elif action not in ("truncate", "header_length", "not_json"):
    sys.exit("unknown action " + action)
if text is None:
    text = "not json {" if action == "not_json" else json.dumps(header)
raw = text.encode()
out = struct.pack("<Q", len(raw) if action != "header_length" else len(raw) + len(data) + 1000) + raw + bytes(data)
if action == "truncate":
    out = out[:-100]
with open(target, "wb") as f:
    f.write(out)
