#!/usr/bin/env python3
"""merge_trials.py — joins `nasflat experiment --json` results of one setting that ran their
trials in separate processes (`--first-trial K --trials n`) into the result of one run.

Trial k draws from seeds derived from (seed, k) whichever process runs it, so the merged file
holds exactly the numbers of a single `--trials N` run (up to the wall time, which is summed).
Pieces must agree on every setting and must not repeat a trial index; both are checked.

Every other field the pieces agree on (the predictor's settings, the authors' recorded numbers)
is kept; a field they disagree on that is not recomputed here is left out.

Files holding several results (e.g. `--protocol full first128`, several samplers or several T)
are merged per (protocol, sampler, T); OUT holds a list then.

Usage: scripts/paper/merge_trials.py OUT.json PIECE.json [PIECE.json ...]"""
import json
import statistics
import sys

# Settings that must be equal in every piece (a piece lacking "first_trial" started at 0).
SAME = ("space", "task", "paper_label", "protocol", "config", "sampler", "source_samples",
        "seed", "samples", "predictor")
# Fields a piece written before they existed lacks, and what that meant.
DEFAULTS = {"predictor": "nasflat"}


def fail(msg):
    print(f"merge_trials: {msg}", file=sys.stderr)
    sys.exit(1)


def load(path):
    try:
        with open(path) as f:
            data = json.load(f)
    except (OSError, ValueError) as e:
        fail(f"{path}: cannot read JSON ({e}); give files written by nasflat experiment --json")
    pieces = data if isinstance(data, list) else [data]
    for p in pieces:
        missing = [k for k in SAME + ("trials", "per_device", "seconds")
                   if k not in p and k not in DEFAULTS]
        if missing:
            fail(f"{path}: not an experiment result (missing {', '.join(missing)})")
    return pieces


def pstd(xs):
    return statistics.pstdev(xs) if len(xs) > 1 else 0.0


def merge(pieces, names):
    first = pieces[0]
    for p, name in zip(pieces, names):
        diff = [k for k in SAME if p.get(k, DEFAULTS.get(k)) != first.get(k, DEFAULTS.get(k))]
        if diff:
            fail(f"{name}: differs from {names[0]} in {', '.join(diff)}; merge one setting at a time")
    # trial index -> (piece, position within the piece)
    owner = {}
    for i, p in enumerate(pieces):
        start = p.get("first_trial", 0)
        for j in range(p["trials"]):
            if start + j in owner:
                fail(f"{names[i]}: trial {start + j + 1} is also in {names[owner[start + j][0]]}")
            owner[start + j] = (i, j)
    order = sorted(owner)
    devices = [d["device"] for d in first["per_device"]]
    per_device = []
    for k, dev in enumerate(devices):
        sp, kd = [], []
        for t in order:
            i, j = owner[t]
            d = pieces[i]["per_device"][k]
            if d["device"] != dev:
                fail(f"{names[i]}: device {k} is {d['device']}, expected {dev}")
            sp.append(d["spearman_trials"][j])
            kd.append(d["kendall_trials"][j])
        per_device.append({"device": dev, "spearman_mean": statistics.fmean(sp),
                           "spearman_std": pstd(sp), "kendall_mean": statistics.fmean(kd),
                           "kendall_std": pstd(kd), "spearman_trials": sp, "kendall_trials": kd})
    out = {k: v for k, v in first.items() if all(p.get(k) == v for p in pieces)}
    out.update({k: first.get(k, DEFAULTS.get(k)) for k in SAME})
    if all("pretrain_seconds" in p for p in pieces):
        out["pretrain_seconds"] = sum(p["pretrain_seconds"] for p in pieces)
    out.update({
        "trials": len(order),
        "trials_requested": len(order),
        "first_trial": order[0],
        "trial_indices": order,
        "per_device": per_device,
        # The task convention: mean over devices of the per-device means and of their stds.
        "spearman_mean": statistics.fmean(d["spearman_mean"] for d in per_device),
        "spearman_std": statistics.fmean(d["spearman_std"] for d in per_device),
        "kendall_mean": statistics.fmean(d["kendall_mean"] for d in per_device),
        "kendall_std": statistics.fmean(d["kendall_std"] for d in per_device),
        "seconds": sum(p["seconds"] for p in pieces),
        "merged_from": len(pieces),
    })
    return out


def main():
    if len(sys.argv) < 3:
        fail("usage: merge_trials.py OUT.json PIECE.json [PIECE.json ...]")
    out_path, paths = sys.argv[1], sys.argv[2:]
    pieces, names = [], []
    for path in paths:
        for p in load(path):
            pieces.append(p)
            names.append(path)
    # A file may hold several results (one per protocol, sampler and T): merge each separately.
    groups = {}
    for p, n in zip(pieces, names):
        key = (p["protocol"], p["sampler"], p["samples"])
        groups.setdefault(key, ([], []))
        groups[key][0].append(p)
        groups[key][1].append(n)
    merged = [merge(ps, ns) for ps, ns in groups.values()]
    with open(out_path, "w") as f:
        json.dump(merged[0] if len(merged) == 1 else merged, f, indent=2)
    for m in merged:
        print(f"{m['task']} {m['config']} {m['protocol']} {m['sampler']} T={m['samples']}: trials "
              f"{[t + 1 for t in m['trial_indices']]}, spearman {m['spearman_mean']:.3f} "
              f"± {m['spearman_std']:.3f}")


if __name__ == "__main__":
    main()
