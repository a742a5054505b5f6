#!/usr/bin/env bash
# Tessera's int8 kernels against OpenBLAS, oneDNN and XNNPACK on the same shapes, in one table.
# Installs the peer libraries when missing (sudo only when not root), then runs
#   swift run -c release --package-path Benchmarks tessera-peers [your arguments]
# e.g.  bash scripts/bench-peers.sh --json > peers.json
#       bash scripts/bench-peers.sh --threads 2 --scaling-threads 0
set -euo pipefail
cd "$(dirname "$0")/.."

source scripts/install-packages.sh
install_missing_packages libopenblas-dev liblapacke-dev zlib1g-dev libdnnl-dev libxnnpack-dev libpthreadpool-dev

# oneDNN (OpenMP) reads OMP_NUM_THREADS when it loads; tessera-peers also calls
# omp_set_num_threads per row. OpenBLAS is set per row with openblas_set_num_threads.
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-1}"
# Build first with its log on stderr, so stdout carries only the report (e.g. --json).
swift build -c release --package-path Benchmarks --product tessera-peers >&2
exec swift run -c release --skip-build --package-path Benchmarks tessera-peers "$@"
