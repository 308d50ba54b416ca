#!/usr/bin/env bash
# test.sh — set up, build and run every test: the normal build (CUDA compiled when nvcc is
# found; GPU tests skip without a GPU), then the whole suite again under ASan + UBSan.
# Usage: scripts/test.sh            (from anywhere; build folders: build/ and build-asan/)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh

jobs=$(nproc)
echo "== build (Release) =="
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j "$jobs"
echo "== tests (Release) =="
ctest --test-dir build --output-on-failure -j "$jobs"

echo "== build (ASan + UBSan, CPU only) =="
cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DNASFLAT_SANITIZE=ON \
      -DNASFLAT_CUDA=OFF >/dev/null
cmake --build build-asan -j "$jobs"
echo "== tests (ASan + UBSan) =="
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
    ctest --test-dir build-asan --output-on-failure -j "$jobs"
echo "== all tests passed =="
