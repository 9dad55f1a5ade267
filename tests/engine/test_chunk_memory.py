"""Monte Carlo's memory estimate per draw covers what a chunk really allocates, on
each path: the per-timing profiles, the general path (drawn cohorts, drop-offs,
cashable shares by year) and models with a partnership deal (whose metrics need the
engine's per-line flows)."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import pytest

import cba
from cba.engine import compile_model
from cba.uncertainty._montecarlo import bytes_per_draw, chunk_size_for, run_chunk
from cba.uncertainty._sampling import BLOCK, Sampler

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _by_year_model():
    # made-up numbers: ten outcomes whose fiscal saving becomes cashable over three years
    return cba.Intervention.from_dict({
        "name": "Cashable by year", "price_base": "2024/25", "horizon": 10,
        "costs": [{"name": "Service", "agency": "nhs", "amounts": [1000.0] * 10}],
        "outcomes": [{"name": f"Outcome {i}", "cohort": [10.0] * 3, "success": 0.5, "duration": 3,
                      "value": {"components": [
                          {"type": "fiscal", "agency": "police", "amount": 100.0, "cashable": [0.2, 0.4, 0.6]},
                          {"type": "social", "amount": 50.0}]}} for i in range(10)]})


U = {"dist": "uniform", "low": 0.2, "high": 0.6}
CASES = {
    "profiles": (EXAMPLES / "worked_example.yaml",
                 {"outcomes[0].success": U, "outcomes[0].duration": {"dist": "discrete", "values": [2, 3, 4]},
                  "costs[0].amounts": {"dist": "uniform", "low": 0.9, "high": 1.2}}),
    "general, drop-off and cohort drawn": (EXAMPLES / "worked_example.yaml",
                                           {"outcomes[0].drop_off": U, "outcomes[0].cohort": U,
                                            "outcomes[0].lag": {"dist": "discrete", "values": [0, 1]}}),
    "cashable shares by year": (None, {f"outcomes[{i}].value.components[0].cashable": U for i in range(10)}),
    "deal, duration drawn": (EXAMPLES / "partnership" / "back_to_work" / "model.yaml",
                             {"outcomes[0].success": U, "partnership.gain_share[0].share": U,
                              "outcomes[0].duration": {"dist": "discrete", "values": [1, 2, 3]}}),
    "deal, outcome payments": (EXAMPLES / "partnership" / "troubled_families" / "model.yaml",
                               {"outcomes[0].success": U}),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_estimate_covers_a_chunks_arrays(case):
    path, dists = CASES[case]
    model = compile_model(cba.load_intervention(path) if path else _by_year_model())
    sampler = Sampler(model, dists, seed=1)
    n = 1024
    sampler.sample(0, n, reuse=True)                 # the block of random numbers is the sampler's, kept
    tracemalloc.start()
    try:
        base = tracemalloc.get_traced_memory()[0]
        run_chunk(model, sampler, 0, n, False, False)
        peak = tracemalloc.get_traced_memory()[1] - base
    finally:
        tracemalloc.stop()
    estimate = bytes_per_draw(model, sampler) * n
    assert peak <= estimate, (peak, estimate)
    assert estimate <= 8 * peak                      # and not so high that chunks shrink for nothing


def test_a_deal_and_shares_by_year_count_their_arrays():
    worked = compile_model(cba.load_intervention(EXAMPLES / "worked_example.yaml"))
    plain = Sampler(worked, {"outcomes[0].success": U}, seed=1)
    deal = compile_model(cba.load_intervention(EXAMPLES / "partnership" / "back_to_work" / "model.yaml"))
    with_deal = Sampler(deal, {"outcomes[0].success": U, "outcomes[0].duration": {"dist": "discrete",
                                                                                  "values": [1, 2]}}, seed=1)
    without = Sampler(deal, {"outcomes[0].success": U}, seed=1)
    assert bytes_per_draw(deal, with_deal) > bytes_per_draw(deal, without)    # evaluate's (O, H, H) kernel
    by_year = compile_model(_by_year_model())
    drawn = Sampler(by_year, {"outcomes[0].value.components[0].cashable": U}, seed=1)
    rates = Sampler(by_year, {"outcomes[0].success": U}, seed=1)
    K, H = by_year.n_components, by_year.horizon
    assert bytes_per_draw(by_year, drawn) >= 8 * 3 * K * H                   # the (K, H) override and flows
    assert bytes_per_draw(by_year, rates) >= 8 * 3 * K * H                   # the flows (general path)
    assert chunk_size_for(worked, plain) % BLOCK == 0
