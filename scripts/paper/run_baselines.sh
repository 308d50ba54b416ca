#!/usr/bin/env bash
# run_baselines.sh — the HELP and MultiPredict baselines on the task suite: one
# `nasflat experiment --predictor P --task K` per (predictor, task), N at a time (one CPU thread
# each), protocol full (or --protocol P), T = 20, each writing OUT/<predictor>_<task>.json and
# .log. Jobs run in the order given (predictors alternate within a task), so a stopped run
# leaves whole pairs; finished cells (a non-empty JSON) are skipped.
# Usage: scripts/paper/run_baselines.sh [--bin PATH] [--out DIR] [--jobs N] [--trials N]
#            [--first-trial K] [--tasks "N0 N1 ... F5"] [--predictors "help multipredict"]
#            [--protocol full|aliasing]
# Tabulate with scripts/paper/baselines_table.py OUT NASFLAT_DIR.
set -uo pipefail
cd "$(dirname "$0")/../.."

bin=build/nas/cli/nasflat
out=baseline_runs
jobs=2
trials=1
first_trial=0
tasks="N0 N1 N2 N3 N4 N5 F0 F1 F2 F3 F4 F5"
predictors="help multipredict"
protocol=full
while [ $# -gt 0 ]; do
    case "$1" in
        --bin) bin="$2" ;;
        --out) out="$2" ;;
        --jobs) jobs="$2" ;;
        --trials) trials="$2" ;;
        --first-trial) first_trial="$2" ;;
        --tasks) tasks="$2" ;;
        --predictors) predictors="$2" ;;
        --protocol) protocol="$2" ;;
        *) echo "run_baselines: unknown argument $1 (see the header of $0)" >&2; exit 2 ;;
    esac
    shift 2
done
[ -x "$bin" ] || { echo "run_baselines: no binary at $bin; fix: build it or pass --bin" >&2; exit 2; }
mkdir -p "$out"
for task in $tasks; do
    for p in $predictors; do
        echo "$p $task"
    done
done | xargs -P "$jobs" -L 1 sh -c '
    p=$0; task=$1
    [ -s "'"$out"'/${p}_${task}.json" ] && exit 0
    "'"$bin"'" experiment --predictor "$p" --task "$task" --samples 20 --protocol '"$protocol"' \
        --trials '"$trials"' --first-trial '"$first_trial"' --threads 1 \
        --json "'"$out"'/${p}_${task}.json" > "'"$out"'/${p}_${task}.log" 2>&1 \
        || echo "run_baselines: $p $task failed (see '"$out"'/${p}_${task}.log)" >&2'
echo "results in $out"
