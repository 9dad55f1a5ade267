"""Monte Carlo: answers known in closed form, and reproducibility however the run is split."""

import math

import numpy as np
import pytest

import cba
from cba.core._errors import CBAError
from cba.uncertainty import PERT, Uniform, montecarlo
from cba.uncertainty._montecarlo import MAX_BLOCKS, chunk_size_for
from cba.uncertainty._sampling import BLOCK, Sampler

from .test_uncertainty_analyses import FISCAL_PER_SUCCESS, PV_COSTS, PV_COSTS_LA


@pytest.fixture(scope="module")
def worked():
    from ..conftest import EXAMPLES

    return cba.load_intervention(EXAMPLES / "worked_example.yaml")


def test_uniform_success_closed_form(worked):
    """success ~ U(0.3, 0.5): ROI = a s with a = FISCAL_PER_SUCCESS / PV_COSTS."""
    r = montecarlo(worked, {"outcomes[0].success": Uniform(0.3, 0.5)}, draws=4000, seed=2024,
                   keep_draws=True, progress=False)
    a = FISCAL_PER_SUCCESS / PV_COSTS
    s = r.samples[:, 0]
    roi = r.values[:, r.metrics.index("financial_roi")]
    # every draw is exactly the deterministic answer for its success rate
    np.testing.assert_allclose(roi, a * s, rtol=1e-12)
    np.testing.assert_allclose(r.values[:, r.metrics.index("net[local_authority]")],
                               FISCAL_PER_SUCCESS * s - PV_COSTS_LA, rtol=1e-12)
    # and the summary agrees with the closed form within Monte Carlo error
    n = r.draws
    p_true = (0.5 - PV_COSTS / FISCAL_PER_SUCCESS) / 0.2                 # P(s > switching value) = 0.8007
    assert r.probability("financial_roi") == pytest.approx(p_true, abs=4 * math.sqrt(p_true * (1 - p_true) / n))
    sd_roi = a * 0.2 / math.sqrt(12)
    assert r.summary.loc["financial_roi", "mean"] == pytest.approx(a * 0.4, abs=4 * sd_roi / math.sqrt(n))
    assert r.summary.loc["financial_roi", "sd"] == pytest.approx(sd_roi, rel=0.05)
    assert r.summary.loc["financial_roi", "p50"] == pytest.approx(a * 0.4, abs=0.02)
    assert r.summary.loc["financial_roi", "base"] == pytest.approx(1.471214, abs=1e-6)
    # the NHS only pays: never ahead; the local authority is ahead when s > 40,000 / FISCAL_PER_SUCCESS
    agencies = r.agency_table().set_index("agency")
    assert agencies.loc["nhs", "probability_ahead"] == 0.0
    assert PV_COSTS_LA / FISCAL_PER_SUCCESS < 0.3          # its switching value, 0.2737, is below the range
    assert agencies.loc["local_authority", "probability_ahead"] == 1.0
    # a new threshold from the draws
    assert r.probability("financial_roi", ">= 1.3") == pytest.approx((0.5 - 1.3 / a) / 0.2, abs=0.03)
    assert r.summary.loc["payback_period", "undefined"] == pytest.approx(1 - p_true, abs=0.03)


def test_pert_mean_is_linear(worked):
    """PERT(0.3, 0.5, 0.9) on success: mean ROI = a x PERT mean = a x 0.5333."""
    d = PERT(0.3, 0.5, 0.9)
    r = montecarlo(worked, {"outcomes[0].success": d}, draws=3000, seed=7, progress=False)
    a = FISCAL_PER_SUCCESS / PV_COSTS
    assert r.summary.loc["financial_roi", "mean"] == pytest.approx(a * d.expected_value(), rel=0.01)
    assert "irr" not in r.summary.index and not r.include_irr


DISTS = {"outcomes[0].success": {"dist": "pert", "low": 0.3, "mode": 0.5, "high": 0.7},
         "outcomes[0].duration": {"dist": "discrete", "values": [2, 3, 4]},
         "outcomes[0].drop_off": {"dist": "beta", "a": 2, "b": 18},
         "costs[0].amounts": {"dist": "triangular", "low": 0.9, "mode": 1.0, "high": 1.5},
         "discount_rate": {"dist": "uniform", "low": 0.015, "high": 0.05}}
CORR = [["outcomes[0].success", "costs[0].amounts", -0.4]]


