#!/usr/bin/env bash
# Builds the DocC documentation of the public modules with swift-docc-plugin into docs-build/
# (git-ignored; one folder per module, static-hosting layout) and fails on any DocC warning
# (--warnings-as-errors: unresolved symbol links, undocumented parameters it flags, …).
#
#   scripts/docs.sh                      # every module below
#   scripts/docs.sh TesseraRuntime       # one
#   SCRATCH=.build-docs scripts/docs.sh  # another build folder (default .build)
set -euo pipefail
cd "$(dirname "$0")/.."
SCRATCH=${SCRATCH:-.build}
OUT=docs-build
MODULES=("$@")
[ ${#MODULES[@]} -gt 0 ] || MODULES=(Tessera TesseraGraph TesseraRuntime TesseraEmbeddings TesseraText TesseraCompression TesseraCodesign TesseraReport TesseraScheduler TesseraONNX TesseraNN TesseraQuantization CTesseraKernels)
mkdir -p "$OUT"
start=$(date +%s)
for module in "${MODULES[@]}"; do
  echo "docs: $module" >&2
  swift package --scratch-path "$SCRATCH" --allow-writing-to-directory "$OUT" \
    generate-documentation --target "$module" --output-path "$OUT/$module" \
    --transform-for-static-hosting --hosting-base-path "$module" --warnings-as-errors
done
echo "docs: ${MODULES[*]} in $(( $(date +%s) - start )) s → $OUT/" >&2
