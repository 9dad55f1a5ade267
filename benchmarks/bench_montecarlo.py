"""Benchmark: vectorised Monte Carlo against a per-draw Python loop.

THE MODEL IS SYNTHETIC. It exists only to measure speed and memory: 20 outcomes,
10 cost lines, a 10-year horizon, three agencies. Its cohorts, rates, costs and
unit values are made-up round numbers chosen to exercise every part of the engine
(multi-year intakes, lags, durations, drop-off, optimism bias, cashable and
transfer savings); they describe no real intervention and must not be used as
evidence for one. Likewise the distributions put on its assumptions.

Two ways of running the same draws through the same engine are timed:

- vectorised: ``cba.uncertainty.montecarlo`` (sampling, the engine on chunks of
  draws at once in threads, metrics and the summary), IRR left out (its default);
- baseline: a straightforward loop that, for each draw, calls the engine's
  public path for one draw (``evaluate`` -> ``reduce_flows`` -> ``compute``, IRR
  left out) on the same parameter values.

For 1,000, 10,000 and 100,000 draws it prints draws per second of each, the
speed-up, the peak memory allocated during the vectorised run (tracemalloc), and
checks the two agree. Targets (issue "uncertainty"): 100,000 draws in under 2 s
on a 2-core machine, peak memory under 1 GB, at least 50 times the baseline.

With ``--streaming-draws N`` it also runs ``N`` draws (e.g. 5,000,000) summarised
in streaming passes (the table of metric values, 8 bytes per metric per draw,
would exceed the ``memory=`` budget), and prints the time, the number of passes
and the peak memory allocated (tracemalloc, in a second run) against the budget
and against the table the in-memory summary would need. First it checks, at
``--streaming-check`` draws, that the streaming summary equals the in-memory one
bit for bit.

Run: ``python benchmarks/bench_montecarlo.py`` (``--help`` for options).
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import sys
import time
import tracemalloc

import numpy as np
import pandas as pd

import cba
from cba.engine import compile_model, evaluate, reduce_flows
from cba.metrics import METRIC_NAMES, compute
from cba.uncertainty import montecarlo
from cba.uncertainty.montecarlo import MEMORY
from cba.uncertainty.parameters import build_overrides
from cba.uncertainty.sampling import Sampler

AGENCIES = ("local_authority", "nhs", "dwp")
HORIZON = 10
N_OUTCOMES = 20
N_COSTS = 10


def synthetic_model() -> cba.Intervention:
    """A synthetic model of the benchmark's size. Every number is made up (see the module docstring)."""
    costs = [{"name": f"Synthetic cost line {l}", "agency": AGENCIES[l % 3],
              "kind": ("capital", "revenue", "in_kind")[l % 3],
              "amounts": [10_000.0 * (1 + l % 4)] * (HORIZON if l % 3 else 2),
              "confidence": 1 + l % 6}
             for l in range(N_COSTS)]
    outcomes = []
    for i in range(N_OUTCOMES):
        outcomes.append({
            "name": f"Synthetic outcome {i}",
            "cohort": [100.0 + 10 * (i % 5)] * 3,
            "engagement": 0.8, "success": 0.3 + 0.02 * (i % 10), "deadweight": 0.2,
            "displacement": 0.05 * (i % 3), "lag": i % 3, "duration": 1 + i % 5, "drop_off": 0.1,
            "confidence": 1 + i % 6,
            "value": {"components": [
                {"type": "fiscal", "agency": AGENCIES[i % 3], "amount": 500.0 + 50 * i, "cashable": 0.5},
                {"type": "fiscal", "agency": AGENCIES[(i + 1) % 3], "amount": 200.0, "transfer": i % 2 == 0},
                {"type": "economic", "amount": 1_000.0},
                {"type": "social", "amount": 300.0},
            ]},
        })
    return cba.Intervention.from_dict({"name": "Synthetic benchmark model (made-up numbers)",
                                       "price_base": "2024/25", "horizon": HORIZON,
                                       "costs": costs, "outcomes": outcomes})


