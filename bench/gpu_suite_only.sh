#!/usr/bin/env bash
# gpu_suite_only.sh — the task-suite half of bench/gpu_session.sh, for a lease whose GPU check
# already ran: MPS on, the suite's jobs 10 at a time until BUDGET seconds, every finished trial
# kept, results packed into $OUT/suite.tgz before MPS is stopped.
# Usage: [DEV=cuda] [BUDGET=430] bench/gpu_suite_only.sh      (binaries in .gpu/bin, data .gpu/data)
set -u
cd "$(dirname "$0")/.."
export NASFLAT_DATA=$PWD/.gpu/data CUDA_MPS_PIPE_DIRECTORY=/tmp/mps-pipe CUDA_MPS_LOG_DIRECTORY=/tmp/mps-log
mkdir -p "$CUDA_MPS_PIPE_DIRECTORY" "$CUDA_MPS_LOG_DIRECTORY" /tmp/gs/suite
DEV=${DEV:-cuda}
[ "$DEV" = cuda ] && nvidia-cuda-mps-control -d
timeout "${BUDGET:-430}" bash -c "scripts/run_suite.sh --bin .gpu/bin/nasflat --out /tmp/gs/suite \
    --jobs 10 --trials 3 --device $DEV --configs 'fixed reference' --protocols full; \
  scripts/run_suite.sh --bin .gpu/bin/nasflat --out /tmp/gs/suite --jobs 10 --trials 3 \
    --device $DEV --spaces fbnet --configs 'fixed reference' --protocols first128" \
    > /tmp/gs/suite_progress.log 2>&1
pkill -9 -f "nasflat experiment" 2>/dev/null
sleep 1
tar czf "${OUT:-/tmp}/suite.tgz" -C /tmp/gs suite suite_progress.log
[ "$DEV" = cuda ] && timeout 10 bash -c "echo quit | nvidia-cuda-mps-control"
grep -h "trial\|wall" /tmp/gs/suite/*.log | grep -v transfer | head -60
