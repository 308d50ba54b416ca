#!/bin/bash
# The same tree (the change of run.sh) built at -march=native (AVX-512 here) and -march=x86-64-v3
# (AVX2 + FMA: what an AVX2-only processor runs): bench_model's CPU rows, alternating, three
# rounds, one thread. NATIVE and V3: folders holding each build's bench_model.
lscpu | grep -E 'Model name'
for round in 1 2 3; do
  for v in native v3; do
    if [ $v = native ]; then D=$NATIVE; else D=$V3; fi
    echo "== $v round $round"
    $D/bench_model --device cpu --space all --batches 256 --train-batches 128 2>&1 | grep -E 'archs/s'
  done
done
