#!/usr/bin/env bash
# Regenerates docs/report/example.html (and example.png when Chromium is installed) from real runs
# of the bundled models: train the MLP, quantize it to int8, validate it against the float model,
# schedule the bundled LeNet on the edge-npu and eyeriss presets, then `tessera report`.
#
#   bash scripts/report-example.sh [--codesign points.jsonl ...] [--sensitivity sens.json] [--tessera PATH]
#
# --codesign / --sensitivity add those sections (outputs of `tessera codesign` and
# `tessera quantize --sensitivity-out`). TESSERA_SCRATCH picks the build's scratch path.
set -euo pipefail
cd "$(dirname "$0")/.."

extra=()
TESSERA=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --codesign | --sensitivity) extra+=("$1" "$2"); shift 2 ;;
    --tessera) TESSERA="$2"; shift 2 ;;
    *) echo "unknown argument: $1 (see the header of $0)" >&2; exit 1 ;;
  esac
done

if [[ -z "$TESSERA" ]]; then
  scratch=(); [[ -n "${TESSERA_SCRATCH:-}" ]] && scratch=(--scratch-path "$TESSERA_SCRATCH")
  echo "==> swift build -c release ${scratch[*]}" >&2
  swift build -c release "${scratch[@]}" --product tessera >&2
  TESSERA="$(swift build -c release "${scratch[@]}" --show-bin-path)/tessera"
fi

OUT=docs/report
WORK="${TMPDIR:-/tmp}/tessera-report-example"
mkdir -p "$OUT" "$WORK"
DATA=Models/data/mnist_5k.csv.gz

echo "==> train the MLP (seed 42, 2 threads)" >&2
"$TESSERA" train --model mlp --seed 42 --threads 2 --data "$DATA" --out "$WORK/mlp.safetensors" --format json --quiet > "$OUT/train.json"
echo "==> quantize it to int8 (MSE calibration on 512 training digits, 8-bit per-channel weights)" >&2
"$TESSERA" quantize "$WORK/mlp.safetensors" --calibration-data "$DATA" --samples 512 --method mse --per-channel \
  --weight-bits 8 --out "$WORK/mlp-int8.safetensors" --format json --quiet > "$OUT/quantize.json"
echo "==> validate float vs int8 on the 1,000 test digits" >&2
"$TESSERA" validate --float "$WORK/mlp.safetensors" --quantized "$WORK/mlp-int8.safetensors" --data "$DATA" \
  --format json --quiet > "$OUT/validate.json"
echo "==> schedule the bundled LeNet on edge-npu and eyeriss" >&2
"$TESSERA" schedule --hardware edge-npu,eyeriss --model Models/lenet.safetensors --format json --quiet > "$OUT/schedule.json"

echo "==> tessera report" >&2
"$TESSERA" report --title "Tessera example: MLP training and int8 validation, LeNet on two accelerators" \
  --train "$OUT/train.json" --quantize "$OUT/quantize.json" --validate "$OUT/validate.json" --schedule "$OUT/schedule.json" \
  ${extra[@]+"${extra[@]}"} --out "$OUT/example.html"

if command -v chromium > /dev/null; then
  echo "==> screenshot (headless Chromium): $OUT/example.png" >&2
  chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --force-device-scale-factor=0.6 \
    --screenshot="$OUT/example.png" --window-size=1100,8400 "file://$PWD/$OUT/example.html" 2> /dev/null
else
  echo "SKIPPED: screenshot (no chromium; apt-get install -y chromium)" >&2
fi
