#!/usr/bin/env bash
# gpu_check.sh — everything that needs a GPU, in one run (< 8 minutes on an H100/H200):
#   1. build with CUDA (or use prebuilt binaries: --bin DIR holding test_* and bench_*, e.g.
#      from bench/gpu_prepare.sh);
#   2. the GPU tests (every CUDA kernel vs its CPU twin; the whole model GPU vs CPU);
#   3. compute-sanitizer memcheck and racecheck on a small case;
#   4. bench_kernels and bench_model on the GPU (each validates against the CPU first), with
#      TF32 GEMMs too, and (--base DIR) the bench_model of other binaries on the same card;
#   5. a summary file: OUT/gpu_summary.txt (OUT = $OUT, else ./gpu_out).
# Usage: bench/gpu_check.sh [--bin DIR] [--base DIR] [--quick] [--no-sweep]
# The CUDA libraries (libcublas) must be on the loader's path (LD_LIBRARY_PATH if not installed
# system-wide). Every step has its own time limit and the script goes on after a failure, so one
# bad step never hides the others; the summary lists each step's status and time.
set -uo pipefail
cd "$(dirname "$0")/.."

bin=""
base=""
quick=""
sweep=1
while [ $# -gt 0 ]; do
    case "$1" in
        --bin) bin="$2"; shift 2 ;;
        --base) base="$2"; shift 2 ;;
        --quick) quick="--quick"; shift ;;
        --no-sweep) sweep=""; shift ;;
        *) echo "gpu_check: unknown argument $1" >&2; exit 2 ;;
    esac
done
out="${OUT:-$PWD/gpu_out}"
mkdir -p "$out"
summary="$out/gpu_summary.txt"
: > "$summary"

step() {  # step NAME LIMIT_S COMMAND...
    local name="$1" limit="$2"; shift 2
    local t0=$(date +%s%N)
    echo "== $name ==" | tee -a "$out/gpu_log.txt"
    timeout "$limit" "$@" > "$out/$name.log" 2>&1
    local rc=$?
    local ms=$(( ($(date +%s%N) - t0) / 1000000 ))
    tail -n 40 "$out/$name.log" >> "$out/gpu_log.txt"
    printf "%-28s rc=%-3s %6d.%01d s\n" "$name" "$rc" $((ms / 1000)) $(((ms % 1000) / 100)) | tee -a "$summary"
    return 0
}

{
    echo "date: $(date -u +%Y-%m-%dT%H:%MZ)"
    nvidia-smi --query-gpu=name,memory.total,driver_version,clocks.max.sm --format=csv,noheader
    nvcc --version 2>/dev/null | tail -1
} >> "$summary" 2>&1

if [ -z "$bin" ]; then
    step build 420 bash -c "cmake -S . -B build-gpu -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null && cmake --build build-gpu -j\$(nproc) --target test_kernels test_models bench_kernels bench_model nasflat"
    mkdir -p build-gpu/bin
    for f in tests/test_kernels tests/test_models bench/bench_kernels bench/bench_model nas/cli/nasflat; do
        cp -f "build-gpu/$f" build-gpu/bin/ 2>/dev/null
    done
    bin=build-gpu/bin
fi

step gpu_tests_kernels 120 "$bin/test_kernels" --gtest_filter='*Cuda*'
step gpu_tests_model 180 "$bin/test_models" --gtest_filter='*Gpu*'
if command -v compute-sanitizer >/dev/null; then
    step memcheck 150 compute-sanitizer --tool memcheck --error-exitcode 9 "$bin/test_kernels" \
        --gtest_filter='*GraphKernels*Cuda*:*TrainKernels*Cuda*:*Gather*Cuda*:*GatedResidual*Cuda*:*Average*Cuda*'
    step racecheck 150 compute-sanitizer --tool racecheck --error-exitcode 9 "$bin/test_kernels" \
        --gtest_filter='GatherBackwardChunked.*:*LayerNorm/Cuda:*Softmax*/Cuda:*Reduce*/Cuda:*PairHinge*/Cuda:*SegmentSum/Cuda'
    # The fused readout kernel: one block per tile, every stage behind a __syncthreads().
    step memcheck_fused 120 compute-sanitizer --tool memcheck --error-exitcode 9 "$bin/test_models" \
        --gtest_filter='*FusedReadoutMatchesTheCpu/reference'
    step racecheck_fused 120 compute-sanitizer --tool racecheck --error-exitcode 9 "$bin/test_models" \
        --gtest_filter='*FusedReadoutMatchesTheCpu/reference'
else
    echo "compute-sanitizer not found: skipped" >> "$summary"
fi
step bench_kernels 150 "$bin/bench_kernels" --device all $quick
step bench_model_nb201 200 "$bin/bench_model" --device cuda --space nb201 $quick --profile --fused \
    --batches 256,4096,32768,262144,1048576 --train-batches 128,4096
step bench_model_fbnet 160 "$bin/bench_model" --device cuda --space fbnet $quick --profile --fused \
    --batches 256,4096,32768,131072 --train-batches 128,4096
step bench_model_tf32 120 "$bin/bench_model" --device cuda --tf32 $quick \
    --batches 4096,32768,262144 --train-batches 4096
if [ -n "$base" ]; then  # the same rows from other binaries (e.g. the last commit measured)
    step base_bench_model_nb201 90 "$base/bench_model" --device cuda --space nb201 $quick \
        --batches 256,4096,32768 --train-batches 128,4096
    step base_bench_model_fbnet 90 "$base/bench_model" --device cuda --space fbnet $quick \
        --batches 256,4096,32768 --train-batches 128,4096
fi
# Hardware counters of the fused readout kernel: one launch per version at 32768 graphs
# (bench_model --capture brackets them; the validation's launches are not profiled).
command -v ncu >/dev/null && step ncu_fused 90 ncu --clock-control none --profile-from-start off \
    -k regex:fused_readout --section SpeedOfLight --section Occupancy --section LaunchStats \
    --section WarpStateStats --section ComputeWorkloadAnalysis --section InstructionStats \
    "$bin/bench_model" --device cuda --space nb201 --quick --fused --capture --batches 32768 \
    --train-batches none
# The kernel table across batch sizes (validated at the smallest size first).
[ -n "$sweep" ] && step bench_kernels_sweep 240 "$bin/bench_kernels" --device cuda --reps 5 \
    --graphs 1024,16384,131072,1048576
{
    echo
    echo "--- bench_kernels (tail) ---"
    tail -n 45 "$out/bench_kernels.log"
    echo "--- bench_model ---"
    cat "$out/bench_model_nb201.log" "$out/bench_model_fbnet.log"
    for f in bench_model_tf32 base_bench_model_nb201 base_bench_model_fbnet; do
        [ -f "$out/$f.log" ] || continue
        echo "--- $f ---"
        grep -E "validate|infer|train|tf32|timing" "$out/$f.log"
    done
} >> "$summary"
echo "summary: $summary"
