#!/usr/bin/env python3
"""Cross-check `tessera schedule` against SCALE-Sim (PyPI scalesim 3.0.0).

For every layer in Models/golden/scalesim/layers.csv and every dataflow (ws, os, is) on a
32x32 systolic array, run SCALE-Sim and Tessera's cost model and compare:
  * compute cycles: SCALE-Sim's "Total Cycles" (COMPUTE_REPORT.csv, no DRAM prefetch) with
    Tessera's `cycles` (same fixture, bandwidth never binds). SCALE-Sim prints the index of
    the last cycle, so it is one below Tessera's count when the mappings agree;
  * SRAM reads: SCALE-Sim's ifmap + filter SRAM reads (DETAILED_ACCESS_REPORT.csv) with
    Tessera's input + weight reads at the SRAM level (partial-sum read-backs are not counted
    by SCALE-Sim and are left out).

SCALE-Sim needs numpy < 2, so it lives in its own virtual environment:
    python3 -m venv .venv-scalesim
    .venv-scalesim/bin/pip install scalesim 'numpy<2'
Run from the repository root with that interpreter, after `swift build -c release`:
    .venv-scalesim/bin/python scripts/scalesim_compare.py [--tessera .build/release/tessera]
Options: --scalesim-json prints SCALE-Sim's figures as JSON only (used by the Swift test);
--markdown prints the comparison table for docs/scheduler.md. Exit status 1 when a layer is
outside the tolerances (cycles 5 %, SRAM reads 10 %).
"""
import argparse
import contextlib
import csv
import io
import json
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LAYERS = os.path.join(ROOT, "Models", "golden", "scalesim", "layers.csv")
FIXTURE = os.path.join(ROOT, "Models", "golden", "scalesim", "systolic-32x32.yaml")
DATAFLOWS = ["ws", "os", "is"]
ARRAY = 32

CONFIG = """[general]
run_name = tessera_compare
[architecture_presets]
ArrayHeight:    {rows}
ArrayWidth:     {cols}
IfmapSramSzkB:    6144
FilterSramSzkB:   6144
OfmapSramSzkB:    2048
IfmapOffset:    0
FilterOffset:   10000000
OfmapOffset:    20000000
Dataflow : {dataflow}
Bandwidth : 10
ReadRequestBuffer: 32
WriteRequestBuffer: 32
[layout]
IfmapCustomLayout: False
IfmapSRAMBankBandwidth: 10
IfmapSRAMBankNum: 10
IfmapSRAMBankPort: 2
FilterCustomLayout: False
FilterSRAMBankBandwidth: 10
FilterSRAMBankNum: 10
FilterSRAMBankPort: 2
[sparsity]
SparsitySupport : false
SparseRep : ellpack_block
OptimizedMapping : false
BlockSize : 8
RandomNumberGeneratorSeed : 40
[run_presets]
InterfaceBandwidth: CALC
UseRamulatorTrace: False
"""


def read_layers():
    with open(LAYERS) as f:
        return [dict(row) for row in csv.DictReader(f)]


def topology_row(layer):
    """SCALE-Sim topology line and whether it is a GEMM topology."""
    v = [int(x) for x in layer["args"].split(",")]
    if layer["type"] == "gemm":
        m, n, k = v
        return "Layer, M, N, K,\n%s, %d, %d, %d,\n" % (layer["name"], m, n, k), True
    n, c, h, w, k, r, s = v[:7]
    stride = v[7] if len(v) > 7 else 1
    pad = v[8] if len(v) > 8 else 0
    if n != 1:
        raise SystemExit("SCALE-Sim models batch 1 only: %s" % layer["name"])
    h, w = h + 2 * pad, w + 2 * pad  # SCALE-Sim takes the padded input
    header = "Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides,\n"
    return header + "%s, %d, %d, %d, %d, %d, %d, %d,\n" % (layer["name"], h, w, r, s, c, k, stride), False


