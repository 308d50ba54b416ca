#!/usr/bin/env bash
# nas_table.sh — the authors' latency-constrained NB201 NAS setting (their pareto_analysis.py):
# devices eyeriss, fpga, gold_6226, pixel2, titan_rtx_256 with the constraints NASFLAT's
# pareto_analysis.py attaches to HELP's points; 20 random target samples; 5 repeats. Two
# predictors per repeat:
#   pretrained  `nasflat pretrain --task ND` (HELP's nine meta-training devices; none of the five
#               targets), then `transfer` on the 20 samples;
#   scratch     the authors' NAS predictor: no pre-training, trained on the 20 samples only.
# Each searches all 15625 cells (`nasflat search`, accuracy cifar10_valid_200ep) and is scored
# with the device's measured latency. Tabulate with scripts/paper/nas_table.py OUT.
# Usage: scripts/paper/nas_table.sh [OUT_DIR] [REPEATS]   (needs build/nas/cli/nasflat)
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${1:-nas_runs}
repeats=${2:-5}
bin=build/nas/cli/nasflat
mkdir -p "$out"
[ -f "$out/pretrained.ckpt" ] || $bin pretrain --space nb201 --task ND --score-once \
    --out "$out/pretrained.ckpt"
[ -f "$out/scratch.ckpt" ] || $bin pretrain --space nb201 --task ND --source-samples 0 \
    --out "$out/scratch.ckpt"
while read -r device limits; do
    for rep in $(seq 1 "$repeats"); do
        $bin sample --space nb201 --count 20 --sampler random --seed "$rep" \
            --fill-from "$device" --out "$out/${device}_$rep.json" >/dev/null
        for kind in pretrained scratch; do
            $bin transfer --checkpoint "$out/$kind.ckpt" --measurements "$out/${device}_$rep.json" \
                --name "$device" --folds 0 --seed "$rep" --out "$out/tmp.ckpt" >/dev/null 2>&1
            # shellcheck disable=SC2086
            $bin search --checkpoint "$out/tmp.ckpt" --latency-max $limits \
                --json "$out/search_${kind}_${device}_$rep.json" >/dev/null
        done
        echo "$device repeat $rep done" >&2
    done
done <<'DEVICES'
eyeriss 5 7 9
fpga 5 6 7
gold_6226 8 11 14
pixel2 18 21 25
titan_rtx_256 18 21 25
DEVICES
rm -f "$out/tmp.ckpt"
python3 scripts/paper/nas_table.py "$out"