def test_same_seed_same_results_however_split(worked):
    kw = dict(draws=5000, seed=31, correlation=CORR, keep_draws=True, progress=False)
    ref = montecarlo(worked, DISTS, chunk_size=5000, workers=1, **kw)
    for chunk, workers in ((1024, 1), (777, 2), (3000, 2), (None, None)):
        r = montecarlo(worked, DISTS, chunk_size=chunk, workers=workers, **kw)
        assert np.array_equal(r.values, ref.values, equal_nan=True), (chunk, workers)
        assert np.array_equal(r.samples, ref.samples)
        assert r.summary.equals(ref.summary)
    # the first draws of a longer run are the draws of a shorter one
    short = montecarlo(worked, DISTS, **{**kw, "draws": 1500})
    assert np.array_equal(short.values, ref.values[:1500], equal_nan=True)
    one_by_one = montecarlo(worked, DISTS, chunk_size=1, workers=2, **{**kw, "draws": 40})
    assert np.array_equal(one_by_one.values, ref.values[:40], equal_nan=True)
    # another seed gives other draws
    other = montecarlo(worked, DISTS, **{**kw, "seed": 32})
    assert not np.array_equal(other.samples, ref.samples)


def test_no_seed_is_recorded_and_repeatable(worked):
    r = montecarlo(worked, {"outcomes[0].success": Uniform(0.3, 0.5)}, draws=300, progress=False)
    again = montecarlo(worked, {"outcomes[0].success": Uniform(0.3, 0.5)}, draws=300, seed=r.seed, progress=False)
    assert r.summary.equals(again.summary)
    assert str(r.seed) in repr(r)


def test_draws_frame_irr_and_export(worked):
    r = montecarlo(worked, {"outcomes[0].success": Uniform(0.3, 0.5)}, draws=200, seed=1, include_irr=True,
                   keep_draws=True, thresholds={"payback_period": "<= 3", "irr": 0.1}, quantiles=(0.025, 0.975),
                   progress=False)
    frame = r.draws_frame()
    assert list(frame.columns[:2]) == ["outcomes[0].success", "pv_costs"] and len(frame) == 200
    # IRR of each draw solves its own fiscal net flow
    s = frame["outcomes[0].success"].to_numpy()
    irr = frame["irr"].to_numpy()
    flows = np.stack([-40_000 + 0 * s, 57_600 * s - 10_000, 51_840 * s, 46_656 * s], axis=1)
    npv = (flows / (1 + irr[:, None]) ** np.arange(4)).sum(axis=1)
    assert np.all(np.abs(npv) < 1e-6 * 40_000)
    assert {"p2_5", "p97_5"} <= set(r.summary.columns)
    assert r.thresholds["payback_period"].op == "<="
    assert r.probability("irr") == pytest.approx(float(np.mean(irr > 0.1)))
    data = r.to_dict()
    assert data["seed"] == 1 and data["summary"]["financial_roi"]["threshold"] == "financial_roi > 1"
    assert '"draws": 200' in r.to_json()


def test_errors_are_clear(worked):
    ok = {"outcomes[0].success": Uniform(0.3, 0.5)}
    with pytest.raises(CBAError, match=r"outcomes\[0\]\.success: pert: mode \(0.9\) must lie between"):
        montecarlo(worked, {"outcomes[0].success": {"dist": "pert", "low": 0.3, "mode": 0.9, "high": 0.7}})
    with pytest.raises(CBAError, match=r"outcomes\[0\]\.deadweight: a normal distribution can take any value"):
        montecarlo(worked, {"outcomes[0].deadweight": {"dist": "normal", "mean": 0.2, "sd": 0.05}})
    with pytest.raises(CBAError, match="draws: must be a whole number 1 or more"):
        montecarlo(worked, ok, draws=0)
    with pytest.raises(CBAError, match="quantiles: each must be between 0 and 1"):
        montecarlo(worked, ok, draws=10, quantiles=(5, 50))
    with pytest.raises(CBAError, match="irr is only computed with include_irr=True"):
        montecarlo(worked, ok, draws=10, thresholds={"irr": 0.1}, progress=False)
    with pytest.raises(CBAError, match="unknown metric 'roi'"):
        montecarlo(worked, ok, draws=10, thresholds={"roi": 1}, progress=False)
    r = montecarlo(worked, ok, draws=10, seed=1, progress=False)
    with pytest.raises(CBAError, match="keep_draws=True"):
        r.draws_frame()
    with pytest.raises(CBAError, match="keep_draws=True"):
        r.probability("financial_roi", 2)
    with pytest.raises(CBAError, match="has no threshold"):
        r.probability("pv_costs")


