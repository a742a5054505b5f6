#!/usr/bin/env bash
# The Ray driver's test: a local Ray cluster (`ray start --head`), a 2-shard sweep through
# scripts/codesign/ray_sweep.py, and the merged lines compared with an unsharded run of the same
# sweep (every field but the measured host latency must be equal).
# Usage: bash scripts/codesign/test_ray.sh [path/to/tessera]
# Installs Ray with pip when it is missing; prints SKIPPED (exit 0) when that is impossible or
# TESSERA_SKIP_RAY=1.
set -euo pipefail
cd "$(dirname "$0")/../.."
TESSERA=${1:-$(swift build --show-bin-path)/tessera}
if [ "${TESSERA_SKIP_RAY:-}" = 1 ]; then echo "SKIPPED: the Ray driver test (TESSERA_SKIP_RAY=1)" >&2; exit 0; fi
PY=python3
if ! $PY -c "import ray" 2>/dev/null; then
  $PY -m pip install --quiet ray >/dev/null 2>&1 || true
  if ! $PY -c "import ray" 2>/dev/null; then echo "SKIPPED: the Ray driver test (Ray is not installed and pip could not install it)" >&2; exit 0; fi
fi
RAY_BIN=$($PY -c "import ray, os, sys; print(os.path.join(os.path.dirname(sys.executable), 'ray'))")
[ -x "$RAY_BIN" ] || RAY_BIN=ray
WORK=$(mktemp -d)
export RAY_USAGE_STATS_ENABLED=0
cleanup() { "$RAY_BIN" stop --force >/dev/null 2>&1 || true; rm -rf "$WORK"; }
trap cleanup EXIT
"$RAY_BIN" start --head --num-cpus 2 --include-dashboard=false --disable-usage-stats --temp-dir "$WORK/ray" >/dev/null
ARGS=(--bits 8,4 --sparsity dense --hardware edge-npu,tpu-v1 --samples 128 --host-runs 5)
"$TESSERA" codesign Models/mlp.safetensors "${ARGS[@]}" --out "$WORK/whole.jsonl" --quiet >/dev/null
$PY scripts/codesign/ray_sweep.py --tessera "$TESSERA" --shards 2 --out "$WORK/merged.jsonl" Models/mlp.safetensors -- "${ARGS[@]}"
$PY - "$WORK/whole.jsonl" "$WORK/merged.jsonl" <<'PYEOF'
import json, sys
def load(path):
    points = [json.loads(line) for line in open(path, encoding="utf-8") if line.strip()]
    for p in points:
        p.pop("host_latency_us")
    return points
whole, merged = load(sys.argv[1]), load(sys.argv[2])
if not whole or whole != merged:
    sys.exit(f"FAILED: Ray 2-shard merge differs from the unsharded run:\n{whole}\n{merged}")
print(f"ok: Ray 2-shard sweep merged = unsharded run ({len(whole)} points)")
PYEOF
