"""Option comparison: several interventions on one price base, side by side and
each against a reference option.

An option appraisal compares ways of meeting the same need. The options must be
appraised on the same footing (the Green Book's "same price base, same appraisal
period, same discount rate"), so :func:`compare` refuses options whose price base,
horizon, discount factors or deflator series differ, naming the field.

Incremental results are differences from the reference option: extra costs, extra
benefits and the incremental ratios ``delta benefit / delta cost``. An incremental
ratio is only defined when the option costs more than the reference; an option that
costs no more and yields no less public value *dominates* the reference, and one
that costs no less and yields no more is *dominated* (shown as notes).

Examples
--------
>>> import cba
>>> c = cba.compare(["examples/options/single_intake.yaml", "examples/options/two_intakes.yaml"])
>>> c.reference
'Key workers: one intake'
>>> inc = c.incremental().set_index("metric")
>>> round(float(inc.loc["pv_costs", "Key workers: two intakes"]), 2)
47982.45
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .appraisal import Appraisal, appraise
from .errors import CBAError
from .labels import METRIC_LABELS
from .models import Intervention
from .presentation import render_table_markdown, render_table_text, units_text
from .tables import SUMMARY_ROWS, _table, agency_table, provenance_table, pv_fiscal_excluding_transfers

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
_RESERVED = {"case", "metric", "label", "unit", "item"}


def incremental_ratio(delta_benefit: float, delta_cost: float) -> float:
    """Extra benefit per extra pound of cost; NaN (none) unless the option costs more.

    >>> incremental_ratio(50263.5, 47982.45) > 1, incremental_ratio(10.0, 0.0), incremental_ratio(-5.0, -10.0)
    (True, nan, nan)
    """
    return float(delta_benefit / delta_cost) if delta_cost > 0 else float("nan")


def dominance(delta_cost: float, delta_value: float, tolerance: float = 1e-9) -> str:
    """How an option stands against the reference on cost and public value.

    >>> dominance(-10.0, 5.0), dominance(10.0, -5.0), dominance(10.0, 5.0), dominance(0.0, 0.0)
    ('dominates', 'dominated', 'trade-off', 'equivalent')
    """
    c = 0.0 if abs(delta_cost) <= tolerance else delta_cost
    v = 0.0 if abs(delta_value) <= tolerance else delta_value
    if c == 0 and v == 0:
        return "equivalent"
    if c <= 0 and v >= 0:
        return "dominates"
    if c >= 0 and v <= 0:
        return "dominated"
    return "trade-off"


_DOMINANCE_TEXT = {
    "dominates": "costs no more and yields no less public value than {ref}: it dominates",
    "dominated": "costs no less and yields no more public value than {ref}: it is dominated",
    "trade-off": "{more} and yields {value} public value than {ref}: weigh the incremental ratio",
    "equivalent": "the same costs and public value as {ref}",
}


class Comparison:
    """Options appraised on the same footing, side by side and against a reference.

    Attributes
    ----------
    appraisals : list of Appraisal
        One per option, in the order given.
    names : list of str
        The options' names (model names, made unique).
    reference : str
        Name of the reference option.
    """

    def __init__(self, appraisals: Sequence[Appraisal], names: Sequence[str], reference: int = 0):
        self.appraisals = list(appraisals)
        self.names = list(names)
        self.reference_index = reference
        self.reference = self.names[reference]

    # ---- values
    def _values(self, a: Appraisal) -> dict[str, float]:
        m = {k: (np.nan if v is None else float(v)) for k, v in a.metrics.items()}
        m["pv_fiscal_excluding_transfers"] = pv_fiscal_excluding_transfers(a)
        return m

    def _frame(self, rows, columns: dict[str, dict[str, float]], title: str, notes=None) -> pd.DataFrame:
        data = [{"case": case, "metric": metric, "label": label, "unit": kind,
                 **{name: values[metric] for name, values in columns.items()}}
                for case, metric, label, kind in rows]
        frame = pd.DataFrame(data, columns=["case", "metric", "label", "unit", *columns])
        return _table(frame, title, kinds={**{n: "@unit" for n in columns}, "case": "text", "label": "text"},
                      labels={"case": "Case", "label": "Result"}, hidden=("metric", "unit"), notes=notes)

    def side_by_side(self) -> pd.DataFrame:
        """Every option's results: one row per result, one column per option."""
        return self._frame(SIDE_BY_SIDE_ROWS, {n: self._values(a) for n, a in zip(self.names, self.appraisals)},
                           "Options side by side (present values at the price base)")

    def _deltas(self) -> dict[str, dict[str, float]]:
        ref = self._values(self.appraisals[self.reference_index])
        out = {}
        for i, (name, a) in enumerate(zip(self.names, self.appraisals)):
            if i == self.reference_index:
                continue
            v = self._values(a)
            d = {k: v[k] - ref[k] for k in ("pv_costs", "pv_fiscal", "pv_cashable", "pv_economic", "pv_social",
                                            "pv_public_value", "net_present_budget_impact",
                                            "net_present_public_value")}
            d["incremental_financial_roi"] = incremental_ratio(d["pv_fiscal"], d["pv_costs"])
            d["incremental_public_value_roi"] = incremental_ratio(d["pv_public_value"], d["pv_costs"])
            out[name] = d
        return out

    def incremental(self) -> pd.DataFrame:
        """Each option minus the reference: one row per result, one column per option.

        Money rows are differences of present values (pounds); the incremental
        ROIs are ``delta benefit / delta cost``, none unless the option costs more.
        How each option stands (dominates, dominated, trade-off) is in
        ``attrs["notes"]`` and ``attrs["dominance"]``.
        """
        deltas = self._deltas()
        status = {n: dominance(d["pv_costs"], d["pv_public_value"]) for n, d in deltas.items()}
        notes = []
        for n, d in deltas.items():
            text = _DOMINANCE_TEXT[status[n]].format(
                ref=self.reference, more="costs more" if d["pv_costs"] > 0 else "costs less",
                value="more" if d["pv_public_value"] > 0 else "less")
            notes.append({"label": n, "value": text, "kind": "text"})
        frame = self._frame(INCREMENTAL_ROWS, deltas,
                            f"Incremental to the reference option, {self.reference} "
                            "(differences in present values)", notes=notes)
        frame.attrs["dominance"] = status
        return frame

    def by_agency(self) -> pd.DataFrame:
        """Who pays and who saves under each option, and the change from the reference.

        One row per option and agency: ``pv_costs``, ``pv_fiscal``, ``pv_cashable``,
        ``net``, and ``delta_pv_costs``, ``delta_pv_fiscal``, ``delta_net`` (the
        option minus the reference for the same agency; an agency absent from an
        option counts as zero).
        """
        frames = {n: agency_table(a) for n, a in zip(self.names, self.appraisals)}
        frames = {n: f[f["agency"] != "total"].set_index("agency") for n, f in frames.items()}
        agencies = list(dict.fromkeys(a for f in frames.values() for a in f.index))
        names = {}
        for f in frames.values():
            names.update(f["agency_name"].to_dict())
        cols = ["pv_costs", "pv_fiscal", "pv_cashable", "net"]
        ref = frames[self.reference].reindex(agencies)[cols].fillna(0.0)
        parts = []
        for n, f in frames.items():
            g = f.reindex(agencies)[cols].fillna(0.0)
            part = pd.DataFrame({"option": n, "agency": agencies, "agency_name": [names[a] for a in agencies],
                                 **{c: g[c].to_numpy() for c in cols},
                                 **{f"delta_{c}": (g[c] - ref[c]).to_numpy()
                                    for c in ("pv_costs", "pv_fiscal", "net")}})
            parts.append(part)
        frame = pd.concat(parts, ignore_index=True)
        money = {c: "money" for c in [*cols, "delta_pv_costs", "delta_pv_fiscal", "delta_net"]}
        return _table(frame, f"Who pays and who saves under each option (change from {self.reference})",
                      kinds={**money, "option": "text", "agency": "text", "agency_name": "text"},
                      labels={"option": "Option", "agency_name": "Agency", "pv_costs": "Pays (PV costs)",
                              "pv_fiscal": "Banks (PV fiscal)", "pv_cashable": "of which cashable",
                              "net": "Net position", "delta_pv_costs": "Change in costs",
                              "delta_pv_fiscal": "Change in savings", "delta_net": "Change in net position"},
                      hidden=("agency",))

    def provenance(self) -> pd.DataFrame:
        """Provenance of every option: one row per item, one column per option."""
        tables = [provenance_table(a).set_index("item") for a in self.appraisals]
        items = list(dict.fromkeys(i for t in tables for i in t.index))
        labels = {}
        for t in tables:
            labels.update(t["label"].to_dict())
        frame = pd.DataFrame({"item": items, "label": [labels[i] for i in items],
                              **{n: t["value"].reindex(items).fillna("").to_numpy()
                                 for n, t in zip(self.names, tables)}})
        return _table(frame, "Provenance", kinds={c: "text" for c in frame.columns},
                      labels={"label": "Item"}, hidden=("item",))

    def tables(self) -> dict[str, pd.DataFrame]:
        """Every comparison table, by name."""
        return {"side_by_side": self.side_by_side(), "incremental": self.incremental(),
                "by_agency": self.by_agency(), "provenance": self.provenance()}

    # ---- exports
    def _heading(self) -> str:
        a = self.appraisals[0].intervention
        return (f"{len(self.names)} options at {a.price_base} prices over {a.horizon} years, discounting: "
                f"{a.discounting.describe()}. Reference option: {self.reference}. {units_text(a.price_base)}")

    def agency_blocks(self) -> list[pd.DataFrame]:
        """:meth:`by_agency` as one table per option (the reference without the changes)."""
        frame = self.by_agency()
        out = []
        for name in self.names:
            part = frame[frame["option"] == name].copy()
            hidden = ["agency", "option"]
            if name == self.reference:
                hidden += ["delta_pv_costs", "delta_pv_fiscal", "delta_net"]
                title = f"Who pays and who saves under {name} (the reference option; present values)"
            else:
                title = f"Who pays and who saves under {name}, and the change from {self.reference} (present values)"
            part = _table(part, title, kinds=frame.attrs["kinds"], labels=frame.attrs["labels"], hidden=tuple(hidden))
            out.append(part)
        return out

    def summary(self) -> str:
        """The side-by-side and incremental tables, and who pays and who saves under each option, as text."""
        from .presentation import wrap_lines

        t = self.tables()
        return "\n\n".join(["\n".join(["Options compared", *wrap_lines(self._heading())]),
                            render_table_text(t["side_by_side"]), render_table_text(t["incremental"]),
                            *(render_table_text(b) for b in self.agency_blocks())])

    def __str__(self) -> str:
        return self.summary()

    def __repr__(self) -> str:
        return f"<Comparison of {len(self.names)} options, reference {self.reference!r}>"

    def _repr_html_(self) -> str:  # notebooks: labelled tables (cba.notebook)
        from .notebook import html

        return html(self)

    def to_markdown(self) -> str:
        """Every comparison table as Markdown (user text with raw HTML escaped)."""
        from .escaping import markdown_text

        lines = ["# Options compared", "", markdown_text(self._heading()), ""]
        for frame in self.tables().values():
            lines += [render_table_markdown(frame), ""]
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        """Plain data: the tables as records and every option's full results."""
        def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
            from .export import _plain

            return [{k: _plain(v) for k, v in row.items()} for row in frame.to_dict(orient="records")]

        inc = self.incremental()
        return {"reference": self.reference, "options": list(self.names),
                "side_by_side": records(self.side_by_side()), "incremental": records(inc),
                "dominance": dict(inc.attrs["dominance"]), "by_agency": records(self.by_agency()),
                "appraisals": [a.to_dict() for a in self.appraisals]}

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False, allow_nan=False)

    def to_csv(self) -> str:
        """Tidy CSV: one row per option and result, with the difference from the reference."""
        ref = self._values(self.appraisals[self.reference_index])
        rows = []
        for name, a in zip(self.names, self.appraisals):
            v = self._values(a)
            for case, metric, _label, kind in SIDE_BY_SIDE_ROWS:
                rows.append({"option": name, "reference": self.reference, "case": case, "metric": metric,
                             "unit": kind, "value": v[metric], "difference": v[metric] - ref[metric]})
        from .escaping import csv_text

        return csv_text(pd.DataFrame(rows))

    def to_xlsx_bytes(self) -> bytes:
        """An Excel workbook with one sheet per comparison table."""
        from .export.workbook import charts_figures, comparison_figures, comparison_provenance
        from .export.xlsx import workbook_bytes

        names = {"side_by_side": "Side by side", "incremental": "Incremental", "by_agency": "By agency",
                 "provenance": "Provenance"}
        about = comparison_figures(self.appraisals[0])
        figures = {sheet: about for sheet in names.values()}
        figures["Provenance"] = comparison_provenance(self.appraisals[0])
        return workbook_bytes({names[k]: v for k, v in self.tables().items()},
                              title=f"Options compared: {'; '.join(self.names)}", figures=figures,
                              charts=self._charts(), charts_figures=charts_figures(self.appraisals[0]),
                              footer="Options compared")

    def _charts(self) -> list:
        """Who pays and who saves under each option: each option's agency chart."""
        from .charts import agency_chart
        from .palette import CAPTIONS

        return [(f"agencies: {name}", agency_chart(a), f"{name}. {CAPTIONS['agencies']}")
                for name, a in zip(self.names, self.appraisals)]

    def to_excel(self, path: str | Path, force: bool = False) -> Path:
        from .export import write_file

        return write_file(self.to_xlsx_bytes(), path, force=force)


