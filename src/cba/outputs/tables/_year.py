"""Business-case tables by year: costs and benefits, real and discounted.

:func:`cost_table` (costs by agency and year) and :func:`benefit_table` (benefits by
value type, agency and year), each summed from the ledger as two blocks of rows
(``real``: at the price base, undiscounted; ``discounted``: the present values). Both
are in :data:`cba.outputs.tables._tables.TABLES`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pandas as pd

from cba.model._agencies import display_name
from cba.outputs._arguments import takes
from cba.outputs.tables._frame import _MONEY, _table
from cba.outputs.tables._headline import TOTAL

if TYPE_CHECKING:  # pragma: no cover
    from cba.ledger._appraisal import Appraisal


def _year_grid(rows: pd.DataFrame, keys: list[str], H: int, column: str) -> pd.DataFrame:
    """Sum ``column`` of ledger rows by ``keys`` and year into a (keys x H) frame."""
    if not len(rows):
        return pd.DataFrame(columns=[*keys, *range(H)])
    g = rows.groupby([*keys, "year"], sort=False, dropna=False)[column].sum().unstack("year")
    g = g.reindex(columns=range(H), fill_value=0.0).fillna(0.0)
    return g.reset_index()


def _wide(appraisal: Appraisal, rows: pd.DataFrame, keys: list[str],
          order: list[tuple], extra_rows: Callable[[pd.DataFrame, str], list[dict]]) -> pd.DataFrame:
    """Real and discounted tables of ``rows`` by ``keys`` and year, stacked by basis."""
    H = appraisal.compiled.horizon
    labels = list(appraisal.compiled.year_labels)
    parts = []
    for basis, column in (("real", "real"), ("discounted", "discounted")):
        g = _year_grid(rows, keys, H, column)
        lookup = {tuple(r[k] for k in keys): [float(r[t]) for t in range(H)] for _, r in g.iterrows()}
        records = []
        for key in order:
            values = lookup.get(key, [0.0] * H)
            records.append({"basis": basis, **dict(zip(keys, key)), **dict(zip(labels, values))})
        records += extra_rows(pd.DataFrame(records), basis)
        frame = pd.DataFrame(records, columns=["basis", *keys, *labels])
        frame["total"] = frame[labels].sum(axis=1)
        parts.append(frame)
    return pd.concat(parts, ignore_index=True)


def _money_kinds(appraisal: Appraisal) -> dict[str, str]:
    return {**{y: _MONEY for y in appraisal.compiled.year_labels}, "total": _MONEY}


@takes(appraisal="appraisal")
def cost_table(appraisal: Appraisal) -> pd.DataFrame:
    """Costs by agency and year after optimism bias, real and discounted (pounds).

    One block of rows per ``basis`` (``real``: at the price base, undiscounted;
    ``discounted``: times the year's discount factor), each with one row per
    cost-bearing agency and a ``total`` row. One column per year (labelled as the
    model's years) and ``total`` (for the discounted block, the present value).

    Examples
    --------
    >>> import cba
    >>> t = cost_table(cba.appraise("examples/worked_example.yaml"))
    >>> t[["basis", "agency", "Year 0", "Year 1", "total"]].round(2)
            basis           agency   Year 0    Year 1     total
    0        real  local_authority  40000.0      0.00  40000.00
    1        real              nhs      0.0  10000.00  10000.00
    2        real            total  40000.0  10000.00  50000.00
    3  discounted  local_authority  40000.0      0.00  40000.00
    4  discounted              nhs      0.0   9661.84   9661.84
    5  discounted            total  40000.0   9661.84  49661.84
    """
    led = appraisal.ledger
    rows = led[led["value_type"] == "cost"]
    names = appraisal.intervention.agency_names
    order = [(a,) for a in appraisal.compiled.agencies if a in set(rows["agency"])]
    labels = list(appraisal.compiled.year_labels)

    def total(frame: pd.DataFrame, basis: str) -> list[dict]:
        sums = frame[labels].sum() if len(frame) else pd.Series(0.0, index=labels)
        return [{"basis": basis, "agency": TOTAL, **{y: float(sums[y]) for y in labels}}]

    frame = _wide(appraisal, rows, ["agency"], order, total)
    frame.insert(2, "agency_name", [("All agencies" if a == TOTAL else display_name(a, names))
                                    for a in frame["agency"]])
    return _table(frame, "Costs by agency and year (pounds at the price base, after optimism bias)",
                  kinds={**_money_kinds(appraisal), "basis": "text", "agency": "text", "agency_name": "text"},
                  labels={"basis": "Basis", "agency_name": "Agency", "total": "Total"}, hidden=("agency",))


@takes(appraisal="appraisal")
def benefit_table(appraisal: Appraisal) -> pd.DataFrame:
    """Benefits by value type, agency and year after optimism bias, real and discounted.

    For each ``basis`` (``real``, ``discounted``): one ``fiscal`` row per agency
    that makes a saving and a fiscal ``total`` row, then one ``economic`` and one
    ``social`` row (these carry no agency). One column per year and ``total``
    (for the discounted block, the present value).

    Examples
    --------
    >>> import cba
    >>> t = benefit_table(cba.appraise("examples/worked_example.yaml"))
    >>> t[t.basis == "real"][["value_type", "agency", "Year 1", "Year 3"]]
      value_type           agency   Year 1   Year 3
    0     fiscal  local_authority  28800.0  23328.0
    1     fiscal            total  28800.0  23328.0
    2   economic             None  57600.0  46656.0
    3     social             None  14400.0  11664.0
    """
    led = appraisal.ledger
    rows = led[led["value_type"] != "cost"]
    names = appraisal.intervention.agency_names
    fiscal_agencies = [a for a in appraisal.compiled.agencies
                       if a in set(rows.loc[rows["value_type"] == "fiscal", "agency"])]
    order = [("fiscal", a) for a in fiscal_agencies]
    labels = list(appraisal.compiled.year_labels)
    H = appraisal.compiled.horizon

    def extra(frame: pd.DataFrame, basis: str) -> list[dict]:
        column = "real" if basis == "real" else "discounted"
        fiscal = frame[labels].sum() if len(frame) else pd.Series(0.0, index=labels)
        out = [{"basis": basis, "value_type": "fiscal", "agency": TOTAL, **{y: float(fiscal[y]) for y in labels}}]
        for vt in ("economic", "social"):
            sel = rows[rows["value_type"] == vt]
            by_year = sel.groupby("year")[column].sum().reindex(range(H), fill_value=0.0)
            out.append({"basis": basis, "value_type": vt, "agency": None,
                        **{y: float(by_year.iloc[t]) for t, y in enumerate(labels)}})
        return out

    frame = _wide(appraisal, rows, ["value_type", "agency"], order, extra)
    frame["agency"] = frame["agency"].astype(object).where(frame["agency"].notna(), None)
    frame.insert(3, "agency_name", [("" if a is None else "All agencies" if a == TOTAL else display_name(a, names))
                                    for a in frame["agency"]])
    return _table(frame, "Benefits by value type, agency and year (pounds at the price base, after optimism bias)",
                  kinds={**_money_kinds(appraisal), "basis": "text", "value_type": "text", "agency": "text",
                         "agency_name": "text"},
                  labels={"basis": "Basis", "value_type": "Value type", "agency_name": "Agency", "total": "Total"},
                  hidden=("agency",))

