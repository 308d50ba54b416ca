#!/bin/bash
# bench_model (all CPU rows) and bench_kernels' GEMM rows: before (a581f89, Eigen's AVX-512
# GEMM in the -march=native build) and after (the same build takes Eigen's AVX2 GEMM on Zen 4),
# and the -march=x86-64-v3 build of the after tree; alternating, three rounds, one thread.
# BEFORE, AFTER, V3: folders holding each version's bench_model and bench_kernels.
lscpu | grep -E 'Model name'
grep -m1 'cpu family' /proc/cpuinfo
for round in 1 2 3; do
  for v in before after v3; do
    case $v in before) D=$BEFORE ;; after) D=$AFTER ;; v3) D=$V3 ;; esac
    echo "== $v round $round"
    $D/bench_model --device cpu --space all --batches 256 --train-batches 128 2>&1 | grep -E 'archs/s'
    $D/bench_kernels --device cpu --quick 2>&1 | grep -E '^gemm'
  done
done
