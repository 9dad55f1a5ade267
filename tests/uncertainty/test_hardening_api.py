"""The Python API is as safe as the command line (issue 11, items 2 and 8): every user
mistake is a ``cba.CBAError`` (a ``ValueError``), never pydantic's ValidationError,
RecursionError, OverflowError or a bare ValueError."""

from __future__ import annotations

import copy

import numpy as np
import pytest
import yaml
from pydantic import ValidationError

import cba
import cba.core._files
import cba.core._limits
from cba.core._errors import CBAError, ModelError
from cba.uncertainty import montecarlo
from cba.uncertainty._core import Spans, check_draws

from ..conftest import EXAMPLES

WORKED = EXAMPLES / "worked_example.yaml"
BASE = yaml.safe_load(WORKED.read_text())


def check_only_cba_error(fn, *args, **kwargs) -> CBAError:
    try:
        fn(*args, **kwargs)
    except CBAError as exc:
        assert isinstance(exc, ValueError) and not isinstance(exc, ValidationError)
        return exc
    except BaseException as exc:
        pytest.fail(f"{type(exc).__name__} instead of CBAError: {exc}")
    pytest.fail("no error raised")


def test_cba_error_is_a_value_error():
    assert issubclass(cba.CBAError, ValueError) and issubclass(cba.ModelError, cba.CBAError)


# ---------------------------------------------------------------- assignment and construction
@pytest.mark.parametrize("attribute,value,says", [
    ("horizon", -1, "horizon: Input should be greater than or equal to 1"),
    ("horizon", True, "horizon: expected a number, got true"),
    ("horizon", 1, "costs[1].amounts: 2 years given but the horizon is 1 years"),
    ("price_base", "2024", "price_base"),
    ("name", None, "name"),
])
def test_invalid_assignment_raises_model_error_and_keeps_the_model(attribute, value, says):
    model = cba.Intervention.from_dict(BASE)
    before = model.to_json()
    exc = check_only_cba_error(setattr, model, attribute, value)
    assert isinstance(exc, ModelError) and says in str(exc)
    assert model.to_json() == before


def test_invalid_assignment_on_a_nested_model():
    model = cba.Intervention.from_dict(BASE)
    exc = check_only_cba_error(setattr, model.outcomes[0], "success", 1.4)
    assert "success: must be between 0 and 1, got 1.4" in str(exc)
    exc = check_only_cba_error(setattr, model.costs[0], "amounts", [True])
    assert "amounts[0]: expected a number, got true" in str(exc)


def test_construction_and_validation_raise_model_error_with_every_problem():
    exc = check_only_cba_error(cba.Intervention, name=1, horizon=0)
    assert isinstance(exc, ModelError)
    paths = [p for p, _ in exc.problems]
    assert paths == ["name", "price_base", "horizon"]
    check_only_cba_error(cba.Intervention.model_validate, {"name": "x"})
    check_only_cba_error(cba.Intervention.model_validate_json, '{"name": "x", "name": "y"}')
    check_only_cba_error(cba.Outcome, name="o", cohort=1, success=2, value={"unit_cost": "X"})


def test_every_field_mistake_of_a_model_is_reported_together():
    data = copy.deepcopy(BASE)
    data["outcomes"][0]["success"] = 1.4
    data["outcomes"][0]["lag"] = True
    data["costs"][0]["amounts"] = [-1]
    exc = check_only_cba_error(cba.Intervention.from_dict, data)
    assert [p for p, _ in exc.problems] == ["costs[0].amounts[0]", "outcomes[0].success", "outcomes[0].lag"]


@pytest.mark.parametrize("value", [3, 2.5, None, [1, 2], object(), b"name: x"])
def test_appraise_of_anything_else_is_a_cba_error(value):
    check_only_cba_error(cba.appraise, value)


def test_deep_or_cyclic_python_data_is_a_cba_error():
    deep: list = []
    cur = deep
    for _ in range(5000):
        cur.append([])
        cur = cur[0]
    data = {**BASE, "costs": deep}
    check_only_cba_error(cba.appraise, data)
    cyclic = copy.deepcopy(BASE)
    cyclic["costs"][0]["amounts"] = cyclic["costs"][0]["amounts"]
    loop: dict = {"name": "x"}
    loop["outcomes"] = [loop]
    check_only_cba_error(cba.Intervention.from_dict, {**BASE, **loop})