def run_scalesim(layer, dataflow):
    from scalesim.scale_sim import scalesim  # imported here so --help works without it

    with tempfile.TemporaryDirectory(prefix="tessera-scalesim-") as d:
        topo, is_gemm = topology_row(layer)
        with open(os.path.join(d, "c.cfg"), "w") as f:
            f.write(CONFIG.format(rows=ARRAY, cols=ARRAY, dataflow=dataflow))
        with open(os.path.join(d, "t.csv"), "w") as f:
            f.write(topo)
        with open(os.path.join(d, "l.csv"), "w") as f:
            f.write("Layer name, IFMAP SRAM Bank,\n")
        with contextlib.redirect_stdout(io.StringIO()):
            sim = scalesim(save_disk_space=True, verbose=False, config=os.path.join(d, "c.cfg"),
                           topology=os.path.join(d, "t.csv"), layout=os.path.join(d, "l.csv"),
                           input_type_gemm=is_gemm)
            sim.run_scale(top_path=d)
        run = [x for x in os.listdir(d) if os.path.isdir(os.path.join(d, x))][0]

        def row(name):
            with open(os.path.join(d, run, name)) as f:
                return [x.strip() for x in list(csv.reader(f))[1]]

        compute, access = row("COMPUTE_REPORT.csv"), row("DETAILED_ACCESS_REPORT.csv")
        return {
            "name": layer["name"], "dataflow": dataflow,
            "total_cycles": int(float(compute[2])),
            "ifmap_sram_reads": int(float(access[3])),
            "filter_sram_reads": int(float(access[6])),
            "ofmap_sram_writes": int(float(access[9])),
        }


def run_tessera(binary, layer, dataflow):
    option = "--gemm" if layer["type"] == "gemm" else "--conv"
    out = subprocess.run(
        [binary, "schedule", "--hardware", FIXTURE, option, layer["args"], "--dataflow", dataflow,
         "--metric", "cycles", "--format", "csv", "--quiet"],
        check=True, capture_output=True, text=True).stdout
    rows = [r for r in csv.DictReader(io.StringIO(out)) if r["level"] == "SRAM"]
    r = rows[0]
    return {"cycles": int(r["cycles"]), "input_reads": int(r["input_reads"]),
            "weight_reads": int(r["weight_reads"]), "mapping": r["mapping"]}


def find_binary(explicit):
    for path in [explicit, os.path.join(ROOT, ".build", "release", "tessera"),
                 os.path.join(ROOT, ".build", "debug", "tessera")]:
        if path and os.access(path, os.X_OK):
            return path
    raise SystemExit("no tessera binary: build with `swift build -c release` or pass --tessera")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tessera", help="path to the tessera binary")
    parser.add_argument("--scalesim-json", action="store_true", help="print SCALE-Sim's figures as JSON and exit")
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    args = parser.parse_args()

    layers = read_layers()
    reference = [run_scalesim(layer, df) for layer in layers for df in DATAFLOWS]
    if args.scalesim_json:
        json.dump(reference, sys.stdout, indent=1)
        print()
        return 0

    binary = find_binary(args.tessera)
    failures = 0
    lines = []
    if args.markdown:
        lines.append("| layer | df | SCALE-Sim cycles | Tessera cycles | Δ cycles | SCALE-Sim SRAM reads | Tessera SRAM reads | Δ reads |")
        lines.append("|---|---|---:|---:|---:|---:|---:|---:|")
    for ref in reference:
        layer = next(l for l in layers if l["name"] == ref["name"])
        ours = run_tessera(binary, layer, ref["dataflow"])
        their_reads = ref["ifmap_sram_reads"] + ref["filter_sram_reads"]
        our_reads = ours["input_reads"] + ours["weight_reads"]
        dc = (ours["cycles"] - ref["total_cycles"]) / ref["total_cycles"]
        dr = (our_reads - their_reads) / their_reads
        ok = abs(dc) <= 0.05 and abs(dr) <= 0.10
        failures += 0 if ok else 1
        if args.markdown:
            lines.append("| %s | %s | %d | %d | %+.2f%% | %d | %d | %+.2f%% |" % (
                ref["name"], ref["dataflow"], ref["total_cycles"], ours["cycles"], 100 * dc,
                their_reads, our_reads, 100 * dr))
        else:
            lines.append("%-18s %s cycles %8d vs %8d (%+6.2f%%)  SRAM reads %9d vs %9d (%+6.2f%%)%s" % (
                ref["name"], ref["dataflow"], ref["total_cycles"], ours["cycles"], 100 * dc,
                their_reads, our_reads, 100 * dr, "" if ok else "  OUT OF TOLERANCE"))
    print("\n".join(lines))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
