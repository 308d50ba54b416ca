#!/usr/bin/env python3
"""study_tables.py — Markdown tables of the studies scripts/paper/run_studies.sh runs (samplers,
supplementary encodings, build-up rows): per setting and T, the Spearman of every task (mean over
its targets of each target's mean over trials, ± the mean over targets of the trial std, as the
suite reports it) and the space means, with the trial count.

Files are DIR/<study>_<setting>_<task>.t<K>.json (one trial each, as run_studies.sh writes them);
a file may hold several samplers and T. Trials of one setting are joined here; a missing
(setting, task) leaves its cell empty and its space mean blank. Beside each row, where the
paper has it, the authors' task mean (their protocol, PAPER_RESULTS.md 2c-2e).

Usage: scripts/paper/study_tables.py DIR [--kendall]"""
import glob
import json
import os
import re
import statistics
import sys

TASKS = {"nb201": [f"N{i}" for i in range(6)], "fbnet": [f"F{i}" for i in range(6)]}
# The authors' task means (mean over the six tasks of their table cells), their protocol:
# reference/PAPER_RESULTS.md 2c (samplers, T 5 and 20), 2d (supplementary encodings, T 10 and
# 20) and 2e (build-up rows, T 20; NB201 at S = 16 with the CATE sampler, FBNet at S = 200).
PAPER = {
    "nb201": {
        ("random", 5): .742, ("params", 5): .749, ("kmeancosine:arch2vec", 5): .732,
        ("kmeancosine:cate", 5): .758, ("kmeancosine:zcp", 5): .761,
        ("kmeancosine:caz", 5): .741, ("latency", 5): .757,
        ("random", 20): .834, ("params", 20): .845, ("kmeancosine:arch2vec", 20): .854,
        ("kmeancosine:cate", 20): .825, ("kmeancosine:zcp", 20): .833,
        ("kmeancosine:caz", 20): .831, ("latency", 20): .853,
        ("supp_none", 10): .727, ("supp_arch2vec", 10): .732, ("supp_cate", 10): .733,
        ("supp_zcp", 10): .734, ("supp_caz", 10): .721,
        ("supp_none", 20): .775, ("supp_arch2vec", 20): .781, ("supp_cate", 20): .781,
        ("supp_zcp", 20): .788, ("supp_caz", 20): .774,
        ("buildup_gin / random", 20): .938, ("buildup_transfer / random", 20): .941,
        ("buildup_ophw / random", 20): .934, ("buildup_ophw / kmeancosine:caz", 20): .930,
    },
    "fbnet": {
        ("random", 5): .666, ("params", 5): .675, ("kmeancosine:arch2vec", 5): .620,
        ("kmeancosine:cate", 5): .284, ("kmeancosine:zcp", 5): .603,
        ("kmeancosine:caz", 5): .663, ("latency", 5): .687,
        ("random", 20): .740, ("params", 20): .735, ("kmeancosine:arch2vec", 20): .713,
        ("kmeancosine:cate", 20): .297, ("kmeancosine:zcp", 20): .714,
        ("kmeancosine:caz", 20): .709, ("latency", 20): .754,
        ("supp_none", 10): .562, ("supp_arch2vec", 10): .611, ("supp_cate", 10): .567,
        ("supp_zcp", 10): .573, ("supp_caz", 10): .554,
        ("supp_none", 20): .684, ("supp_arch2vec", 20): .743, ("supp_cate", 20): .713,
        ("supp_zcp", 20): .730, ("supp_caz", 20): .710,
        ("buildup_gin / random", 20): .723, ("buildup_transfer / random", 20): .731,
        ("buildup_ophw / random", 20): .729, ("buildup_ophw / kmeancosine:caz", 20): .624,
        # the FBNet headline row (S = 800, CAZ sampler, + ZCP)
        ("buildup_supp_zcp / kmeancosine:caz", 20): .794,
    },
}

# Row names of the build-up (the paper's 2e rows) and of the supplementary-encoding study.
LABELS = {
    "buildup_gin / random": "GIN: device embedding to the head",
    "buildup_transfer / random": "+ TransferEmb (row from the best source)",
    "buildup_ophw / random": "+ Op-HWEmb (device gates at the nodes)",
    "buildup_ophw / kmeancosine:caz": "+ Sampler (CAZ)",
    "buildup_supp_zcp / kmeancosine:caz": "+ Supplementary encoding (ZCP)",
    "supp_none": "none", "supp_flops": "+ FLOPs", "supp_arch2vec": "+ arch2vec",
    "supp_cate": "+ CATE", "supp_zcp": "+ ZCP", "supp_caz": "+ CAZ",
}

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
    order = list(LABELS)  # build-up and encoding rows in their order, the rest as they came
    rows = sorted({k for k in cells if any(t in cells[k] for t in tasks)},
                  key=lambda k: (k[1], order.index(k[0]) if k[0] in order else len(order),
                                 list(cells).index(k)))
    if not rows:
        return ""
    lines = ["| setting | T | " + " | ".join(tasks) + " | mean | authors' mean |",
             "|---|---|" + "---|" * (len(tasks) + 2)]
    for label, t in rows:
        per_task = [task_cell(cells[(label, t)][x], which) if x in cells[(label, t)] else None
                    for x in tasks]
        mean = (f"**{statistics.fmean(c[0] for c in per_task):.3f}**"
                if all(per_task) else "")
        paper = PAPER[space].get((label, t))
        lines.append(f"| {LABELS.get(label, label)} | {t} | " +
                     " | ".join(fmt(c) if c else "" for c in per_task) + f" | {mean} | " +
                     (f"{paper:.3f}" if paper is not None else "") + " |")
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
