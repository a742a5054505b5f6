# Shared helpers for the inference-service scripts (sourced, not run). Loopback only.
# Needs: PACKAGE (the InferenceService folder), REPO (the Tessera checkout).

PACKAGE="${PACKAGE:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
REPO="${REPO:-$(cd "$PACKAGE/../.." && pwd)}"
OUT="${OUT:-$PACKAGE/.build/load}"
mkdir -p "$OUT"

# Builds the release binary once and sets SERVICE to its path.
build_service() {
  if [[ -z "${SERVICE:-}" ]]; then
    echo "==> swift build -c release (Examples/InferenceService)" >&2
    (cd "$PACKAGE" && swift build -c release --product inference-service >&2)
    SERVICE="$(cd "$PACKAGE" && swift build -c release --show-bin-path)/inference-service"
  fi
}

# Writes the request bodies (once) to $OUT/bodies.
make_bodies() {
  BODIES="$OUT/bodies"
  [[ -f "$BODIES/valid/labels.txt" && -f "$BODIES/invalid/types.txt" ]] || python3 "$PACKAGE/scripts/make_bodies.py" "$BODIES" 64 >&2
}

# start_service PORT LOG [flags…]: starts the service in the background (PID in SERVICE_PID) and
# waits up to 30 s for /healthz.
start_service() {
  local port="$1" log="$2"
  shift 2
  "$SERVICE" --port "$port" "$@" >"$log" 2>&1 &
  SERVICE_PID=$!
  for _ in $(seq 1 300); do
    if curl -sf "http://127.0.0.1:$port/healthz" >/dev/null 2>&1; then return 0; fi
    if ! kill -0 "$SERVICE_PID" 2>/dev/null; then
      echo "inference-service exited at start:" >&2
      tail -5 "$log" >&2
      return 1
    fi
    sleep 0.1
  done
  echo "inference-service did not answer /healthz within 30 s" >&2
  return 1
}

# stop_service: SIGTERM, then waits up to 20 s; sets SERVICE_EXIT to the exit status.
stop_service() {
  [[ -n "${SERVICE_PID:-}" ]] || return 0
  kill -TERM "$SERVICE_PID" 2>/dev/null || true
  SERVICE_EXIT=0
  for _ in $(seq 1 200); do
    kill -0 "$SERVICE_PID" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$SERVICE_PID" 2>/dev/null; then
    echo "inference-service did not stop within 20 s of SIGTERM; killing it" >&2
    kill -KILL "$SERVICE_PID" 2>/dev/null || true
    SERVICE_EXIT=137
  fi
  wait "$SERVICE_PID" 2>/dev/null || SERVICE_EXIT=$?
  SERVICE_PID=""
}

# rss_kib PID: resident set size in KiB.
rss_kib() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status" 2>/dev/null || echo 0; }

# cpu_ticks PID: user + system clock ticks used so far.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0; }

# sample_rss PID FILE: appends "seconds rss_kib" every second until the process exits or the
# sampler is killed (run in the background).
sample_rss() {
  local pid="$1" file="$2" t=0
  : >"$file"
  while kill -0 "$pid" 2>/dev/null; do
    echo "$t $(rss_kib "$pid")" >>"$file"
    sleep 1
    t=$((t + 1))
  done
}

# have_wrk: true when wrk is installed or can be (apt-get, as root).
have_wrk() {
  command -v wrk >/dev/null 2>&1 && return 0
  if [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null 2>&1; then
    (apt-get install -y wrk >/dev/null 2>&1 || { apt-get update >/dev/null 2>&1 && apt-get install -y wrk >/dev/null 2>&1; }) || true
  fi
  command -v wrk >/dev/null 2>&1
}
