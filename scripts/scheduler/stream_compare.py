#!/usr/bin/env python3
"""Tessera's whole-network scheduler beside Stream (stream-dse, KU Leuven) on one workload and one
architecture described in both tools (docs/scheduler.md §12). Not part of the test suite.

    python3.12 -m venv .venv-stream312 && .venv-stream312/bin/pip install stream-dse==2.1.1 six  # needs Python >= 3.12
    swift build -c release --scratch-path .build-stream
    .venv-stream312/bin/python scripts/scheduler/stream_compare.py \
        --tessera .build-stream/release/tessera [--out /tmp/stream-compare]

Workload: a chain of three 3 x 3 convolutions (valid padding, stride 1, no bias, no activation),
1 x 8 x 32 x 32 -> 16 x 30 x 30 -> 16 x 28 x 28 -> 16 x 26 x 26, batch 1, int8 operands.
Written twice from the same shapes: float32 with weights for Tessera (which schedules float
weights as int8) and int8-typed without weight data for Stream (which takes the operand
precision from the ONNX element type and needs no values).
Architecture: Tessera's `edge-npu` preset and scripts/scheduler/stream/edge_npu.yaml.

Stream is run three times with explicit mappings on the one compute core: every layer its own
group (layer by layer, outputs through DRAM), and all three layers in one fused group tiled one
output row at a time of conv3, then of conv1 (Stream's layer fusion; it tiles the named layer and
runs the group's others whole). Results also go to OUT/result.json. Tessera is run with `--network`, which reports
both its layer-by-layer and its fused schedule.
"""

import argparse
import json
import os
import subprocess
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, shape_inference

HERE = os.path.dirname(os.path.abspath(__file__))
STREAM_HW = os.path.join(HERE, "stream", "edge_npu.yaml")
CLOCK_HZ = 500e6  # edge-npu

# (name, C_in, C_out, kernel); input 1 x 8 x 32 x 32
LAYERS = [("conv1", 8, 16, 3), ("conv2", 16, 16, 3), ("conv3", 16, 16, 3)]
IN_SHAPE = [1, 8, 32, 32]


def build_chain(path, elem, with_data):
    rng = np.random.default_rng(0)
    nodes, inits = [], []
    x, h = "input", IN_SHAPE[2]
    for name, cin, cout, k in LAYERS:
        w = f"{name}_w"
        if with_data:
            vals = (rng.standard_normal((cout, cin, k, k)) * 0.1).astype(np.float32)
            inits.append(helper.make_tensor(w, elem, vals.shape, vals.flatten().tolist()))
        else:
            t = helper.make_tensor(w, elem, [cout, cin, k, k], np.zeros(cout * cin * k * k, np.int8).tolist())
            t.ClearField("int32_data")  # shapes and types only, as Stream's own test workloads
            inits.append(t)
        y = f"{name}_out" if name != LAYERS[-1][0] else "output"
        nodes.append(helper.make_node("Conv", [x, w], [y], name=name, kernel_shape=[k, k],
                                      pads=[0, 0, 0, 0], strides=[1, 1]))
        x, h = y, h - k + 1
    graph = helper.make_graph(
        nodes, "conv3_chain",
        [helper.make_tensor_value_info("input", elem, IN_SHAPE)],
        [helper.make_tensor_value_info("output", elem, [1, LAYERS[-1][2], h, h])],
        initializer=inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)],
                              producer_name="tessera-stream-compare")
    model.ir_version = 8
    onnx.save(shape_inference.infer_shapes(model), path)
    return path


def stream_mapping(path, fused, tiled_layer=None):
    """Every layer on core 0. fused: one group, intra-core tiled one output row at a time of
    `tiled_layer` (Stream tiles only the layer whose dimension is named; the others of the group
    run whole); else one group per layer (each group's output leaves to DRAM)."""
    import yaml
    layers = [{"name": n, "core_allocation": [[0]], "inter_core_tiling": [[]]} for n, *_ in LAYERS]
    if fused:
        groups = [{"name": "all", "layers": [n for n, *_ in LAYERS],
                   "intra_core_tiling": [{"dim": f"{tiled_layer}.D2", "tile": 1}]}]
    else:
        groups = [{"name": f"g_{n}", "layers": [n], "intra_core_tiling": []} for n, *_ in LAYERS]
    with open(path, "w") as f:
        yaml.dump({"layers": layers, "fused_groups": groups,
                   "runtime_args": {"input": {}, "output": {}}}, f, sort_keys=False)
    return path


