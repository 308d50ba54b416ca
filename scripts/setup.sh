#!/usr/bin/env bash
# setup.sh — install, idempotently, the Debian packages nasflat needs on a fresh machine.
# Usage: scripts/setup.sh        (needs root or sudo; does nothing when everything is present)
set -euo pipefail

# clang and libclang-rt-dev (libFuzzer, the sanitizer runtimes) build the fuzz targets of fuzz/.
packages=(cmake ninja-build g++ libeigen3-dev nlohmann-json3-dev libgtest-dev libcli11-dev clang
          libclang-rt-dev)

missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
    echo "setup: all packages present (${packages[*]})"
    exit 0
fi

sudo_cmd=""
if [ "$(id -u)" -ne 0 ]; then sudo_cmd="sudo"; fi
echo "setup: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo_cmd apt-get update -qq
$sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "setup: done"
