"""The two headline tables as plain columns: the cases, and who pays and who saves.

:func:`summary` (the financial and economic case) and :func:`agencies` (who pays
and who saves, with a total row) compute each table once, as Python lists with the
``attrs`` that say how to show them (see :mod:`cba.outputs._format`).
:mod:`cba.outputs.tables._tables` turns them into pandas DataFrames (``summary_table``,
``agency_table``); the readable summary of an appraisal (``Appraisal.summary()``,
``cba appraise`` without ``--format``) renders them directly, so that it needs no
pandas.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from cba.engine._metrics import AGENCY_METRIC_NAMES
from cba.ledger._appraisal import pv_fiscal_excluding_transfers
from cba.model._agencies import display_name
from cba.outputs._labels import SUMMARY_ROWS

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from cba.ledger._appraisal import Appraisal

#: The agency id of the total row.
TOTAL = "total"

#: Column headings of the agency table.
AGENCY_LABELS = {
    "agency": "Agency id", "agency_name": "Agency", "pv_costs": "Pays (PV costs)",
    "pv_fiscal": "Banks (PV fiscal)", "pv_cashable": "of which cashable",
    "pv_transfer": "of which transfers", "net": "Net position", "roi": "ROI",
    "cost_share": "Share of costs", "fiscal_share": "Share of savings",
}


class PlainTable:
    """A table as named columns of Python values, with the ``attrs`` of a DataFrame
    of :mod:`cba.outputs.tables._tables`: all that the renderers of :mod:`cba.outputs._format` read.

    Examples
    --------
    >>> t = PlainTable({"agency": ["Police"], "net": [1500.4]}, {"kinds": {"net": "money"}})
    >>> t.columns, len(t), t["net"].tolist()
    (['agency', 'net'], 1, [1500.4])
    """

    def __init__(self, columns: dict[str, list], attrs: dict[str, Any]):
        self.data = columns
        self.attrs = attrs

    @property
    def columns(self) -> list[str]:
        return list(self.data)

    def __len__(self) -> int:
        return len(next(iter(self.data.values()), []))

    def __getitem__(self, column: str) -> _PlainColumn:
        return _PlainColumn(self.data[column])

    def to_frame(self) -> pd.DataFrame:
        """The same table as a pandas DataFrame (with a copy of the ``attrs``)."""
        import copy

        import pandas as pd

        frame = pd.DataFrame(self.data)
        frame.attrs.update(copy.deepcopy(self.attrs))
        return frame


class _PlainColumn:
    def __init__(self, values: list):
        self.values = values

    def tolist(self) -> list:
        return list(self.values)

    @property
    def dtype(self) -> np.dtype:
        return np.asarray(self.values).dtype


def _attrs(title: str, kinds: dict[str, str], labels: dict[str, str], hidden: tuple[str, ...] = (),
           notes: list[dict[str, Any]] | None = None, blank: tuple[str, ...] = ()) -> dict[str, Any]:
    return {"title": title, "kinds": dict(kinds), "labels": dict(labels), "hidden": list(hidden),
            "notes": list(notes or []), "blank": list(blank)}


def _value(x: Any) -> float:
    """A metric as a float, NaN for "none"."""
    return float("nan") if x is None else float(x)


def summary(appraisal: Appraisal) -> PlainTable:
    """The financial case and the economic case, one metric per row.

    Columns ``case``, ``metric`` (the name in :data:`cba.engine._metrics.METRIC_NAMES`),
    ``label``, ``value`` (pounds, a ratio, years or a rate; NaN where the result is
    none) and ``unit`` (the kind of ``value``).
    """
    metrics = {**appraisal.metrics, "pv_fiscal_excluding_transfers": pv_fiscal_excluding_transfers(appraisal)}
    rows: list[tuple[str, str, str, float | str, str]] = [
        (case, m, label, _value(metrics[m]), kind) for case, m, label, kind in SUMMARY_ROWS]
    if "pv_cost_reduction" in metrics:  # the model classes savings: the financial case shows both
        at = next(i for i, r in enumerate(rows) if r[1] == "pv_cashable") + 1
        rows[at:at] = [("Financial case", m, label, _value(metrics[m]), "money")
                       for m, label in (("pv_cost_reduction", "of which cost reduction"),
                                        ("pv_cost_avoidance", "of which cost avoidance"))]
    notes: list[dict[str, Any]] = []
    bands = appraisal.value_for_money_bands
    if bands is not None:   # only where the model asks for a category: named for its basis, never alone
        from cba.model._value_for_money import NOT_A_VERDICT

        rows.append(("Economic case", "value_for_money", bands.label()[:1].upper() + bands.label()[1:],
                     appraisal.value_for_money or "none", "text"))
        notes.append({"label": "Value for money category", "value": NOT_A_VERDICT, "kind": "text"})
    weighted = appraisal.distributional()
    if weighted is not None:  # beside the unweighted figures, never in their place (Green Book, Annex A3)
        rows += [("Distributional analysis", "weighted_pv_public_value",
                  "Present value of public value, distributionally weighted", weighted["weighted_benefits"], "money"),
                 ("Distributional analysis", "weighted_net_present_public_value",
                  "Net present public value, distributionally weighted", weighted["weighted_npv"], "money")]
    columns = {name: [r[i] for r in rows] for i, name in enumerate(("case", "metric", "label", "value", "unit"))}
    return PlainTable(columns, _attrs("Financial and economic case (present values at the price base)",
                                      kinds={"value": "@unit", "case": "text", "label": "text"},
                                      labels={"case": "Case", "label": "Result", "value": "Value"},
                                      hidden=("metric", "unit"), notes=notes))


def agencies(appraisal: Appraisal) -> PlainTable:
    """Who pays and who saves: one row per agency, then a ``total`` row.

    Columns ``agency``, ``agency_name``, ``pv_costs``, ``pv_fiscal``,
    ``pv_cashable``, ``pv_transfer``, ``net``, ``roi``, ``cost_share`` and
    ``fiscal_share`` (see :func:`cba.outputs.tables._tables.agency_table`); the share of fiscal
    savings banked by central government and the wrong-pocket index are in
    ``attrs["notes"]``, ``attrs["central_government_share"]`` and
    ``attrs["wrong_pocket_index"]``.
    """
    from cba.ledger._groups import central_government_share

    compiled, m = appraisal.compiled, appraisal.metrics
    arrays = {k: np.asarray(appraisal._agency_arrays[k][0], dtype=float) for k in AGENCY_METRIC_NAMES}
    names = appraisal.intervention.agency_names
    cols = ["agency", "agency_name", "pv_costs", "pv_fiscal", "pv_cashable", "pv_transfer", "net",
            "roi", "cost_share", "fiscal_share"]
    data: dict[str, list] = {"agency": list(compiled.agencies),
                             "agency_name": [display_name(a, names) for a in compiled.agencies]}
    for k in cols[2:]:
        data[k] = arrays[k].tolist()
    costs, fiscal = float(arrays["pv_costs"].sum()), float(arrays["pv_fiscal"].sum())
    total = {"agency": TOTAL, "agency_name": "All agencies", "pv_costs": costs, "pv_fiscal": fiscal,
             "pv_cashable": float(arrays["pv_cashable"].sum()), "pv_transfer": float(arrays["pv_transfer"].sum()),
             "net": fiscal - costs, "roi": _value(m["financial_roi"]),
             "cost_share": 1.0 if costs else np.nan, "fiscal_share": 1.0 if fiscal else np.nan}
    for k in cols:
        data[k].append(total[k])
    wpi = m["wrong_pocket_index"]
    kinds = {c: "money" for c in cols[2:7]}
    kinds.update(roi="ratio", cost_share="share", fiscal_share="share", agency="text", agency_name="text")
    central = central_government_share(appraisal)
    attrs = _attrs("Who pays and who saves (present values at the price base)", kinds=kinds,
                   labels=AGENCY_LABELS, hidden=("agency",),
                   notes=[{"label": "Share of fiscal savings banked by central government (DWP, HMRC, justice)",
                           "value": central, "kind": "share"},
                          {"label": "Wrong-pocket index (0 aligned, 1 all savings in the wrong pocket)",
                           "value": wpi, "kind": "ratio"}])
    attrs["wrong_pocket_index"] = wpi
    attrs["central_government_share"] = central
    return PlainTable(data, attrs)
