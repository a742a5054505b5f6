#!/usr/bin/env bash
# Runs every test: the Swift packages' tests and the standalone C kernel build under ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build --build-tests
swift test --skip-build
# The command line on bad text-model input (exit 1 with a message naming the problem, no crash).
bash scripts/text/cli_bad_inputs.sh "$(swift build --show-bin-path)/tessera"
if command -v cmake >/dev/null; then
  cmake -S . -B build-ctest -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build build-ctest -j2
  (cd build-ctest && ctest --output-on-failure)
else
  echo "SKIPPED: the standalone C kernel build under ctest (cmake not found; apt-get install cmake)" >&2
fi
# The AArch64 kernels, cross-built and run under qemu-user (prints SKIPPED itself when the cross
# compiler or qemu is missing and cannot be installed).
bash scripts/test-aarch64.sh
