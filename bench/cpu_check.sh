#!/usr/bin/env bash
# cpu_check.sh — the CPU speed table of docs/performance.md on the machine at hand, one thread:
#   1. builds bench_model for -march=native and -march=x86-64-v3 (AVX2, the portable level),
#      CPU only, in build-bench-native/ and build-bench-v3/;
#   2. runs them alternately, --rounds times (the VM wanders: compare within a round), each
#      row with the GEMM rate inside the same run and "model/gemm" (bench/gemm_meter.h);
#   3. with --authors-repo DIR, the authors' PyTorch model on the same work
#      (bench/bench_torch_reference.py; needs python3 with torch: Debian's python3-torch),
#      alternating with ours in each round;
#   4. everything into OUT (default results/cpu-check-<date>), with lscpu and the commit.
# Usage: bench/cpu_check.sh [--rounds N] [--authors-repo DIR] [--out DIR] [--python PY]
set -euo pipefail
cd "$(dirname "$0")/.."

rounds=3
authors=""
out="results/cpu-check-$(date +%Y-%m-%d)"
python=/usr/bin/python3
while [ $# -gt 0 ]; do
    case "$1" in
        --rounds) rounds="$2"; shift 2 ;;
        --authors-repo) authors="$2"; shift 2 ;;
        --out) out="$2"; shift 2 ;;
        --python) python="$2"; shift 2 ;;
        *) echo "cpu_check: unknown argument $1 (see the header of $0)" >&2; exit 2 ;;
    esac
done
mkdir -p "$out"
lscpu > "$out/lscpu.txt"
git rev-parse HEAD > "$out/commit.txt"

for level in native x86-64-v3; do
    dir=build-bench-${level#x86-64-}
    cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=Release -DNASFLAT_CUDA=OFF \
          -DNASFLAT_MARCH="$level" >/dev/null
    cmake --build "$dir" --target bench_model >/dev/null
done

export OMP_NUM_THREADS=1
for r in $(seq 1 "$rounds"); do
    for level in native v3; do
        echo "== round $r, -march=$level" | tee -a "$out/bench_model_$level.log"
        build-bench-$level/bench/bench_model --device cpu --space all --batches 256 \
            --train-batches 128 | grep -v '^validate' | tee -a "$out/bench_model_$level.log"
    done
    if [ -n "$authors" ]; then
        echo "== round $r, PyTorch" | tee -a "$out/torch.log"
        "$python" bench/bench_torch_reference.py --authors-repo "$authors" --threads 1 \
            --reps 5 2>/dev/null | tee -a "$out/torch.log"
    fi
done
echo "logs in $out"
