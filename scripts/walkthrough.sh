#!/usr/bin/env bash
# walkthrough.sh — the practitioner's loop of the README on a device of the data folder treated
# as new (default NB201 pixel2, a target of task ND that no source device of ND is):
#   1. pre-train on every other device of the data folder with the practitioner recipe
#      (pixel2's file is not read; it has no sibling at another batch size or precision),
#   2. choose 20 architectures to measure, and "measure" them by copying pixel2's values
#      (--fill-from: the only step that reads pixel2, standing in for a real measurement),
#   3. transfer: fit the predictor to those 20 measurements (cross-validated report, plot),
#   4. predict every architecture, compared with pixel2's file (the held-out truth),
#   5. search the fastest-constrained most accurate cell.
# Usage: scripts/walkthrough.sh [OUT_DIR] [DEVICE]   (needs build/nas/cli/nasflat)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-walkthrough}
device=${2:-pixel2}
bin=build/nas/cli/nasflat
mkdir -p "$out"
set -x
$bin pretrain --space nb201 --exclude "$device" --out "$out/pre.ckpt"
$bin sample --space nb201 --count 20 --sampler kmeancosine --fill-from "$device" \
    --out "$out/${device}_20.json"
$bin transfer --checkpoint "$out/pre.ckpt" --measurements "$out/${device}_20.json" \
    --name "$device" --out "$out/$device.ckpt" --plot "$out/transfer.svg"
$bin predict --checkpoint "$out/$device.ckpt" --all --out "$out/${device}_all.csv" \
    --truth "$device" --plot "$out/predict.svg"
$bin search --checkpoint "$out/$device.ckpt" --latency-max 14 18 22
