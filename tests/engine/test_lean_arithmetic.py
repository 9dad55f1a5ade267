"""The in-place and row-by-row forms of the Monte Carlo arithmetic give the same numbers,
bit for bit, as the plain expressions they replace.

Speed work on the sampler and the profile path rewrites expressions so that fewer
temporary arrays are made (in place, one row at a time, one clip for a whole block).
Each rewrite keeps every operation and its order, so the result must not move by a
single bit: these properties compare each with the plain form, written out here,
on generated inputs (negative zeros, infinities of the support and one draw
included). The pinned results of ``test_seed_scheme_2_pinned`` check the whole run.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import special

import cba.engine._profiles as profiles
from cba.uncertainty import PERT, Triangular, TruncatedNormal
from cba.uncertainty._distribution_base import open_uniform
from cba.uncertainty._sampling import BLOCK, Sampler

FINITE = st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False)


def same_bits(a, b) -> bool:
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return a.shape == b.shape and a.tobytes() == b.tobytes()


def uniforms(seed: int, n: int) -> np.ndarray:
    u = np.random.default_rng(seed).random(n)
    u[: min(n, 3)] = [0.0, 0.5, 1.0 - 2.0 ** -53][: min(n, 3)]      # the ends and the middle
    return u


@settings(max_examples=200, deadline=None)
@given(st.floats(-100, 100), st.floats(0, 1), st.floats(1e-6, 100), st.integers(0, 2 ** 32 - 1),
       st.integers(1, 300))
def test_triangular_inverse_cdf_is_the_plain_formula(low, at, width, seed, n):
    lo, hi = low, low + width
    mode = lo + at * (hi - lo)
    if not lo < hi or not lo <= mode <= hi:
        return
    u = uniforms(seed, n)
    plain = np.where(u < (mode - lo) / (hi - lo), lo + np.sqrt(u * (hi - lo) * (mode - lo)),
                     hi - np.sqrt((1.0 - u) * (hi - lo) * (hi - mode)))
    assert same_bits(Triangular(lo, mode, hi).ppf(u), plain)


@settings(max_examples=200, deadline=None)
@given(st.floats(-10, 10), st.floats(0.01, 5), st.floats(-4, 4), st.floats(0.1, 6), st.booleans(), st.booleans(),
       st.integers(0, 2 ** 32 - 1), st.integers(1, 300))
def test_truncated_normal_inverse_cdf_is_the_plain_formula(mean, sd, a, width, open_low, open_high, seed, n):
    low = -np.inf if open_low else mean + a * sd
    high = np.inf if open_high else mean + (a + width) * sd
    d = TruncatedNormal(mean, sd, low=low, high=high)
    u = uniforms(seed, n)
    za, zb = (low - mean) / sd, (high - mean) / sd
    flip, v = za > 0, u
    if flip:
        za, zb, v = -zb, -za, 1.0 - u
    pa, pb = special.ndtr(za), special.ndtr(zb)
    z = np.clip(special.ndtri(pa + v * (pb - pa)), za, zb)
    plain = np.clip(mean + sd * (-z if flip else z), low, high)
    assert same_bits(d.ppf(u), plain)


@settings(max_examples=100, deadline=None)
@given(FINITE, st.floats(1e-3, 1e3), st.floats(0, 1), st.integers(0, 2 ** 32 - 1), st.integers(1, 500))
def test_pert_draws_and_open_uniforms_are_the_plain_formulas(low, width, at, seed, n):
    d = PERT(low, low + at * width, low + width)
    got = d.sample(np.random.default_rng(seed), n)
    plain = d.low + (d.high - d.low) * np.random.default_rng(seed).beta(d.alpha, d.beta, n)
    assert same_bits(got, plain)
    assert same_bits(open_uniform(np.random.default_rng(seed), n),
                     np.random.default_rng(seed).random(n) + 2.0 ** -54)


@st.composite
def scaled_rows(draw):
    n, R = draw(st.integers(1, 6)), draw(st.integers(1, 7))
    D, H = draw(st.integers(1, 9)), draw(st.integers(1, 6))
    values = st.one_of(FINITE, st.just(-0.0), st.just(0.0))
    rows = np.array(draw(st.lists(values, min_size=n * H, max_size=n * H))).reshape(n, H)
    coef = np.array(draw(st.lists(values, min_size=R * D, max_size=R * D))).reshape(R, D)
    pick = np.array(draw(st.lists(st.integers(0, n - 1), min_size=R * D, max_size=R * D))).reshape(R, D)
    return rows, pick, coef


@settings(max_examples=300, deadline=None)
@given(scaled_rows())
def test_rows_added_one_at_a_time_equal_numpys_sum_along_the_first_axis(case):
    rows, pick, coef = case
    R, D, H = coef.shape + rows.shape[1:]
    plain = profiles._sum_rows(np.take(rows, pick, axis=0) * coef[..., None])
    got = profiles._sum_scaled_rows(rows, pick, coef, np.empty((D, H)), np.empty((D, H)))
    assert same_bits(got, plain)
    if len(rows) >= R:  # every draw on row r's own values (the cost lines' form)
        rows = rows[:R]
        plain = profiles._sum_rows(rows[:, None, :] * coef[:, :, None])
        assert same_bits(profiles._sum_scaled_rows(rows, None, coef, np.empty((D, H)), np.empty((D, H))), plain)


def test_a_block_is_each_parameter_sampled_clipped_and_rounded_on_its_own():
    """The block of all parameters at once against the per-parameter steps it replaced."""
    import cba
    from cba.engine import compile_model

    m = compile_model(cba.Intervention.from_dict({
        "name": "Tiny", "price_base": "2024/25", "horizon": 5,
        "costs": [{"name": "Staff", "agency": "local_authority", "amounts": [1000, 1000]}],
        "outcomes": [{"name": "A", "cohort": 10, "success": 0.5, "duration": 2, "lag": 1,
                      "value": {"components": [{"type": "fiscal", "agency": "nhs", "amount": 100}]}}]}))
    dists = {"outcomes[0].success": {"dist": "truncnormal", "mean": 0.5, "sd": 0.4, "low": 0, "high": 1},
             "outcomes[0].duration": {"dist": "uniform", "low": 1, "high": 4},          # rounded
             "outcomes[0].lag": {"dist": "triangular", "low": 0, "mode": 1, "high": 3},
             "costs": {"dist": "lognormal", "mean": 1.0, "sd": 0.2}}
    s = Sampler(m, dists, seed=11)
    for b in (0, 3):
        block = s._block(b)
        assert block.shape == (len(s.parameters), BLOCK)
        for j, (p, d) in enumerate(zip(s.parameters, s.distributions)):
            x = np.asarray(d.sample(s._stream(s._keys[p.path], b), BLOCK), float)
            x = np.clip(x, *d.support)
            if p.integer:
                x = np.rint(x)
            assert same_bits(block[j], x), p.path
    whole = s.sample(0, 3 * BLOCK)
    part = s.sample(BLOCK - 5, 2 * BLOCK + 7)
    for p in s.paths:
        assert same_bits(part[p], whole[p][BLOCK - 5:2 * BLOCK + 7]), p
