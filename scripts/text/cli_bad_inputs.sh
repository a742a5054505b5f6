#!/usr/bin/env bash
# `tessera embed` on bad input: each case must end with exit code 1 and a one-line message naming
# the problem (never a crash), and a 100,000-character line must embed (truncated).
# Usage: scripts/text/cli_bad_inputs.sh [TESSERA]   (default .build/debug/tessera)
set -uo pipefail
cd "$(dirname "$0")/../.."
TESSERA=${1:-.build/debug/tessera}
if ! python3 -c "import numpy, safetensors" 2>/dev/null; then
  echo "SKIPPED: tessera embed bad-input checks (python3 with numpy and safetensors not installed)" >&2
  exit 0
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 scripts/text/make_tiny_bert.py "$work/good"
python3 scripts/text/make_tiny_bert.py "$work/no-unk" --no-unk
python3 scripts/text/make_tiny_bert.py "$work/wrong-config" --config-hidden 12
python3 scripts/text/make_tiny_bert.py "$work/with-json" --tokenizer-json
printf 'w1 w2\nw3\n' > "$work/texts.txt"
printf 'w1 \xff\xfe w2\n' > "$work/invalid-utf8.txt"
: > "$work/empty.txt"
cp "$work/texts.txt" "$work/model.onnx"
python3 -c "print('w1 ' * 33334)" > "$work/long.txt"
failures=0

expect_error() {  # name, expected text in the message, command...
  local name=$1 pattern=$2
  shift 2
  local out code
  out=$("$@" 2>&1)
  code=$?
  if [ "$code" -ne 1 ] || ! grep -qi -- "$pattern" <<<"$out"; then
    echo "FAIL: $name: exit $code (want 1), message: $out" >&2
    failures=$((failures + 1))
  else
    echo "ok: $name: $(tail -1 <<<"$out")"
  fi
}

expect_error "invalid UTF-8 input" "not valid UTF-8" "$TESSERA" embed "$work/good" --input "$work/invalid-utf8.txt" --quiet
expect_error "empty input file" "no texts" "$TESSERA" embed "$work/good" --input "$work/empty.txt" --quiet
expect_error "missing input file" "no such file" "$TESSERA" embed "$work/good" --input "$work/missing.txt" --quiet
expect_error "vocab.txt without [UNK]" "\[UNK\]" "$TESSERA" embed "$work/no-unk" --input "$work/texts.txt" --quiet
expect_error "config sizes disagree with the weights" "disagrees with config.json" "$TESSERA" embed "$work/wrong-config" --input "$work/texts.txt" --quiet
expect_error "missing model folder" "no such file or folder" "$TESSERA" embed "$work/nothing" --input "$work/texts.txt" --quiet
expect_error "onnx without tokenizer" "tokenizer" "$TESSERA" embed "$work/model.onnx" --input "$work/texts.txt" --quiet
out=$("$TESSERA" embed "$work/good" --input "$work/long.txt" --format json --quiet 2>&1)
if [ $? -ne 0 ] || ! python3 -c "import json,sys; d=json.loads(sys.argv[1]); assert d['count']==1 and d['dimension']==8" "$out"; then
  echo "FAIL: 100,000-character line: $out" | head -c 2000 >&2
  failures=$((failures + 1))
else
  echo "ok: 100,000-character line embedded (truncated to the model's 24 tokens)"
fi
out=$("$TESSERA" embed "$work/good" --input "$work/texts.txt" --quantization dynamic-int8 --format json --quiet 2>&1)
if [ $? -ne 0 ] || ! python3 -c "import json,sys; d=json.loads(sys.argv[1]); assert d['count']==2" "$out"; then
  echo "FAIL: int8 embed of a good folder: $out" >&2
  failures=$((failures + 1))
else
  echo "ok: dynamic-int8 embed of a good folder"
fi
expect_error "quantize: missing calibration texts" "no such file" "$TESSERA" quantize "$work/with-json" --calibration-text "$work/missing.txt" --out "$work/s.safetensors" --quiet
expect_error "quantize: empty calibration texts" "no texts" "$TESSERA" quantize "$work/with-json" --calibration-text "$work/empty.txt" --out "$work/s.safetensors" --quiet
expect_error "quantize: --calibration-text on a non-folder" "sentence-transformers folders" "$TESSERA" quantize "$work/model.onnx" --calibration-text "$work/texts.txt" --out "$work/s.safetensors" --quiet
[ ! -e "$work/s.safetensors" ] || { echo "FAIL: a failed quantize left $work/s.safetensors behind" >&2; failures=$((failures + 1)); }
out=$("$TESSERA" quantize "$work/with-json" --calibration-text "$work/texts.txt" --out "$work/s.safetensors" --quiet 2>&1 >/dev/null \
  && "$TESSERA" embed "$work/s.safetensors" --input "$work/texts.txt" --format json --quiet 2>&1)
if [ $? -ne 0 ] || ! python3 -c "import json,sys; d=json.loads(sys.argv[1]); assert d['count']==2" "$out"; then
  echo "FAIL: static int8 quantize + embed of a good folder: $out" >&2
  failures=$((failures + 1))
else
  echo "ok: static int8 (SmoothQuant) quantize --calibration-text + embed of a good folder"
fi
[ "$failures" -eq 0 ] || { echo "$failures bad-input check(s) failed" >&2; exit 1; }
