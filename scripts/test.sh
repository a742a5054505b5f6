#!/usr/bin/env bash
# Runs every test: the Swift packages' tests and the standalone C kernel build under ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build --build-tests
swift test --skip-build
if command -v cmake >/dev/null; then
  cmake -S . -B build-ctest -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build build-ctest -j2
  (cd build-ctest && ctest --output-on-failure)
else
  echo "SKIPPED: the standalone C kernel build under ctest (cmake not found; apt-get install cmake)" >&2
fi