@pytest.mark.parametrize("text", ["[" * 100_000, "a: " + "{b: " * 50_000, "name: 'x" * 3, "- ]", "\x00"])
def test_malformed_text_is_a_cba_error(text):
    check_only_cba_error(cba.Intervention.from_yaml, text)
    check_only_cba_error(cba.Intervention.from_json, text)


def test_huge_numbers_in_python_are_cba_errors():
    for changes in ({"horizon": 10 ** 400}, {"costs": [{"name": "c", "agency": "nhs", "amounts": [10 ** 400]}]}):
        check_only_cba_error(cba.appraise, {**BASE, **changes})


# ---------------------------------------------------------------- Monte Carlo draws
@pytest.mark.parametrize("draws", [0, -1, True, 2.5, "100", 10 ** 12])
def test_draw_counts_are_bounded_and_validated(draws):
    exc = check_only_cba_error(montecarlo, BASE, {"outcomes[0].success": {"dist": "uniform", "low": 0.1, "high": 0.9}},
                         draws=draws, progress=False)
    assert "draws" in str(exc)


def test_too_many_draws_are_refused_before_any_allocation(monkeypatch):
    def no_allocation(*args, **kwargs):
        raise AssertionError("allocated before checking the draws")

    monkeypatch.setattr(np, "empty", no_allocation)
    exc = check_only_cba_error(montecarlo, BASE, {"outcomes[0].success": {"dist": "uniform", "low": 0.1, "high": 0.9}},
                         draws=10 ** 9, progress=False)
    assert "CBA_MAX_DRAWS" in str(exc)


def test_kept_draws_must_fit_the_memory_limit():
    dist = {"outcomes[0].success": {"dist": "uniform", "low": 0.1, "high": 0.9}}
    exc = check_only_cba_error(montecarlo, BASE, dist, draws=2_000_000, keep_draws=True, progress=False)
    assert "kept_draws_bytes" in str(exc)
    with cba.core._limits.override(kept_draws_bytes=10 ** 10, draws=10 ** 9):
        assert check_draws(2_000_000, kept_columns=40) == 2_000_000


def test_chunks_are_made_on_demand():
    spans = Spans(10 ** 8, 1)
    assert len(spans) == 10 ** 8 and spans[-1] == (10 ** 8 - 1, 10 ** 8)
    assert list(Spans(5, 2)) == [(0, 2), (2, 4), (4, 5)]
    from cba.uncertainty._montecarlo import chunks

    assert isinstance(chunks(10 ** 8, 1), Spans)


def test_a_large_draw_count_in_the_limit_streams_in_bounded_memory():
    """Within the limit the summary streams (no list or array the size of the draws)."""
    result = montecarlo(BASE, {"outcomes[0].success": {"dist": "uniform", "low": 0.1, "high": 0.9}}, draws=5000,
                        seed=1, memory=1000, progress=False, metrics=["financial_roi"])
    assert result.values is None and result.passes >= 2


def test_the_memory_budget_and_threads_are_bounded(monkeypatch):
    dist = {"outcomes[0].success": {"dist": "uniform", "low": 0.1, "high": 0.9}}
    exc = check_only_cba_error(montecarlo, BASE, dist, draws=100, memory=10 ** 12, progress=False)
    assert "kept_draws_bytes" in str(exc)
    started = []
    import concurrent.futures

    real = concurrent.futures.ThreadPoolExecutor.__init__

    def counting(self, max_workers=None, *args, **kwargs):
        started.append(max_workers)
        real(self, max_workers, *args, **kwargs)

    monkeypatch.setattr(concurrent.futures.ThreadPoolExecutor, "__init__", counting)
    montecarlo(BASE, dist, draws=4096 * 100, seed=1, chunk_size=4096, workers=10 ** 6, progress=False,
               metrics=["financial_roi"])
    assert started and max(started) <= 64


def test_other_api_mistakes_are_cba_errors():
    import cba.unit_costs
    from cba.uncertainty import switching_values

    check_only_cba_error(switching_values, BASE, 3, "financial_roi")
    check_only_cba_error(montecarlo, BASE, {"outcomes[0].success": 0.5}, draws=10, quantiles=[True], progress=False)
    check_only_cba_error(cba.unit_costs.default().search, None)
    check_only_cba_error(cba.unit_costs.default().filter, theme=3)
    check_only_cba_error(cba.core._files.parse_data, "[" * 100_000)
    exc = check_only_cba_error(cba.core._files.parse_data, "[" * 100_000)
    assert "CBA_MAX_DEPTH" in str(exc)
