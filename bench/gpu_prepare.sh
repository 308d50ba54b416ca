#!/usr/bin/env bash
# gpu_prepare.sh — before a GPU lease, on the CPU machine: portable CUDA binaries of this tree
# for bench/gpu_session.sh, so that the lease spends its minutes measuring, not compiling.
#   .gpu/bin   test_kernels, test_models, bench_kernels, bench_model, nasflat of this tree
#              (Release, sm_90, -march=x86-64-v3: the lent machine's CPU is another one)
#   .gpu/base  the previous .gpu/bin's bench_model and nasflat: the binaries measured on the
#              last lease, timed again beside the new ones on the same card
#   .gpu/data  the data folder (gpu_session.sh's DATA_DIR), copied when missing
# Then: run `bench/gpu_session.sh .gpu/bin .gpu/base .gpu/data SECONDS` on the GPU machine,
# carrying .gpu/bin, .gpu/base and .gpu/data (well under the 64 MiB a lease carries).
# Usage: bench/gpu_prepare.sh [DATA_DIR]   (default: $NASFLAT_DATA, else ../shared/data)
set -euo pipefail
cd "$(dirname "$0")/.."
data="${1:-${NASFLAT_DATA:-../shared/data}}"
targets=(test_kernels test_models bench_kernels bench_model nasflat)
paths=(tests/test_kernels tests/test_models bench/bench_kernels bench/bench_model nas/cli/nasflat)

configure=$(cmake -S . -B build-gpu -G Ninja -DCMAKE_BUILD_TYPE=Release -DNASFLAT_MARCH=x86-64-v3 \
    -DNASFLAT_CUDA=ON 2>&1)
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
if [ ! -d .gpu/data ]; then
    [ -d "$data" ] || { echo "gpu_prepare: data folder '$data' not found" >&2; exit 1; }
    cp -r "$data" .gpu/data
fi
du -sh .gpu/bin .gpu/base .gpu/data 2>/dev/null
echo "gpu_prepare: .gpu/bin at $(head -1 .gpu/bin/COMMIT), base at $(cat .gpu/base/COMMIT 2>/dev/null || echo 'unknown')"
