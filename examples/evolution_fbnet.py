"""evolution_fbnet.py — a NAS loop in Python over the whole FBNet space (9^22 networks):
regularised evolution maximising a user's objective under a latency budget on one device, the
predictor scoring each generation's children in one batch.

    python examples/evolution_fbnet.py --checkpoint fbnet_pixel2.ckpt --budget-ms 30
    python examples/evolution_fbnet.py              # makes a quick demo predictor first

Without --checkpoint it pre-trains a small FBNet predictor and fits it to pixel2 from 20
latencies copied out of the data folder (a simulated measurement; seconds). Prints the
best network found, its predicted latency, and the predictor's throughput as Python sees it
(architectures per second over the predict calls, conversions included).
"""

import argparse
import time

import numpy as np

import nasflat

LAYERS, CHOICES = 22, 9


def objective(ops):
    """The user's objective, (n, 22) op ids -> (n,) higher is better. A stand-in for an
    accuracy predictor: each block choice adds capacity (FBNet choices 0..8 run from light to
    heavy blocks; 8 is the skip), with diminishing returns per stage."""
    capacity = np.where(ops == 8, 0.0, 1.0 + 0.25 * (ops % 4) + 0.5 * (ops >= 4))
    stages = capacity.reshape(len(ops), 11, 2).sum(axis=2)
    return np.log1p(stages).sum(axis=1)


def demo_predictor():
    pre = nasflat.pretrain(space="fbnet", devices=["1080ti_1", "pixel3", "samsung_a50"],
                           source_samples=100, epochs=10)
    measured = nasflat.sample(space="fbnet", count=20, fill_from="pixel2", seed=0)
    return pre.transfer(measured)


def evolve(p, budget_ms, population, children, generations, tournament, seed):
    rng = np.random.default_rng(seed)
    predict_seconds, predicted = 0.0, 0

    def latency(ops):
        nonlocal predict_seconds, predicted
        t0 = time.perf_counter()
        ms = p.predict_ms(ops)  # one batch: graphs built from the ops, scored, calibrated
        predict_seconds += time.perf_counter() - t0
        predicted += len(ops)
        return ms

    # The first population: random networks within the budget.
    pop = np.zeros((0, LAYERS), dtype=np.int32)
    while len(pop) < population:
        cand = rng.integers(0, CHOICES, size=(children, LAYERS), dtype=np.int32)
        pop = np.concatenate([pop, cand[latency(cand) <= budget_ms]])[:population]
    fitness = objective(pop)
    best = int(np.argmax(fitness))
    best_ops, best_fit = pop[best].copy(), fitness[best]
    for g in range(generations):
        # Tournament winners, one op mutated each.
        entrants = rng.integers(0, len(pop), size=(children, tournament))
        parents = pop[entrants[np.arange(children), np.argmax(fitness[entrants], axis=1)]]
        kids = parents.copy()
        kids[np.arange(children), rng.integers(0, LAYERS, size=children)] = \
            rng.integers(0, CHOICES, size=children)
        ms = latency(kids)
        kids, ms = kids[ms <= budget_ms], ms[ms <= budget_ms]
        kid_fit = objective(kids)
        # Regularised: the newest stay, the oldest leave.
        pop = np.concatenate([pop, kids])[-population:]
        fitness = np.concatenate([fitness, kid_fit])[-population:]
        if len(kids) and kid_fit.max() > best_fit:
            best_ops, best_fit = kids[np.argmax(kid_fit)].copy(), kid_fit.max()
        print(f"generation {g + 1:3d}: {len(kids):5d} of {children} children within "
              f"{budget_ms:g} ms, best objective {best_fit:.4f}")
    return best_ops, best_fit, predicted, predict_seconds


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--checkpoint", help="an FBNet predictor fitted to a device (transfer)")
    ap.add_argument("--budget-ms", type=float, default=30.0)
    ap.add_argument("--population", type=int, default=512)
    ap.add_argument("--children", type=int, default=4096, help="scored per generation")
    ap.add_argument("--generations", type=int, default=10)
    ap.add_argument("--tournament", type=int, default=16)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    p = nasflat.Predictor.load(args.checkpoint) if args.checkpoint else demo_predictor()
    if p.space != "fbnet" or not p.calibrated:
        raise SystemExit("evolution_fbnet: needs an FBNet predictor fitted to a device "
                         "(nasflat transfer)")
    print(f"predictor: {p.space} on {p.target} ({p.compute}); budget {args.budget_ms:g} ms")
    best, fit, n, seconds = evolve(p, args.budget_ms, args.population, args.children,
                                   args.generations, args.tournament, args.seed)
    print(f"best: {','.join(map(str, best))}")
    print(f"  objective {fit:.4f}, predicted {p.predict_ms(best[None, :])[0]:.2f} ms on "
          f"{p.target}")
    print(f"predictor from Python: {n} architectures in {seconds:.2f} s = {n / seconds:,.0f} "
          f"archs/s (batches of {args.children})")


if __name__ == "__main__":
    main()
