#!/usr/bin/env bash
# Queue bound and deadline, end to end:
# 1. --max-queue 2, --max-delay-us 300000: of 6 concurrent 1-sample requests, 2 wait in the queue
#    and get 200, the other 4 get 503 with Retry-After: 1 at once.
# 2. --request-timeout-ms 50, --max-delay-us 300000: a request waits 300 ms for its batch to fill,
#    is past its deadline when the worker takes it, and gets 504 without running.
#
#   scripts/overload.sh
set -euo pipefail
source "$(dirname "$0")/lib.sh"
PORT="${PORT:-18084}"
build_service
make_bodies
MODEL=(--model "mlp=$REPO/Models/mlp-int8.safetensors")
status=0
start_service "$PORT" "$OUT/overload-service.log" "${MODEL[@]}" --max-queue 2 --max-samples 2 --max-delay-us 300000
trap 'stop_service' EXIT
python3 - "$PORT" "$BODIES/valid/json_000.json" 6 <<'PY' || status=1
import http.client, sys, threading
port, body, n = int(sys.argv[1]), open(sys.argv[2], "rb").read(), int(sys.argv[3])
results = []
def call():
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
    c.request("POST", "/v1/models/mlp:predict", body, {"Content-Type": "application/json"})
    r = c.getresponse(); r.read(); results.append((r.status, r.getheader("Retry-After")))
threads = [threading.Thread(target=call) for _ in range(n)]
for t in threads: t.start()
for t in threads: t.join()
ok = sorted(results) == [(200, None)] * 2 + [(503, "1")] * (n - 2)
print("queue bound 2, %d concurrent requests:" % n, sorted(results), "OK" if ok else "FAIL")
sys.exit(0 if ok else 1)
PY
stop_service
start_service "$PORT" "$OUT/overload-service.log" "${MODEL[@]}" --request-timeout-ms 50 --max-delay-us 300000
answer=$(curl -s -w ' %{http_code}' -X POST -H 'Content-Type: application/json' --data-binary "@$BODIES/valid/json_000.json" \
  "http://127.0.0.1:$PORT/v1/models/mlp:predict")
echo "deadline 50 ms, batch wait 300 ms: $answer"
[[ "$answer" == *" 504" ]] || status=1
stop_service
trap - EXIT
exit "$status"
