#!/usr/bin/env python3
"""lodo_sampler_table.py — `nasflat lodo` runs that differ only in how each draw chooses its T
samples (--sampler), side by side on the devices they share: per device the answer (what
`transfer` gives the practitioner) and the fine-tuned model alone, each the mean over the draws,
then the median, mean and worst over the shared devices, and on how many devices each run is
ahead. Every run must have the same space, T, draws, seed and model settings (checked): the
pre-trainings are then the same, and only the samples differ.

Usage: scripts/paper/lodo_sampler_table.py RUN.json RUN.json [RUN.json ...]"""
import json
import statistics
import sys

SAME = ("space", "metric", "samples", "draws", "config", "supp", "source_samples", "epochs",
        "score_once", "seed", "transfer_epochs", "transfer_lr", "folds", "priors", "blend")


def fail(msg):
    print(f"lodo_sampler_table: {msg}", file=sys.stderr)
    sys.exit(2)


def load(path):
    try:
        with open(path) as f:
            run = json.load(f)
        options = run["options"]
        devices = {d["device"]: d for d in run["devices"]}
    except (OSError, ValueError, KeyError) as e:
        fail(f"{path}: not a `nasflat lodo --json` result ({e})")
    return options, devices


def mean_of(device, key):
    return statistics.fmean(d[key] for d in device["draws"])


def main():
    paths = sys.argv[1:]
    if len(paths) < 2:
        fail("usage: lodo_sampler_table.py RUN.json RUN.json [RUN.json ...]")
    runs = [load(p) for p in paths]
    first = runs[0][0]
    for (options, _), path in zip(runs[1:], paths[1:]):
        diff = [k for k in SAME if options.get(k) != first.get(k)]
        if diff:
            fail(f"{path}: differs from {paths[0]} in {', '.join(diff)}; compare runs that "
                 "differ only in --sampler")
    shared = [d for d in runs[0][1] if all(d in devices for _, devices in runs[1:])]
    if not shared:
        fail("the runs share no device")
    names = [o.get("sampler", "random") for o, _ in runs]
    print(f"{first['space']}, T = {first['samples']}, {first['draws']} draws per device, "
          f"{len(shared)} devices\n")
    print("| device | " + " | ".join(f"{n}: answer / model" for n in names) + " |")
    print("|---|" + "---|" * len(names))
    cols = [([], []) for _ in runs]
    for dev in shared:
        cells = []
        for k, (_, devices) in enumerate(runs):
            a, m = mean_of(devices[dev], "answer"), mean_of(devices[dev], "model")
            cols[k][0].append(a)
            cols[k][1].append(m)
            cells.append(f"{a:.3f} / {m:.3f}")
        print(f"| {dev} | " + " | ".join(cells) + " |")
    for label, fn in (("median", statistics.median), ("mean", statistics.fmean), ("worst", min)):
        print(f"| **{label}** | " +
              " | ".join(f"{fn(a):.3f} / {fn(m):.3f}" for a, m in cols) + " |")
    base = cols[0][0]
    for k in range(1, len(runs)):
        ahead = sum(x > y for x, y in zip(cols[k][0], base))
        print(f"\n{names[k]}: answer ahead of {names[0]} on {ahead} of {len(shared)} devices")


if __name__ == "__main__":
    main()
