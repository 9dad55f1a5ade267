"""Distributions, the reproducible sampler and correlation."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

import cba
from cba.core._errors import CBAError
from cba.engine import compile_model
from cba.uncertainty import PERT, Beta, Discrete, Fixed, LogNormal, Normal, Triangular, TruncatedNormal, Uniform
from cba.uncertainty._distributions import check_support, from_spec
from cba.uncertainty._parameters import resolve
from cba.uncertainty._sampling import BLOCK, Sampler, parse_correlation

U = np.linspace(0.001, 0.999, 999)

MODEL = {"name": "M", "price_base": "2024/25", "horizon": 3,
         "costs": [{"name": "Staff", "agency": "local_authority", "amounts": [1000, 1000]}],
         "outcomes": [{"name": f"O{i}", "cohort": 10, "success": 0.5, "duration": 2,
                       "value": {"components": [{"type": "fiscal", "agency": "police", "amount": 300}]}}
                      for i in range(3)]}


@pytest.fixture(scope="module")
def model():
    return compile_model(cba.Intervention.from_dict(MODEL))


@pytest.mark.parametrize("dist, reference", [
    (Uniform(0.2, 0.6), stats.uniform(0.2, 0.4)),
    (Triangular(1.0, 2.0, 4.0), stats.triang(1 / 3, loc=1.0, scale=3.0)),
    (PERT(0.3, 0.4, 0.7), stats.beta(1 + 4 * 0.1 / 0.4, 1 + 4 * 0.3 / 0.4, loc=0.3, scale=0.4)),
    (Normal(10.0, 2.0), stats.norm(10.0, 2.0)),
    (TruncatedNormal(1.0, 0.5, low=0.8, high=2.0), stats.truncnorm(-0.4, 2.0, loc=1.0, scale=0.5)),
    (TruncatedNormal(0.0, 1.0, low=6.0), stats.truncnorm(6.0, np.inf)),          # far upper tail
    (Beta(2.0, 5.0, low=1.0, high=3.0), stats.beta(2.0, 5.0, loc=1.0, scale=2.0)),
    (LogNormal(0.1, 0.3), stats.lognorm(0.3, scale=math.exp(0.1))),
])
def test_inverse_cdf_matches_scipy(dist, reference):
    np.testing.assert_allclose(dist.ppf(U), reference.ppf(U), rtol=1e-9, atol=1e-12)
    assert dist.expected_value() == pytest.approx(reference.mean(), rel=1e-9)
    lo, hi = dist.support
    assert lo == pytest.approx(reference.support()[0]) and hi == pytest.approx(reference.support()[1])


@pytest.mark.parametrize("dist", [
    Uniform(0.2, 0.6), Triangular(1.0, 1.5, 4.0), PERT(0.3, 0.4, 0.7, shape=3.0), Normal(10.0, 2.0),
    TruncatedNormal(1.0, 0.5, low=0.8), Beta(2.0, 5.0), LogNormal.from_mean_sd(1.0, 0.2), Fixed(3.5),
    Discrete((2, 3, 4), (0.2, 0.5, 0.3)),
])
def test_samples_have_the_right_mean(dist):
    x = dist.sample(np.random.default_rng(11), 40_000)
    sd = float(np.std(dist.ppf(U)))
    assert abs(x.mean() - dist.expected_value()) <= 5 * sd / math.sqrt(len(x)) + 1e-12
    lo, hi = dist.support
    assert x.min() >= lo and x.max() <= hi


def test_pert_and_lognormal_closed_forms():
    assert PERT(0.3, 0.5, 0.7).expected_value() == pytest.approx((0.3 + 4 * 0.5 + 0.7) / 6)
    d = LogNormal.from_mean_sd(2.0, 0.5)
    assert d.expected_value() == pytest.approx(2.0)
    assert math.sqrt((math.exp(d.sigma ** 2) - 1) * math.exp(2 * d.mu + d.sigma ** 2)) == pytest.approx(0.5)
    np.testing.assert_array_equal(Discrete((1, 5)).ppf([0.1, 0.49, 0.51, 0.99]), [1, 1, 5, 5])


@pytest.mark.parametrize("spec, message", [
    ({"dist": "pert", "low": 0.5, "mode": 0.2, "high": 0.7},
     "pert: mode (0.2) must lie between low (0.5) and high (0.7)"),
    ({"dist": "triangular", "low": 0.5, "mode": 0.5, "high": 0.5}, "low (0.5) must be below high (0.5)"),
    ({"dist": "uniform", "low": 1, "high": 0}, "uniform: low (1) must be below high (0)"),
    ({"dist": "normal", "mean": 0, "sd": -1}, "normal: sd must be above 0"),
    ({"dist": "beta", "a": 0, "b": 1}, "beta: a and b must be above 0"),
    ({"dist": "lognormal", "mean": 1}, "lognormal: give either mu and sigma"),
    ({"dist": "discrete", "values": [1, 2], "probabilities": [0.5, 0.6]}, "must add up to 1"),
    ({"dist": "discrete", "values": [1, 2], "probabilities": [1.0]}, "2 values but 1 probabilities"),
    ({"dist": "truncnormal", "mean": 0, "sd": 1, "low": 50}, "has no probability"),
    ({"dist": "gamma", "a": 1}, "unknown distribution 'gamma'"),
    ({"low": 0, "high": 1}, "a distribution needs 'dist'"),
    ({"dist": "pert", "low": 0, "high": 1}, "pert: missing mode"),
    ({"dist": "uniform", "low": 0, "high": 1, "mode": 0.5}, "uniform: unexpected mode"),
    ({"dist": "uniform", "low": "a", "high": 1}, "low must be a number"),
    ("often", "expected a distribution"),
])
def test_invalid_distributions_name_the_parameter(spec, message):
    with pytest.raises(CBAError) as err:
        from_spec(spec, "outcomes[0].success")
    assert str(err.value).startswith("outcomes[0].success: ") and message in str(err.value)


def test_spec_forms_round_trip():
    for d in (Uniform(0, 1), Triangular(0, 0.2, 1), PERT(0, 0.5, 1, 3.0), Normal(1, 2),
              TruncatedNormal(1, 2, low=0), Beta(2, 3, 1, 4), LogNormal(0.1, 0.2), Fixed(2),
              Discrete((1, 2), (0.3, 0.7))):
        assert from_spec(d.to_dict()) == d
    assert from_spec(0.035) == Fixed(0.035)
    assert from_spec({"type": "Truncated Normal", "mean": 1, "sd": 1, "low": 0}) == TruncatedNormal(1, 1, low=0)


def test_support_must_fit_the_parameter(model):
    success = resolve(model, "outcomes[0].success")
    with pytest.raises(CBAError, match=r"outcomes\[0\]\.success: a normal distribution can take any value, but the "
                                       r"parameter must be between 0 and 1; use truncnormal .* or beta or pert"):
        check_support(Normal(0.5, 0.1), success)
    with pytest.raises(CBAError, match=r"a pert distribution ranges over \[0.5, 1.2\]"):
        check_support(PERT(0.5, 0.7, 1.2), success)
    check_support(TruncatedNormal(0.5, 0.1, low=0, high=1), success)
    costs = resolve(model, "costs")
    with pytest.raises(CBAError, match="must be 0 or more"):
        check_support(Normal(1.0, 0.1), costs)
    check_support(LogNormal.from_mean_sd(1.0, 0.1), costs)
    with pytest.raises(CBAError, match="must be 1 or more"):
        check_support(Discrete((0, 1, 2)), resolve(model, "outcomes[0].duration"))


# ---------------------------------------------------------------- the sampler
DISTS = {"outcomes[0].success": {"dist": "pert", "low": 0.3, "mode": 0.5, "high": 0.7},
         "outcomes[1].success": {"dist": "uniform", "low": 0.2, "high": 0.8},
         "outcomes[0].duration": {"dist": "triangular", "low": 1, "mode": 2, "high": 4},
         "costs": {"dist": "lognormal", "mean": 1.0, "sd": 0.1}}


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 3 * BLOCK), st.integers(0, 3 * BLOCK), st.booleans())
def test_draws_do_not_depend_on_how_they_are_asked_for(a, b, correlated):
    m = compile_model(cba.Intervention.from_dict(MODEL))
    corr = [["outcomes[0].success", "costs", 0.5]] if correlated else None
    s = Sampler(m, DISTS, seed=99, correlation=corr)
    lo, hi = min(a, b), max(a, b)
    whole = s.sample(0, 3 * BLOCK + 5)
    part = s.sample(lo, hi)
    for p in s.paths:
        assert np.array_equal(part[p], whole[p][lo:hi])


def test_seed_and_parameters(model):
    a = Sampler(model, DISTS, seed=1).sample(0, 500)
    b = Sampler(model, DISTS, seed=1).sample(0, 500)
    c = Sampler(model, DISTS, seed=2).sample(0, 500)
    assert all(np.array_equal(a[p], b[p]) for p in a)
    assert not np.array_equal(a["costs"], c["costs"])
    # adding a parameter, or listing them in another order, leaves the others' draws alone
    more = {"outcomes[2].deadweight": {"dist": "beta", "a": 2, "b": 8}, **dict(reversed(list(DISTS.items())))}
    d = Sampler(model, more, seed=1).sample(0, 500)
    assert all(np.array_equal(a[p], d[p]) for p in a)
    # whole-number parameters come out whole
    assert set(np.unique(a["outcomes[0].duration"])) <= {1.0, 2.0, 3.0, 4.0}
    # no seed: fresh entropy, recorded so the run can be repeated
    s = Sampler(model, DISTS)
    again = Sampler(model, DISTS, seed=s.seed)
    assert np.array_equal(s.sample(0, 10)["costs"], again.sample(0, 10)["costs"])
    with pytest.raises(CBAError, match="seed: must be a whole number"):
        Sampler(model, DISTS, seed=-3)
    with pytest.raises(CBAError, match="give at least one parameter"):
        Sampler(model, {})


def test_gaussian_copula_correlation(model):
    dists = {"outcomes[0].value.components[0].amount": {"dist": "normal", "mean": 300, "sd": 30},
             "outcomes[1].value.components[0].amount": {"dist": "normal", "mean": 300, "sd": 60},
             "outcomes[0].success": {"dist": "uniform", "low": 0, "high": 1},
             "outcomes[1].success": {"dist": "uniform", "low": 0, "high": 1}}
    corr = {("outcomes[0].value.components[0].amount", "outcomes[1].value.components[0].amount"): 0.7,
            ("outcomes[0].success", "outcomes[1].success"): -0.6}
    x = Sampler(model, dists, seed=5, correlation=corr).sample(0, 20_000)
    # normal marginals keep the copula's correlation; uniforms have rank correlation 6/pi asin(rho/2)
    r = np.corrcoef(x["outcomes[0].value.components[0].amount"], x["outcomes[1].value.components[0].amount"])[0, 1]
    assert r == pytest.approx(0.7, abs=0.02)
    rho_s = stats.spearmanr(x["outcomes[0].success"], x["outcomes[1].success"]).statistic
    assert rho_s == pytest.approx(6 / math.pi * math.asin(-0.3), abs=0.02)
    # the marginals are unchanged by the correlation
    assert x["outcomes[0].value.components[0].amount"].std() == pytest.approx(30, rel=0.03)
    assert stats.kstest(x["outcomes[0].success"], "uniform").pvalue > 1e-3
    # unrelated pairs stay independent
    assert abs(np.corrcoef(x["outcomes[0].success"], x["outcomes[0].value.components[0].amount"])[0, 1]) < 0.03


def test_correlation_forms_and_errors():
    names = ["a", "b", "c"]
    members, R = parse_correlation([["a", "c", 0.5]], names)
    assert members == ["a", "c"] and R.tolist() == [[1.0, 0.5], [0.5, 1.0]]
    members, R2 = parse_correlation({"parameters": ["c", "a"], "matrix": [[1, 0.5], [0.5, 1]]}, names)
    assert members == ["a", "c"] and np.array_equal(R, R2)
    import pandas as pd

    frame = pd.DataFrame([[1, 0.5], [0.5, 1]], index=["a", "c"], columns=["a", "c"])
    assert np.array_equal(parse_correlation(frame, names)[1], R)
    with pytest.raises(CBAError, match="not positive semi-definite"):
        parse_correlation([["a", "b", 0.9], ["a", "c", 0.9], ["b", "c", -0.9]], names)
    with pytest.raises(CBAError, match=r"correlation\[0\]: a and b: must be between -1 and 1"):
        parse_correlation([["a", "b", 1.5]], names)
    with pytest.raises(CBAError, match="d has no distribution"):
        parse_correlation([["a", "d", 0.5]], names)
    with pytest.raises(CBAError, match="given twice"):
        parse_correlation([["a", "b", 0.5], ["b", "a", 0.4]], names)
    with pytest.raises(CBAError, match="must be symmetric"):
        parse_correlation({"parameters": ["a", "b"], "matrix": [[1, 0.5], [0.4, 1]]}, names)
    with pytest.raises(CBAError, match="diagonal must be 1"):
        parse_correlation({"parameters": ["a", "b"], "matrix": [[2, 0.5], [0.5, 1]]}, names)
    with pytest.raises(CBAError, match="cannot be correlated with itself"):
        parse_correlation([["a", "a", 0.5]], names)
    # perfectly correlated (singular but valid): both draws move together
    members, R = parse_correlation([["a", "b", 1.0]], names)
    assert members == ["a", "b"]


def test_perfect_correlation_moves_together(model):
    dists = {"outcomes[0].success": {"dist": "uniform", "low": 0.2, "high": 0.4},
             "outcomes[1].success": {"dist": "uniform", "low": 0.5, "high": 0.9}}
    x = Sampler(model, dists, seed=3, correlation=[["outcomes[0].success", "outcomes[1].success", 1.0]]).sample(0, 1000)
    np.testing.assert_allclose((x["outcomes[0].success"] - 0.2) / 0.2, (x["outcomes[1].success"] - 0.5) / 0.4,
                               atol=1e-12)
