"""The tables, text and plain data of an option comparison (:class:`cba.ledger.Comparison`).

Each function takes a :class:`~cba.ledger.Comparison` and shows what it holds:
the options side by side, each against the reference, who pays and who saves
under each, and where the numbers come from.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

import pandas as pd

from cba.core._escaping import csv_text, markdown_text
from cba.core._plain import plain
from cba.outputs._format import render_table_markdown, render_table_text, units_text, wrap_lines
from cba.outputs._labels import METRIC_LABELS, SUMMARY_ROWS
from cba.outputs.tables._frame import _table
from cba.outputs.tables._tables import agency_table, provenance_table

if TYPE_CHECKING:  # pragma: no cover
    from cba.ledger._compare import Comparison

#: Rows of the side-by-side table: the summary rows and the wrong-pocket index.
SIDE_BY_SIDE_ROWS = (*SUMMARY_ROWS,
                     ("Distribution", "wrong_pocket_index", METRIC_LABELS["wrong_pocket_index"], "ratio"))

#: Rows of the incremental table: (case, metric, label, kind).
INCREMENTAL_ROWS = (
    ("Financial case", "pv_costs", "Extra present value of costs", "money"),
    ("Financial case", "pv_fiscal", "Extra fiscal benefits", "money"),
    ("Financial case", "pv_cashable", "of which cashable", "money"),
    ("Financial case", "net_present_budget_impact", "Change in net present budget impact", "money"),
    ("Financial case", "incremental_financial_roi", "Incremental financial ROI (extra fiscal per extra £1)", "ratio"),
    ("Economic case", "pv_economic", "Extra economic benefits", "money"),
    ("Economic case", "pv_social", "Extra social benefits", "money"),
    ("Economic case", "pv_public_value", "Extra public value", "money"),
    ("Economic case", "net_present_public_value", "Change in net present public value", "money"),
    ("Economic case", "incremental_public_value_roi",
     "Incremental public value ROI (extra public value per extra £1)", "ratio"),
)

_DOMINANCE_TEXT = {
    "dominates": "costs no more and yields no less public value than {ref}: it dominates",
    "dominated": "costs no less and yields no more public value than {ref}: it is dominated",
    "trade-off": "{more} and yields {value} public value than {ref}: weigh the incremental ratio",
    "equivalent": "the same costs and public value as {ref}",
}


def _frame(rows: Any, columns: dict[str, dict[str, float]], title: str, notes: Any = None) -> pd.DataFrame:
    data = [{"case": case, "metric": metric, "label": label, "unit": kind,
             **{name: values[metric] for name, values in columns.items()}}
            for case, metric, label, kind in rows]
    frame = pd.DataFrame(data, columns=["case", "metric", "label", "unit", *columns])
    return _table(frame, title, kinds={**{n: "@unit" for n in columns}, "case": "text", "label": "text"},
                  labels={"case": "Case", "label": "Result"}, hidden=("metric", "unit"), notes=notes)


def side_by_side(c: Comparison) -> pd.DataFrame:
    """Every option's results: one row per result, one column per option."""
    return _frame(SIDE_BY_SIDE_ROWS, {n: c.values(a) for n, a in zip(c.names, c.appraisals)},
                  "Options side by side (present values at the price base)")


def incremental(c: Comparison) -> pd.DataFrame:
    """Each option minus the reference, with how it stands in ``attrs["notes"]`` and ``attrs["dominance"]``."""
    deltas = c.deltas()
    status = c.dominance()
    notes = []
    for n, d in deltas.items():
        text = _DOMINANCE_TEXT[status[n]].format(
            ref=c.reference, more="costs more" if d["pv_costs"] > 0 else "costs less",
            value="more" if d["pv_public_value"] > 0 else "less")
        notes.append({"label": n, "value": text, "kind": "text"})
    frame = _frame(INCREMENTAL_ROWS, deltas,
                   f"Incremental to the reference option, {c.reference} "
                   "(differences in present values)", notes=notes)
    frame.attrs["dominance"] = status
    return frame


