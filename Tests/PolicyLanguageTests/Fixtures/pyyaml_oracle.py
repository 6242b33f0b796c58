"""The independent reference for the differential tests: PyYAML reads each file named on stdin.

Prints one JSON line per file: {"ok": tree} or {"error": message}. The tree is tagged so that
types survive JSON: {"null":true}, {"bool":b}, {"int":"digits"}, {"float":"bits"|"nan"},
{"str":s}, {"seq":[...]}, {"map":[[k,v],...]}. Floats are compared by their IEEE-754 bits.
"""
import json
import struct
import sys

import yaml

LOADER = yaml.CSafeLoader if "--c" in sys.argv else yaml.SafeLoader


def tag(value):
    if value is None:
        return {"null": True}
    if isinstance(value, bool):
        return {"bool": value}
    if isinstance(value, int):
        return {"int": str(value)}
    if isinstance(value, float):
        if value != value:
            return {"float": "nan"}
        return {"float": str(struct.unpack("<Q", struct.pack("<d", value))[0])}
    if isinstance(value, str):
        return {"str": value}
    if isinstance(value, list):
        return {"seq": [tag(v) for v in value]}
    if isinstance(value, dict):
        return {"map": [[tag(k), tag(v)] for k, v in value.items()]}
    return {"other": repr(value)}


for line in sys.stdin:
    path = line.rstrip("\n")
    if not path:
        continue
    try:
        with open(path, "rb") as f:
            data = f.read()
        result = {"ok": tag(yaml.load(data, Loader=LOADER))}
    except Exception as e:  # every PyYAML failure is an answer, not a crash of the oracle
        result = {"error": type(e).__name__ + ": " + str(e).splitlines()[0] if str(e) else type(e).__name__}
    sys.stdout.write(json.dumps(result, ensure_ascii=True) + "\n")
    sys.stdout.flush()
