#!/usr/bin/env bash
# The README's first command: install what a fresh Debian/Ubuntu machine lacks, build Tessera in
# release mode, then train → quantize → validate → run → info → bench → schedule on the bundled data.
# Outputs go to $DEMO_DIR (default demo-output/).
set -euo pipefail
cd "$(dirname "$0")/.."

# --- System packages (only the missing ones; sudo only when not root) ---------------------
source scripts/install-packages.sh
install_missing_packages libopenblas-dev liblapacke-dev zlib1g-dev cmake

# --- Build ---------------------------------------------------------------------------------
echo "==> swift build -c release" >&2
swift build -c release
TESSERA="$(swift build -c release --show-bin-path)/tessera"

# --- Step 1: train the MLP on the bundled digits (4,000 train / 1,000 test, ~10 s-1 min) -----
# Writes demo-output/mlp.safetensors (later steps may use it, or the bundled Models/*.safetensors).
DEMO_DIR="${DEMO_DIR:-demo-output}"
mkdir -p "$DEMO_DIR"
rm -f "$DEMO_DIR/mlp.jsonl"
echo "==> tessera train --model mlp (curves: $DEMO_DIR/mlp.svg, metrics: $DEMO_DIR/mlp.jsonl)" >&2
"$TESSERA" train --model mlp --data Models/data/mnist_5k.csv.gz --out "$DEMO_DIR/mlp.safetensors" \
  --log "$DEMO_DIR/mlp.jsonl" --plot "$DEMO_DIR/mlp.svg"
"$TESSERA" inspect "$DEMO_DIR/mlp.safetensors"

# --- Step 2: quantize to int8 and validate against the float model ---------------------------
# Calibration uses 512 digits of the TRAINING split; validation the 1,000 TEST digits. The gate
# (--max-drop 0.3 points) exits 2 when int8 top-1 falls more than 0.3 points below float.
for model in "$DEMO_DIR/mlp" Models/lenet; do
  name="$(basename "$model")"
  echo "==> tessera quantize $model.safetensors --method mse (8-bit per-channel weights)" >&2
  "$TESSERA" quantize "$model.safetensors" --calibration-data Models/data/mnist_5k.csv.gz \
    --samples 512 --method mse --per-channel --weight-bits 8 --out "$DEMO_DIR/$name-int8.safetensors"
  echo "==> tessera validate $name (float vs int8 on the test split)" >&2
  "$TESSERA" validate --float "$model.safetensors" --quantized "$DEMO_DIR/$name-int8.safetensors" \
    --data Models/data/mnist_5k.csv.gz --max-drop 0.3
done
echo "==> tessera run $DEMO_DIR/lenet-int8.safetensors --index 3 --top-k 3 --profile" >&2
"$TESSERA" run "$DEMO_DIR/lenet-int8.safetensors" --input Models/data/mnist_5k.csv.gz --index 3 --top-k 3 \
  --repeat 1000 --profile

# --- ONNX: the int8 LeNet out to ONNX (QDQ) and back in; the file runs on the int8 engine ------
echo "==> tessera export $DEMO_DIR/lenet-int8.safetensors --out $DEMO_DIR/lenet-int8.onnx; tessera import it back" >&2
"$TESSERA" export "$DEMO_DIR/lenet-int8.safetensors" --out "$DEMO_DIR/lenet-int8.onnx"
"$TESSERA" import "$DEMO_DIR/lenet-int8.onnx" --out "$DEMO_DIR/lenet-int8-imported.safetensors"
"$TESSERA" run "$DEMO_DIR/lenet-int8.onnx" --input Models/data/mnist_5k.csv.gz --index 3 --top-k 3

# --- What Tessera sees, and how fast it is ---------------------------------------------------
echo "==> tessera info" >&2
"$TESSERA" info
echo "==> tessera bench --preset mlp" >&2
"$TESSERA" bench --preset mlp

# --- Last step: what the trained CNN would cost on two accelerators, side by side ------------
# Maps every conv/dense layer of LeNet onto the Eyeriss-like and edge-NPU presets (mapper per
# layer: tiles per level, loop order, spatial unrolling, dataflow), prints traffic per level,
# cycles and energy, a side-by-side total, and writes the roofline plot.
echo "==> tessera schedule --model Models/lenet.safetensors --hardware eyeriss,edge-npu (roofline: $DEMO_DIR/roofline.svg)" >&2
"$TESSERA" schedule --model Models/lenet.safetensors --hardware eyeriss,edge-npu --plot "$DEMO_DIR/roofline.svg"

# The same network as a whole on the 4-core edge NPU: fusion groups (intermediates kept on chip)
# against layer by layer, and a pipeline over the four cores (docs/scheduler.md §10).
echo "==> tessera schedule --model Models/lenet.safetensors --hardware edge-npu-4core --network" >&2
"$TESSERA" schedule --model Models/lenet.safetensors --hardware edge-npu-4core --network | sed -n '/^network/,$p'