def synthetic_distributions(model: cba.Intervention) -> dict:
    """Made-up distributions on 70 assumptions: success, deadweight and duration of every
    outcome, and a multiplier of every cost line."""
    d = {}
    for i, o in enumerate(model.outcomes):
        s = o.success
        d[f"outcomes[{i}].success"] = {"dist": "pert", "low": s - 0.1, "mode": s, "high": s + 0.1}
        d[f"outcomes[{i}].deadweight"] = {"dist": "triangular", "low": 0.1, "mode": 0.2, "high": 0.4}
        d[f"outcomes[{i}].duration"] = {"dist": "discrete", "values": [max(1, o.duration - 1), o.duration,
                                                                       o.duration + 1]}
    for l in range(len(model.costs)):
        d[f"costs[{l}].amounts"] = {"dist": "truncnormal", "mean": 1.0, "sd": 0.1, "low": 0.7, "high": 1.5}
    return d


def baseline(compiled, sampler: Sampler, draws: int) -> tuple[float, np.ndarray]:
    """Per-draw loop: the engine's public path called once per draw. Returns (seconds, metrics)."""
    values = sampler.sample(0, draws)
    out = np.empty((draws, len(METRIC_NAMES)))
    start = time.perf_counter()
    for i in range(draws):
        one = {p: values[p][i:i + 1] for p in values}
        overrides = build_overrides(compiled, sampler.parameters, one)
        metrics, _ = compute(reduce_flows(compiled, evaluate(compiled, overrides)), include_irr=False)
        out[i] = [metrics[k][0] for k in METRIC_NAMES]
    return time.perf_counter() - start, out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--draws", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    ap.add_argument("--baseline-max", type=int, default=None,
                    help="time the baseline on at most this many draws and report its rate (default: all)")
    ap.add_argument("--repeat", type=int, default=3, help="vectorised timings: best of this many runs")
    ap.add_argument("--seed", type=int, default=2024)
    ap.add_argument("--streaming-draws", type=int, default=None, metavar="N",
                    help="also run N draws summarised in streaming passes (e.g. 5000000)")
    ap.add_argument("--streaming-check", type=int, default=200_000, metavar="N",
                    help="draws at which the streaming summary is checked against the in-memory one")
    ap.add_argument("--memory", type=int, default=MEMORY,
                    help=f"montecarlo(memory=) budget in bytes for the streaming run (default {MEMORY})")
    args = ap.parse_args(argv)

    model = synthetic_model()
    compiled = compile_model(model)
    dists = synthetic_distributions(model)
    sampler = Sampler(compiled, dists, seed=args.seed)
    print(f"cba {cba.__version__}, Python {platform.python_version()}, numpy {np.__version__}, "
          f"{os.cpu_count()} CPU(s), {platform.machine()}")
    print(f"synthetic model: {len(model.outcomes)} outcomes, {len(model.costs)} cost lines, "
          f"{model.horizon}-year horizon, {len(compiled.agencies)} agencies, {len(dists)} uncertain parameters; "
          f"IRR off")
    montecarlo(compiled, dists, draws=2_000, seed=args.seed, progress=False)        # warm-up

    header = (f"{'draws':>8} | {'vectorised s':>12} {'draws/s':>12} {'peak MB':>8} | "
              f"{'baseline s':>10} {'draws/s':>10} | {'speed-up':>8} | {'max rel diff':>12}")
    print(header)
    print("-" * len(header))
    ok = True
    for n in args.draws:
        best = float("inf")
        for _ in range(max(1, args.repeat)):
            t0 = time.perf_counter()
            result = montecarlo(compiled, dists, draws=n, seed=args.seed, keep_draws=True, progress=False)
            best = min(best, time.perf_counter() - t0)
        tracemalloc.start()
        montecarlo(compiled, dists, draws=n, seed=args.seed, progress=False)
        peak = tracemalloc.get_traced_memory()[1] / 2 ** 20
        tracemalloc.stop()

        nb = n if args.baseline_max is None else min(n, args.baseline_max)
        tb, base_metrics = baseline(compiled, sampler, nb)
        cols = [result.metrics.index(k) for k in METRIC_NAMES if k != "irr"]
        bcols = [METRIC_NAMES.index(k) for k in METRIC_NAMES if k != "irr"]
        a, b = result.values[:nb][:, cols], base_metrics[:, bcols]
        both = ~np.isnan(a) & ~np.isnan(b)
        same_nan = np.array_equal(np.isnan(a), np.isnan(b))
        diff = float(np.max(np.abs(a[both] - b[both]) / np.maximum(1.0, np.abs(b[both])))) if both.any() else 0.0
        ok &= same_nan and diff < 1e-9
        vec_rate, base_rate = n / best, nb / tb
        note = "" if nb == n else f" (baseline on {nb:,})"
        print(f"{n:>8,} | {best:>12.3f} {vec_rate:>12,.0f} {peak:>8.1f} | {tb:>10.2f} {base_rate:>10,.0f} | "
              f"{vec_rate / base_rate:>7.0f}x | {diff:>12.2e}{note}")
        if n == 100_000:
            print(f"   targets at 100,000 draws: time {best:.2f} s < 2 s: {'met' if best < 2 else 'NOT met'}; "
                  f"speed-up {vec_rate / base_rate:.0f}x >= 50x: {'met' if vec_rate / base_rate >= 50 else 'NOT met'}")
        if peak >= 1024:
            print(f"   peak memory {peak:.0f} MB: NOT under 1 GB")
    if args.streaming_draws:
        ok &= streaming(compiled, dists, args)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"process peak resident memory (whole run, interpreter included): {rss:.0f} MB")
    print("results agree with the baseline" if ok else "RESULTS DIFFER FROM THE BASELINE")
    return 0 if ok else 1


