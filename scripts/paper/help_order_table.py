#!/usr/bin/env python3
"""help_order_table.py — HELP with first-order Meta-SGD (FO_DIR/help_fo_<task>.json, `nasflat
experiment --predictor help --help-first-order`) against the default second order
(SO_DIR/help_<task>.json, scripts/paper/run_baselines.sh): Spearman, Kendall and wall seconds per
task as a Markdown table, and the mean difference.

Usage: scripts/paper/help_order_table.py FO_DIR SO_DIR"""
import json, sys, os
fo_dir, so_dir = sys.argv[1], sys.argv[2]
rows, d = [], []
print("| task | second order: Spearman / Kendall | first order: Spearman / Kendall | difference | wall s: second / first |")
print("|---|---|---|---|---|")
for t in ["N0", "N1", "N2", "N3", "N4", "N5", "F0", "F1", "F2", "F3", "F4", "F5"]:
    fo_p, so_p = os.path.join(fo_dir, f"help_fo_{t}.json"), os.path.join(so_dir, f"help_{t}.json")
    if not (os.path.exists(fo_p) and os.path.exists(so_p)):
        print(f"| {t} | | | | |"); continue
    fo, so = json.load(open(fo_p)), json.load(open(so_p))
    diff = fo["spearman_mean"] - so["spearman_mean"]; d.append((t, diff))
    print(f"| {t} | {so['spearman_mean']:.3f} / {so['kendall_mean']:.3f} | {fo['spearman_mean']:.3f} / {fo['kendall_mean']:.3f} | {diff:+.3f} | {so['seconds']:.0f} / {fo['seconds']:.0f} |")
if d:
    print(f"\nmean difference {sum(x for _, x in d) / len(d):+.3f} over {len(d)} tasks; first order ahead on {sum(x > 0 for _, x in d)}")
