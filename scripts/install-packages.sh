#!/usr/bin/env bash
# Installs the given Debian packages when they are missing (sudo only when not root).
# Sourced by demo.sh and bench-peers.sh:  install_missing_packages pkg1 pkg2 ...
install_missing_packages() {
  local missing=() package
  if command -v dpkg-query >/dev/null; then
    for package in "$@"; do
      dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
    done
  fi
  if [ "${#missing[@]}" -gt 0 ]; then
    local sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
    echo "==> installing ${missing[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update
    $sudo apt-get install -y "${missing[@]}"
  fi
}