def by_agency(c: Comparison) -> pd.DataFrame:
    """Who pays and who saves under each option, and the change from the reference (see
    :meth:`cba.ledger.Comparison.by_agency`)."""
    frames = {n: agency_table(a) for n, a in zip(c.names, c.appraisals)}
    frames = {n: f[f["agency"] != "total"].set_index("agency") for n, f in frames.items()}
    agencies = list(dict.fromkeys(a for f in frames.values() for a in f.index))
    names = {}
    for f in frames.values():
        names.update(f["agency_name"].to_dict())
    cols = ["pv_costs", "pv_fiscal", "pv_cashable", "net"]
    ref = frames[c.reference].reindex(agencies)[cols].fillna(0.0)
    parts = []
    for n, f in frames.items():
        g = f.reindex(agencies)[cols].fillna(0.0)
        part = pd.DataFrame({"option": n, "agency": agencies, "agency_name": [names[a] for a in agencies],
                             **{col: g[col].to_numpy() for col in cols},
                             **{f"delta_{col}": (g[col] - ref[col]).to_numpy()
                                for col in ("pv_costs", "pv_fiscal", "net")}})
        parts.append(part)
    frame = pd.concat(parts, ignore_index=True)
    money = {col: "money" for col in [*cols, "delta_pv_costs", "delta_pv_fiscal", "delta_net"]}
    return _table(frame, f"Who pays and who saves under each option (change from {c.reference})",
                  kinds={**money, "option": "text", "agency": "text", "agency_name": "text"},
                  labels={"option": "Option", "agency_name": "Agency", "pv_costs": "Pays (PV costs)",
                          "pv_fiscal": "Banks (PV fiscal)", "pv_cashable": "of which cashable",
                          "net": "Net position", "delta_pv_costs": "Change in costs",
                          "delta_pv_fiscal": "Change in savings", "delta_net": "Change in net position"},
                  hidden=("agency",))


def provenance(c: Comparison) -> pd.DataFrame:
    """Provenance of every option: one row per item, one column per option."""
    tables = [provenance_table(a).set_index("item") for a in c.appraisals]
    items = list(dict.fromkeys(i for t in tables for i in t.index))
    labels = {}
    for t in tables:
        labels.update(t["label"].to_dict())
    frame = pd.DataFrame({"item": items, "label": [labels[i] for i in items],
                          **{n: t["value"].reindex(items).fillna("").to_numpy()
                             for n, t in zip(c.names, tables)}})
    return _table(frame, "Provenance", kinds={col: "text" for col in frame.columns},
                  labels={"label": "Item"}, hidden=("item",))


#: The comparison's tables by name, in the order they are shown.
TABLES = {"side_by_side": side_by_side, "incremental": incremental, "by_agency": by_agency,
          "provenance": provenance}


def comparison_table(c: Comparison, name: str) -> pd.DataFrame:
    """One table of :data:`TABLES` by name."""
    return TABLES[name](c)


def heading(c: Comparison) -> str:
    """The footing of the comparison in one paragraph."""
    a = c.appraisals[0].intervention
    return (f"{len(c.names)} options at {a.price_base} prices over {a.horizon} years, discounting: "
            f"{a.discounting.describe()}. Reference option: {c.reference}. {units_text(a.price_base)}")


def agency_blocks(c: Comparison) -> list[pd.DataFrame]:
    """:func:`by_agency` as one table per option (the reference without the changes)."""
    frame = by_agency(c)
    out = []
    for name in c.names:
        part = frame[frame["option"] == name].copy()
        hidden = ["agency", "option"]
        if name == c.reference:
            hidden += ["delta_pv_costs", "delta_pv_fiscal", "delta_net"]
            title = f"Who pays and who saves under {name} (the reference option; present values)"
        else:
            title = f"Who pays and who saves under {name}, and the change from {c.reference} (present values)"
        part = _table(part, title, kinds=frame.attrs["kinds"], labels=frame.attrs["labels"], hidden=tuple(hidden))
        out.append(part)
    return out


def comparison_text(c: Comparison) -> str:
    """The side-by-side and incremental tables, and who pays and who saves under each option, as text."""
    t = c.tables()
    return "\n\n".join(["\n".join(["Options compared", *wrap_lines(heading(c))]),
                        render_table_text(t["side_by_side"]), render_table_text(t["incremental"]),
                        *(render_table_text(b) for b in agency_blocks(c))])


def comparison_markdown(c: Comparison) -> str:
    """Every comparison table as Markdown (user text with raw HTML escaped)."""
    lines = ["# Options compared", "", markdown_text(heading(c)), ""]
    for frame in c.tables().values():
        lines += [render_table_markdown(frame), ""]
    return "\n".join(lines)


def comparison_dict(c: Comparison) -> dict[str, Any]:
    """Plain data: the tables as records and every option's full results."""
    def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
        rows = cast("list[dict[str, Any]]", frame.to_dict(orient="records"))  # the columns are named by text
        return [{k: plain(v) for k, v in row.items()} for row in rows]

    inc = incremental(c)
    return {"reference": c.reference, "options": list(c.names),
            "side_by_side": records(side_by_side(c)), "incremental": records(inc),
            "dominance": dict(inc.attrs["dominance"]), "by_agency": records(by_agency(c)),
            "appraisals": [a.to_dict() for a in c.appraisals]}


def comparison_csv(c: Comparison) -> str:
    """Tidy CSV: one row per option and result, with the difference from the reference."""
    ref = c.values(c.appraisals[c.reference_index])
    rows = []
    for name, a in zip(c.names, c.appraisals):
        v = c.values(a)
        for case, metric, _label, kind in SIDE_BY_SIDE_ROWS:
            rows.append({"option": name, "reference": c.reference, "case": case, "metric": metric,
                         "unit": kind, "value": v[metric], "difference": v[metric] - ref[metric]})
    return csv_text(pd.DataFrame(rows))
