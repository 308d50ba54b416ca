#!/bin/bash
# bench_model, all CPU rows, and bench_kernels' graph and layer-norm rows: before (1a514eb) and after (SDDMM
# eight edges at a time, lanes reduced by a shuffle tree; edge softmax max and sum in four partials;
# lane_sum by a halving tree), alternating, two rounds; -march=native,
# one thread, the machine's background jobs stopped (SIGSTOP) while it ran.
lscpu | grep -E 'Model name'
for round in 1 2; do
  for v in before after; do
    if [ $v = before ]; then D=/work/oldtree/build/bench; else D=/work/main/build-cpu/bench; fi
    echo "== $v round $round"
    $D/bench_model --device cpu --space all --batches 256 --train-batches 128 2>&1 | grep -E 'archs/s'
    $D/bench_kernels --device cpu --quick 2>&1 | grep -E '^(sddmm|layer_norm|edge_softmax)'
  done
done
