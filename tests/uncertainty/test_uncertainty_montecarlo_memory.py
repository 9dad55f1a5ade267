"""Monte Carlo in bounded memory: the streaming summary equals the in-memory one, bit for bit.

A run whose table of metric values (8 bytes per metric per draw) would exceed
``memory=`` is summarised in passes over the draws, recomputed from the seed each
pass. These tests force that path with a small budget and compare every number of
the summary with the in-memory path's, and check that memory no longer grows with
the number of draws.
"""

import importlib
import math
import tracemalloc
from fractions import Fraction

import distributed
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cba
from cba.core._errors import CBAError
from cba.uncertainty import montecarlo
from cba.uncertainty._core import Threshold

# the package exports a function of the same name, so fetch the module itself
mc = importlib.import_module("cba.uncertainty._montecarlo")
# the summary and the streaming summary live in modules of their own: patch them there
summary_module = importlib.import_module("cba.uncertainty._summary")
streaming_module = importlib.import_module("cba.uncertainty._streaming")

DISTS = {"outcomes[0].success": {"dist": "pert", "low": 0.3, "mode": 0.5, "high": 0.7},
         "outcomes[0].duration": {"dist": "discrete", "values": [2, 3, 4]},
         "outcomes[0].drop_off": {"dist": "beta", "a": 2, "b": 18},
         "costs[0].amounts": {"dist": "triangular", "low": 0.9, "mode": 1.0, "high": 1.5},
         "discount_rate": {"dist": "uniform", "low": 0.015, "high": 0.05}}
CORR = [["outcomes[0].success", "costs[0].amounts", -0.4]]
# quantiles at both ends, in the tails and in between
QUANTILES = (0.0, 0.001, 0.025, 0.1, 1 / 3, 0.5, 0.9, 0.975, 0.999, 1.0)
DRAWS = 20_000


@pytest.fixture(scope="module")
def worked():
    from ..conftest import EXAMPLES

    return cba.load_intervention(EXAMPLES / "worked_example.yaml")


def canonical_bits(frame: pd.DataFrame) -> dict:
    """The bits of every float in a frame (every NaN alike), to compare exactly, zero signs included."""
    out = {}
    for col in frame.columns:
        x = frame[col].to_numpy()
        if x.dtype == float:
            out[col] = np.where(np.isnan(x), np.nan, x).view(np.uint64).tolist()
        else:
            out[col] = x.tolist()
    return out


