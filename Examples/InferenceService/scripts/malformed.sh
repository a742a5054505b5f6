#!/usr/bin/env bash
# Robustness run: malformed :predict requests (truncated JSON, wrong sample length, NaN/Infinity,
# non-numbers, a 100 MB body, wrong Content-Type, unknown model/action/method) must all get a 4xx
# with a {"error": …} body, and the service must stay up (same PID, /healthz 200, valid requests
# still answered correctly) with bounded memory.
#
#   scripts/malformed.sh [WRK_SECONDS]     # default 20; 0 skips the wrk phase
#
# Phase 1 sends each malformed body once with curl and checks the exact status; phase 2 (wrk)
# replays them all concurrently for WRK_SECONDS and counts statuses; phase 3 sends a 100 MB body
# with and without Content-Length. Exits 1 on any non-4xx answer, a dead service, or RSS above
# 2× its value after start-up.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

WRK_SECONDS="${1:-20}"
PORT="${PORT:-18081}"
build_service
make_bodies
LOG="$OUT/malformed-service.log"
start_service "$PORT" "$LOG" --model "mlp=$REPO/Models/mlp-int8.safetensors" --max-body-bytes 4194304
trap 'stop_service' EXIT
URL="http://127.0.0.1:$PORT"
PID0=$SERVICE_PID
RSS0=$(rss_kib "$PID0")
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# status_of NAME CONTENT_TYPE BODY_FILE [PATH]: the HTTP status; the body must be {"error": …}.
check() {
  local name="$1" ctype="$2" file="$3" want="$4" path="${5:-/v1/models/mlp:predict}"
  local status
  status=$(curl -s -o "$OUT/malformed-answer.json" -w '%{http_code}' -X POST -H "Content-Type: $ctype" \
    --data-binary "@$file" "$URL$path" || echo 000)
  if [[ "$status" != "$want" ]]; then
    fail "$name: status $status, expected $want ($(head -c 200 "$OUT/malformed-answer.json"))"
  elif ! python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert list(d)==["error"] and d["error"]' \
    "$OUT/malformed-answer.json" 2>/dev/null; then
    fail "$name: body is not {\"error\": …}: $(head -c 200 "$OUT/malformed-answer.json")"
  else
    printf '  %-26s %s  %s\n' "$name" "$status" "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["error"][:90])' "$OUT/malformed-answer.json")"
  fi
}

echo "==> phase 1: each malformed body once"
while read -r name ctype; do
  case "$name" in
    wrong_content_type_*) want=415 ;;
    *) want=400 ;;
  esac
  check "$name" "$ctype" "$BODIES/invalid/$name.body" "$want"
done <"$BODIES/invalid/types.txt"
check unknown_model application/json "$BODIES/valid/json_000.json" 404 /v1/models/nope:predict
check unknown_action application/json "$BODIES/valid/json_000.json" 404 /v1/models/mlp:classify
check embed_on_classifier application/json "$BODIES/valid/json_000.json" 404 /v1/models/mlp:embed
status=$(curl -s -o /dev/null -w '%{http_code}' "$URL/v1/models/mlp:predict")
[[ "$status" =~ ^4 ]] && echo "  GET on :predict            $status" || fail "GET on :predict: status $status"

echo "==> phase 3: 100 MB bodies"
BIG="$OUT/big-100MB.bin"
[[ -f "$BIG" ]] || head -c 100000000 /dev/zero >"$BIG"
status=$(curl -s -o "$OUT/malformed-answer.json" -w '%{http_code}' -X POST -H 'Content-Type: application/octet-stream' \
  --data-binary "@$BIG" "$URL/v1/models/mlp:predict" || true)
[[ "$status" == 413 ]] && echo "  100 MB with Content-Length 413" || fail "100 MB body with Content-Length: status $status"
status=$(head -c 100000000 /dev/zero | curl -s -o "$OUT/malformed-answer.json" -w '%{http_code}' -X POST \
  -H 'Content-Type: application/json' -H 'Transfer-Encoding: chunked' --data-binary @- "$URL/v1/models/mlp:predict" || true)
[[ "$status" == 413 ]] && echo "  100 MB chunked             413" || fail "100 MB chunked body: status $status"

if [[ "$WRK_SECONDS" != 0 ]]; then
  if have_wrk; then
    echo "==> phase 2: wrk -c16 -d${WRK_SECONDS}s over all malformed bodies"
    wrk -t1 -c16 -d"${WRK_SECONDS}s" --timeout 10s -s "$PACKAGE/scripts/predict.lua" "$URL" -- "$BODIES" invalid mlp \
      | tee "$OUT/malformed-wrk.txt" | grep -E 'Requests/sec|RESULT'
    python3 - "$OUT/malformed-wrk.txt" <<'PY' || failures=$((failures + 1))
import json, sys
r = json.loads(next(l for l in open(sys.argv[1]) if l.startswith("RESULT "))[7:])
bad = {k: v for k, v in r["statuses"].items() if not 400 <= int(k) < 500}
if bad or r["socket_errors"] or not r["statuses"]:
    print("FAIL: wrk malformed run: non-4xx %s, socket errors %d" % (bad, r["socket_errors"])); sys.exit(1)
print("  %d malformed requests, all 4xx: %s" % (r["requests"], r["statuses"]))
PY
  else
    echo "SKIPPED: phase 2 (wrk is not installed)"
  fi
fi

echo "==> after: the same process still answers"
kill -0 "$PID0" 2>/dev/null || fail "the service died"
curl -sf "$URL/healthz" >/dev/null || fail "/healthz does not answer"
answer=$(curl -sf -X POST -H 'Content-Type: application/json' --data-binary "@$BODIES/valid/json_000.json" \
  "$URL/v1/models/mlp:predict" || echo '{}')
top1=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1]).get("top1", ["?"])[0])' "$answer")
label=$(head -1 "$BODIES/valid/labels.txt")
[[ "$top1" == "$label" ]] && echo "  valid request: top1 $top1 (label $label)" || fail "valid request after the run: top1 $top1, label $label"
RSS1=$(rss_kib "$PID0")
echo "  RSS after start-up ${RSS0} KiB, after the run ${RSS1} KiB"
(( RSS1 <= 2 * RSS0 + 65536 )) || fail "RSS grew from $RSS0 to $RSS1 KiB"
grep -q '"level":"critical"\|"level":"error"' "$LOG" && fail "errors in the service log: $(grep -m1 '"level":"error"\|"level":"critical"' "$LOG")"
stop_service
trap - EXIT
[[ "$SERVICE_EXIT" == 0 ]] || fail "exit status $SERVICE_EXIT after SIGTERM"
if (( failures > 0 )); then echo "malformed: $failures failure(s)"; exit 1; fi
echo "malformed: all answers 4xx, service up throughout (PID $PID0), clean SIGTERM exit"
