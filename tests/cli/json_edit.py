#!/usr/bin/env python3
"""Writes a JSON file with one field changed, for the bad-input catalogues.

    json_edit.py IN OUT PATH VALUE   PATH: dot-separated keys / list indices (heads.1.labels);
                                     VALUE: JSON text, or the word DELETE to remove the field.
"""
import json
import sys

source, target, path, value = sys.argv[1:5]
with open(source) as f:
    doc = json.load(f)
keys = path.split(".")
node = doc
for key in keys[:-1]:
    node = node[int(key)] if isinstance(node, list) else node[key]
last = int(keys[-1]) if isinstance(node, list) else keys[-1]
if value == "DELETE":
    del node[last]
else:
    node[last] = json.loads(value)
with open(target, "w") as f:
    json.dump(doc, f, indent=1)
