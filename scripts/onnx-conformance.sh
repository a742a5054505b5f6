#!/usr/bin/env bash
# ONNX conformance: fetches the ONNX backend node tests once (from the onnx 1.16.2 wheel on PyPI,
# which still ships them, unlike recent wheels such as 1.23; its opsets go up to 21, our range),
# runs the Swift conformance test on them and regenerates the results section of docs/onnx.md.
#
#   bash scripts/onnx-conformance.sh                # fetch if needed, test, update docs/onnx.md
#   bash scripts/onnx-conformance.sh --fetch-only   # only fetch into .onnx-node-tests/ (CI)
#   bash scripts/onnx-conformance.sh --scratch-path .build-x   # other options go to swift build/test
#
# The tests land in .onnx-node-tests/onnx/backend/test/data/node (git-ignored); `swift test`
# finds them there by itself. Exit status: the test's (fetch failures: 1, with a note).
set -euo pipefail
cd "$(dirname "$0")/.."

ONNX_VERSION=1.16.2
# One wheel, pinned (the node test data in every onnx 1.16.2 wheel is the same).
WHEEL=onnx-1.16.2-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl
WHEEL_SHA256=7b98aa9733bd4b781eb931d33b4078ff2837e7d68062460726d6dd011f332bd4
DEST=.onnx-node-tests
NODE_DIR="$DEST/onnx/backend/test/data/node"
MARKER="$DEST/onnx-$ONNX_VERSION.complete"
REPORT="$DEST/conformance.json"

fetch_only=0
swift_args=()
for arg in "$@"; do
  case "$arg" in
    --fetch-only) fetch_only=1 ;;
    *) swift_args+=("$arg") ;;
  esac
done

# Downloads the wheel into a temp folder, checks its hash, extracts only the node tests.
fetch_node_tests() {
  if [ -f "$MARKER" ] && [ -d "$NODE_DIR" ]; then
    echo "ONNX node tests: already in $NODE_DIR"
    return 0
  fi
  if ! command -v python3 >/dev/null; then
    echo "note: python3 not found; cannot fetch the ONNX node tests (the conformance test will be skipped)" >&2
    return 1
  fi
  local tmp
  tmp="$(mktemp -d)"
  echo "ONNX node tests: downloading onnx==$ONNX_VERSION from PyPI"
  if ! python3 -m pip download --quiet --disable-pip-version-check --retries 1 --timeout 20 --no-deps \
    --only-binary=:all: --platform manylinux2014_x86_64 --python-version 3.11 --implementation cp --abi cp311 \
    -d "$tmp" "onnx==$ONNX_VERSION"; then
    rm -rf "$tmp"
    echo "note: could not download onnx==$ONNX_VERSION from PyPI (offline?); the ONNX conformance test will be skipped" >&2
    return 1
  fi
  if ! python3 - "$tmp/$WHEEL" "$WHEEL_SHA256" "$tmp/extract" <<'EOF'; then
import hashlib, sys, zipfile
wheel, expected, out = sys.argv[1:]
digest = hashlib.sha256(open(wheel, "rb").read()).hexdigest()
if digest != expected:
    sys.exit(f"{wheel}: sha256 {digest}, expected {expected}")
prefix = "onnx/backend/test/data/node/"
with zipfile.ZipFile(wheel) as z:
    names = [n for n in z.namelist() if n.startswith(prefix) and ".." not in n.split("/")]
    z.extractall(out, names)
cases = {n[len(prefix):].split("/")[0] for n in names if n.endswith("/model.onnx")}
print(f"ONNX node tests: {len(cases)} cases extracted")
EOF
    rm -rf "$tmp"
    echo "note: the onnx wheel could not be checked or extracted; the ONNX conformance test will be skipped" >&2
    return 1
  fi
  rm -rf "$DEST/onnx"
  mkdir -p "$DEST"
  mv "$tmp/extract/onnx" "$DEST/onnx"
  rm -rf "$tmp"
  touch "$MARKER"
}

fetch_node_tests
[ "$fetch_only" = 1 ] && exit 0

swift build --build-tests ${swift_args[@]+"${swift_args[@]}"}
rm -f "$REPORT"
status=0
TESSERA_ONNX_NODE_TESTS="$PWD/$NODE_DIR" TESSERA_CONFORMANCE_REPORT="$PWD/$REPORT" \
  swift test --skip-build ${swift_args[@]+"${swift_args[@]}"} --filter 'TesseraONNXTests.onnxBackendNodeTests' \
  || status=$?
if [ ! -f "$REPORT" ]; then
  echo "error: the conformance test wrote no report ($REPORT); docs/onnx.md is unchanged" >&2
  exit $(( status == 0 ? 1 : status ))
fi
python3 scripts/onnx/conformance_table.py "$REPORT" docs/onnx.md --command "bash scripts/onnx-conformance.sh"
exit "$status"