def assert_identical(a: pd.DataFrame, b: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(a, b, check_exact=True)
    assert canonical_bits(a) == canonical_bits(b)


def run(worked, **kw):
    options = dict(draws=DRAWS, seed=11, correlation=CORR, quantiles=QUANTILES, include_irr=True,
                   thresholds={"payback_period": "<= 3", "irr": 0.1}, progress=False)
    options.update(kw)
    return montecarlo(worked, DISTS, **options)


@pytest.fixture(scope="module")
def in_memory(worked):
    """In-memory runs by (seed, chunk size), computed once each."""
    cache = {}

    def get(seed, chunk_size=None):
        if (seed, chunk_size) not in cache:
            cache[seed, chunk_size] = run(worked, seed=seed, chunk_size=chunk_size, workers=1)
        return cache[seed, chunk_size]

    return get


@pytest.mark.parametrize("seed", [11, 2024])
@pytest.mark.parametrize("chunk_size, workers, memory", [
    (None, 2, 100_000),    # blocks of whole chunks; order statistics collected from small bins
    (777, 2, 100_000),     # chunks that split the 2,048-draw blocks
    (3000, 1, 0),          # no room to collect: bins refined until each holds one value
])
def test_streaming_summary_equals_in_memory(worked, in_memory, seed, chunk_size, workers, memory):
    ref = in_memory(seed, chunk_size)
    assert ref.passes == 1
    r = run(worked, seed=seed, chunk_size=chunk_size, workers=workers, memory=memory)
    assert r.passes >= 2 and r.values is None
    assert 8 * DRAWS * len(r.metrics) > memory          # the budget really was too small for the table
    assert_identical(r.summary, ref.summary)
    assert_identical(r.agency_table(), ref.agency_table())
    assert r.to_dict() == ref.to_dict()
    for m in ("financial_roi", "payback_period", "irr", "net[local_authority]"):
        assert r.probability(m) == ref.probability(m)
    # the comparison covers a metric that is sometimes none (payback: whole years), constant
    # metrics, and the 0 and 1 quantiles
    assert 0 < ref.summary.loc["payback_period", "undefined"] < 1
    assert (ref.summary["sd"] == 0).any() and (ref.summary["sd"] > 0).any()
    assert {"p0", "p100", "p0_1", "p33_3333", "p99_9"} <= set(ref.summary.columns)
    assert (ref.summary["p0"] == ref.summary["min"]).all() and (ref.summary["p100"] == ref.summary["max"]).all()


def test_in_memory_quantiles_are_numpys(in_memory, worked):
    """The in-memory path is NumPy's linear quantile of the defined draws, and its mean and
    spread are within rounding of NumPy's."""
    r = run(worked, seed=11, keep_draws=True)
    assert_identical(r.summary, in_memory(11).summary)
    for j, m in enumerate(r.metrics):
        x = r.values[:, j]
        x = x[~np.isnan(x)]
        if not len(x):
            continue
        got = r.summary.loc[m, [summary_module._qname(q) for q in QUANTILES]].to_numpy(dtype=float)
        assert np.array_equal(got, np.quantile(x, QUANTILES), equal_nan=True), m
        assert r.summary.loc[m, "mean"] == pytest.approx(np.mean(x), rel=1e-13, abs=1e-300)
        if len(x) > 1:
            assert r.summary.loc[m, "sd"] == pytest.approx(np.std(x, ddof=1), rel=1e-11, abs=1e-300)


def test_refined_and_collected_bins_with_few_bins(worked, in_memory, monkeypatch):
    """With 16 bins a histogram pass rarely isolates an order statistic: targets are refined
    over several passes, some collected, some found alone in a bin."""
    seen = {"collected": 0, "refined": 0}
    plan = streaming_module._target_plan

    def spy(m, draws, targets, memory, mean):
        p = plan(m, draws, targets, memory, mean)
        seen["collected"] += p.n_collect
        seen["refined"] += sum(t.collect < 0 for t in targets)
        return p

    monkeypatch.setattr(streaming_module, "BINS", 16)
    monkeypatch.setattr(streaming_module, "_target_plan", spy)
    r = run(worked, seed=2024, memory=20_000)
    assert r.passes >= 4 and seen["collected"] > 0 and seen["refined"] > 0
    assert_identical(r.summary, in_memory(2024).summary)


def test_streaming_on_dask_equals_in_memory(worked, in_memory):
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as client:
        r = run(worked, seed=11, client=client, chunk_size=1000, memory=50_000)   # 20 tasks, blocks split
    assert r.passes >= 2
    assert_identical(r.summary, in_memory(11, 1000).summary)
    assert_identical(r.agency_table(), in_memory(11, 1000).agency_table())


def test_streaming_memory_does_not_grow_with_draws(worked):
    """300,000 draws of every metric would need a table of ~70 MB; streaming needs far less,
    and the same at 30,000 draws as at 300,000."""
    def peak(draws):
        tracemalloc.start()
        try:
            r = montecarlo(worked, DISTS, draws=draws, seed=5, memory=2 ** 20, chunk_size=2048, workers=1,
                           progress=False)
            return r, tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    _small, peak_small = peak(30_000)
    big, peak_big = peak(300_000)
    table = 8 * 300_000 * len(big.metrics)
    assert big.passes >= 2 and len(big.metrics) > 25
    assert peak_big < table / 3, (peak_big, table)
    assert peak_big < 1.25 * peak_small + 2 ** 20, (peak_small, peak_big)
    # the same run held in memory does hold the table
    tracemalloc.start()
    try:
        montecarlo(worked, DISTS, draws=300_000, seed=5, chunk_size=2048, workers=1, progress=False)
        held = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert held > table


def test_memory_budget_choice_and_errors(worked):
    few = dict(draws=3000, seed=1, progress=False)
    m = len(mc.core.metric_names(mc.core.as_compiled(worked))) - 1          # all but IRR
    exact_fit = montecarlo(worked, DISTS, memory=8 * 3000 * m, **few)
    one_short = montecarlo(worked, DISTS, memory=8 * 3000 * m - 1, **few)
    assert exact_fit.passes == 1 and one_short.passes >= 2
    assert_identical(exact_fit.summary, one_short.summary)
    kept = montecarlo(worked, DISTS, memory=0, keep_draws=True, **few)     # keeping draws ignores the budget
    assert kept.passes == 1 and kept.values.shape == (3000, m)
    # no quantiles: two passes (moments, then the spread)
    bare = montecarlo(worked, DISTS, memory=0, quantiles=(), **few)
    assert bare.passes == 2
    assert_identical(bare.summary, montecarlo(worked, DISTS, quantiles=(), **few).summary)
    for bad in (-1, 1.5, "1GB", True):
        with pytest.raises(CBAError, match="memory: must be a whole number 0 or more"):
            montecarlo(worked, DISTS, memory=bad, **few)


# ---------------------------------------------------------------- the summary's pieces
SPECIAL = st.sampled_from([0.0, -0.0, 1.0, -1.0, 2.5, 1e300, -1e300, 5e-324, math.inf, -math.inf, math.nan])
VALUE = st.one_of(SPECIAL, st.integers(-3, 3).map(float),
                  st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False))


