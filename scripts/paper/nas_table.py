#!/usr/bin/env python3
"""nas_table.py — tabulates scripts/paper/nas_table.sh's search JSONs as a Markdown table: per device
and latency limit, for each predictor the mean true latency and accuracy of the chosen cell
over the repeats, how many choices broke the limit in truth, and the mean regret against the
true optimum; beside them the true optimum and the HELP / BRP-NAS points that NASFLAT's
pareto_analysis.py hard-codes (the paper's NAS table; their accuracy is another column,
see docs/nas.md).
Usage: scripts/paper/nas_table.py OUT_DIR"""
import glob
import json
import os
import statistics
import sys

# (latency ms, accuracy %) in constraint order; source: the paper's NAS table.
HELP = {"eyeriss": [(4.1, 69.8), (5.5, 71.9), (9.1, 73.5)],
        "fpga": [(4.7, 71.8), (5.9, 72.4), (7.4, 73.5)],
        "gold_6226": [(7.7, 66.6), (11.0, 70.6), (13.9, 72.1)],
        "pixel2": [(13, 67.4), (19, 70.6), (34, 73.5)],
        "titan_rtx_256": [(18, 69.3), (19, 71.6), (25, 71.8)]}
BRP = {"eyeriss": [(4.7, 71.7), (9.1, 73.5), (9.1, 73.5)],
       "fpga": [(7.2, 73.4), (7.4, 73.5), (7.4, 73.5)],
       "gold_6226": [(8.7, 68.2), (9.5, 66.9), (17.0, 73.5)],
       "pixel2": [(14, 66.9), (34, 73.5), (34, 73.5)],
       "titan_rtx_256": [(19, 71.5), (21, 67.0), (23, 70.7)]}
DEVICES = ["eyeriss", "fpga", "gold_6226", "pixel2", "titan_rtx_256"]


def load(out, kind, device):
    runs = []
    for path in sorted(glob.glob(os.path.join(out, f"search_{kind}_{device}_*.json"))):
        with open(path) as f:
            runs.append(json.load(f)["choices"])
    return runs


TOTALS = {}


def cell(runs, i, kind):
    """'mean true ms / mean acc (k/n over)' and the mean regret of the choices that keep the
    limit in truth, for limit i over the runs; totals per predictor go to TOTALS."""
    picks = [r[i] for r in runs if r[i]["arch_index"] is not None]
    if not picks:
        return "none", "-"
    ms = statistics.mean(p["true_ms"] for p in picks)
    acc = statistics.mean(p["objective"] for p in picks)
    kept = [p for p in picks if p["within_limit_in_truth"]]
    broke = len(picks) - len(kept)
    t = TOTALS.setdefault(kind, {"choices": 0, "over": 0, "regret": []})
    t["choices"] += len(picks)
    t["over"] += broke
    t["regret"] += [p["regret"] for p in kept]
    regret = f"{statistics.mean(p['regret'] for p in kept):.2f}" if kept else "-"
    return f"{ms:.1f} / {acc:.2f} ({broke}/{len(picks)} over)", regret


def main():
    out = sys.argv[1]
    print("| device | limit ms | true optimum ms / acc | pretrained: ms / acc (over) | regret* "
          "| scratch: ms / acc (over) | regret* | HELP ms / acc | BRP-NAS ms / acc |")
    print("|---|---|---|---|---|---|---|---|---|")
    for device in DEVICES:
        pre, scr = load(out, "pretrained", device), load(out, "scratch", device)
        if not pre:
            continue
        for i, choice in enumerate(pre[0]):
            opt = f"{choice['optimum_ms']:.1f} / {choice['optimum_objective']:.2f}"
            p_cell, p_reg = cell(pre, i, "pretrained")
            s_cell, s_reg = cell(scr, i, "scratch") if scr else ("-", "-")
            h, b = HELP[device][i], BRP[device][i]
            print(f"| {device} | {choice['latency_max_ms']:g} | {opt} | {p_cell} | {p_reg} | "
                  f"{s_cell} | {s_reg} | {h[0]:g} / {h[1]:g} | {b[0]:g} / {b[1]:g} |")
    for kind, t in TOTALS.items():
        print(f"\n{kind}: {t['over']} of {t['choices']} choices over the limit in truth; mean "
              f"regret of the others {statistics.mean(t['regret']):.3f} points", end="")
    print()
    print(f"\n{len(pre)} repeats per cell; accuracy column: "
          f"{json.load(open(glob.glob(os.path.join(out, 'search_pretrained_*.json'))[0]))['objective']}")


if __name__ == "__main__":
    main()
