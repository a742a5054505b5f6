#!/usr/bin/env bash
# Load test of the inference service: wrk with a valid mix of :predict requests on the bundled
# int8 MLP (JSON and float32 bodies, 1 and 4 samples), loopback only, bounded in time.
# MODEL=NAME=PATH serves another 784-input classifier (e.g. lenet=Models/lenet-int8.safetensors);
# MODE=json|binary sends only 1-sample JSON or float32 bodies; MODE=embed with MODEL=NAME=FOLDER
# sends one short text per request to a text embedder.
#
#   scripts/load.sh [DURATION_S] [CONNECTIONS] [-- service flags…]
#   scripts/load.sh 60 32                      # dynamic batching (defaults: --max-batch 32, 1 ms)
#   scripts/load.sh 60 32 -- --max-batch 1     # batch-1 execution, for comparison
#
# Prints wrk's report, then one line `LOAD {json}`: requests/s, p50/p90/p99 (µs), responses by
# status, the service's CPU use (cores), RSS samples (KiB) and whether RSS stayed within ±10% of
# its median after a warm-up of 5 s. Exits 1 on any response other than 200 and deliberate 503s,
# on socket errors, an RSS drift beyond ±10%, or a service that does not stop cleanly on SIGTERM.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

DURATION="${1:-60}"
CONNECTIONS="${2:-32}"
shift $(( $# >= 2 ? 2 : $# ))
[[ "${1:-}" == "--" ]] && shift
EXTRA=("$@")
PORT="${PORT:-18080}"
MODE="${MODE:-mix}"
THREADS="${WRK_THREADS:-1}"
MODEL="${MODEL:-mlp=$REPO/Models/mlp-int8.safetensors}"   # NAME=PATH of a 784-input classifier
NAME="${MODEL%%=*}"

if ! have_wrk; then
  echo "SKIPPED: wrk is not installed and cannot be installed here (apt-get install -y wrk)"
  exit 0
fi
build_service
make_bodies

TAG="${TAG:-load}"
LOG="$OUT/$TAG-service.log"
start_service "$PORT" "$LOG" --model "$MODEL" "${EXTRA[@]}"
trap 'stop_service' EXIT
sample_rss "$SERVICE_PID" "$OUT/$TAG-rss.txt" &
SAMPLER=$!
ticks0=$(cpu_ticks "$SERVICE_PID")
start=$(date +%s.%N)
echo "==> wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s --latency ($MODE) ${EXTRA[*]:-}" >&2
wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --timeout 10s --latency -s "$PACKAGE/scripts/predict.lua" \
  "http://127.0.0.1:$PORT" -- "$BODIES" "$MODE" "$NAME" | tee "$OUT/$TAG-wrk.txt"
end=$(date +%s.%N)
ticks1=$(cpu_ticks "$SERVICE_PID")
curl -sf "http://127.0.0.1:$PORT/metrics" >"$OUT/$TAG-metrics.txt"
kill "$SAMPLER" 2>/dev/null || true
wait "$SAMPLER" 2>/dev/null || true
PID_BEFORE=$SERVICE_PID
stop_service
trap - EXIT

python3 - "$OUT/$TAG-wrk.txt" "$OUT/$TAG-rss.txt" "$OUT/$TAG-metrics.txt" "$ticks0" "$ticks1" "$start" "$end" \
  "$(getconf CLK_TCK)" "$SERVICE_EXIT" "$TAG" "$NAME" <<'PY'
import json, re, statistics, sys
wrk, rss, metrics, t0, t1, start, end, hz, exit_code, tag, name = sys.argv[1:]
result = json.loads(next(l for l in open(wrk) if l.startswith("RESULT "))[7:])
samples = [int(l.split()[1]) for l in open(rss) if l.strip() and int(l.split()[1]) > 0]
steady = samples[5:] if len(samples) > 8 else samples
median = statistics.median(steady) if steady else 0
drift = max(abs(s - median) / median for s in steady) if steady and median else 0
batches = {}
for line in open(metrics):
    m = re.match(r'inference_batch_size_(sum|count)\{model="%s"\} (\S+)' % re.escape(name), line)
    if m: batches[m.group(1)] = float(m.group(2))
cores = (int(t1) - int(t0)) / int(hz) / (float(end) - float(start))
statuses = {int(k): v for k, v in result["statuses"].items()}
bad = {k: v for k, v in statuses.items() if k not in (200, 503)}
report = {
    "tag": tag, "requests_per_second": result["requests_per_second"], "p50_ms": result["p50_us"] / 1000,
    "p90_ms": result["p90_us"] / 1000, "p99_ms": result["p99_us"] / 1000, "statuses": statuses,
    "socket_errors": result["socket_errors"], "service_cpu_cores": round(cores, 2),
    "mean_batch": round(batches["sum"] / batches["count"], 2) if batches.get("count") else None,
    "rss_kib_min": min(steady) if steady else None, "rss_kib_max": max(steady) if steady else None,
    "rss_drift_pct": round(100 * drift, 1), "rss_samples": len(samples), "sigterm_exit": int(exit_code),
}
print("LOAD " + json.dumps(report))
problems = []
if bad: problems.append("responses other than 200/503: %s" % bad)
if result["socket_errors"]: problems.append("%d socket errors" % result["socket_errors"])
if drift > 0.10: problems.append("RSS drifted %.1f%% from its median" % (100 * drift))
if int(exit_code) != 0: problems.append("service exit status %s after SIGTERM" % exit_code)
if statuses.get(200, 0) == 0: problems.append("no successful responses")
for p in problems: print("FAIL: " + p)
sys.exit(1 if problems else 0)
PY