#: Output formats of a comparison (as for an appraisal).
FORMATS = {
    "table": lambda c: c.summary(),
    "markdown": lambda c: c.to_markdown(),
    "json": lambda c: c.to_json(),
    "csv": lambda c: c.to_csv(),
    "xlsx": lambda c: c.to_xlsx_bytes(),
}


def _as_appraisal(option: Any) -> Appraisal:
    if isinstance(option, Appraisal):
        return option
    if isinstance(option, (Intervention, str, Path, dict)):
        return appraise(option)
    raise CBAError("an option must be an Appraisal, an Intervention, a model file or a dict, "
                   f"got {type(option).__name__}")


def _unique_names(appraisals: list[Appraisal], given: list[str] | None) -> list[str]:
    names = list(given) if given else [a.intervention.name for a in appraisals]
    counts = {n: names.count(n) for n in names}
    out = []
    for i, (n, a) in enumerate(zip(names, appraisals)):
        if counts[n] > 1:
            n = f"{n} ({Path(a.source).stem})" if a.source else f"{n} ({i + 1})"
        if n in _RESERVED:
            n = f"{n} (option)"
        out.append(n)
    if len(set(out)) < len(out):
        out = [f"{n} ({i + 1})" for i, n in enumerate(out)]
    return out


def _check_same_footing(appraisals: list[Appraisal], names: list[str]) -> None:
    def differ(field: str, values: list[Any], what: str, hint: str) -> None:
        if len({json.dumps(v, default=str) for v in values}) > 1:
            listing = ", ".join(f"{n!r}: {v}" for n, v in zip(names, values))
            raise CBAError(f"{field}: options must share {what} to be compared ({listing}); {hint}")

    models = [a.intervention for a in appraisals]
    differ("price_base", [m.price_base for m in models], "a price base", "restate them at one price base")
    differ("horizon", [m.horizon for m in models], "an appraisal horizon", "appraise them over the same years")
    differ("deflator", [m.deflator for m in models], "a deflator series", "use the same deflator")
    factors = [np.asarray(a.compiled.params["discount_factors"]) for a in appraisals]
    if any(not np.array_equal(factors[0], f) for f in factors[1:]):
        listing = ", ".join(f"{n!r}: {m.discounting.describe()}"
                            f"{' (first year discounted)' if m.first_year_discounted else ''}"
                            for n, m in zip(names, models))
        raise CBAError(f"discounting: options must share a discount schedule to be compared ({listing})")


