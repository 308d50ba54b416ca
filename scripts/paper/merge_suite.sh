#!/usr/bin/env bash
# merge_suite.sh — joins the task suite's results from several runs into one file per
# (space, task, config): OUT/<space>_<task>_<config>.json, via scripts/paper/merge_trials.py.
# A run folder may hold whole runs (<space>_<task>_<config>_{full,first128}.json, as
# run_suite.sh writes) and single trials (<space>_<task>_<config>_t<k>.json: `nasflat experiment
# --trials 1 --first-trial k` runs); results are merged per (protocol, T).
# Usage: scripts/paper/merge_suite.sh OUT RUN_DIR [RUN_DIR ...]
# Tabulate afterwards with scripts/paper/results_table.py OUT [--protocol first128].
set -euo pipefail
cd "$(dirname "$0")/../.."
[ $# -ge 2 ] || { echo "usage: scripts/paper/merge_suite.sh OUT RUN_DIR [RUN_DIR ...]" >&2; exit 2; }
out="$1"; shift
mkdir -p "$out"
for space in nb201 fbnet; do
    for task in 0 1 2 3 4 5; do
        for config in reference fixed; do
            pieces=()
            for dir in "$@"; do
                for f in "$dir/${space}_${task}_${config}"_{full,first128}.json \
                         "$dir/${space}_${task}_${config}"_t*.json; do
                    [ -f "$f" ] && pieces+=("$f")
                done
            done
            [ ${#pieces[@]} -gt 0 ] || continue
            python3 scripts/paper/merge_trials.py "$out/${space}_${task}_${config}.json" "${pieces[@]}"
        done
    done
done