def streaming(compiled, dists, args) -> bool:
    """The streaming summary: equal to the in-memory one; time and memory at many draws."""
    n = args.streaming_check
    held = montecarlo(compiled, dists, draws=n, seed=args.seed, progress=False)
    streamed = montecarlo(compiled, dists, draws=n, seed=args.seed, progress=False, memory=2 ** 20)
    try:
        pd.testing.assert_frame_equal(streamed.summary, held.summary, check_exact=True)
        same = held.passes == 1 and streamed.passes > 1
    except AssertionError:
        same = False
    print(f"\nstreaming summary at {n:,} draws ({streamed.passes} passes, 1 MB budget) equals the "
          f"in-memory one bit for bit: {'yes' if same else 'NO'}")

    n = args.streaming_draws
    table = 8 * n * len(held.metrics)
    print(f"streaming run: {n:,} draws x {len(held.metrics)} metrics (the in-memory table would be "
          f"{table / 2 ** 30:.2f} GB); memory budget {args.memory / 2 ** 20:.0f} MB")
    t0 = time.perf_counter()
    r = montecarlo(compiled, dists, draws=n, seed=args.seed, progress=False, memory=args.memory)
    seconds = time.perf_counter() - t0
    tracemalloc.start()
    t0 = time.perf_counter()
    again = montecarlo(compiled, dists, draws=n, seed=args.seed, progress=False, memory=args.memory)
    traced_seconds = time.perf_counter() - t0
    peak = tracemalloc.get_traced_memory()[1] / 2 ** 20
    tracemalloc.stop()
    same_again = r.summary.equals(again.summary)
    print(f"   {seconds:.1f} s ({n / seconds:,.0f} draws/s), {r.passes} passes over the draws; "
          f"peak allocated {peak:.0f} MB (run under tracemalloc: {traced_seconds:.1f} s)")
    print(f"   peak {peak:.0f} MB vs budget {args.memory / 2 ** 20:.0f} MB and table "
          f"{table / 2 ** 20:,.0f} MB; under 1 GB: {'met' if peak < 1024 else 'NOT met'}; "
          f"repeat run identical: {'yes' if same_again else 'NO'}")
    return same and same_again and peak < 1024


if __name__ == "__main__":
    sys.exit(main())
