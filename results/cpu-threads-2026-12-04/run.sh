#!/bin/bash
# scaling: pretrain and experiment at 1 and 2 threads (new binary, sharded batches) and the
# previous binary (5e7ddd4, pre-training on one thread) at 2 threads.
export NASFLAT_DATA=/work/shared/data
cd /work/runs/scaling
lscpu | grep -E 'Model name|^CPU\(s\)'
for round in 1 2; do
  for sp in N0 F2; do
    for t in 1 2; do
      /usr/bin/time -f "pretrain $sp threads=$t round=$round wall %e s" ./nasflat_new pretrain --task $sp --threads $t --out p_${sp}_t$t.ckpt 2>&1 | grep -E 'wall|\[pretrain'
    done
    /usr/bin/time -f "pretrain $sp old round=$round wall %e s" /work/runs/nasflat4 pretrain --task $sp --out p_${sp}_old.ckpt 2>&1 | grep -E 'wall|\[pretrain'
  done
done
for sp in N1 F2; do
  for t in 1 2; do
    /usr/bin/time -f "experiment $sp threads=$t wall %e s" ./nasflat_new experiment --recipe practitioner --task $sp --samples 20 --trials 1 --threads $t --json x_${sp}_t$t.json > x_${sp}_t$t.log 2>&1; tail -1 x_${sp}_t$t.log
  done
  /usr/bin/time -f "experiment $sp old threads=2 wall %e s" /work/runs/nasflat4 experiment --recipe practitioner --task $sp --samples 20 --trials 1 --threads 2 --json x_${sp}_old.json > x_${sp}_old.log 2>&1; tail -1 x_${sp}_old.log
done
