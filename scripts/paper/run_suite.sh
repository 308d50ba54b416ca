#!/usr/bin/env bash
# run_suite.sh — the NASFLAT task suite: one `nasflat experiment` per (space, task, config,
# protocol), run N at a time, each writing OUT/<space>_<task>_<config>_<protocol>.json and .log.
# Usage: scripts/paper/run_suite.sh [--bin PATH] [--out DIR] [--jobs N] [--trials N] [--device D]
#            [--spaces "nb201 fbnet"] [--tasks "0 1 2 3 4 5"] [--configs "reference fixed"]
#            [--protocols "full"] [--samples 20] [--ref-args "..."] [--fixed-args "..."]
# --ref-args / --fixed-args are extra flags for the reference / fixed jobs (e.g. --score-once).
# On one GPU, several jobs run side by side only under MPS (start it first with
# `nvidia-cuda-mps-control -d`); without it they time-slice and gain nothing.
# Tabulate afterwards with scripts/paper/results_table.py OUT.
set -uo pipefail
cd "$(dirname "$0")/../.."

bin=build/nas/cli/nasflat
out=suite_runs
jobs=2
trials=3
device=auto
spaces="nb201 fbnet"
tasks="0 1 2 3 4 5"
configs="reference fixed"
protocols="full"
samples=20
ref_args=""
fixed_args="--score-once"
while [ $# -gt 0 ]; do
    case "$1" in
        --bin) bin="$2" ;;
        --out) out="$2" ;;
        --jobs) jobs="$2" ;;
        --trials) trials="$2" ;;
        --device) device="$2" ;;
        --spaces) spaces="$2" ;;
        --tasks) tasks="$2" ;;
        --configs) configs="$2" ;;
        --protocols) protocols="$2" ;;
        --samples) samples="$2" ;;
        --ref-args) ref_args="$2" ;;
        --fixed-args) fixed_args="$2" ;;
        *) echo "run_suite: unknown argument $1" >&2; exit 2 ;;
    esac
    shift 2
done
mkdir -p "$out"

# One line per job: the command; xargs runs them `jobs` at a time.
list=$(mktemp)
for protocol in $protocols; do
    for config in $configs; do
        for space in $spaces; do
            for task in $tasks; do
                name="${space}_${task}_${config}_${protocol}"
                [ -s "$out/$name.json" ] && continue  # done in an earlier run
                extra=$([ "$config" = reference ] && echo "$ref_args" || echo "$fixed_args")
                echo "$bin experiment --space $space --task $task --samples $samples" \
                     "--trials $trials --config $config --protocol $protocol --device $device" \
                     "$extra --json $out/$name.json > $out/$name.log 2>&1" \
                     "; echo \"\$(date +%T) $name rc=\$?\"" >> "$list"
            done
        done
    done
done
echo "run_suite: $(wc -l < "$list") jobs, $jobs at a time, output in $out"
tr '\n' '\0' < "$list" | xargs -0 -P "$jobs" -I{} bash -c "{}"
rm -f "$list"
