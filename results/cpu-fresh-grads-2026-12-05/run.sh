#!/bin/bash
# bench_model, all CPU rows, and bench_kernels' gated-residual rows: before (2c8e307) and after
# (gated_residual and average backward in one pass with the column sums; the forward keeps the
# gate for the backward; first gradients assigned instead of zero-filled and added: matmul,
# spmm, sddmm, gated_residual, average), alternating, three rounds; -march=native, one thread.
# BEFORE and AFTER: folders holding each version's bench_model and bench_kernels.
lscpu | grep -E 'Model name'
for round in 1 2 3; do
  for v in before after; do
    if [ $v = before ]; then D=$BEFORE; else D=$AFTER; fi
    echo "== $v round $round"
    $D/bench_model --device cpu --space all --batches 256 --train-batches 128 2>&1 | grep -E 'archs/s'
    $D/bench_kernels --device cpu --quick 2>&1 | grep -E '^gated_residual'
  done
done
