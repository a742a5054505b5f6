#!/usr/bin/env python3
"""Batch-1 engine latency of two models on one `tessera` binary, interleaved in one run.

Used to measure what a compression buys on the int8 engine (docs/compression.md): alternate
`tessera run MODEL --batch 1 --repeat CALLS --threads 1` of A and B for ROUNDS rounds (the order
flips every round), and report the medians of the per-round medians and B ÷ A.

Usage: python3 scripts/bench_model_pair.py TESSERA MODEL_A MODEL_B [--rounds 9] [--calls 3000]
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
    p.add_argument("tessera")
    p.add_argument("a")
    p.add_argument("b")
    p.add_argument("--rounds", type=int, default=9)
    p.add_argument("--calls", type=int, default=3000)
    p.add_argument("--data", default="Models/data/mnist_5k.csv.gz")
    args = p.parse_args()
    a, b = [], []
    for r in range(args.rounds):
        order = [(args.a, a), (args.b, b)] if r % 2 == 0 else [(args.b, b), (args.a, a)]
        for model, times in order:
            times.append(latency(args.tessera, model, args.data, args.calls))
    ma, mb = statistics.median(a), statistics.median(b)
    ratios = [y / x for x, y in zip(a, b)]
    print(json.dumps({"a": args.a, "b": args.b, "a_us": ma, "b_us": mb, "b_over_a": round(mb / ma, 3),
                      "b_over_a_per_round_median": round(statistics.median(ratios), 3),
                      "a_rounds": a, "b_rounds": b}, indent=1))


if __name__ == "__main__":
    main()
