"""Benchmark: Monte Carlo against its floor and against a per-draw loop.

THE MODEL IS SYNTHETIC. It exists only to measure speed and memory: 20 outcomes,
10 cost lines, a 10-year horizon, three agencies. Its cohorts, rates, costs and
unit values are made-up round numbers chosen to exercise every part of the engine
(multi-year intakes, lags, durations, drop-off, optimism bias, cashable and
transfer savings); they describe no real intervention and must not be used as
evidence for one. Likewise the distributions put on its assumptions.

Three ways of getting the same summary are timed, each as the median of
``--repeat`` runs (cba and the floor in turn, and their ratio as the median of the
ratios of each pair):

- cba: ``cba.uncertainty._montecarlo`` end to end (sampling, the engine on chunks
  of draws in threads, the metrics and the summary), IRR left out and the draws not
  kept (its defaults; like the floor, it returns the summary);
- floor: a minimal hand-written numpy implementation of the same model and the
  same distributions (:func:`floor_run`): numpy's samplers; the model's arithmetic
  written for exactly this model, which uses its linearity (only success rates,
  deadweight, durations and cost multipliers vary, so each outcome's benefit
  profile is computed once per possible duration and scaled per draw, the
  per-timing precomputation the issue asks of the engine); and numpy's summary
  statistics. It is what the arithmetic costs without a library around it; before
  timing, its arithmetic is checked against cba's on cba's own draws;
- baseline: a loop calling the library's fastest per-draw path
  (``cba.uncertainty._core.run``: overrides, ``evaluate_totals``, ``compute``) once
  per draw on draws made beforehand (sampling and the summary are not timed, which
  favours the loop), timed on ``--baseline-draws`` draws and reported as a rate.

It runs with one BLAS thread unless ``OPENBLAS_NUM_THREADS`` is set (cba's chunks
already run on threads of their own, and the floor is single-threaded: BLAS
threads on top slow both on a 2-core machine). It prints each figure beside its
target: 100,000 draws in under 0.5 s; within
1.5 times the floor; at least 100 times the baseline's throughput; and the peak
memory of a run of ``--memory-draws`` draws (10 million by default; 0 skips it)
under 1 GB, measured in a child process (the memory traced by tracemalloc, and the
process's peak resident memory).

With ``--streaming-draws N`` it also checks the streaming summary against the
in-memory one and runs ``N`` draws summarised in streaming passes.

Run: ``python benchmarks/bench_montecarlo.py`` (``--help`` for options).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc
from dataclasses import dataclass
from pathlib import Path

# One BLAS thread unless told otherwise: cba runs its chunks of draws on threads of its
# own and the floor is single-threaded; on a 2-core machine BLAS threads on top of those
# slow both down (set OPENBLAS_NUM_THREADS before running to compare).
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from scipy import special  # noqa: E402

import cba  # noqa: E402
import cba.uncertainty._core as core  # noqa: E402  (the BLAS thread count is set first)
from cba.engine import compile_model  # noqa: E402
from cba.uncertainty import montecarlo  # noqa: E402
from cba.uncertainty._montecarlo import MEMORY  # noqa: E402
from cba.uncertainty._sampling import Sampler  # noqa: E402

AGENCIES = ("local_authority", "nhs", "dwp")
HORIZON = 10
N_OUTCOMES = 20
N_COSTS = 10
QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)
#: Targets (issue "A lean core").
TARGET_SECONDS = 0.5            # 100,000 draws
TARGET_FLOOR_RATIO = 1.5
TARGET_BASELINE_RATIO = 100
TARGET_MEMORY_MB = 1024


def synthetic_model(n_outcomes: int = N_OUTCOMES) -> cba.Intervention:
    """A synthetic model of the benchmark's size (or with ``n_outcomes`` outcomes, each with
    four value components). Every number is made up (see the module docstring)."""
    costs = [{"name": f"Synthetic cost line {l}", "agency": AGENCIES[l % 3],
              "kind": ("capital", "revenue", "in_kind")[l % 3],
              "amounts": [10_000.0 * (1 + l % 4)] * (HORIZON if l % 3 else 2),
              "confidence": 1 + l % 6}
             for l in range(N_COSTS)]
    outcomes = []
    for i in range(n_outcomes):
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


# ---------------------------------------------------------------- the floor
@dataclass
class Floor:
    """The fixed inputs of the synthetic model, laid out for :func:`floor_metrics`
    (taken from the compiled model, so that only the arithmetic is hand-written).

    Only success, deadweight, duration and the cost multipliers vary, so the model is
    linear in each outcome's success rate given its duration: each outcome's yearly
    benefit units per unit of success rate are precomputed for each of its three
    possible durations (``profiles``), with their present values.
    """

    line_pv: np.ndarray        # (L, A) present value of each cost line (after optimism bias) by agency
    line_yearly: np.ndarray    # (L, H) each cost line's yearly costs (after optimism bias)
    other_rates: np.ndarray    # (O,) engagement x the additionality rates that do not vary
    profiles: np.ndarray       # (O, 3, H) benefit units per unit of success rate, by duration
    pv_profiles: np.ndarray    # (O, 3) their present values
    weights: np.ndarray        # (O, 3A + 2) value per benefit unit: fiscal, cashable, transfer by agency,
                               # economic, social
    df: np.ndarray             # (H,)
    A: int
    pert: tuple                # (low, width, alpha, beta), each (O,)
    durations: np.ndarray      # (O, 3) values of each duration's discrete distribution


def floor_inputs(model, dists) -> Floor:
    """Everything :func:`floor_metrics` needs that does not change from draw to draw."""
    c = compile_model(model)
    p = c.params
    A, H, O, L = len(c.agencies), c.horizon, c.n_outcomes, c.n_costs
    df = p["discount_factors"]
    uplifted = p["cost_real"] * (1.0 + p["cost_ob"])[:, None]
    line_pv = np.zeros((L, A))
    line_pv[np.arange(L), c.cost_agency] = uplifted @ df
    weights = np.zeros((O, 3 * A + 2))
    for k in range(c.n_components):
        o, t, a, amount = c.component_outcome[k], c.component_type[k], c.component_agency[k], p["component_amount"][k]
        if t == 0:
            weights[o, a] += amount
            weights[o, A + a] += amount * p["component_cashable"][k]
            weights[o, 2 * A + a] += amount * c.component_transfer[k]
        else:
            weights[o, 3 * A + t - 1] += amount
    other = p["engagement"] * (1 - p["displacement"]) * (1 - p["leakage"]) * (1 - p["substitution"]) \
        * (1 - p["attribution"])
    durations = np.array([dists[f"outcomes[{i}].duration"]["values"] for i in range(O)], dtype=float)
    unit = p["quantity"] * (1.0 - p["outcome_ob"])
    profiles = np.zeros((O, 3, H))
    for o in range(O):                    # benefit-years of the cohort, per unit of success rate
        for v in range(3):
            for c_year in range(H):
                for t in range(c_year, H):
                    k = t - c_year - p["lag"][o]
                    if 0 <= k < durations[o, v]:
                        profiles[o, v, t] += p["cohort"][o, c_year] * (1.0 - p["drop_off"][o]) ** k * unit[o]
    low = np.array([dists[f"outcomes[{i}].success"]["low"] for i in range(O)])
    mode = np.array([dists[f"outcomes[{i}].success"]["mode"] for i in range(O)])
    high = np.array([dists[f"outcomes[{i}].success"]["high"] for i in range(O)])
    width = high - low
    pert = (low, width, 1 + 4 * (mode - low) / width, 1 + 4 * (high - mode) / width)
    return Floor(line_pv, uplifted, other, profiles, profiles @ df, weights, df, A, pert, durations)


def floor_sample(F: Floor, rng: np.random.Generator, n: int) -> tuple[np.ndarray, ...]:
    """The synthetic distributions with numpy's samplers: PERT as a scaled beta,
    triangular, an equally likely choice of three durations (drawn as its index), and
    a normal truncated to [0.7, 1.5] by inversion."""
    O, L = F.profiles.shape[0], F.line_pv.shape[0]
    low, width, a, b = F.pert
    success = low + width * rng.beta(a, b, size=(n, O))
    deadweight = rng.triangular(0.1, 0.2, 0.4, size=(n, O))
    duration = rng.integers(0, 3, size=(n, O))
    pa, pb = special.ndtr(-3.0), special.ndtr(5.0)              # (0.7 - 1) / 0.1, (1.5 - 1) / 0.1
    multiplier = 1.0 + 0.1 * special.ndtri(pa + rng.random((n, L)) * (pb - pa))
    return success, deadweight, duration, multiplier


def floor_metrics(F: Floor, success, deadweight, duration, multiplier) -> np.ndarray:
    """The 39 metric columns of the synthetic model (cba's order, IRR left out) for draws
    given as arrays ``(n, O)`` (``duration`` as the index of the value drawn) and
    ``(n, L)``: the method's arithmetic written out for this model alone."""
    _n, O, A = len(success), F.profiles.shape[0], F.A
    rate = success * (1.0 - deadweight) * F.other_rates                                  # (n, O)
    pv = (rate * F.pv_profiles[np.arange(O), duration]) @ F.weights                       # (n, 3A + 2)
    a_costs = multiplier @ F.line_pv
    a_fiscal, a_cash, a_transfer = pv[:, :A], pv[:, A:2 * A], pv[:, 2 * A:3 * A]
    pv_costs, pv_fiscal = a_costs.sum(1), a_fiscal.sum(1)
    pv_cash, pv_transfer = a_cash.sum(1), a_transfer.sum(1)
    pv_econ, pv_social = pv[:, 3 * A], pv[:, 3 * A + 1]
    pv_public = pv_fiscal - pv_transfer + pv_econ + pv_social

    def ratio(a, b):
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(b != 0, a / np.where(b != 0, b, 1.0), np.nan)

    # payback needs the yearly flows: costs, and fiscal benefits by duration drawn
    fiscal_rate = rate * F.weights[:, :A].sum(1)                                          # (n, O)
    yearly_fiscal = sum((fiscal_rate * (duration == v)) @ F.profiles[:, v] for v in range(3))
    cum_c = np.cumsum((multiplier @ F.line_yearly) * F.df, axis=1)
    cum_f = np.cumsum(yearly_fiscal * F.df, axis=1)
    hit = (cum_f >= cum_c) & (cum_c > 0)
    roi = ratio(pv_fiscal, pv_costs)
    payback = np.where(hit.any(1) & (roi > 1), np.argmax(hit, axis=1) + 1.0, np.nan)
    cost_share, fiscal_share = ratio(a_costs, pv_costs[:, None]), ratio(a_fiscal, pv_fiscal[:, None])
    wpi = np.where((pv_costs != 0) & (pv_fiscal != 0), 0.5 * np.abs(cost_share - fiscal_share).sum(1), np.nan)
    return np.column_stack([
        pv_costs, pv_fiscal, pv_cash, pv_econ, pv_social, pv_public, pv_fiscal - pv_costs, pv_public - pv_costs,
        roi, ratio(pv_cash, pv_costs), ratio(pv_econ, pv_costs), ratio(pv_social, pv_costs),
        ratio(pv_public, pv_costs), payback, wpi,
        a_costs, a_fiscal, a_cash, a_transfer, a_fiscal - a_costs, cost_share, fiscal_share, ratio(a_fiscal, a_costs),
    ])


def floor_summary(values: np.ndarray, thresholds: dict[int, float]) -> np.ndarray:
    """Mean, sd, min, quantiles, max, share undefined and probability above each threshold."""
    with np.errstate(invalid="ignore"):
        stats = [np.nanmean(values, 0), np.nanstd(values, 0, ddof=1), np.nanmin(values, 0),
                 *np.nanquantile(values, QUANTILES, axis=0), np.nanmax(values, 0), np.isnan(values).mean(0)]
    prob = np.full(values.shape[1], np.nan)
    for j, t in thresholds.items():
        prob[j] = np.mean(values[:, j] > t)
    return np.vstack([*stats, prob])


def floor_run(model, dists, draws: int, seed: int, thresholds: dict[int, float], chunk: int = 16384) -> np.ndarray:
    """The floor end to end: the fixed inputs, then sample, compute in chunks of draws,
    summarise."""
    F = floor_inputs(model, dists)
    rng = np.random.default_rng(seed)
    values = np.empty((draws, 15 + 8 * F.A))
    for a in range(0, draws, chunk):
        b = min(a + chunk, draws)
        values[a:b] = floor_metrics(F, *floor_sample(F, rng, b - a))
    return floor_summary(values, thresholds)


def check_floor(F: Floor, compiled, dists, seed: int) -> float:
    """Largest relative difference between the floor's arithmetic and cba's, on cba's draws."""
    r = montecarlo(compiled, dists, draws=5000, seed=seed, keep_draws=True, progress=False)
    O, L = compiled.n_outcomes, compiled.n_costs
    s = {p: r.samples[:, j] for j, p in enumerate(r.parameters)}
    success, deadweight, duration = (np.column_stack([s[f"outcomes[{i}].{k}"] for i in range(O)])
                                     for k in ("success", "deadweight", "duration"))
    index = np.argmax(duration[:, :, None] == F.durations[None], axis=2)        # the value drawn -> its index
    got = floor_metrics(F, success, deadweight, index, np.column_stack([s[f"costs[{l}].amounts"] for l in range(L)]))
    return max_rel_diff(got, r.values)


def max_rel_diff(a: np.ndarray, b: np.ndarray) -> float:
    if a.shape != b.shape or not np.array_equal(np.isnan(a), np.isnan(b)):
        return float("inf")
    ok = ~np.isnan(b)
    return float(np.max(np.abs(a[ok] - b[ok]) / np.maximum(1.0, np.abs(b[ok])), initial=0.0))


# ---------------------------------------------------------------- the per-draw baseline
def baseline(compiled, sampler: Sampler, draws: int) -> tuple[float, np.ndarray]:
    """The library's fastest per-draw path, once per draw, on draws made beforehand.
    Returns (seconds, metric values)."""
    values = sampler.sample(0, draws)
    names = core.metric_names(compiled)
    keep = [j for j, n in enumerate(names) if n != "irr"]
    out = np.empty((draws, len(keep)))
    start = time.perf_counter()
    for i in range(draws):
        one = {p: values[p][i:i + 1] for p in values}
        out[i] = core.run(compiled, sampler.parameters, one, checked=True)[0, keep]
    return time.perf_counter() - start, out


def timed(fn) -> tuple[float, object]:
    t0 = time.perf_counter()
    result = fn()
    return time.perf_counter() - t0, result


def verdict(ok: bool) -> str:
    return "met" if ok else "NOT met"


# ---------------------------------------------------------------- memory, in a child process
def memory_child(draws: int, seed: int) -> None:
    model = synthetic_model()
    compiled = compile_model(model)
    dists = synthetic_distributions(model)
    tracemalloc.start()
    t0 = time.perf_counter()
    montecarlo(compiled, dists, draws=draws, seed=seed, progress=False)
    seconds = time.perf_counter() - t0
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(json.dumps({"peak": peak, "rss": rss, "seconds": seconds}))


def memory(draws: int, seed: int) -> dict:
    run = subprocess.run([sys.executable, __file__, "--memory-child", str(draws), "--seed", str(seed)],
                         capture_output=True, text=True, check=True)
    return json.loads(run.stdout.strip().splitlines()[-1])


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--draws", type=int, nargs="+", default=[10_000, 100_000])
    ap.add_argument("--repeat", type=int, default=5, help="timings: median of this many runs (default 5)")
    ap.add_argument("--baseline-draws", type=int, default=2000, help="draws per timed baseline run (default 2000)")
    ap.add_argument("--memory-draws", type=int, default=10_000_000,
                    help="draws of the memory run, in a child process (default 10,000,000; 0 skips it)")
    ap.add_argument("--seed", type=int, default=2024)
    ap.add_argument("--streaming-draws", type=int, default=None, metavar="N",
                    help="also run N draws summarised in streaming passes (e.g. 5000000)")
    ap.add_argument("--streaming-check", type=int, default=200_000, metavar="N",
                    help="draws at which the streaming summary is checked against the in-memory one")
    ap.add_argument("--memory", type=int, default=MEMORY,
                    help=f"montecarlo(memory=) budget in bytes for the streaming run (default {MEMORY})")
    ap.add_argument("--memory-child", type=int, default=None, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.memory_child is not None:
        memory_child(args.memory_child, args.seed)
        return 0

    model = synthetic_model()
    compiled = compile_model(model)
    dists = synthetic_distributions(model)
    sampler = Sampler(compiled, dists, seed=args.seed)
    F = floor_inputs(model, dists)
    names = [n for n in core.metric_names(compiled) if n != "irr"]
    thresholds = {names.index(m): t for m, t in core.DEFAULT_THRESHOLDS.items()}
    thresholds.update({names.index(f"net[{a}]"): 0.0 for a in compiled.agencies})
    print(f"cba {cba.__version__}, Python {platform.python_version()}, numpy {np.__version__}, "
          f"{os.cpu_count()} CPU(s), {platform.machine()}, OPENBLAS_NUM_THREADS={os.environ['OPENBLAS_NUM_THREADS']}")
    print(f"synthetic model: {len(model.outcomes)} outcomes, {len(model.costs)} cost lines, "
          f"{model.horizon}-year horizon, {len(compiled.agencies)} agencies, {len(dists)} uncertain parameters; "
          f"IRR off; every time the median of {args.repeat} runs")
    floor_diff = check_floor(F, compiled, dists, args.seed)
    print(f"the floor's arithmetic on cba's draws: largest relative difference {floor_diff:.2e} "
          f"({'same model' if floor_diff < 1e-9 else 'DIFFERENT MODEL'})")
    montecarlo(compiled, dists, draws=2_000, seed=args.seed, progress=False)          # warm-up
    floor_run(model, dists, 2_000, args.seed, thresholds)

    runs = [baseline(compiled, sampler, args.baseline_draws) for _ in range(max(1, args.repeat))]
    base_values = runs[0][1]
    base_rate = args.baseline_draws / statistics.median(seconds for seconds, _ in runs)
    header = (f"{'draws':>9} | {'cba s':>7} {'draws/s':>9} | {'floor s':>7} {'cba/floor':>9} | "
              f"{'baseline draws/s':>16} {'cba/baseline':>12} | {'max rel diff':>12}")
    print(header)
    print("-" * len(header))
    ok = floor_diff < 1e-9
    at_target = None
    for n in args.draws:
        # cba and the floor in turn, so that a busy spell of the machine falls on both; both
        # return the summary and keep no parameter draws (the values are checked on a run
        # with keep_draws=True, not timed)
        cba_times, floor_times = [], []
        for _ in range(max(1, args.repeat)):
            cba_times.append(timed(lambda n=n: montecarlo(compiled, dists, draws=n, seed=args.seed, progress=False))[0])
            floor_times.append(timed(lambda n=n: floor_run(model, dists, n, args.seed, thresholds))[0])
        tc, tf = statistics.median(cba_times), statistics.median(floor_times)
        ratio = statistics.median(c / f for c, f in zip(cba_times, floor_times))
        nb = min(n, args.baseline_draws)
        result = montecarlo(compiled, dists, draws=nb, seed=args.seed, keep_draws=True, progress=False)
        diff = max_rel_diff(result.values[:, [result.metrics.index(m) for m in names]], base_values[:nb])
        ok &= diff < 1e-9
        rate = n / tc
        print(f"{n:>9,} | {tc:>7.3f} {rate:>9,.0f} | {tf:>7.3f} {ratio:>9.2f} | "
              f"{base_rate:>16,.0f} {rate / base_rate:>11.0f}x | {diff:>12.2e}")
        if n == 100_000:
            at_target = (tc, ratio, rate / base_rate)
    if at_target:
        tc, floor_ratio, base_ratio = at_target
        print(f"targets at 100,000 draws: time {tc:.3f} s < {TARGET_SECONDS} s: {verdict(tc < TARGET_SECONDS)}; "
              f"cba/floor {floor_ratio:.2f} <= {TARGET_FLOOR_RATIO}: {verdict(floor_ratio <= TARGET_FLOOR_RATIO)}; "
              f"cba/baseline {base_ratio:.0f}x >= {TARGET_BASELINE_RATIO}x: "
              f"{verdict(base_ratio >= TARGET_BASELINE_RATIO)}")
    if args.memory_draws:
        m = memory(args.memory_draws, args.seed)
        peak, rss = m["peak"] / 2 ** 20, m["rss"] / 2 ** 20
        print(f"memory at {args.memory_draws:,} draws (child process, {m['seconds']:.0f} s under tracemalloc): "
              f"peak allocated {peak:,.0f} MB, peak resident {rss:,.0f} MB (interpreter included); "
              f"< {TARGET_MEMORY_MB} MB: {verdict(max(peak, rss) < TARGET_MEMORY_MB)}")
    if args.streaming_draws:
        ok &= streaming(compiled, dists, args)
    print("results agree with the baseline and the floor's arithmetic" if ok else "RESULTS DIFFER")
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
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    sys.exit(main())
