#!/usr/bin/env bash
# Batch-1 GEMV with each implementation alone in its own process: bench_gemv (CMake target)
# runs once per implementation per round, alternating, with TSR_BENCH_GEMV_ONLY picking one,
# so no other implementation's weights share the caches. Prints each process's median GOP/s
# and, per shape and implementation, the median (min–max) of those medians.
#
# Usage: bash scripts/bench-gemv-separate.sh [bench_gemv binary] [rounds] [in-process rounds]
# Environment: IMPLS (default "selected xnnpack"), TSR_BENCH_GEMV_SHAPES (default
# 1024x1024,2048x2048,4096x4096), TSR_BENCH_CPU_TIME (default 1: thread CPU time).
set -euo pipefail
bin="${1:-build/bench_gemv}"
rounds="${2:-5}"
inner="${3:-11}"
impls="${IMPLS:-selected xnnpack}"
export TSR_BENCH_GEMV_SHAPES="${TSR_BENCH_GEMV_SHAPES:-1024x1024,2048x2048,4096x4096}"
export TSR_BENCH_CPU_TIME="${TSR_BENCH_CPU_TIME:-1}"
[[ -x "$bin" ]] || { echo "bench-gemv-separate: no executable $bin (build the CMake target bench_gemv)" >&2; exit 2; }
samples=$(mktemp)
trap 'rm -f "$samples"' EXIT
for ((r = 1; r <= rounds; r++)); do
  for impl in $impls; do
    # Each table row after a "1xNxK (…" header: "<shape> <impl> <median GOP/s>".
    TSR_BENCH_GEMV_ONLY="$impl" "$bin" "$inner" | awk -v impl="$impl" -v round="$r" '
      /^1x[0-9]+x[0-9]+ \(/ { shape = $1; next }
      shape != "" && $0 !~ /^implementation/ && NF >= 9 { printf "%s %s %s\n", shape, impl, $(NF-7) }
    ' | tee -a "$samples" | sed "s/^/round $r: /"
  done
done
echo
echo "shape impl median(min-max) of $rounds process medians, GOP/s"
sort -k1,1 -k2,2 -k3,3g "$samples" | awk '
  function flush() { if (n) printf "%s %s %.2f (%.2f-%.2f)\n", key1, key2, v[int((n + 1) / 2)], v[1], v[n] }
  { if ($1 != key1 || $2 != key2) { flush(); n = 0; key1 = $1; key2 = $2 } v[++n] = $3 }
  END { flush() }'
