"""The report of a model's mistakes is bounded (issue 19, item 5): at most MAX_PROBLEMS
problems written, each of at most MAX_PROBLEM_CHARS characters, all kept in ``problems``;
the work per repeated mistake does not grow with the file."""

from __future__ import annotations

import pytest

import cba
from cba.core._errors import MAX_PROBLEM_CHARS, MAX_PROBLEMS, ModelError
from cba.model import _checks


def outcomes(n: int, **changes) -> dict:
    return {"name": "T", "price_base": "2024/25", "horizon": 2,
            "outcomes": [{"name": f"O{i}", "cohort": 10, "success": 0.5,
                          "value": {"components": [{"type": "fiscal", "agency": "police", "amount": 1}]},
                          **changes} for i in range(n)]}


def test_a_model_error_writes_at_most_max_problems_lines_of_bounded_length():
    err = ModelError([(f"costs[{i}].name", "x" * 10_000) for i in range(1000)])
    lines = str(err).split("\n")
    assert len(err.problems) == 1000
    assert len(lines) == MAX_PROBLEMS + 1 and lines[-1] == "... and 980 more problems (the first 20 are shown)"
    assert all(len(line) <= MAX_PROBLEM_CHARS for line in lines)
    assert str(ModelError([("a", "one\nline")])) == "a: one line"


def test_one_mistake_repeated_is_reported_briefly_with_the_count():
    with pytest.raises(cba.ModelError) as err:
        cba.Intervention.from_dict(outcomes(2000, success=2, deadweight=-1))
    assert len(err.value.problems) == 4000
    assert str(err.value).count("\n") == MAX_PROBLEMS and "3,980 more problems" in str(err.value)


def test_a_huge_value_in_a_message_is_cut():
    with pytest.raises(cba.ModelError) as err:
        cba.Intervention.from_dict({**outcomes(1), "costs": [{"name": "S", "agency": "y" * 100_000, "amounts": [1]}]})
    assert max(len(line) for line in str(err.value).split("\n")) <= MAX_PROBLEM_CHARS


def test_the_stand_in_for_a_faulty_field_is_found_once_per_field_not_per_mistake():
    _checks._neutral.cache_clear()
    with pytest.raises(cba.ModelError):
        cba.Intervention.from_dict(outcomes(500, success=2, cohort="many"))
    assert _checks._neutral.cache_info().misses <= 4  # success, cohort (and no more however many outcomes)
