#!/usr/bin/env python3
"""results_table.py — turns the JSON files of scripts/run_suite.sh into the markdown tables of
docs/results.md: one row per task, our Spearman (mean +- std over trials, averaged over the
task's target devices) per config, the authors' recorded number, trials and wall time.
Usage: scripts/results_table.py DIR [--protocol full] [--samples 20]"""
import argparse
import glob
import json
import os

PAPER = {  # PAPER_RESULTS.md section 1, NASFLAT column (their protocol)
    "N0": 0.959, "N1": 0.967, "N2": 0.857, "N3": 0.962, "N4": 0.959, "N5": 0.893,
    "F0": 0.961, "F1": 0.809, "F2": 0.871, "F3": 0.814, "F4": 0.734, "F5": 0.577,
}
LABEL = {"N0": "ND", "N5": "NA", "F0": "FD", "F5": "FA"}


def load(directory, protocol, samples):
    rows = {}
    for path in sorted(glob.glob(os.path.join(directory, "*.json"))):
        with open(path) as f:
            data = json.load(f)
        for r in data if isinstance(data, list) else [data]:
            if r["protocol"] != protocol or r["samples"] != samples:
                continue
            rows.setdefault(r["task"], {})[r["config"]] = r
    return rows


def cell(r, key="spearman"):
    if r is None:
        return "not run"
    return f"{r[key + '_mean']:.3f} ± {r[key + '_std']:.3f} ({r['trials']})"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("--protocol", default="full")
    ap.add_argument("--samples", type=int, default=20)
    a = ap.parse_args()
    rows = load(a.dir, a.protocol, a.samples)
    print("| task | paper label | reference: Spearman (trials) | fixed: Spearman (trials) | "
          "reference: Kendall | fixed: Kendall | authors' NASFLAT (their protocol) | S | "
          "wall s (ref / fixed) |")
    print("|---|---|---|---|---|---|---|---|---|")
    for task in ["N0", "N1", "N2", "N3", "N4", "N5", "F0", "F1", "F2", "F3", "F4", "F5"]:
        r = rows.get(task, {})
        ref, fix = r.get("reference"), r.get("fixed")
        any_r = ref or fix
        s = any_r["source_samples"] if any_r else "-"
        wall = " / ".join(f"{x['seconds']:.0f}" if x else "-" for x in (ref, fix))
        print(f"| {task} | {LABEL.get(task, task)} | {cell(ref)} | {cell(fix)} | "
              f"{cell(ref, 'kendall')} | {cell(fix, 'kendall')} | {PAPER[task]:.3f} | {s} | {wall} |")


if __name__ == "__main__":
    main()
