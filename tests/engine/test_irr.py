"""The internal rate of return: the vectorised safeguarded-Newton refinement gives the
rates of the 100-step bisection it replaced, to 1e-12, with the same convention
(the root nearest 0 among the sign changes on the grid), and each row's rate does
not depend on the other rows of the call."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cba
from cba.engine._metrics import irr

REPO = Path(__file__).resolve().parents[2]


def bisection_irr(flows, low=-0.99, high=10.0, grid=96, iterations=100):
    """The previous implementation, verbatim in substance: grid, then 100 bisection steps."""
    x = np.atleast_2d(np.asarray(flows, dtype=float))
    D, H = x.shape
    t = np.arange(H)
    out = np.full(D, np.nan)
    changes = (x.max(axis=1) > 0) & (x.min(axis=1) < 0)
    if not changes.any() or H < 2:
        return out
    xs = x[changes]
    u = np.geomspace(1.0 + low, 1.0 + high, grid)
    npv = xs @ (u[:, None] ** -t[None, :]).T
    sign = np.sign(npv)
    flips = sign[:, :-1] * sign[:, 1:] <= 0
    mid = np.sqrt(u[:-1] * u[1:]) - 1.0
    closeness = np.where(flips, np.abs(mid)[None, :], np.inf)
    j = np.argmin(closeness, axis=1)
    ok = np.isfinite(closeness[np.arange(len(j)), j])
    lo, hi = u[j].copy(), u[j + 1].copy()

    def f(v):
        return np.sum(xs * v[:, None] ** -t[None, :], axis=1)

    f_lo = f(lo)
    for _ in range(iterations):
        m = 0.5 * (lo + hi)
        f_m = f(m)
        left = np.sign(f_m) == np.sign(f_lo)
        lo = np.where(left, m, lo)
        f_lo = np.where(left, f_m, f_lo)
        hi = np.where(left, hi, m)
    root = 0.5 * (lo + hi) - 1.0
    exact_lo = npv[np.arange(len(j)), j] == 0
    root = np.where(exact_lo, u[j] - 1.0, root)
    out[np.nonzero(changes)[0]] = np.where(ok, root, np.nan)
    return out


def check_agree(flows) -> None:
    new, old = irr(flows), bisection_irr(flows)
    np.testing.assert_array_equal(np.isnan(new), np.isnan(old))
    both = ~np.isnan(old)
    np.testing.assert_allclose(new[both], old[both], rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("flows", [
    [-100, 110], [-40000, 18800, 25920, 23328], [-1000, 100, 100, 100, 100, 1000],
    [-500, -200, 300, 300, 300], [100, -150], [-100, 110, 0], [-100, 0, 121],
    [-1.0, -2.0], [0.0, 0.0], [-100.0, 0.0, 0.0, 0.0], [-1, 3, -2.0],   # none; none; none; two roots (0 and 1)
])
def test_the_cases_of_the_metrics_tests(flows):
    check_agree([flows])


@pytest.mark.parametrize("H", [2, 3, 4, 6, 10, 25, 40])
@pytest.mark.parametrize("scale", [1.0, 1e3, 1e7])
def test_random_flows(H, scale):
    rng = np.random.default_rng(H * 1000 + int(np.log10(scale)))
    x = rng.normal(size=(3000, H)) * scale
    x[:, 0] = -np.abs(x[:, 0]) * 3              # an outlay first, as in an appraisal
    check_agree(x)
    y = rng.normal(size=(3000, H)) * scale      # and flows of any signs
    check_agree(y)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False), min_size=2, max_size=12))
def test_any_flows(flows):
    check_agree([flows])


def test_every_example_model():
    for path in sorted((REPO / "examples").rglob("*.yaml")):
        try:
            a = cba.appraise(path)
        except cba.CBAError:
            continue                              # not a model file
        t = a.totals
        check_agree(t.fiscal.sum(axis=1) - t.costs.sum(axis=1))


def test_a_rows_rate_does_not_depend_on_the_other_rows():
    rng = np.random.default_rng(7)
    x = rng.normal(size=(2000, 10)) * 1e4
    x[:, 0] = -3e4
    whole = irr(x)
    for size in (1, 3, 64, 999):
        parts = np.concatenate([irr(x[i:i + size]) for i in range(0, len(x), size)])
        np.testing.assert_array_equal(parts, whole)


def test_the_root_nearest_zero_is_taken():
    # -1 + 3/v - 2/v**2 = 0 at v = 1 and v = 2 (rates 0 and 1): 0 is nearer
    assert irr([[-1.0, 3.0, -2.0]])[0] == pytest.approx(0.0, abs=1e-12)
