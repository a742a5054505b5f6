#!/usr/bin/env python3
"""Batch-1 latency of Tessera against ONNX Runtime on the same ONNX models, same machine, same run.

For every model it alternates ROUNDS rounds of: ONNX Runtime (1 intra-op thread, Python
`InferenceSession.run`, median µs over CALLS calls) and `tessera run MODEL --batch 1 --repeat CALLS`
(median µs of its timed calls, 1 thread). ONNX Runtime's Python call costs a few µs by itself, so
the script also times an Identity model with the same input and reports ORT both with that cost
and with it subtracted. Ratios are Tessera ÷ ORT (below 1 = Tessera faster).

Usage: python3 scripts/onnx/bench_ort.py TESSERA_BINARY MODEL.onnx [MODEL.onnx ...] [--rounds 5] [--calls 2000]
       [--data Models/data/mnist_5k.csv.gz] [--json OUT.json]
"""
import argparse
import json
import statistics
import subprocess
import sys
import time

import numpy as np
import onnx
import onnxruntime as ort
from onnx import TensorProto, helper


def session(model_bytes_or_path):
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    return ort.InferenceSession(model_bytes_or_path, options, providers=["CPUExecutionProvider"])


def median_call_us(sess, feed, calls):
    for _ in range(50):
        sess.run(None, feed)
    times = []
    for _ in range(calls):
        t0 = time.perf_counter_ns()
        sess.run(None, feed)
        times.append((time.perf_counter_ns() - t0) / 1000)
    return statistics.median(times)


def identity_model(name, shape):
    graph = helper.make_graph([helper.make_node("Identity", [name], ["out"])], "identity",
                              [helper.make_tensor_value_info(name, TensorProto.FLOAT, shape)],
                              [helper.make_tensor_value_info("out", TensorProto.FLOAT, shape)])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    return model.SerializeToString()


def tessera_us(binary, model, data, calls):
    out = subprocess.run([binary, "run", model, "--input", data, "--batch", "1", "--repeat", str(calls),
                          "--threads", "1", "--format", "json"], check=True, capture_output=True, text=True)
    return json.loads(out.stdout)["latency_us"]


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("tessera")
    p.add_argument("models", nargs="+")
    p.add_argument("--rounds", type=int, default=5)
    p.add_argument("--calls", type=int, default=2000)
    p.add_argument("--data", default="Models/data/mnist_5k.csv.gz")
    p.add_argument("--json")
    a = p.parse_args()
    rows = []
    for path in a.models:
        model = onnx.load(path)
        inp = model.graph.input[0]
        dims = [d.dim_value if d.dim_value > 0 else 1 for d in inp.type.tensor_type.shape.dim]
        x = np.random.default_rng(0).random(dims, dtype=np.float32)
        sess, ident = session(path), session(identity_model(inp.name, dims))
        ort_t, id_t, tes_t = [], [], []
        for _ in range(a.rounds):
            ort_t.append(median_call_us(sess, {inp.name: x}, a.calls))
            id_t.append(median_call_us(ident, {inp.name: x}, a.calls))
            tes_t.append(tessera_us(a.tessera, path, a.data, a.calls))
        o, i, t = statistics.median(ort_t), statistics.median(id_t), statistics.median(tes_t)
        row = {"model": path, "tessera_us": round(t, 2), "ort_us": round(o, 2), "ort_call_overhead_us": round(i, 2),
               "ort_minus_overhead_us": round(o - i, 2), "ratio": round(t / o, 3), "ratio_vs_ort_minus_overhead": round(t / max(o - i, 1e-9), 3)}
        rows.append(row)
        print(f"{path}: tessera {t:.2f} µs, ORT {o:.2f} µs ({o - i:.2f} without its {i:.2f} µs Python call) "
              f"→ {t / o:.3f}× / {t / max(o - i, 1e-9):.3f}×", file=sys.stderr)
    if a.json:
        with open(a.json, "w") as f:
            json.dump({"machine": {"ort": ort.__version__}, "results": rows}, f, indent=1)
    print(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
