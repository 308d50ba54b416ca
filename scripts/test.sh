#!/usr/bin/env bash
# test.sh — set up, build and run every test: the normal build (CUDA compiled when nvcc is
# found; GPU tests skip without a GPU) with the Python module, its pytest suite and a C++
# program built against the installed library, the whole suite again under ASan + UBSan, the
# kernel and sampler suites once more at another x86-64 level (fast paths must agree with their
# references on every level, not only on this machine's), and a short run of each fuzz target.
# Usage: scripts/test.sh   (from anywhere; build folders: build/, build-asan/, build-isa/,
#                           build-fuzz/; Python environment build/venv). NASFLAT_TEST_MARCH sets
#                           the second level (x86-64-v2); NASFLAT_FUZZ_SECONDS the seconds per
#                           fuzz target (5; 0 skips them); NASFLAT_TEST_PIP=1 also checks
#                           `pip install .` (a CPU-only build of its own, several minutes).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh

jobs=$(nproc)
venv=${NASFLAT_VENV:-build/venv}
echo "== build (Release, with the Python module) =="
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DNASFLAT_PYTHON=ON \
      -DPython_EXECUTABLE="$PWD/$venv/bin/python" >/dev/null
cmake --build build -j "$jobs"
echo "== tests (Release) =="
ctest --test-dir build --output-on-failure -j "$jobs"
echo "== tests (Python) =="
PYTHONPATH=build/python NASFLAT_BIN=build/nas/cli/nasflat "$venv/bin/python" -m pytest \
    tests/python -q -p no:cacheprovider
echo "== C++ program against the installed library (examples/cpp) =="
scripts/cpp_consumer.sh build
if [ "${NASFLAT_TEST_PIP:-0}" = 1 ]; then
    echo "== pip install . (CPU only) =="
    "$venv/bin/python" -m pip install -q --no-build-isolation . -C cmake.define.NASFLAT_CUDA=OFF
    (cd /tmp && "$OLDPWD/$venv/bin/python" -c "import nasflat; print('import nasflat:', nasflat.__version__)")
fi

echo "== build (ASan + UBSan, CPU only) =="
cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DNASFLAT_SANITIZE=ON \
      -DNASFLAT_CUDA=OFF >/dev/null
cmake --build build-asan -j "$jobs"
echo "== tests (ASan + UBSan) =="
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
    ctest --test-dir build-asan --output-on-failure -j "$jobs"

march=${NASFLAT_TEST_MARCH:-x86-64-v2}
echo "== build (kernel and sampler tests at -march=$march, CPU only) =="
cmake -S . -B build-isa -G Ninja -DCMAKE_BUILD_TYPE=Release -DNASFLAT_CUDA=OFF \
      -DNASFLAT_MARCH="$march" >/dev/null
cmake --build build-isa -j "$jobs" --target test_kernels test_samplers
echo "== tests (kernels, samplers at -march=$march) =="
build-isa/tests/test_kernels --gtest_brief=1
build-isa/tests/test_samplers --gtest_brief=1

seconds=${NASFLAT_FUZZ_SECONDS:-5}
if [ "$seconds" != 0 ]; then
    echo "== fuzz smoke ($seconds s per target) =="
    scripts/fuzz.sh all "$seconds"
fi
echo "== all tests passed =="
