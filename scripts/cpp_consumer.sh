#!/usr/bin/env bash
# cpp_consumer.sh — installs nasflat from a build folder into a fresh prefix, builds the consumer
# of examples/cpp/ against that install (find_package(nasflat)), and runs it on the tiny
# predictor of README "Follow one prediction": the installed `nasflat` pre-trains and samples,
# the consumer transfers and ranks three cells.
# Usage: scripts/cpp_consumer.sh [BUILD_DIR]   (default build/; needs the data folder)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
# The steps below run in a temporary folder, so the data folder is found from here first (the
# CLI's own lookup: $NASFLAT_DATA, then ../shared/data, then ./data).
if [ -z "${NASFLAT_DATA:-}" ]; then
    for d in ../shared/data data; do
        if [ -f "$d/manifest.json" ]; then export NASFLAT_DATA="$PWD/$d"; break; fi
    done
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cmake --install "$build" --prefix "$work/prefix" --component library >/dev/null
cmake -S examples/cpp -B "$work/build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
      -DCMAKE_PREFIX_PATH="$work/prefix" >/dev/null
cmake --build "$work/build" >/dev/null
cd "$work"
prefix/bin/nasflat pretrain --space nb201 --devices 1080ti_1,pixel3 --source-samples 30 \
    --epochs 1 --device cpu --out pre.ckpt >/dev/null
prefix/bin/nasflat sample --space nb201 --count 8 --sampler kmeancosine --fill-from pixel2 \
    --seed 3 --out m.json >/dev/null
build/rank_archs pre.ckpt m.json pixel2 10636 0 '|nor_conv_3x3~0|+|none~0|none~1|+|skip_connect~0|nor_conv_3x3~1|avg_pool_3x3~2|'
