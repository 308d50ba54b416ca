#!/usr/bin/env bash
# gpu_session.sh — one lease of a GPU machine, used fully: the GPU check (bench/gpu_check.sh:
# tests, sanitizer, benchmarks), then as much of the task suite as fits before a deadline, with
# every finished trial saved. Results land in $OUT (gpu_out/ when unset) as three files:
# gpu_summary.txt, logs.tgz (every log) and suite.tgz (the suite's JSON and logs).
# Usage: bench/gpu_session.sh BIN_DIR DATA_DIR SECONDS [FALLBACK_BIN_DIR]
#   BIN_DIR     prebuilt test_kernels, test_models, bench_kernels, bench_model, nasflat
#   SECONDS     wall-clock budget for the whole script; the suite gets what the check leaves
#   FALLBACK    binaries to run the suite with if the GPU tests of BIN_DIR fail
set -uo pipefail
cd "$(dirname "$0")/.."
bin="$1"; data="$2"; budget="$3"; fallback="${4:-}"
start=$(date +%s)
final="${OUT:-$PWD/gpu_out}"  # only three files go there at the end (the tool returns few)
out=/tmp/gpu_session
rm -rf "$out"
mkdir -p "$out" "$final"
export NASFLAT_DATA="$data"

OUT="$out" bash bench/gpu_check.sh --bin "$bin" --quick
suite_bin="$bin"
if ! grep -q "gpu_tests_kernels *rc=0" "$out/gpu_summary.txt" \
   || ! grep -q "gpu_tests_model *rc=0" "$out/gpu_summary.txt"; then
    echo "GPU tests failed: suite runs with ${fallback:-nothing}" | tee -a "$out/gpu_summary.txt"
    suite_bin="$fallback"
fi

# MPS lets the suite's processes share the GPU at once (their kernels are small); without it
# processes time-slice and run slower together than one by one, so fall back to one job.
jobs=1
if [ -n "$suite_bin" ] && command -v nvidia-cuda-mps-control >/dev/null; then
    export CUDA_MPS_PIPE_DIRECTORY=/tmp/mps-pipe CUDA_MPS_LOG_DIRECTORY=/tmp/mps-log
    mkdir -p "$CUDA_MPS_PIPE_DIRECTORY" "$CUDA_MPS_LOG_DIRECTORY"
    if nvidia-cuda-mps-control -d && timeout 60 "$suite_bin/test_kernels" \
            --gtest_filter='*GraphKernels.SegmentSum/Cuda' > "$out/mps_check.log" 2>&1; then
        jobs=10
        echo "MPS on: $jobs suite jobs at a time" | tee -a "$out/gpu_summary.txt"
    else
        echo quit | nvidia-cuda-mps-control 2>/dev/null
        unset CUDA_MPS_PIPE_DIRECTORY CUDA_MPS_LOG_DIRECTORY
        echo "MPS unavailable: 1 suite job at a time" | tee -a "$out/gpu_summary.txt"
    fi
fi

if [ -n "$suite_bin" ]; then
    left=$(( budget - ($(date +%s) - start) - 25 ))
    echo "suite: ${left} s left" | tee -a "$out/gpu_summary.txt"
    mkdir -p "$out/suite"
    # Priority order: fixed (score-once) full, then reference full, then FBNet first128.
    timeout "$left" bash -c "
        scripts/run_suite.sh --bin $suite_bin/nasflat --out $out/suite --jobs $jobs --trials 3 --device cuda \
            --configs 'fixed reference' --protocols full;
        scripts/run_suite.sh --bin $suite_bin/nasflat --out $out/suite --jobs $jobs --trials 3 --device cuda \
            --spaces fbnet --configs 'fixed reference' --protocols first128" \
        > "$out/suite_progress.log" 2>&1
    echo "suite stopped after $(( $(date +%s) - start )) s (rc $?)" | tee -a "$out/gpu_summary.txt"
fi
[ "${jobs}" -gt 1 ] && echo quit | nvidia-cuda-mps-control 2>/dev/null
tar czf "$final/suite.tgz" -C "$out" suite suite_progress.log 2>/dev/null
tar czf "$final/logs.tgz" -C "$out" --exclude suite . 2>/dev/null
cp "$out/gpu_summary.txt" "$final/"
echo "done in $(( $(date +%s) - start )) s"
