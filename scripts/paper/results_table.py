#!/usr/bin/env python3
"""results_table.py — turns the JSON files of scripts/paper/run_suite.sh into the markdown tables of
docs/results.md: one row per task, our Spearman (mean +- std over trials, averaged over the
task's target devices) per config, the authors' recorded number (from `nasflat tasks --json`,
the one place it is kept), trials and wall time.
Usage: scripts/paper/results_table.py DIR [--protocol full] [--samples 20] [--bin NASFLAT] [--data DIR]"""
import argparse
import glob
import json
import os
import subprocess


def tasks(binary, data):
    """Paper label and the authors' Spearman of every task, as the nasflat binary knows them."""
    cmd = [binary, "tasks", "--json"] + (["--data", data] if data else [])
    out = json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout)
    return {t["name"]: t for t in out}


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
    ap.add_argument("--bin", default="build/nas/cli/nasflat")
    ap.add_argument("--data", default=None, help="data folder (default: nasflat's own lookup)")
    a = ap.parse_args()
    rows = load(a.dir, a.protocol, a.samples)
    known = tasks(a.bin, a.data)
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
        t = known[task]
        print(f"| {task} | {t['paper_label']} | {cell(ref)} | {cell(fix)} | "
              f"{cell(ref, 'kendall')} | {cell(fix, 'kendall')} | {t['authors_spearman']:.3f} | "
              f"{s} | {wall} |")


if __name__ == "__main__":
    main()
