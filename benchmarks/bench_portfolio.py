"""Benchmark: choosing a place's portfolio among many candidates (issue 22).

Three kinds of synthetic candidates (made-up numbers, seeded):

- **hard** (:func:`synthetic`): spend in 60% of partner-years (gamma, mean £100,000
  where it falls), each candidate's value its total spend times a normal factor of
  mean 1.3 and standard deviation 0.6 (so value is correlated with total spend, not
  proportional to it, and a few values are negative), each partner's budget a third of
  all candidates' spend in every year: 60 budget rows that all bind, the hard case of a
  multi-dimensional knapsack with values correlated with the weights;
- **realistic** (:func:`realistic`): shaped like the examples. Each candidate has a
  size (total real spend, lognormal around £300,000), a lead partner paying all of it or,
  for half the candidates, most of it with one co-funder paying 5% to 40% (the worked
  example's seven candidates: three paid by one partner, four by two, the second paying
  14% to 25%), a spending profile of 2 to 5 years from a random start, front-loaded; its
  benefit-cost ratio is lognormal around 1.5 (so value is not proportional to spend:
  some candidates are worth much more per pound than others, a few less than they
  cost), its fiscal savings a share of its benefits, landing with partners other than
  those who pay (wrong pockets). Each partner's budget in each year is 40% of what all
  candidates would spend there;
- **dense** (:func:`realistic` with ``every_partner_pays``): the same, except that every
  partner pays a share of every candidate (the lead most, the others a Dirichlet share
  of the rest), so every budget row touches every candidate. No example is funded so;
  it is kept as the harder case the earlier figures were measured on.

Timed: the choice among 300 candidates, 6 partners, 10 years, with a gap tolerance of
0 (proven optimal), under a 10 s limit; among 1,000 with a tolerance of 0.1%; a
20-point frontier of 300 (3 s per point by default, so at most 60 s;
``--frontier-limit`` sets it). Each line prints the gap proven and whether it met the
target (issue 22: 300 proven optimal < 5 s; 1,000
within 0.1% < 10 s; 20-point frontier of 300 < 60 s). The appraisal of candidate
files is not timed here (see ``--appraise``).

The machine is usually shared, so the first line printed names the scipy and HiGHS
versions and the load average at the start: compare runs made under the same load.

Run: ``python benchmarks/bench_portfolio.py`` (``--help`` for options).
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

import numpy as np

from cba.portfolios._analysis import frontier
from cba.portfolios._milp import Problem, solve


def synthetic(n: int, partners: int, years: int, seed: int = 1, side_payments: bool = False) -> Problem:
    """The hard case: values proportional to spend, every budget a third of all spend."""
    rng = np.random.default_rng(seed)
    spend = rng.gamma(2.0, 50_000.0, size=(n, partners, years)) * (rng.random((n, partners, years)) < 0.6)
    value = spend.sum(axis=(1, 2)) * rng.normal(1.3, 0.6, size=n)
    net = rng.normal(0.0, 80_000.0, size=(n, partners))
    return _problem(n, partners, years, value, spend, net, spend.sum(axis=0) / 3.0, side_payments)


def realistic(n: int, partners: int, years: int, seed: int = 1, side_payments: bool = False,
              tightness: float = 0.4, every_partner_pays: bool = False) -> Problem:
    """Candidates shaped like the examples (see the module docstring)."""
    rng = np.random.default_rng(seed)
    size = rng.lognormal(np.log(300_000.0), 1.0, size=n)
    if every_partner_pays:
        share = rng.dirichlet(np.full(partners, 0.3), size=n)
        share[np.arange(n), rng.integers(0, partners, size=n)] += 2.0  # the lead partner
        share /= share.sum(axis=1, keepdims=True)
    else:
        share = _lead_and_co_funder(rng, n, partners)
    start, length = rng.integers(0, max(1, years - 2), size=n), rng.integers(2, 6, size=n)
    profile = np.zeros((n, years))
    for i in range(n):
        t = np.arange(start[i], min(years, start[i] + length[i]))
        w = np.linspace(1.3, 0.7, len(t))                                  # front-loaded
        profile[i, t] = w / w.sum()
    spend = size[:, None, None] * share[:, :, None] * profile[:, None, :]
    bcr = rng.lognormal(np.log(1.5), 0.5, size=n)
    value = size * (bcr - 1.0)                                             # net present public value
    savings = (size * bcr * rng.uniform(0.2, 0.6, size=n))[:, None] * rng.dirichlet(np.full(partners, 0.5), size=n)
    net = savings - spend.sum(axis=2)
    return _problem(n, partners, years, value, spend, net, tightness * spend.sum(axis=0), side_payments)


def _lead_and_co_funder(rng: np.random.Generator, n: int, partners: int) -> np.ndarray:
    """``(n, partners)`` shares of spend: a lead partner, and for half the candidates a co-funder."""
    lead = rng.integers(0, partners, size=n)
    co = rng.integers(0, partners - 1, size=n)
    co += co >= lead                                                   # any partner but the lead
    co_share = np.where(rng.random(n) < 0.5, rng.uniform(0.05, 0.4, size=n), 0.0)
    share = np.zeros((n, partners))
    share[np.arange(n), lead] = 1.0 - co_share
    share[np.arange(n), co] += co_share
    return share


def _problem(n, partners, years, value, spend, net, budgets, side_payments) -> Problem:
    floors = np.full(partners, 0.0 if side_payments else np.nan)
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


def machine() -> str:
    """The scipy and HiGHS versions, and the load average now (the machine may be shared)."""
    import scipy

    try:  # scipy's bundled HiGHS states its version only in a private module
        from scipy.optimize._highspy import _core

        highs = f"{_core.HIGHS_VERSION_MAJOR}.{_core.HIGHS_VERSION_MINOR}.{_core.HIGHS_VERSION_PATCH}"
    except (ImportError, AttributeError):
        highs = "unknown"
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "unknown"
    return f"scipy {scipy.__version__}, HiGHS {highs}, {os.cpu_count()} cores, load average {load}"


def appraise_candidates(count: int, repeat: int = 5, dask: bool = False) -> None:
    """Time appraising ``count`` candidate files (the worked example's candidates, repeated): the median
    of ``repeat`` runs, here and, with ``dask``, on a local Dask cluster of two in-process workers."""
    import tempfile
    from pathlib import Path

    import yaml

    from cba.portfolios._candidates import load_candidates
    from cba.portfolios._spec import load_portfolio

    example = Path(__file__).resolve().parents[1] / "examples" / "portfolio" / "portfolio.yaml"
    base = load_portfolio(example)
    assert base.candidates is not None
    with tempfile.TemporaryDirectory() as d:
        cands = [{"path": str(example.parent / c.path), "name": f"{c.name} #{k}"}
                 for k in range(count // len(base.candidates) + 1) for c in base.candidates][:count]
        path = Path(d) / "p.yaml"
        path.write_text(yaml.safe_dump({"name": "many", "price_base": "2024/25", "start_year": "2025/26",
                                        "candidates": cands}))
        spec = load_portfolio(path)
        load_candidates(spec)                                       # first-use imports out of the timing
        t, _ = timed(lambda: load_candidates(spec), repeat)
        print(f"appraising {count} candidate files: {t:.2f} s ({1000 * t / count:.1f} ms each; "
              f"median of {repeat})")
        if dask:
            from dask.distributed import Client, LocalCluster

            with LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None) as cl, \
                    Client(cl) as client:
                load_candidates(spec, client=client)
                t, _ = timed(lambda: load_candidates(spec, client=client), repeat)
            print(f"the same on a local Dask cluster (2 in-process workers): {t:.2f} s (median of {repeat})")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seeds", type=int, default=3, help="instances of each case (default 3)")
    ap.add_argument("--appraise", type=int, default=0, help="also time appraising this many candidate files")
    ap.add_argument("--dask", action="store_true", help="also time --appraise on a local Dask cluster")
    ap.add_argument("--no-frontier", action="store_true")
    ap.add_argument("--frontier-limit", type=float, default=3.0,
                    help="each frontier point's time limit in seconds (default 3, so at most 60 s in all)")
    ap.add_argument("--tightness", type=float, default=0.4,
                    help="realistic budgets as a share of all candidates' spend (default 0.4)")
    ap.add_argument("--only", choices=("hard", "realistic", "dense"), help="one kind of candidates only")
    args = ap.parse_args()
    print(machine())
    print(f"{'case':52} {'seconds':>8} {'target':>7}  status      gap proven")
    def realistic_at(n: int, partners: int, years: int, seed: int) -> Problem:
        return realistic(n, partners, years, seed, tightness=args.tightness)

    def dense_at(n: int, partners: int, years: int, seed: int) -> Problem:
        return realistic(n, partners, years, seed, tightness=args.tightness, every_partner_pays=True)

    kinds = [(k, f) for k, f in (("hard", synthetic), ("realistic", realistic_at), ("dense", dense_at))
             if args.only in (None, k)]
    for kind, make in kinds:
        for n, gap, target in ((300, 0.0, 5.0), (1000, 0.001, 10.0)):
            for seed in range(1, args.seeds + 1):
                pb = make(n, 6, 10, seed)
                pb.gap = gap
                t, s = timed(lambda pb=pb: solve(pb), 1)
                met = "met" if t < target and (s.gap or 0.0) <= gap + 1e-12 else "NOT MET"
                print(f"{kind} {n} x 6 x 10, tolerance {gap:g}, seed {seed}".ljust(52)
                      + f" {t:8.2f} {target:7.1f}  {s.status:10} {s.gap:.2e}  {met}", flush=True)
    if not args.no_frontier:
        for kind, make in kinds:
            pb = make(300, 6, 10, 1)
            pb.time_limit = args.frontier_limit
            scalings = list(np.linspace(0.1, 2.0, 20))
            t, pts = timed(lambda pb=pb, sc=scalings: frontier(pb, sc), 1)
            proven = sum(p.solution.status == "optimal" for p in pts)
            worst = max(p.solution.gap or 0.0 for p in pts)
            print(f"20-point frontier, {kind} 300 x 6 x 10 ({args.frontier_limit:g} s a point)".ljust(52)
                  + f" {t:8.2f} {60.0:7.1f}  {proven}/20 proven, largest gap {worst:.2e}  "
                  + ("met" if t < 60 and proven == 20 else "NOT MET"), flush=True)
    if args.appraise:
        appraise_candidates(args.appraise, dask=args.dask)


if __name__ == "__main__":
    main()
