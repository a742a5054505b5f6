#!/usr/bin/env python3
"""Run a `tessera codesign` sweep on a Ray cluster: one Ray task per shard, lines gathered, merged.

Every node needs the tessera binary, the model and the data at the same paths (a shared file
system or the same container image). Each task runs

    tessera codesign MODEL [ARGS...] --shard i/n --out <node-local temp file> --quiet --format json

and returns the file's JSON lines; the driver writes them under --work-dir and runs
`tessera codesign merge` into --out, so the result is exactly what one process would write
(apart from the measured host latency, which differs between runs and machines).

    ray start --head --num-cpus 2
    python3 scripts/codesign/ray_sweep.py --tessera .build/release/tessera --shards 2 \
        --out lenet.jsonl Models/lenet.safetensors -- --bits 8,6,4 --sparsity dense,2:4 --hardware edge-npu,eyeriss

Without --address the driver joins the cluster started by `ray start` (address "auto").
"""
import argparse
import os
import subprocess
import sys
import tempfile


def run_shard(tessera, model, args, index, count):
    """Runs one shard on whichever node Ray picked; returns (index, JSON lines text)."""
    with tempfile.TemporaryDirectory(prefix="tessera-shard-") as tmp:
        out = os.path.join(tmp, f"shard-{index}.jsonl")
        command = [tessera, "codesign", model, *args, "--shard", f"{index}/{count}", "--out", out, "--quiet", "--format", "json"]
        result = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        if result.returncode != 0:
            raise RuntimeError(f"shard {index}/{count} failed ({result.returncode}): {result.stderr.strip()}")
        with open(out, encoding="utf-8") as f:
            return index, f.read()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("model", help="float model file (same path on every node)")
    parser.add_argument("codesign_args", nargs="*", help="more `tessera codesign` arguments, after --")
    parser.add_argument("--tessera", required=True, help="path of the tessera binary (same on every node)")
    parser.add_argument("--shards", type=int, required=True, help="number of shards (Ray tasks)")
    parser.add_argument("--out", required=True, help="merged JSON lines")
    parser.add_argument("--address", default="auto", help="Ray cluster address (default: the local `ray start` cluster)")
    parser.add_argument("--work-dir", help="where the shard files go (default: next to --out)")
    options = parser.parse_args()
    if options.shards < 1:
        parser.error(f"--shards must be at least 1, got {options.shards}")
    if not os.access(options.tessera, os.X_OK):
        parser.error(f"--tessera {options.tessera}: not an executable file")
    try:
        import ray
    except ImportError:
        sys.exit("error: Ray is not installed (python3 -m pip install ray)")

    ray.init(address=options.address, log_to_driver=False, logging_level="ERROR")
    task = ray.remote(num_cpus=1)(run_shard)
    tessera, model = os.path.abspath(options.tessera), os.path.abspath(options.model)
    futures = [task.remote(tessera, model, options.codesign_args, i, options.shards) for i in range(options.shards)]
    work = options.work_dir or (os.path.splitext(os.path.abspath(options.out))[0] + "-shards")
    os.makedirs(work, exist_ok=True)
    paths = []
    pending = list(futures)
    while pending:
        done, pending = ray.wait(pending, num_returns=1)
        index, text = ray.get(done[0])
        path = os.path.join(work, f"shard-{index}.jsonl")
        with open(path + ".tmp", "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(path + ".tmp", path)
        paths.append(path)
        print(f"shard {index}/{options.shards}: {text.count(chr(10))} points", file=sys.stderr)
    ray.shutdown()
    paths.sort()
    subprocess.run([tessera, "codesign", "merge", *paths, "--out", options.out, "--quiet"], check=True,
                   stdout=subprocess.DEVNULL)
    print(f"merged {len(paths)} shards into {options.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
