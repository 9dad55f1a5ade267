"""The accessors: every name a result object asks for is wired, and every wired name answers."""

from __future__ import annotations

import re

import pytest

import cba
from cba._wiring import ACCESSORS
from cba.core._accessors import accessor, registered
from cba.core._errors import CBAError

from ..conftest import REPO

ASKED = sorted({m for p in (REPO / "src" / "cba").rglob("*.py") if p.name != "_accessors.py"  # its doctest
                for m in re.findall(r'accessor\("([^"]+)"\)', p.read_text(encoding="utf-8"))})


def test_every_name_asked_for_is_wired_and_every_wired_name_is_asked_for():
    assert ASKED, "no accessor calls found"
    assert sorted(ACCESSORS) == ASKED


@pytest.mark.parametrize("name", sorted(ACCESSORS))
def test_every_wired_name_answers_with_a_function(name):
    assert name in registered()
    func = accessor(name)
    assert callable(func) and func.__name__ == ACCESSORS[name][1]
    assert accessor(name) is func                         # found once, then kept


def test_an_unknown_name_is_a_cba_error():
    with pytest.raises(CBAError, match=r"no output 'appraisal\.nope' is registered"):
        accessor("appraisal.nope")


def test_a_result_reaches_its_outputs(worked_example_path):
    a = cba.appraise(worked_example_path)
    assert a.summary().startswith("Worked example")
    assert "<table" in a._repr_html_()
    assert set(a.tables()) >= {"summary", "agencies"}
    assert a.plot("agencies").axes
    assert "Worked example" in str(a.intervention) and "<table" in a.intervention.costs[0]._repr_html_()
