#!/bin/bash
# HELP with first-order Meta-SGD (--help-first-order) on the 12 tasks, protocol full, T = 20,
# one trial, seed 42, two jobs side by side (one thread each), longest tasks first.
export NASFLAT_DATA=/work/shared/data
cd /work/runs/help_fo
for t in N5 N0 N4 F5 N2 N1 N3 F4 F3 F0 F2 F1; do echo $t; done | xargs -P 2 -I{} sh -c \
  './nasflat experiment --predictor help --help-first-order --task {} --samples 20 --protocol full --trials 1 --first-trial 0 --threads 1 --json help_fo_{}.json > help_fo_{}.log 2>&1 || echo "help_fo {} failed"'
echo done
