#!/usr/bin/env bash
# Graceful shutdown: requests in flight when SIGTERM arrives are answered (200), new connections
# are refused afterwards, and the service exits 0.
#
#   scripts/shutdown.sh
#
# The service runs with --max-delay-us 300000, so 8 concurrent 1-sample requests sit in the
# batcher for 300 ms; SIGTERM is sent 100 ms after they were sent.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
PORT="${PORT:-18083}"
build_service
make_bodies
start_service "$PORT" "$OUT/shutdown-service.log" --model "mlp=$REPO/Models/mlp-int8.safetensors" --max-delay-us 300000
trap 'stop_service' EXIT
python3 - "$PORT" "$SERVICE_PID" "$BODIES/valid/json_000.json" <<'PY'
import http.client, os, signal, sys, threading, time
port, pid, body = int(sys.argv[1]), int(sys.argv[2]), open(sys.argv[3], "rb").read()
results = []
def call():
    try:
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
        c.request("POST", "/v1/models/mlp:predict", body, {"Content-Type": "application/json"})
        r = c.getresponse(); r.read(); results.append(r.status)
    except Exception as e:
        results.append(repr(e))
threads = [threading.Thread(target=call) for _ in range(8)]
for t in threads: t.start()
time.sleep(0.1)
os.kill(pid, signal.SIGTERM)
for t in threads: t.join()
print("in-flight answers after SIGTERM:", results)
sys.exit(0 if results == [200] * 8 else 1)
PY
stop_service
trap - EXIT
[[ "$SERVICE_EXIT" == 0 ]] || { echo "FAIL: exit status $SERVICE_EXIT"; exit 1; }
grep -q '"msg":"batchers stopped"' "$OUT/shutdown-service.log" || { echo "FAIL: batchers did not report stopping"; exit 1; }
echo "shutdown: 8 in-flight requests answered 200, exit 0"
