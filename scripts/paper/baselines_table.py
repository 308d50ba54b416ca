#!/usr/bin/env python3
"""baselines_table.py — the Markdown table of NASFLAT beside HELP and MultiPredict on the task
suite (protocol full, T = 20): per task, Spearman and Kendall of each method, the trial counts,
the authors' recorded numbers of each method (their protocol) and the baselines' wall times.

NASFLAT is read from NASFLAT_DIR/suite_<task>.json (e.g. results/lodo-2026-12-04: the
practitioner recipe with the self-check, `nasflat experiment --recipe practitioner --self-check`);
its first trial (trial index 0: the same seed and, for MultiPredict, the same transfer samples)
is shown beside its all-trial mean. The baselines are BASE_DIR/<predictor>_<task>.json as
scripts/paper/run_baselines.sh writes them; a missing file leaves its cell empty.

The authors' NASFLAT number comes from the NASFLAT file or, for files written before it
carried one, from TASKS_JSON (`nasflat tasks --json > TASKS_JSON`). Several trials of a cell
are one file (scripts/paper/merge_trials.py); wall times are per trial.

--faithfulness MP_AUTHORS_DIR prints instead how far each baseline lands from the authors'
recorded number: HELP under protocol full (its only departures from the authors' scoring are
the 20 measured archs left out of ~5,000-15,625 and the checkpoint choice on a validation device),
MultiPredict as the authors ran it (MP_AUTHORS_DIR/multipredict_<task>.json from
`--protocol aliasing`, run_baselines.sh --protocol aliasing) beside its honest run.

Usage: scripts/paper/baselines_table.py BASE_DIR NASFLAT_DIR [TASKS_JSON]
       scripts/paper/baselines_table.py --faithfulness MP_AUTHORS_DIR BASE_DIR"""
import json
import os
import statistics
import sys

TASKS = [f"N{i}" for i in range(6)] + [f"F{i}" for i in range(6)]


def fail(msg):
    print(f"baselines_table: {msg}", file=sys.stderr)
    sys.exit(2)


def load(path):
    if not os.path.exists(path):
        return None
    try:
        with open(path) as f:
            return json.load(f)
    except ValueError as e:
        fail(f"{path}: not JSON ({e}); give files written by nasflat experiment --json")


def first_trial(r, key):
    """Mean over devices of each device's first trial."""
    return statistics.fmean(d[f"{key}_trials"][0] for d in r["per_device"])


def cell(r, key="spearman"):
    if r is None:
        return ""
    n = r["trials"]
    return f"{r[key + '_mean']:.3f}" + (f" ± {r[key + '_std']:.3f} ({n})" if n > 1 else " (1)")


def faithfulness(authors_dir, base):
    print("| task | HELP: ours (full) | authors' recorded | difference | MultiPredict: ours, "
          "the authors' run (aliasing) | authors' recorded | difference | ours (full) |")
    print("|---|---|---|---|---|---|---|---|")
    close = {"help": 0, "multipredict": 0}
    for task in TASKS:
        h = load(os.path.join(base, f"help_{task}.json"))
        m = load(os.path.join(authors_dir, f"multipredict_{task}.json"))
        mf = load(os.path.join(base, f"multipredict_{task}.json"))
        row = [task]
        for name, r in (("help", h), ("multipredict", m)):
            rec = (r or {}).get("authors_spearman")
            if r is None or rec is None:
                row += [cell(r), "-", "-"]
                continue
            diff = r["spearman_mean"] - rec
            close[name] += abs(diff) <= 0.05
            row += [cell(r), f"{rec:.3f}", f"{diff:+.3f}"]
        row.append(cell(mf))
        print("| " + " | ".join(row) + " |")
    print(f"\nWithin 0.05 of the authors' recorded number: HELP on {close['help']} of 12, "
          f"MultiPredict (the authors' run) on {close['multipredict']} of 12.")


def main():
    if len(sys.argv) == 4 and sys.argv[1] == "--faithfulness":
        return faithfulness(sys.argv[2], sys.argv[3])
    if len(sys.argv) not in (3, 4):
        fail("usage: baselines_table.py BASE_DIR NASFLAT_DIR [TASKS_JSON]")
    base, nas = sys.argv[1], sys.argv[2]
    listed = load(sys.argv[3]) if len(sys.argv) == 4 else []
    if len(sys.argv) == 4 and listed is None:
        fail(f"{sys.argv[3]}: no such file; write it with nasflat tasks --json")
    recorded = {t["name"]: t.get("authors_spearman") for t in listed}
    print("| task | paper label | NASFLAT: Spearman (trials) | NASFLAT trial 1 | HELP | "
          "MultiPredict | Kendall: NASFLAT / HELP / MultiPredict | authors' NASFLAT / HELP / "
          "MultiPredict (their protocol) | wall s: HELP / MultiPredict |")
    print("|---|---|---|---|---|---|---|---|---|")
    for task in TASKS:
        n = load(os.path.join(nas, f"suite_{task}.json"))
        h = load(os.path.join(base, f"help_{task}.json"))
        m = load(os.path.join(base, f"multipredict_{task}.json"))
        if n is None and h is None and m is None:
            continue
        label = (n or h or m)["paper_label"]
        authors = [(r or {}).get("authors_spearman") for r in (n, h, m)]
        if authors[0] is None:
            authors[0] = recorded.get(task)
        authors_cell = " / ".join(f"{a:.3f}" if a is not None else "-" for a in authors)
        kendall = " / ".join(f"{r['kendall_mean']:.3f}" if r else "-" for r in (n, h, m))
        wall = " / ".join(f"{r['seconds'] / r['trials']:.0f}" if r else "-" for r in (h, m))
        print(f"| {task} | {label} | {cell(n)} | "
              f"{first_trial(n, 'spearman'):.3f} | {cell(h)} | {cell(m)} | {kendall} | "
              f"{authors_cell} | {wall} |" if n else
              f"| {task} | {label} | | | {cell(h)} | {cell(m)} | {kendall} | {authors_cell} | "
              f"{wall} |")


if __name__ == "__main__":
    main()
