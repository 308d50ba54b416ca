#!/usr/bin/env bash
# gpu_prepare.sh — on a machine without a GPU, before borrowing one: portable CUDA binaries of this
# tree for bench/gpu_check.sh --bin, so that the GPU's minutes go to measuring, not compiling.
#   .gpu/bin   test_kernels, test_models, bench_kernels, bench_model, nasflat of this tree
#              (Release, -march=x86-64-v3: the GPU machine's CPU may be another one)
#   .gpu/base  the previous .gpu/bin's bench_model and nasflat, for gpu_check.sh --base: the
#              binaries measured last time, timed again beside the new ones on the same card
# Then, on the GPU machine: bench/gpu_check.sh --bin .gpu/bin --base .gpu/base --quick.
# CUDA architectures: the project's default (CMakeLists.txt), or pass -DCMAKE_CUDA_ARCHITECTURES=..
# Usage: bench/gpu_prepare.sh [extra cmake flags]
set -euo pipefail
cd "$(dirname "$0")/.."
targets=(test_kernels test_models bench_kernels bench_model nasflat)
paths=(tests/test_kernels tests/test_models bench/bench_kernels bench/bench_model nas/cli/nasflat)

configure=$(cmake -S . -B build-gpu -G Ninja -DCMAKE_BUILD_TYPE=Release -DNASFLAT_MARCH=x86-64-v3 \
    -DNASFLAT_CUDA=ON "$@" 2>&1)
grep -q "CUDA backend ON" <<< "$configure" \
    || { echo "gpu_prepare: build-gpu has no CUDA backend (is nvcc on PATH?)" >&2; exit 1; }
cmake --build build-gpu -j"$(nproc)" --target "${targets[@]}"

mkdir -p .gpu
if [ -d .gpu/bin ]; then
    rm -rf .gpu/base
    mkdir -p .gpu/base
    cp .gpu/bin/bench_model .gpu/bin/nasflat .gpu/base/
    [ -f .gpu/bin/COMMIT ] && cp .gpu/bin/COMMIT .gpu/base/COMMIT
fi
rm -rf .gpu/bin
mkdir -p .gpu/bin
for p in "${paths[@]}"; do
    cp "build-gpu/$p" .gpu/bin/
    strip .gpu/bin/"$(basename "$p")"
done
git rev-parse --short HEAD > .gpu/bin/COMMIT
git diff --quiet HEAD || echo "(+ uncommitted changes)" >> .gpu/bin/COMMIT
du -sh .gpu/bin .gpu/base 2>/dev/null
echo "gpu_prepare: .gpu/bin at $(head -1 .gpu/bin/COMMIT), base at $(cat .gpu/base/COMMIT 2>/dev/null || echo 'none')"