def test_chunks_fit_the_memory_budget(worked):
    from cba.engine import compile_model

    m = compile_model(worked)
    s = Sampler(m, DISTS, seed=1)
    assert chunk_size_for(m, s) % BLOCK == 0
    assert chunk_size_for(m, s, memory=10 ** 12) == MAX_BLOCKS * BLOCK
    # a model too big for a block per chunk gets a fraction of a block, down to one draw
    small = chunk_size_for(m, s, memory=300 * 1024)
    assert small < BLOCK and BLOCK % small == 0
    assert chunk_size_for(m, s, memory=1) == 1


def test_progress_bar_can_show_and_be_turned_off(worked, capsys):
    montecarlo(worked, {"outcomes[0].success": Uniform(0.3, 0.5)}, draws=3000, seed=1, chunk_size=1024,
               progress=True)
    assert "3.00k/3.00k" in capsys.readouterr().err
    montecarlo(worked, {"outcomes[0].success": Uniform(0.3, 0.5)}, draws=3000, seed=1, chunk_size=1024,
               progress=False)
    assert capsys.readouterr().err == ""


def test_confidence_grade_distribution(worked):
    """A grade drawn from a distribution becomes the optimism bias of its grade."""
    r = montecarlo(worked, {"outcomes[0].confidence": {"dist": "discrete", "values": [1, 6]}}, draws=400,
                   seed=3, keep_draws=True, progress=False)
    grade = r.samples[:, 0]
    fiscal = r.values[:, r.metrics.index("pv_fiscal")]
    # grade 3 (10%) in the model gives 73,063.2037; grade 1 removes the 10%, grade 6 takes 40%
    expected = np.where(grade == 1, 73063.2037 / 0.9, 73063.2037 / 0.9 * 0.6)
    np.testing.assert_allclose(fiscal, expected, rtol=1e-9)
    custom = worked.model_copy(deep=True)
    custom.optimism_bias = cba.OptimismBiasTable(name="gappy", grades={1: 0.0, 3: 0.1})
    with pytest.raises(CBAError, match="grade 2 is not in the optimism-bias table"):
        montecarlo(custom, {"outcomes[0].confidence": {"dist": "uniform", "low": 1, "high": 3}}, draws=400,
                   seed=3, progress=False)


def test_fewer_metrics(worked):
    full = montecarlo(worked, {"outcomes[0].success": Uniform(0.3, 0.5)}, draws=500, seed=4, keep_draws=True,
                      progress=False)
    few = montecarlo(worked, {"outcomes[0].success": Uniform(0.3, 0.5)}, draws=500, seed=4, keep_draws=True,
                     metrics=["net[nhs]", "financial_roi"], progress=False)
    assert few.metrics == ["net[nhs]", "financial_roi"] and few.values.shape == (500, 2)
    assert np.array_equal(few.values[:, 1], full.values[:, full.metrics.index("financial_roi")])
    assert list(few.summary.index) == ["net[nhs]", "financial_roi"]
    with pytest.raises(CBAError, match="not among the metrics of this run"):
        montecarlo(worked, {"outcomes[0].success": Uniform(0.3, 0.5)}, draws=5, metrics=["pv_costs"],
                   thresholds={"financial_roi": 1.2})
    with pytest.raises(CBAError, match="irr is only computed"):
        montecarlo(worked, {"outcomes[0].success": Uniform(0.3, 0.5)}, draws=5, metrics=["irr"])
    with pytest.raises(CBAError, match="kept no agency's net position"):
        montecarlo(worked, {"outcomes[0].success": Uniform(0.3, 0.5)}, draws=5, metrics=["pv_costs"],
                   progress=False).agency_table()


def test_the_mean_of_huge_finite_draws_is_finite():
    # 64 draws of a cost of 2.8e306: their sum overflows a float, their mean does not (found by fuzzing)
    r = montecarlo("examples/worked_example.yaml", {"costs[0].amounts[0]": 2.8088955232223686e+306}, draws=64,
                   seed=0, progress=False, workers=1)
    row = r.summary.loc["pv_costs"]
    assert row["mean"] == row["min"] == row["max"] == 2.8088955232223686e+306
