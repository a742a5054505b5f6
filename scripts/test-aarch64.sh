#!/usr/bin/env bash
# Cross-builds the C kernels and their C tests for AArch64 (cmake/aarch64-linux-gnu.cmake, Debian's
# gcc-aarch64-linux-gnu) and runs them under qemu-user on three emulated CPU models:
#   max         dotprod + i8mm: every kernel (neoni8mm, neondot, scalar); the whole ctest
#   cortex-a76  dotprod, no i8mm: neondot + scalar; neoni8mm must be refused
#   cortex-a53  neither: the scalar fallback
# For each it prints the detected ISAs and selected kernels (tests/c/kernel_info.c, which also
# fails when detection differs from the model's known features). Exit status non-zero on any
# failure. Emulated timings mean nothing; exactness does.
#
# Installs what it lacks (apt-get install -y gcc-aarch64-linux-gnu qemu-user cmake) when run as
# root or with password-less sudo; otherwise prints a SKIPPED line and exits 0
# (TESSERA_REQUIRE_AARCH64=1 turns that into a failure).
#
# Under emulation the qd8 and f32-gemm grids are capped (TESSERA_TEST_QUICK=1: m·n·k ≤ 2^18
# instead of 2^21, edges and MiniLM shapes kept), and the float-only tests (f32gemm, vmath), which
# have no AArch64-specific code, run under `-cpu max` only.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${TESSERA_AARCH64_BUILD:-build-aarch64}
SYSROOT=/usr/aarch64-linux-gnu

skip() {
  echo "SKIPPED: AArch64 kernels under qemu: $*" >&2
  [ "${TESSERA_REQUIRE_AARCH64:-0}" = 1 ] && exit 1
  exit 0
}

missing() {
  local m=()
  command -v aarch64-linux-gnu-gcc >/dev/null || m+=(gcc-aarch64-linux-gnu)
  [ -e "$SYSROOT/include/stdio.h" ] || m+=(libc6-dev-arm64-cross)
  command -v qemu-aarch64 >/dev/null || m+=(qemu-user)
  command -v cmake >/dev/null || m+=(cmake)
  echo "${m[@]}"
}

need=$(missing)
if [ -n "$need" ]; then
  if [ "$(id -u)" = 0 ]; then
    SUDO=""
  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    SUDO="sudo -n"
  else
    skip "missing $need and not root (apt-get install -y gcc-aarch64-linux-gnu qemu-user)"
  fi
  echo "installing $need" >&2
  export DEBIAN_FRONTEND=noninteractive
  # shellcheck disable=SC2086
  $SUDO apt-get install -y $need >/dev/null \
    || { $SUDO apt-get update >/dev/null && $SUDO apt-get install -y $need >/dev/null; } \
    || skip "could not install $need"
  need=$(missing)
  [ -z "$need" ] || skip "still missing $need after apt-get install"
fi

start=$SECONDS
# A build directory configured without the toolchain file would silently build for the host.
if [ -f "$BUILD/CMakeCache.txt" ] && ! grep -q "aarch64-linux-gnu.cmake" "$BUILD/CMakeCache.txt"; then
  rm -rf "$BUILD"
fi
cmake --no-warn-unused-cli -S . -B "$BUILD" -DCMAKE_TOOLCHAIN_FILE=cmake/aarch64-linux-gnu.cmake -DCMAKE_BUILD_TYPE=Release \
  -DTESSERA_QEMU_CPU=max >/dev/null
cmake --build "$BUILD" -j2 >/dev/null
echo "cross-built the C kernels and tests for aarch64 in $((SECONDS - start)) s ($BUILD)"

run() { qemu-aarch64 -L "$SYSROOT" -cpu "$1" "${@:2}"; }
export TESSERA_TEST_QUICK=1
failed=0
# model : supported ISAs it must report : ctest selection
for spec in "max:scalar,neondot,neoni8mm:" "cortex-a76:scalar,neondot:^(kernels|gemv|qd8)$" \
            "cortex-a53:scalar:^(kernels|gemv|qd8)$"; do
  IFS=: read -r cpu expect tests <<<"$spec"
  echo
  echo "=== qemu-aarch64 -cpu $cpu (expected ISAs: $expect)"
  run "$cpu" "$BUILD/kernel_info" --expect "$expect" || failed=1
  # Forcing each ARM ISA: accepted exactly when supported, refused with a message otherwise.
  for isa in neondot neoni8mm; do
    if [[ ",$expect," == *",$isa,"* ]]; then
      out=$(TESSERA_ISA=$isa run "$cpu" "$BUILD/kernel_info") || { echo "FAIL: TESSERA_ISA=$isa refused"; failed=1; }
      grep -q "^gemm: .*__$isa$" <<<"$out" || { echo "FAIL: TESSERA_ISA=$isa not honoured: $out"; failed=1; }
      echo "TESSERA_ISA=$isa -> $(grep '^gemm:' <<<"$out")"
    elif out=$(TESSERA_ISA=$isa run "$cpu" "$BUILD/kernel_info" 2>&1); then
      echo "FAIL: TESSERA_ISA=$isa accepted on $cpu: $out"; failed=1
    else
      echo "TESSERA_ISA=$isa refused as expected -> $(grep '^gemm:' <<<"$out")"
    fi
  done
  cmake -S . -B "$BUILD" -DTESSERA_QEMU_CPU="$cpu" >/dev/null
  # -V: the tests' own lines (kernels checked, SKIPPED ones with the reason) stay visible.
  (cd "$BUILD" && ctest -V -j2 ${tests:+-R "$tests"} | grep -E "^[0-9]+: (ok|FAIL|SKIPPED)|tested|Test +#|tests passed|failed") \
    || failed=1
done
unset TESSERA_TEST_QUICK
cmake -S . -B "$BUILD" -DTESSERA_QEMU_CPU=max >/dev/null

echo
if [ "$failed" != 0 ]; then
  echo "FAIL: AArch64 kernels under qemu ($((SECONDS - start)) s)" >&2
  exit 1
fi
echo "ok: AArch64 kernels equal the reference under qemu (max, cortex-a76, cortex-a53) in $((SECONDS - start)) s"
