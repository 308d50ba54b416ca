"""bench_python.py — the predictor's archs/s from Python (the module nasflat) against the same
library called from C++ (bench_predict), on the same machine, checkpoint, architectures,
batch and threads: NB201 by index and FBNet by op lists (networks outside the data folder).
Each row first checks that both sides score the batch's first architecture identically. Both
sides time `repeats` calls after a warm-up and keep the best (the least disturbed by other work
on the machine); the two alternate `rounds` times and each keeps its best round.

    PYTHONPATH=build/python python bench/bench_python.py --bench build/bench/bench_predict \
        --nb201 pixel2.ckpt --fbnet fbnet_pixel2.ckpt --n 4096 16384 --threads 1 2

Without --nb201 / --fbnet it makes small demo predictors first (pretrain + transfer; the
timing does not depend on how well they are trained). Prints one table (docs/performance.md).
"""

import argparse
import os
import subprocess
import tempfile
import time

import numpy as np

import nasflat


def bench_archs(p, n, form):
    """The architectures bench_predict.cpp scores (the same formula)."""
    k = np.arange(n, dtype=np.int64)
    if form == "index":
        return ((k * 7919) % p.num_archs).astype(np.int32)
    j = np.arange(p.num_positions, dtype=np.int64)
    return ((31 * k[:, None] + 7 * j[None, :] + (k[:, None] * j[None, :]) % 5)
            % p.num_ops).astype(np.int32)


def python_rate(p, n, form, threads, repeats):
    archs = bench_archs(p, n, form)
    seconds, first = [], None
    for r in range(repeats + 1):  # r = 0: warm-up
        t0 = time.perf_counter()
        scores = p.predict(archs, threads=threads)
        if r:
            seconds.append(time.perf_counter() - t0)
        first = float(scores[0])
    return n / min(seconds), first


def cpp_rate(bench, checkpoint, n, form, threads, repeats):
    out = subprocess.run([bench, checkpoint, "--n", str(n), "--form", form, "--threads",
                          str(threads), "--repeats", str(repeats)],
                         check=True, capture_output=True, text=True).stdout
    fields = dict(f.split("=") for f in out.split())
    return float(fields["archs_per_s"]), float(fields["first_score"])


def demo(space, folder):
    path = os.path.join(folder, f"{space}_demo.ckpt")
    pre = nasflat.pretrain(space=space, devices=["1080ti_1", "pixel3"], source_samples=30,
                           epochs=1)
    m = nasflat.sample(space=space, count=20, fill_from="pixel2", seed=0)
    pre.transfer(m, epochs=2, folds=0, out=path)
    return path


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--bench", required=True, help="the bench_predict executable")
    ap.add_argument("--nb201", help="a transferred NB201 checkpoint")
    ap.add_argument("--fbnet", help="a transferred FBNet checkpoint")
    ap.add_argument("--n", type=int, nargs="+", default=[4096, 16384])
    ap.add_argument("--threads", type=int, nargs="+", default=[1, os.cpu_count()])
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--rounds", type=int, default=2)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        cases = [("nb201", args.nb201 or demo("nb201", tmp), "index"),
                 ("fbnet", args.fbnet or demo("fbnet", tmp), "ops")]
        print("space  form   batch  threads   C++ archs/s  Python archs/s  Python/C++")
        failed = False
        for space, checkpoint, form in cases:
            p = nasflat.Predictor.load(checkpoint, compute="cpu")
            for threads in args.threads:
                for n in args.n:
                    cpp = py = 0.0
                    for _ in range(args.rounds):
                        rate, cpp_first = cpp_rate(args.bench, checkpoint, n, form, threads,
                                                   args.repeats)
                        cpp = max(cpp, rate)
                        rate, py_first = python_rate(p, n, form, threads, args.repeats)
                        py = max(py, rate)
                    if np.float32(cpp_first) != np.float32(py_first):
                        print(f"MISMATCH {space} {form}: C++ {cpp_first!r} Python {py_first!r}")
                        failed = True
                    print(f"{space:6s} {form:5s} {n:6d} {threads:8d} {cpp:13,.0f} {py:15,.0f} "
                          f"{py / cpp:11.3f}")
        raise SystemExit(1 if failed else 0)


if __name__ == "__main__":
    main()
