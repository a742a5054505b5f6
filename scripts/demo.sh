#!/usr/bin/env bash
# The README's first command: install what a fresh Debian/Ubuntu machine lacks, build Tessera
# in release mode, then show what it sees on this machine and how fast its int8 kernels are.
# Later steps (train → quantize → validate → schedule) are appended below by their owners.
set -euo pipefail
cd "$(dirname "$0")/.."

# --- System packages (only the missing ones; sudo only when not root) ---------------------
PACKAGES=(libopenblas-dev liblapacke-dev zlib1g-dev)
missing=()
if command -v dpkg-query >/dev/null; then
  for package in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
  done
fi
if [ "${#missing[@]}" -gt 0 ]; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  echo "==> installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update
  $SUDO apt-get install -y "${missing[@]}"
fi

# --- Build ---------------------------------------------------------------------------------
echo "==> swift build -c release" >&2
swift build -c release
TESSERA="$(swift build -c release --show-bin-path)/tessera"

# --- What Tessera sees, and how fast it is ---------------------------------------------------
echo "==> tessera info" >&2
"$TESSERA" info
echo "==> tessera bench --preset mlp" >&2
"$TESSERA" bench --preset mlp
