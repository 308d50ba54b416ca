#!/usr/bin/env bash
# setup.sh — install, idempotently, what nasflat needs on a fresh machine: the Debian packages,
# then a Python virtual environment for the Python module and its tests (build/venv, or
# $NASFLAT_VENV: nanobind, scikit-build-core, numpy, pytest from PyPI).
# Usage: scripts/setup.sh        (needs root or sudo; does nothing when everything is present)
set -euo pipefail
cd "$(dirname "$0")/.."

# clang and libclang-rt-dev (libFuzzer, the sanitizer runtimes) build the fuzz targets of fuzz/.
# python3-dev, python3-venv, python3-pip: the Python module (python/) and its tests.
packages=(cmake ninja-build g++ libeigen3-dev nlohmann-json3-dev libgtest-dev libcli11-dev clang
          libclang-rt-dev python3-dev python3-venv python3-pip)

missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
    echo "setup: all packages present (${packages[*]})"
else
    sudo_cmd=""
    if [ "$(id -u)" -ne 0 ]; then sudo_cmd="sudo"; fi
    echo "setup: installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    $sudo_cmd apt-get update -qq
    $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    echo "setup: done"
fi

# The Python side: a venv of the python3 on PATH (ignored by git, under build/).
venv=${NASFLAT_VENV:-build/venv}
python_packages=(nanobind scikit-build-core numpy pytest)
if [ ! -x "$venv/bin/python" ]; then
    echo "setup: creating the Python environment $venv"
    python3 -m venv "$venv"
fi
if ! "$venv/bin/python" -c "import nanobind, scikit_build_core, numpy, pytest" 2>/dev/null; then
    echo "setup: installing ${python_packages[*]} into $venv"
    "$venv/bin/python" -m pip install -q "${python_packages[@]}"
else
    echo "setup: Python packages present in $venv (${python_packages[*]})"
fi