def run_stream(model, mapping, out):
    from stream.api import SolveOptions, evaluate_mapping
    est = evaluate_mapping(STREAM_HW, model, out, mapping, SolveOptions(time_limit_s=120, artifacts=False))
    ctx = est.context
    dram_bits = 0
    per_tensor = {}
    for group in ctx.get("group_memory_accesses").values():
        for core in group["cores"]:
            if core["is_offchip"]:
                # counts are in accesses of the port's width (205 bit)
                for t in core["tensors"]:
                    bits = (t["read"] + t["write"]) * 205
                    per_tensor[t["tensor"]] = per_tensor.get(t["tensor"], 0) + bits / 8
                    dram_bits += bits
    energy = {"node": 0.0, "transfer": 0.0, "total": 0.0}
    latency = []
    for ir in (ctx.get("group_allocations") or {}).values():  # one allocation report per fused group
        latency.append(ir["latency"])
        e = (ir.get("performance") or {}).get("energy")
        if e:
            scale = ir["latency"]["total"] and e["total_pj"] / e["per_iteration_pj"]  # iterations
            energy["node"] += e["node_pj_per_iteration"] * scale
            energy["transfer"] += e["transfer_pj_per_iteration"] * scale
            energy["total"] += e["total_pj"]
    return {"cycles": est.cycles, "group_cycles": list(est.group_cycles), "dram_bytes": dram_bits / 8,
            "dram_per_tensor": per_tensor, "energy_pj": energy,
            "group_latency": latency, "mapping": ctx.get("mapping_path")}


def run_tessera(binary, model):
    out = subprocess.run([binary, "schedule", "--model", model, "--hardware", "edge-npu", "--network",
                          "--format", "json"], check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--tessera", default=".build-stream/release/tessera")
    ap.add_argument("--out", default="/tmp/stream-compare")
    ap.add_argument("--skip-tessera", action="store_true")
    ap.add_argument("--skip-stream", action="store_true")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    f32 = build_chain(os.path.join(args.out, "conv3-chain.onnx"), TensorProto.FLOAT, True)
    i8 = build_chain(os.path.join(args.out, "conv3-chain-int8.onnx"), TensorProto.INT8, False)
    result = {}
    if not args.skip_stream:
        for key, fused, tiled in (("stream_lbl", False, None), ("stream_fused_conv3_rows", True, "conv3"),
                                  ("stream_fused_conv1_rows", True, "conv1")):
            m = stream_mapping(os.path.join(args.out, f"{key}.yaml"), fused, tiled)
            result[key] = run_stream(i8, m, os.path.join(args.out, key))
    if not args.skip_tessera:
        result["tessera"] = run_tessera(args.tessera, f32)
    with open(os.path.join(args.out, "result.json"), "w") as f:
        json.dump(result, f, indent=1, default=str)
    print_table(result)


def print_table(r):
    rows = []
    if "tessera" in r:
        t = r["tessera"]
        lbl, fu = t.get("layer_by_layer_total", {}), t.get("fused_total", {})
        for name, tot in (("Tessera layer by layer", lbl), ("Tessera fused (--network)", fu)):
            rows.append((name, tot.get("cycles"), tot.get("energy_pj"), tot.get("dram_bytes")))
    for key, name in (("stream_lbl", "Stream layer by layer"), ("stream_fused_conv3_rows", "Stream fused, conv3 rows"),
                      ("stream_fused_conv1_rows", "Stream fused, conv1 rows")):
        if key in r:
            s = r[key]
            rows.append((name, int(s["cycles"]), s["energy_pj"]["total"], round(s["dram_bytes"])))
    print(f"{'schedule':28} {'cycles':>10} {'latency us':>11} {'energy uJ':>10} {'DRAM bytes':>11}")
    for name, cyc, e, d in rows:
        lat = cyc / CLOCK_HZ * 1e6 if cyc is not None else float("nan")
        print(f"{name:28} {cyc if cyc is not None else 'n/a':>10} {lat:>11.2f} "
              f"{(e or 0) / 1e6:>10.3f} {d if d is not None else 'n/a':>11}")


if __name__ == "__main__":
    sys.exit(main())
