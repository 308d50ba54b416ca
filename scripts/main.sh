#!/usr/bin/env bash
# main.sh — set up, build and run the main job: a real, reduced NASFLAT experiment on task F2
# (FBNet: pre-train on 5 source devices, transfer to 5 target devices from 20 samples each,
# score on every other architecture of each target), printed beside the authors' number.
# Reduced from the full protocol only in size: 100 pre-training archs per source device and
# 30 epochs instead of 800 and 150, one trial. Takes a few minutes on a 2-core CPU.
# Usage: scripts/main.sh [extra nasflat experiment flags]
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j "$(nproc)" --target nasflat
exec build/nas/cli/nasflat experiment --space fbnet --task 2 --samples 20 --trials 1 \
    --source-samples 100 --epochs 30 --config fixed --score-once --seed 42 "$@"
