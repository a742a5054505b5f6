#!/usr/bin/env bash
# Regenerates Sources/TesseraONNX/Generated/onnx.pb.swift from the official onnx.proto.
#
# Needs: python3 with the onnx wheel (for onnx.proto), protoc (3.21 was used), and
# protoc-gen-swift built from swift-protobuf at the version Package.resolved pins:
#   git clone /opt/swift-packages/apple/swift-protobuf.git /tmp/swift-protobuf
#   cd /tmp/swift-protobuf && git checkout 1.39.0 && swift build -c release --product protoc-gen-swift
# Environment overrides: PROTOC_GEN_SWIFT (plugin path), PROTOC (protoc path).
# The generated types are internal (Visibility=Internal) so they never leak into the public API.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
plugin="${PROTOC_GEN_SWIFT:-/tmp/swift-protobuf/.build/release/protoc-gen-swift}"
protoc="${PROTOC:-protoc}"
out="$root/Sources/TesseraONNX/Generated"

onnx_dir="$(python3 -c 'import onnx, os; print(os.path.dirname(onnx.__file__))')"
onnx_version="$(python3 -c 'import onnx; print(onnx.__version__)')"
protoc_version="$("$protoc" --version)"
plugin_version="$("$plugin" --version)"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp "$onnx_dir/onnx.proto" "$work/onnx.proto"
command=(protoc --plugin=protoc-gen-swift="$plugin" --proto_path=. --swift_out=. \
  --swift_opt=Visibility=Internal --swift_opt=FileNaming=DropPath onnx.proto)
(cd "$work" && "$protoc" "--plugin=protoc-gen-swift=$plugin" --proto_path=. --swift_out=. \
  --swift_opt=Visibility=Internal --swift_opt=FileNaming=DropPath onnx.proto)

mkdir -p "$out"
{
  echo "// Generated from onnx.proto of the onnx $onnx_version Python wheel"
  echo "// (package onnx, proto2) by $protoc_version and $plugin_version."
  echo "// Do not edit. Reproduce with scripts/generate-onnx-proto.sh, which runs in a copy of onnx.proto:"
  echo "//   ${command[*]}"
  echo
  cat "$work/onnx.pb.swift"
} >"$out/onnx.pb.swift"
echo "wrote $out/onnx.pb.swift ($(wc -l <"$out/onnx.pb.swift") lines)"
