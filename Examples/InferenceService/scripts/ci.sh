#!/usr/bin/env bash
# The inference service's CI run, short: build (release) → unit tests (batcher, validation) →
# 10 s wrk load on the int8 MLP → queue bound and deadline → SIGTERM with requests in flight →
# malformed-input run (5 s of wrk) → schemathesis (20 examples per
# operation, at most 120 s). wrk and schemathesis are installed when missing (apt-get as root, pip
# into a venv); when they cannot be, their steps print "SKIPPED: …" and the rest still runs.
# Prints the time of every step and the total. Exits 1 when any step fails.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
T0=$(date +%s)
step() { echo; echo "=== $1 ($(( $(date +%s) - T0 )) s so far)"; }

step "build (swift build -c release --build-tests)"
swift build -c release --build-tests
SERVICE="$(swift build -c release --show-bin-path)/inference-service"
export SERVICE

step "unit tests"
swift test -c release --skip-build

step "load: 10 s of wrk, valid mix, dynamic batching"
TAG=ci-load scripts/load.sh 10 32

step "queue bound (503 + Retry-After) and deadline (504)"
scripts/overload.sh

step "graceful shutdown with requests in flight"
scripts/shutdown.sh

step "malformed input"
scripts/malformed.sh 5

step "schemathesis"
scripts/schemathesis.sh 20 120

echo
echo "ci.sh: all steps passed in $(( $(date +%s) - T0 )) s"
