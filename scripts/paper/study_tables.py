#!/usr/bin/env python3
"""study_tables.py — Markdown tables of the studies scripts/paper/run_studies.sh runs (samplers,
supplementary encodings, build-up rows): per setting and T, the Spearman of every task (mean over
its targets of each target's mean over trials, ± the mean over targets of the trial std, as the
suite reports it) and the space means, with the trial count.

Files are DIR/<study>_<setting>_<task>.t<K>.json (one trial each, as run_studies.sh writes them);
a file may hold several samplers and T. Trials of one setting are joined here; a missing
(setting, task) leaves its cell empty and its space mean blank.

Usage: scripts/paper/study_tables.py DIR [--kendall]"""
import glob
import json
import os
import re
import statistics
import sys

TASKS = {"nb201": [f"N{i}" for i in range(6)], "fbnet": [f"F{i}" for i in range(6)]}
NAME = re.compile(r"^(?P<setting>.+)_(?P<task>[NF][0-5])\.t(?P<trial>\d+)\.json$")


def fail(msg):
    print(f"study_tables: {msg}", file=sys.stderr)
    sys.exit(2)


def load(path):
    try:
        with open(path) as f:
            data = json.load(f)
    except (OSError, ValueError) as e:
        fail(f"{path}: cannot read JSON ({e}); give files written by nasflat experiment --json")
    return data if isinstance(data, list) else [data]


def collect(folder):
    """(row label, T) -> task -> device -> list of per-trial Spearman (and Kendall)."""
    cells = {}
    for path in sorted(glob.glob(os.path.join(folder, "*.json"))):
        m = NAME.match(os.path.basename(path))
        if not m:
            continue
        setting, task = m["setting"], m["task"]
        for r in load(path):
            if r["protocol"] != "full":
                continue
            label = setting if setting.startswith("supp_") else f"{setting} / {r['sampler']}"
            if setting == "samplers":
                label = r["sampler"]
            key = (label, r["samples"])
            for d in r["per_device"]:
                slot = cells.setdefault(key, {}).setdefault(task, {}).setdefault(
                    d["device"], ([], []))
                slot[0].extend(d["spearman_trials"])
                slot[1].extend(d["kendall_trials"])
    return cells


def task_cell(devices, which):
    means = [statistics.fmean(v[which]) for v in devices.values()]
    stds = [statistics.pstdev(v[which]) if len(v[which]) > 1 else 0.0 for v in devices.values()]
    trials = min(len(v[which]) for v in devices.values())
    return statistics.fmean(means), statistics.fmean(stds), trials


def fmt(cell):
    mean, std, n = cell
    return f"{mean:.3f} ± {std:.3f} ({n})" if n > 1 else f"{mean:.3f} (1)"


def table(cells, space, which):
    tasks = TASKS[space]
    rows = sorted({k for k in cells if any(t in cells[k] for t in tasks)},
                  key=lambda k: (k[1], list(cells).index(k)))
    if not rows:
        return ""
    lines = ["| setting | T | " + " | ".join(tasks) + " | mean |",
             "|---|---|" + "---|" * (len(tasks) + 1)]
    for label, t in rows:
        per_task = [task_cell(cells[(label, t)][x], which) if x in cells[(label, t)] else None
                    for x in tasks]
        mean = (f"**{statistics.fmean(c[0] for c in per_task):.3f}**"
                if all(per_task) else "")
        lines.append(f"| {label} | {t} | " +
                     " | ".join(fmt(c) if c else "" for c in per_task) + f" | {mean} |")
    return "\n".join(lines) + "\n"


def main():
    args = sys.argv[1:]
    which = 1 if "--kendall" in args else 0
    args = [a for a in args if a != "--kendall"]
    if len(args) != 1:
        fail("usage: study_tables.py DIR [--kendall]")
    if not os.path.isdir(args[0]):
        fail(f"{args[0]}: no such folder; give the --out folder of run_studies.sh")
    cells = collect(args[0])
    if not cells:
        fail(f"{args[0]}: no study results (<study>_<setting>_<task>.t<K>.json)")
    for space in ("nb201", "fbnet"):
        text = table(cells, space, which)
        if text:
            print(f"{space} ({'Kendall' if which else 'Spearman'}, protocol full)\n")
            print(text)


if __name__ == "__main__":
    main()
