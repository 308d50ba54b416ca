#!/usr/bin/env bash
# gpu_session.sh — one lease of a GPU machine, used fully: the GPU check (tests, sanitizer,
# benchmarks, the same benchmarks with the previous binaries and with TF32 for comparison), then
# as many task-suite trials as fit before a deadline, one process per trial, every finished
# trial kept. Results land in $OUT (gpu_out/ when unset) as gpu_summary.txt, logs.tgz and
# suite.tgz; merge the trials with scripts/merge_trials.py.
# Usage: bench/gpu_session.sh BIN_DIR BASE_DIR DATA_DIR SECONDS [JOBS]
#   BIN_DIR   prebuilt test_kernels, test_models, bench_kernels, bench_model, nasflat
#   BASE_DIR  the previous commit's bench_model and nasflat: the baseline timed on the same card,
#             and the suite's binary if the GPU tests of BIN_DIR fail
#   SECONDS   wall-clock budget for the whole script; the suite gets what the check leaves
#   JOBS      suite processes at a time (default 8), sharing the GPU through MPS when present
# DEV=cpu runs the suite on the CPU instead (a dry run of this script on a machine without GPU).
# SUITE_ONLY=1 skips the check and the benchmarks (a short lease after a full one).
# NO_SUITE=1 stops after the benchmarks (a lease for measuring only).
# QUEUE="space:task:config:trial ..." replaces the default job list.
set -uo pipefail
cd "$(dirname "$0")/.."
bin="$1"; base="$2"; data="$3"; budget="$4"; jobs="${5:-8}"
start=$(date +%s)
final="${OUT:-$PWD/gpu_out}"  # only three files go there at the end (the tool returns few)
out=/tmp/gpu_session
rm -rf "$out"
mkdir -p "$out/suite" "$final"
export NASFLAT_DATA="$data"
dev="${DEV:-cuda}"
# Where CUDA libraries may live on a machine with only a driver plus Python wheels.
for d in /usr/local/cuda/lib64 /usr/local/cuda/lib $(ls -d /opt/*/.venv/lib/python3*/site-packages/nvidia/*/lib 2>/dev/null); do
    [ -d "$d" ] && export LD_LIBRARY_PATH="${LD_LIBRARY_PATH:+$LD_LIBRARY_PATH:}$d"
done
summary="$out/gpu_summary.txt"

[ -z "${SUITE_ONLY:-}" ] && OUT="$out" bash bench/gpu_check.sh --bin "$bin" --quick --no-sweep
touch "$summary"
extra() {  # extra NAME LIMIT COMMAND...: a benchmark beside the check's, into the summary
    local name="$1" limit="$2"; shift 2
    local t0=$(date +%s)
    timeout "$limit" "$@" > "$out/$name.log" 2>&1
    printf "%-28s rc=%-3s %6d s\n" "$name" "$?" $(( $(date +%s) - t0 )) | tee -a "$summary"
}
[ -z "${SUITE_ONLY:-}" ] && {
extra base_bench_model_nb201 60 "$base/bench_model" --device cuda --space nb201 --quick \
    --batches 256,4096,32768 --train-batches 128,4096
extra base_bench_model_fbnet 60 "$base/bench_model" --device cuda --space fbnet --quick \
    --batches 256,4096,32768 --train-batches 128,4096
extra tf32_bench_model 90 "$bin/bench_model" --device cuda --tf32 --quick \
    --batches 4096,32768,262144 --train-batches 4096
{
    for f in base_bench_model_nb201 base_bench_model_fbnet tf32_bench_model; do
        echo "--- $f ---"
        grep -E "validate|infer|train|tf32|timing" "$out/$f.log"
    done
} >> "$summary"
}

if [ -n "${NO_SUITE:-}" ]; then
    tar czf "$final/logs.tgz" -C "$out" . 2>/dev/null
    cp "$summary" "$final/"
    echo "done in $(( $(date +%s) - start )) s (no suite)"
    exit 0
fi

suite_bin="$bin"
if [ -z "${SUITE_ONLY:-}" ] && { ! grep -q "gpu_tests_kernels *rc=0" "$summary" \
        || ! grep -q "gpu_tests_model *rc=0" "$summary"; }; then
    echo "GPU tests failed: the suite runs with $base" | tee -a "$summary"
    suite_bin="$base"
fi

# MPS lets the suite's processes run kernels side by side; without it they time-slice.
mps=""
if [ "$dev" = cuda ] && command -v nvidia-cuda-mps-control >/dev/null; then
    export CUDA_MPS_PIPE_DIRECTORY=/tmp/mps-pipe CUDA_MPS_LOG_DIRECTORY=/tmp/mps-log
    mkdir -p "$CUDA_MPS_PIPE_DIRECTORY" "$CUDA_MPS_LOG_DIRECTORY"
    if nvidia-cuda-mps-control -d && timeout 60 "$bin/test_kernels" \
            --gtest_filter='*GraphKernels.SegmentSum/Cuda' > "$out/mps_check.log" 2>&1 \
            && ! grep -q SKIPPED "$out/mps_check.log"; then
        mps=1
    else
        echo quit | nvidia-cuda-mps-control 2>/dev/null
        unset CUDA_MPS_PIPE_DIRECTORY CUDA_MPS_LOG_DIRECTORY
        jobs=1
    fi
fi
echo "suite: $jobs jobs at a time, MPS ${mps:-off}, binary $suite_bin" | tee -a "$summary"

# One trial per process, each scoring full and first128 (merge with scripts/merge_suite.sh).
list="$out/jobs.txt"
: > "$list"
job() {  # job SPACE TASK CONFIG TRIAL
    local name="${1}_${2}_${3}_t$4"
    local args="--space $1 --task $2 --samples 20 --trials 1 --first-trial $4 --config $3 \
--protocol full first128 --device $dev"
    [ "$3" = fixed ] && args="$args --score-once"
    echo "$suite_bin/nasflat experiment $args --json $out/suite/$name.json > $out/suite/$name.log 2>&1; \
echo \"\$(date +%T) $name rc=\$?\"" >> "$list"
}
if [ -n "${QUEUE:-}" ]; then
    for q in $QUEUE; do IFS=: read -r sp tk cf tr <<< "$q"; job "$sp" "$tk" "$cf" "$tr"; done
else
# The suite is complete (docs/results.md); by default the GPU repeats three trials that ran on
# the CPU, to show how far float rounding on another device moves a trial's Spearman.
for q in nb201:1:reference:2 fbnet:2:reference:2 fbnet:5:reference:1; do
    IFS=: read -r sp tk cf tr <<< "$q"; job "$sp" "$tk" "$cf" "$tr"
done
fi

# Every 30 s the finished trials are packed into $final, so a lease cut short still returns them.
( while sleep 30; do
      tar czf "$final/suite.tgz.part" -C "$out" suite suite_progress.log jobs.txt 2>/dev/null \
          && mv "$final/suite.tgz.part" "$final/suite.tgz"
      cp "$summary" "$final/"
  done ) &
saver=$!
left=$(( budget - ($(date +%s) - start) - 20 ))
echo "suite: $(wc -l < "$list") jobs queued, ${left} s left" | tee -a "$summary"
tr '\n' '\0' < "$list" | timeout "$left" xargs -0 -P "$jobs" -I{} bash -c "{}" \
    > "$out/suite_progress.log" 2>&1
pkill -9 -f "nasflat experiment" 2>/dev/null
kill "$saver" 2>/dev/null
sleep 1
echo "suite stopped after $(( $(date +%s) - start )) s; finished: $(ls "$out"/suite/*.json 2>/dev/null | wc -l) trials" \
    | tee -a "$summary"
[ -n "$mps" ] && timeout 10 bash -c "echo quit | nvidia-cuda-mps-control"
tar czf "$final/suite.tgz" -C "$out" suite suite_progress.log jobs.txt 2>/dev/null
tar czf "$final/logs.tgz" -C "$out" --exclude suite . 2>/dev/null
cp "$summary" "$final/"
echo "done in $(( $(date +%s) - start )) s"
