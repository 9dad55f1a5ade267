"""Fuzzing CSV (issue 11, item 9): any local unit cost CSV is read or refused with a
CBAError naming the file and row; any table written by cba is safe and reads back exactly."""

from __future__ import annotations

import csv
import io
import re

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cba.core._errors import CBAError
from cba.core._escaping import FORMULA_STARTS, csv_text, csv_uncell
from cba.unit_costs import to_csv_text
from cba.unit_costs._tidy_csv import read_csv_text

from ..support.strategies import csv_cells

FUZZ = settings(max_examples=80, deadline=None, suppress_health_check=list(HealthCheck))
NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
COLUMNS = ["code", "description", "value_type", "value", "price_year", "agency"]


def _join(cells):
    return ",".join(cells)


@st.composite
def csv_files(draw):
    """A header that is mostly right, then rows of odd cells, some short, some long."""
    header = draw(st.one_of(st.just(COLUMNS), st.lists(st.sampled_from([*COLUMNS, "bogus"]), max_size=7)))
    rows = draw(st.lists(st.lists(st.one_of(csv_cells, st.sampled_from(["X1", "fiscal", "2019/20", "police", "12.5"])),
                                  max_size=8), max_size=5))
    quoted = draw(st.booleans())
    lines = [_join(header)] + [_join(f'"{c}"' if quoted and draw(st.booleans()) else c for c in row) for row in rows]
    return "\n".join(lines) + draw(st.sampled_from(["", "\n", '\n"']))


@FUZZ
@given(csv_files())
def test_any_local_csv_is_read_or_refused_naming_file_and_row(text):
    try:
        costs = read_csv_text(text, "ours.csv")
    except CBAError as exc:
        assert str(exc).startswith("ours.csv")
        return
    again = read_csv_text(to_csv_text(costs), "again.csv")  # what cba writes, it reads back the same
    assert [c.values for c in again] == [c.values for c in costs]
    assert [c.description for c in again] == [c.description for c in costs]


@FUZZ
@given(st.lists(st.tuples(csv_cells, st.floats(allow_nan=False, allow_infinity=False)), min_size=1, max_size=6),
       st.sampled_from(["name", "=name", "@x", "a\rb"]))
def test_written_tables_execute_nothing_and_read_back(rows, header):
    frame = pd.DataFrame(rows, columns=[header, "value"])
    for text in (csv_text(frame), csv_text(rows, [header, "value"])):
        read = list(csv.reader(io.StringIO(text, newline="")))
        assert len(read) == len(rows) + 1
        for cells in read:
            assert not cells[0].startswith(FORMULA_STARTS) or NUMBER.fullmatch(cells[0])  # -5 is a number
        assert csv_uncell(read[0][0]) == header
        assert [csv_uncell(r[0]) for r in read[1:]] == [r[0] for r in rows]
        assert [float(r[1]) for r in read[1:]] == [r[1] for r in rows]
