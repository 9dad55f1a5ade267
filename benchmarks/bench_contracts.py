"""Benchmark: an investor's return under uncertainty, beside the appraisal's own Monte Carlo.

The Monte Carlo benchmark's synthetic model (``bench_montecarlo.py``: 20 outcomes, 10
cost lines, 10 years, made-up numbers) with an outcomes contract laid over it: a rate
card of five tariffs (two of them ladders with a per-person cap) under one contract
maximum, two payers with maxima, a top-up with an award, a payment lag, and a social
investor funding the provider's costs (every term an assumption for the benchmark).
Draws vary the outcomes' success rates and two terms of the contract.

Timed, each the median of ``--repeat`` runs of 100,000 draws, in turn:

- the appraisal's Monte Carlo of the same model and draws, without the deal;
- the same with the deal, reporting the investor's and the provider's net positions
  (``metrics=``: the deal is worked out from the engine's costs alone, as neither
  partner banks savings);
- for comparison, the deal with every metric of every partner and the appraisal's own
  (the engine's per-line flows, every partner's savings).

Target (issue 17): the investor's run takes no more than twice the appraisal's.

Run: ``python benchmarks/bench_contracts.py`` (``--help`` for options).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import cba  # noqa: E402  (the BLAS thread count is set first)
from bench_montecarlo import synthetic_model  # noqa: E402
from cba.uncertainty import montecarlo  # noqa: E402

TARGET_RATIO = 2.0


def with_contract(model: cba.Intervention) -> cba.Intervention:
    """The synthetic model with an outcomes contract and an investor (assumed terms)."""
    data = model.to_dict()
    data["agencies"] = [{"id": "provider", "name": "Provider"}, {"id": "investor", "name": "Social investor"},
                        {"id": "fund", "name": "Outcomes fund"}]
    data["costs"].append({"name": "Service", "agency": "provider", "amounts": [50_000.0] * 10})
    names = [o["name"] for o in data["outcomes"]]
    tariffs = [{"outcome": names[i], "price": 500.0 + 100 * i} for i in range(3)]
    tariffs += [{"outcome": names[3 + i], "per_person_cap": 2_000.0,
                 "rungs": [{"price": 800.0}, {"price": 800.0, "lag": 1, "reach": 0.6},
                           {"price": 800.0, "lag": 1, "reach": 0.5}]} for i in range(2)]
    data["partnership"] = {
        "outcome_payments": [{"payers": [{"payer": "local_authority", "share": 0.7, "maximum": 400_000.0},
                                         {"payer": "nhs", "share": 0.3}],
                              "payee": "provider", "basis": "gross", "tariffs": tariffs, "cap": 600_000.0,
                              "payment_lag": 1, "top_up": {"payer": "fund", "share": 0.2, "award": 80_000.0}}],
        "investments": [{"investor": "investor", "provider": "provider", "commitment": 300_000.0,
                         "return_cap": 0.4, "surplus_share": 0.1}]}
    return cba.Intervention.from_dict(data)


def timed(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--draws", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--seed", type=int, default=2024)
    args = ap.parse_args()

    plain = synthetic_model()
    deal = with_contract(plain)
    names = [o.name for o in plain.outcomes]
    dists = {f"outcomes[{i}].success": {"dist": "uniform", "low": 0.1, "high": 0.6} for i in range(5)}
    deal_dists = {**dists,
                  "partnership.outcome_payments[0].tariffs[3].rungs[1].reach": {"dist": "uniform", "low": 0.3,
                                                                                 "high": 0.9},
                  "partnership.investments[0].return_cap": {"dist": "uniform", "low": 0.2, "high": 0.6}}
    del names

    def appraisal():
        return montecarlo(plain, dists, draws=args.draws, seed=args.seed, progress=False)

    def investor():
        return montecarlo(deal, deal_dists, draws=args.draws, seed=args.seed, progress=False,
                          metrics=["net_after[investor]", "net_after[provider]"])

    def everything():
        return montecarlo(deal, deal_dists, draws=args.draws, seed=args.seed, progress=False)

    appraisal(), investor(), everything()                             # warm-up
    a, d, e = [], [], []
    for _ in range(max(1, args.repeat)):
        a.append(timed(appraisal))
        d.append(timed(investor))
        e.append(timed(everything))
    ratio = statistics.median(x / y for x, y in zip(d, a, strict=True))
    every = statistics.median(x / y for x, y in zip(e, a, strict=True))
    r = investor()
    loss = r.probability("net_after[investor]")
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"{args.draws:,} draws, median of {args.repeat} (load average {load:.1f}):")
    print(f"   the appraisal's Monte Carlo (no deal)           {statistics.median(a):7.3f} s")
    print(f"   the investor's and provider's positions         {statistics.median(d):7.3f} s")
    print(f"   ratio, pair by pair                             {ratio:7.2f}   target <= {TARGET_RATIO}: "
          f"{'met' if ratio <= TARGET_RATIO else 'NOT met'}")
    print(f"   every metric of every partner and the appraisal {statistics.median(e):7.3f} s   "
          f"ratio {every:.2f} (no target)")
    print(f"   investor's chance of losing money               {loss:7.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
