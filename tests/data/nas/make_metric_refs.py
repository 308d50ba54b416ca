#!/usr/bin/python3
"""Writes metric_refs.json: reference Spearman rho and Kendall tau-b values from scipy, for
tests/nas/test_metrics.cpp. Run once with Debian's python3 (python3-scipy 1.10):
    /usr/bin/python3 tests/data/nas/make_metric_refs.py > tests/data/nas/metric_refs.json
scipy.stats.spearmanr uses average ranks for ties; scipy.stats.kendalltau defaults to tau-b.
Inputs come from a fixed-seed numpy RandomState, so reruns give the same file."""
import json
import sys

import numpy as np
import scipy
from scipy import stats


def case(name, a, b):
    a = [float(x) for x in a]
    b = [float(x) for x in b]
    rho = stats.spearmanr(a, b).correlation
    tau = stats.kendalltau(a, b).correlation  # variant='b' is the default
    return {"name": name, "a": a, "b": b, "spearman": float(rho), "kendall_tau_b": float(tau)}


def main():
    rs = np.random.RandomState(20240501)
    cases = [
        case("hand_no_ties", [1, 2, 3, 4, 5], [2, 1, 4, 3, 5]),
        case("hand_ties_both", [1, 2, 2, 3, 4, 4], [2, 1, 3, 3, 5, 4]),
        case("hand_reversed_ties", [1, 1, 2, 3], [4, 4, 2, 1]),
        case("hand_one_tie_group", [3, 3, 3, 1, 2], [1, 2, 3, 4, 5]),
    ]
    x = rs.randint(0, 6, size=40)
    y = x + rs.randint(-2, 3, size=40)
    cases.append(case("int_ties_n40", x, y))
    x = rs.randint(0, 20, size=200)
    y = rs.randint(0, 20, size=200)
    cases.append(case("int_ties_independent_n200", x, y))
    x = np.round(rs.normal(size=200), 3)
    y = np.round(-0.7 * x + 0.5 * rs.normal(size=200), 3)
    cases.append(case("float_anticorrelated_n200", x, y))
    x = np.round(rs.lognormal(size=150), 2)
    y = np.round(x ** 2 + rs.normal(scale=0.5, size=150), 1)
    cases.append(case("heavy_ties_n150", x, y))
    out = {
        "generator": "tests/data/nas/make_metric_refs.py",
        "tool": "scipy %s (Debian python3-scipy), numpy %s" % (scipy.__version__, np.__version__),
        "cases": cases,
    }
    json.dump(out, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
