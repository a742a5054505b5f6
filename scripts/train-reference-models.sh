#!/usr/bin/env bash
# Trains the two bundled reference models on the bundled split of Models/data/mnist_5k.csv.gz
# (per class: first 400 in file order train, last 100 test) and writes
#   Models/mlp.safetensors, Models/lenet.safetensors          (BatchNorm folded, dropout removed)
#   docs/training/{mlp,lenet}.jsonl                             (per-epoch metrics)
#   docs/training/{mlp,lenet}.svg                               (loss and accuracy curves)
#   docs/training/{mlp,lenet}.json                              (the `tessera train --json` report)
# Same seed and same --threads on the same machine give bit-identical weights.
#
# Usage: scripts/train-reference-models.sh [mlp] [lenet]   (default: both)
# Env:   SCRATCH (SwiftPM scratch path, default .build), THREADS (BLAS threads, default 2)
set -euo pipefail
cd "$(dirname "$0")/.."
SCRATCH="${SCRATCH:-.build}"
THREADS="${THREADS:-2}"
swift build -c release --scratch-path "$SCRATCH" --product tessera >&2
TESSERA="$SCRATCH/release/tessera"
mkdir -p docs/training
models=("$@")
[ ${#models[@]} -eq 0 ] && models=(mlp lenet)
for model in "${models[@]}"; do
  rm -f "docs/training/$model.jsonl"
  echo "== training $model (defaults of 'tessera train --model $model', seed 42, $THREADS threads)" >&2
  "$TESSERA" train --model "$model" --seed 42 --threads "$THREADS" \
    --data Models/data/mnist_5k.csv.gz --out "Models/$model.safetensors" \
    --log "docs/training/$model.jsonl" --plot "docs/training/$model.svg" --json > "docs/training/$model.json"
  python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print("%s: test accuracy %.2f%% (exported model), %.1f s of training" % (d["model"], 100*d["test_acc"], d["seconds"]))' "docs/training/$model.json" 2>/dev/null || true
  "$TESSERA" inspect "Models/$model.safetensors" >&2
done
