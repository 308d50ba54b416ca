#!/bin/bash
# pretrain N0 (NB201, the authors' two-sided scoring) and F2: the pair sides' heads side by side
# (this binary) against e9b3433 (head on one thread), 1 and 2 threads, two rounds.
export NASFLAT_DATA=/work/shared/data
cd /work/runs/scaling
lscpu | grep -E 'Model name'
for round in 1 2; do
  for sp in N0 F2; do
    for b in heads e9b; do
      for t in 1 2; do
        /usr/bin/time -f "pretrain $sp $b threads=$t round=$round wall %e s" ./nasflat_$b pretrain --task $sp --threads $t --out q_${sp}_${b}_t$t.ckpt 2>&1 | grep -E 'wall'
      done
    done
  done
done