def _reference_index(reference: Any, names: list[str], appraisals: list[Appraisal]) -> int:
    if reference is None:
        return 0
    if isinstance(reference, int) and not isinstance(reference, bool):
        if not 0 <= reference < len(names):
            raise CBAError(f"reference: option {reference} does not exist (there are {len(names)} options)")
        return reference
    ref = str(reference)
    for i, (n, a) in enumerate(zip(names, appraisals)):
        if ref in (n, a.intervention.name):
            return i
    for i, a in enumerate(appraisals):
        if a.source and (ref == a.source or Path(ref) == Path(a.source) or ref == Path(a.source).stem):
            return i
    listing = ", ".join(repr(n) for n in names)
    raise CBAError(f"reference: {ref!r} is not one of the options ({listing}); give an option's name or file")


def compare(options: Sequence[Any] | Mapping[str, Any], reference: Any = None) -> Comparison:
    """Compare options appraised on the same footing.

    Parameters
    ----------
    options : sequence or mapping
        Two or more options, each an :class:`~cba.Appraisal`, an
        :class:`~cba.Intervention`, a path to a model file or a dict. A mapping
        gives each option a name; otherwise the model names are used.
    reference : str or int, optional
        The option the others are measured against: its name, its model file (or
        file name without suffix) or its position. Default: the first option.

    Returns
    -------
    Comparison

    Raises
    ------
    CBAError
        Fewer than two options; options on a different price base, horizon,
        deflator or discount schedule; an unknown reference.
    """
    given = None
    if isinstance(options, Mapping):
        given = [str(k) for k in options]
        options = list(options.values())
    elif isinstance(options, (str, Path, Appraisal, Intervention, dict)):
        raise CBAError("compare needs a list of options, e.g. cba.compare(['a.yaml', 'b.yaml'])")
    options = list(options)
    if len(options) < 2:
        raise CBAError(f"compare needs at least two options, got {len(options)}")
    appraisals = [_as_appraisal(o) for o in options]
    names = _unique_names(appraisals, given)
    _check_same_footing(appraisals, names)
    return Comparison(appraisals, names, _reference_index(reference, names, appraisals))
