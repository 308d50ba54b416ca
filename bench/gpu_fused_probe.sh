#!/usr/bin/env bash
# gpu_fused_probe.sh — the fused readout kernel on a GPU, in one short lease (~4 minutes):
#   1. the GPU tests (all CUDA kernels, the model on the GPU incl. the fused kernel), then
#      compute-sanitizer memcheck and racecheck on the fused kernel;
#   2. inference throughput of every fused version beside the op-by-op path, both spaces, with
#      BIN_DIR's bench_model and (when given) BASE_DIR's, timed on the same card;
#   3. per-kernel profiles of one forward per variant at the largest batch, and Nsight Compute
#      counters (speed of light, occupancy, warp states) of one fused launch per variant.
# Usage: bench/gpu_fused_probe.sh BIN_DIR [BASE_DIR]   (logs into $OUT, else ./gpu_out)
# The CUDA libraries must be on the loader's path, as for bench/gpu_check.sh.
set -uo pipefail
cd "$(dirname "$0")/.."
bin="$1"
base="${2:-}"
out="${OUT:-$PWD/gpu_out}"
mkdir -p "$out"
summary="$out/probe_summary.txt"
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader > "$summary" 2>&1
run() {  # run NAME LIMIT COMMAND...
    local name="$1" limit="$2"; shift 2
    local t0=$(date +%s)
    timeout "$limit" "$@" > "$out/$name.log" 2>&1
    printf "%-22s rc=%-3s %4d s\n" "$name" "$?" $(( $(date +%s) - t0 )) | tee -a "$summary"
}
run gpu_tests_kernels 60 "$bin/test_kernels" --gtest_filter='*Cuda*:GatherBackwardChunked.*'
run gpu_tests_model 90 "$bin/test_models" --gtest_filter='*Gpu*'
nb201=(--device cuda --space nb201 --quick --fused --batches 4096,32768,262144 --train-batches none)
fbnet=(--device cuda --space fbnet --quick --fused --batches 4096,32768,131072 --train-batches none)
run bench_nb201 90 "$bin/bench_model" "${nb201[@]}" --profile
run bench_fbnet 90 "$bin/bench_model" "${fbnet[@]}" --profile
if [ -n "$base" ]; then
    run base_nb201 60 "$base/bench_model" "${nb201[@]}"
    run base_fbnet 60 "$base/bench_model" "${fbnet[@]}"
fi
if command -v compute-sanitizer >/dev/null; then
    run memcheck_fused 60 compute-sanitizer --tool memcheck --error-exitcode 9 "$bin/test_models" \
        --gtest_filter='*FusedReadoutMatchesTheCpu/reference'
    run racecheck_fused 90 compute-sanitizer --tool racecheck --error-exitcode 9 "$bin/test_models" \
        --gtest_filter='*FusedReadoutMatchesTheCpu/reference'
fi
sections="--section SpeedOfLight --section Occupancy --section LaunchStats --section WarpStateStats
--section ComputeWorkloadAnalysis --section MemoryWorkloadAnalysis --section InstructionStats
--section SchedulerStats"
command -v ncu >/dev/null && run ncu_nb201 90 ncu --clock-control none --profile-from-start off \
    -k regex:fused_readout $sections "$bin/bench_model" --device cuda --space nb201 --quick --fused \
    --capture --batches 32768 --train-batches none
{
    echo "--- inference rows ---"
    for f in bench_nb201 bench_fbnet base_nb201 base_fbnet; do
        [ -f "$out/$f.log" ] && { echo "[$f]"; grep -E "MISMATCH| infer" "$out/$f.log"; }
    done
} >> "$summary"