@settings(max_examples=50, deadline=None)
@given(data=st.data(), rows=st.integers(1, 120), cols=st.integers(1, 3), block=st.sampled_from([1, 4, 8]),
       size=st.integers(1, 40), bins=st.sampled_from([2, 3, 16]), memory=st.sampled_from([0, 64, 10 ** 6]),
       quantiles=st.lists(st.floats(0, 1), max_size=6).map(lambda q: (*q, 0.0, 0.5, 1.0)))
def test_stream_summary_equals_summarise_on_any_values(data, rows, cols, block, size, bins, memory, quantiles):
    """Any values (NaN, infinities, signed zeros, ties), chunks in any order, any bins and
    budget: the streaming passes give the in-memory table bit for bit."""
    values = np.array(data.draw(st.lists(st.lists(VALUE, min_size=cols, max_size=cols),
                                         min_size=rows, max_size=rows)), dtype=float)
    order = data.draw(st.randoms(use_true_random=False))
    names = [f"m{j}" for j in range(cols)]
    thresholds = {"m0": Threshold("m0", ">=", 0.0)}
    base = np.zeros(cols)
    with pytest.MonkeyPatch.context() as mp:
        for module in (mc, summary_module):
            mp.setattr(module, "BLOCK", block)
        mp.setattr(streaming_module, "BINS", bins)
        mp.setattr(mc, "run_chunk", lambda model, sampler, a, b, *rest: (values[a:b].copy(), None))
        ref = summary_module.summarise(values, names, base, thresholds, quantiles)
        spans = mc.chunks(rows, size)

        def run_pass(plan):
            acc = summary_module._Accumulator(plan)
            for a, b in order.sample(spans, len(spans)):         # chunks finish in any order
                acc.merge(mc._pass_task(None, None, a, b, False, None, plan), plan)
            assert not acc.pieces
            return acc

        got, passes = streaming_module._stream_summary(run_pass, values[:block], names, base, thresholds,
                                                       quantiles, rows, memory)
    assert passes >= 1
    assert_identical(got, ref)


@settings(max_examples=50, deadline=None)
@given(x=st.lists(st.floats(allow_nan=False, width=64), min_size=1, max_size=60),
       quantiles=st.lists(st.floats(0, 1), min_size=1, max_size=8))
def test_quantile_points_reproduce_numpy(x, quantiles):
    a = np.sort(np.array(x) + 0.0)
    lower, upper, gamma = summary_module._quantile_points(len(a), quantiles)
    with np.errstate(invalid="ignore"):                # inf - inf, in both
        got = summary_module._interpolate(a[lower], a[upper], gamma)
        want = np.quantile(a, quantiles)
    assert np.array_equal(np.where(np.isnan(got), np.nan, got).view(np.uint64),
                          np.where(np.isnan(want), np.nan, want).view(np.uint64))


@settings(max_examples=50, deadline=None)
@given(x=st.lists(st.floats(allow_nan=False, width=64), min_size=2, max_size=40))
def test_keys_keep_order_and_round_trip(x):
    v = np.array(x)
    assert np.array_equal(summary_module._floats(summary_module._keys(v)).view(np.uint64), v.view(np.uint64))
    v = v + 0.0                                  # as the summary sees them: no negative zero
    k = summary_module._keys(v)
    i, j = np.triu_indices(len(v), 1)
    assert np.array_equal(k[i] < k[j], v[i] < v[j]) and np.array_equal(k[i] == k[j], v[i] == v[j])


@settings(max_examples=50, deadline=None)
@given(x=st.lists(st.floats(allow_nan=False, allow_infinity=False, width=64), min_size=1, max_size=30),
       split=st.integers(0, 30))
def test_exact_sum_is_the_exact_total_rounded_once(x, split):
    """Added in any grouping, the total is the exact rational sum divided and rounded once."""
    s, t = summary_module._ExactSum(1), summary_module._ExactSum(1)
    for v in x[:split]:
        s.add(np.array([v]))
    for v in x[split:]:
        t.add(np.array([v]))
    s.merge(t)
    exact = sum((Fraction(v) for v in x), Fraction(0)) / len(x)
    assert s.divide(np.array([len(x)]))[0] == float(exact)


def test_exact_sum_hand_checked():
    s = summary_module._ExactSum(2)
    with np.errstate(invalid="ignore"):
        for row in ([1e16, 1.0], [1.0, math.inf], [-1e16, -math.inf]):
            s.add(np.array(row))
    got = s.divide(np.array([3, 3]))
    assert got[0] == 1 / 3                      # (1e16 + 1 - 1e16) / 3, where float addition gives 0
    assert math.isnan(got[1])                   # inf - inf
    assert np.isnan(s.divide(np.array([0, 0]))).all()
