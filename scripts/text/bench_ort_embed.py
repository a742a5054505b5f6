#!/usr/bin/env python3
"""Time ONNX Runtime (1 thread) on a sentence encoder beside `tessera bench embed`, same inputs.

Usage: bench_ort_embed.py TESSERA MODEL_DIR [--seq 16,128,256] [--batch 1,8] [--work DIR] [--rounds 3]

Exports MODEL_DIR with `tessera export` (float ONNX), quantizes it with ONNX Runtime's
`quantize_dynamic` (defaults), then for every (seq, batch) alternates rounds of: ORT float,
ORT int8, Tessera float, Tessera dynamic-int8, so all four see the same background load.
Inputs are exactly `seq` tokens ([CLS], fixed pseudo-random ids, [SEP]). Prints a JSON table of
median milliseconds per call and the ratios Tessera/ORT.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np


def ort_session(path):
    import onnxruntime as ort
    o = ort.SessionOptions()
    o.intra_op_num_threads = 1
    o.inter_op_num_threads = 1
    o.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    return ort.InferenceSession(path, o, providers=["CPUExecutionProvider"])


def time_ort(session, seq, batch, seconds=1.5, minimum=5):
    rng = np.random.default_rng(17)
    ids = np.concatenate([np.full((batch, 1), 101), rng.integers(1000, 30000, (batch, seq - 2)), np.full((batch, 1), 102)], 1)
    feeds = {"input_ids": ids.astype(np.int64), "attention_mask": np.ones((batch, seq), np.int64)}
    for _ in range(3):
        session.run(None, feeds)
    samples, start = [], time.perf_counter()
    while len(samples) < minimum or time.perf_counter() - start < seconds:
        t = time.perf_counter()
        session.run(None, feeds)
        samples.append((time.perf_counter() - t) * 1e3)
    return statistics.median(samples)


def time_tessera(tessera, model, seq, batch, quantization):
    out = subprocess.run([tessera, "bench", "embed", model, "--seq", str(seq), "--batch", str(batch), "--threads", "1",
                          "--quantization", quantization, "--format", "json", "--quiet", "--iterations", "15",
                          "--time-budget", "1.5"], check=True, stdout=subprocess.PIPE).stdout
    return json.loads(out)["results"][0]["ms"]


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("tessera")
    p.add_argument("model")
    p.add_argument("--seq", default="16,128,256")
    p.add_argument("--batch", default="1,8")
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--work")
    args = p.parse_args()
    work = args.work or tempfile.mkdtemp(prefix="tessera-ort-bench-")
    f32, i8 = os.path.join(work, "model.onnx"), os.path.join(work, "model-int8.onnx")
    if not os.path.exists(f32):
        subprocess.run([args.tessera, "export", args.model, "--out", f32, "--quiet"], check=True, stdout=subprocess.DEVNULL)
    if not os.path.exists(i8):
        from onnxruntime.quantization import quantize_dynamic
        quantize_dynamic(f32, i8)
    import onnxruntime
    sessions = {"ort_float": ort_session(f32), "ort_int8": ort_session(i8)}
    rows = []
    for seq in map(int, args.seq.split(",")):
        for batch in map(int, args.batch.split(",")):
            times = {k: [] for k in ["ort_float", "ort_int8", "tessera_float", "tessera_int8"]}
            for _ in range(args.rounds):
                times["ort_float"].append(time_ort(sessions["ort_float"], seq, batch))
                times["ort_int8"].append(time_ort(sessions["ort_int8"], seq, batch))
                times["tessera_float"].append(time_tessera(args.tessera, args.model, seq, batch, "none"))
                times["tessera_int8"].append(time_tessera(args.tessera, args.model, seq, batch, "dynamic-int8"))
            row = {"seq": seq, "batch": batch}
            row.update({k: round(statistics.median(v), 3) for k, v in times.items()})
            row["float_ratio"] = round(row["tessera_float"] / row["ort_float"], 3)
            row["int8_ratio"] = round(row["tessera_int8"] / row["ort_int8"], 3)
            print(json.dumps(row), file=sys.stderr, flush=True)
            rows.append(row)
    print(json.dumps({"onnxruntime": onnxruntime.__version__, "results": rows}, indent=1))


if __name__ == "__main__":
    main()
