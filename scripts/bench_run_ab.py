#!/usr/bin/env python3
"""Batch-1 latency of two `tessera` binaries on the same models, interleaved in one run (A/B).

Used to check that a change leaves the engine's latency where it was: build the old commit into
its own scratch path, then alternate `tessera run MODEL --batch 1 --repeat CALLS --threads 1` of A
and B for ROUNDS rounds and report the medians and B ÷ A.

Usage: python3 scripts/bench_run_ab.py OLD_TESSERA NEW_TESSERA MODEL [MODEL ...] [--rounds 7] [--calls 3000]
"""
import argparse
import json
import statistics
import subprocess


def latency(binary, model, data, calls):
    out = subprocess.run([binary, "run", model, "--input", data, "--batch", "1", "--repeat", str(calls),
                          "--threads", "1", "--format", "json"], check=True, capture_output=True, text=True)
    return json.loads(out.stdout)["latency_us"]


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("a")
    p.add_argument("b")
    p.add_argument("models", nargs="+")
    p.add_argument("--rounds", type=int, default=7)
    p.add_argument("--calls", type=int, default=3000)
    p.add_argument("--data", default="Models/data/mnist_5k.csv.gz")
    args = p.parse_args()
    rows = []
    for model in args.models:
        a, b = [], []
        for _ in range(args.rounds):
            a.append(latency(args.a, model, args.data, args.calls))
            b.append(latency(args.b, model, args.data, args.calls))
        ma, mb = statistics.median(a), statistics.median(b)
        rows.append({"model": model, "a_us": ma, "b_us": mb, "b_over_a": round(mb / ma, 3),
                     "a_rounds": a, "b_rounds": b})
        print(f"{model}: A {ma:.2f} µs, B {mb:.2f} µs, B/A {mb / ma:.3f}")
    print(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
