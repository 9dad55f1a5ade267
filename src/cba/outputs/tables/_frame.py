"""The frame every business-case table is: a DataFrame whose ``attrs`` say how to show it.

A table of :mod:`cba.outputs.tables._tables` is a pandas DataFrame of unrounded numbers with a title,
column labels, the kind of each column (:data:`cba.outputs._format.KINDS`), hidden and
blank-when-empty columns and notes in ``attrs``. :func:`_table` attaches them; the
modules that build tables (:mod:`cba.outputs.tables._tables`, :mod:`cba.outputs.tables._year`,
:mod:`cba.outputs.tables._assumptions`, :mod:`cba.outputs.tables._inputs`) share it.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

#: Money columns are pounds at the price base; see :data:`cba.outputs._format.KINDS`.
_MONEY = "money"


def _table(frame: pd.DataFrame, title: str, kinds: dict[str, str] | None = None,
           labels: dict[str, str] | None = None, hidden: tuple[str, ...] = (),
           notes: list[dict[str, Any]] | None = None, blank: tuple[str, ...] = ()) -> pd.DataFrame:
    frame = frame.reset_index(drop=True)
    frame.attrs.update(title=title, kinds=dict(kinds or {}), labels=dict(labels or {}),
                       hidden=list(hidden), notes=list(notes or []), blank=list(blank))
    return frame
