"""Benchmark: choosing a place's portfolio among many candidates (issue 22).

Synthetic candidates (made-up numbers, seeded): each has a value, a spend by partner
in every year and a net position per partner, drawn so that budgets bind in every
year (each partner's budget is a third of what all candidates together would spend:
a hard multi-dimensional knapsack). Timed, each the median of ``--repeat`` runs:

- the choice among 100 candidates, 4 partners, 5 years, proven optimal (gap 0);
- the choice among 300 candidates, 6 partners, 10 years, proven optimal;
- the same 300 with side payments and floors;
- a 20-point frontier of the 300.

Targets: 100 candidates under 1 s (this brief); 300 x 6 x 10 proven optimal under 5 s
and a 20-point frontier under 60 s (issue 22). Each solve runs under a time limit of
10 s (2 s for each frontier point) and prints the gap it proved. The appraisal of candidate files is not
timed here: it is one appraisal each (a few milliseconds for a small model).

Run: ``python benchmarks/bench_portfolio.py`` (``--help`` for options).
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np

from cba.portfolios._analysis import frontier
from cba.portfolios._milp import Problem, solve


def synthetic(n: int, partners: int, years: int, seed: int = 1, side_payments: bool = False) -> Problem:
    rng = np.random.default_rng(seed)
    spend = rng.gamma(2.0, 50_000.0, size=(n, partners, years)) * (rng.random((n, partners, years)) < 0.6)
    value = spend.sum(axis=(1, 2)) * rng.normal(1.3, 0.6, size=n)
    net = rng.normal(0.0, 80_000.0, size=(n, partners))
    budgets = spend.sum(axis=0) / 3.0
    floors = np.full(partners, np.nan)
    if side_payments:
        floors[:] = 0.0
    return Problem(tuple(f"c{i}" for i in range(n)), tuple(f"p{j}" for j in range(partners)),
                   tuple(f"y{t}" for t in range(years)), value, spend, net, budgets, floors, side_payments,
                   exclusive=[[2 * i, 2 * i + 1] for i in range(n // 20)], requires=[(5, 6), (7, 8)],
                   gap=0.0, time_limit=10.0)


def timed(fn, repeat: int) -> tuple[float, object]:
    times, out = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeat", type=int, default=1)
    args = ap.parse_args()
    cases = [("100 candidates, 4 partners, 5 years", synthetic(100, 4, 5), 1.0),
             ("300 candidates, 6 partners, 10 years", synthetic(300, 6, 10), 5.0),
             ("300 x 6 x 10 with side payments and floors", synthetic(300, 6, 10, side_payments=True), 5.0)]
    print(f"{'case':48} {'median s':>9} {'target s':>9}  status  gap")
    for name, pb, target in cases:
        t, s = timed(lambda pb=pb: solve(pb), args.repeat)
        print(f"{name:48} {t:9.3f} {target:9.1f}  {s.status:7} {s.gap:.2e}  {'met' if t < target else 'NOT MET'}")
    pb = cases[1][1]
    pb.time_limit = 2.0
    scalings = list(np.linspace(0.1, 2.0, 20))
    t, pts = timed(lambda: frontier(pb, scalings), 1)
    worst = max(p.solution.gap or 0.0 for p in pts)
    print(f"{'20-point frontier of 300 x 6 x 10':48} {t:9.3f} {60.0:9.1f}  largest gap {worst:.2e}  "
          f"{'met' if t < 60 else 'NOT MET'}")


if __name__ == "__main__":
    main()
