#!/bin/bash
# bench_model, FBNet and NB201 CPU rows: before (88db842) and after (SDDMM 4 edges at a time,
# edge softmax with fast_exp), alternating, two rounds.
lscpu | grep -E 'Model name'
for round in 1 2; do
  for v in before after; do
    if [ $v = before ]; then B=/work/oldtree/build/bench/bench_model; else B=/work/main/build-cpu/bench/bench_model; fi
    echo "== $v round $round"
    $B --device cpu --space all --batches 256 --train-batches 128 2>&1 | grep -E 'archs/s'
  done
done
