#!/usr/bin/env python3
"""Writes request bodies for the load and robustness scripts from the bundled MNIST test split.

Usage: make_bodies.py OUT_DIR [COUNT]

OUT_DIR/valid/    json_NNN.json (1 sample), bin_NNN.bin (1 sample, little-endian float32),
                  json4_NNN.json (4 samples), labels.txt (label per NNN)
OUT_DIR/invalid/  malformed bodies, one per file, with the Content-Type in invalid/types.txt
"""
import gzip
import json
import os
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "..", "..", "Models", "data", "mnist_5k.csv.gz")


def test_split(count):
    """The last 100 rows of each class in file order are the test split (Models/README.md)."""
    rows = {}
    with gzip.open(DATA, "rt") as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            values = [int(v) for v in line.split(",")]
            rows.setdefault(values[-1], []).append([v / 255 for v in values[:-1]])
    test = []
    for label in sorted(rows):
        test += [(pixels, label) for pixels in rows[label][-100:]]
    # Interleave classes so any prefix has every digit.
    order = sorted(range(len(test)), key=lambda i: (i % 100, i))
    return [test[i] for i in order][:count]


def fmt(x):
    return ("%.6f" % x).rstrip("0").rstrip(".") if x else "0"


def main():
    out = sys.argv[1]
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 64
    valid = os.path.join(out, "valid")
    invalid = os.path.join(out, "invalid")
    os.makedirs(valid, exist_ok=True)
    os.makedirs(invalid, exist_ok=True)
    samples = test_split(count)
    with open(os.path.join(valid, "labels.txt"), "w") as labels:
        for i, (pixels, label) in enumerate(samples):
            labels.write("%d\n" % label)
            with open(os.path.join(valid, "json_%03d.json" % i), "w") as f:
                f.write('{"inputs":[[' + ",".join(fmt(p) for p in pixels) + "]]}")
            with open(os.path.join(valid, "bin_%03d.bin" % i), "wb") as f:
                f.write(struct.pack("<%df" % len(pixels), *pixels))
            four = [samples[(i + k) % len(samples)][0] for k in range(4)]
            with open(os.path.join(valid, "json4_%03d.json" % i), "w") as f:
                f.write('{"inputs":[' + ",".join("[" + ",".join(fmt(p) for p in s) + "]" for s in four) + "]}")

    pixels = samples[0][0]
    good = '{"inputs":[[' + ",".join(fmt(p) for p in pixels) + "]]}"
    cases = {
        # name: (content type, body bytes)
        "truncated_json": ("application/json", good[: len(good) // 2].encode()),
        "truncated_json_end": ("application/json", good[:-2].encode()),
        "wrong_length_short": ("application/json", ('{"inputs":[[' + ",".join(fmt(p) for p in pixels[:700]) + "]]}").encode()),
        "wrong_length_long": ("application/json", ('{"inputs":[[' + ",".join(fmt(p) for p in pixels + [0.5]) + "]]}").encode()),
        "nan_literal": ("application/json", good.replace("[[0,", "[[NaN,", 1).encode()),
        "infinity_literal": ("application/json", good.replace("[[0,", "[[-Infinity,", 1).encode()),
        "overflow_number": ("application/json", good.replace("[[0,", "[[1e999,", 1).encode()),
        "string_value": ("application/json", good.replace("[[0,", '[["0",', 1).encode()),
        "empty_inputs": ("application/json", b'{"inputs":[]}'),
        "missing_inputs": ("application/json", b'{"pixels":[[0.5]]}'),
        "not_json": ("application/json", b"hello, world"),
        "empty_body": ("application/json", b""),
        "json_array": ("application/json", b"[[0.5, 0.5]]"),
        "deep_nesting": ("application/json", b'{"inputs":' + b"[" * 10000 + b"]" * 10000 + b"}"),
        "binary_wrong_length": ("application/octet-stream", struct.pack("<700f", *pixels[:700])),
        "binary_odd_bytes": ("application/octet-stream", struct.pack("<784f", *pixels) + b"\x00\x01\x02"),
        "binary_nan": ("application/octet-stream", struct.pack("<f", float("nan")) + struct.pack("<783f", *pixels[1:])),
        "binary_inf": ("application/octet-stream", struct.pack("<783f", *pixels[:783]) + struct.pack("<f", float("inf"))),
        "wrong_content_type_text": ("text/plain", good.encode()),
        "wrong_content_type_form": ("application/x-www-form-urlencoded", good.encode()),
        "binary_as_json": ("application/json", struct.pack("<784f", *pixels)),
        "json_as_binary": ("application/octet-stream", good.encode()),
        "too_many_samples": ("application/json", ('{"inputs":[' + ",".join(["[" + ",".join("0" for _ in pixels) + "]"] * 300) + "]}").encode()),
    }
    with open(os.path.join(invalid, "types.txt"), "w") as types:
        for name, (ctype, body) in cases.items():
            with open(os.path.join(invalid, name + ".body"), "wb") as f:
                f.write(body)
            types.write("%s %s\n" % (name, ctype))
    print("wrote %d valid samples and %d malformed bodies to %s" % (len(samples), len(cases), out))


if __name__ == "__main__":
    main()
