#!/usr/bin/env bash
# Dynamic batching against batch-1 execution, measured back to back in one run with the same wrk
# load (same connections, same bodies), for each model and body mode given.
#
#   scripts/compare-batching.sh [SECONDS] [CONNECTIONS] [MODEL=NAME=PATH …]
#   scripts/compare-batching.sh 20 32                       # the int8 MLP and the int8 LeNet
#
# For every (model, mode) it runs load.sh with the defaults (--max-batch 32, 1 ms) and with
# --max-batch 1, and prints one Markdown row: req/s, p50, p99 and mean batch of each, and the
# req/s ratio. MODES defaults to "mix binary".
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
source "$HERE/lib.sh"
SECONDS_EACH="${1:-20}"
CONNECTIONS="${2:-32}"
shift $(( $# >= 2 ? 2 : $# ))
MODELS=("$@")
[[ ${#MODELS[@]} -gt 0 ]] || MODELS=("mlp=$REPO/Models/mlp-int8.safetensors" "lenet=$REPO/Models/lenet-int8.safetensors")
MODES="${MODES:-mix binary}"
build_service
export SERVICE
ROWS="$OUT/compare-batching.md"
echo "| model | bodies | batching req/s | p50 ms | p99 ms | mean batch | batch-1 req/s | p50 ms | p99 ms | ratio |" >"$ROWS"
echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|" >>"$ROWS"
for model in "${MODELS[@]}"; do
  for mode in $MODES; do
    name="${model%%=*}"
    MODEL="$model" MODE="$mode" TAG="cmp-$name-$mode-batch" "$HERE/load.sh" "$SECONDS_EACH" "$CONNECTIONS" | grep '^LOAD ' >"$OUT/cmp-a.txt"
    MODEL="$model" MODE="$mode" TAG="cmp-$name-$mode-b1" "$HERE/load.sh" "$SECONDS_EACH" "$CONNECTIONS" -- --max-batch 1 | grep '^LOAD ' >"$OUT/cmp-b.txt"
    python3 - "$OUT/cmp-a.txt" "$OUT/cmp-b.txt" "$name" "$mode" >>"$ROWS" <<'PY'
import json, sys
a = json.loads(open(sys.argv[1]).read()[5:]); b = json.loads(open(sys.argv[2]).read()[5:])
print("| %s | %s | %.0f | %.2f | %.2f | %s | %.0f | %.2f | %.2f | %.2f× |" % (
    sys.argv[3], sys.argv[4], a["requests_per_second"], a["p50_ms"], a["p99_ms"], a["mean_batch"],
    b["requests_per_second"], b["p50_ms"], b["p99_ms"], a["requests_per_second"] / b["requests_per_second"]))
PY
    tail -1 "$ROWS"
  done
done
cat "$ROWS"
