"""Appraisal tables for a business case: aggregations of the engine's totals and the ledger.

Each function takes an :class:`~cba.appraisal.Appraisal` and returns a pandas
DataFrame of unrounded numbers (pounds at the appraisal's price base) whose
``attrs`` carry a title, column labels and the kind of each number, so that
:mod:`cba.presentation` can render it as text, Markdown or HTML and
:mod:`cba.export` as an Excel sheet. Render one with
:func:`cba.presentation.render_table_text` (or ``print(cba.tables.text(frame))``).

The tables:

=====================  =========================================================
``summary``            the financial case and the economic case
``agencies``           who pays and who saves: the agency ledger
``costs``              costs by agency and year, real and discounted
``benefits``           benefits by value type, agency and year, real and discounted
``cost_lines``         assumptions: every cost line as entered, uplift, optimism bias
``outcomes``           assumptions: every outcome's parameters and optimism bias
``unit_values``        assumptions: every unit value used and where it comes from
``provenance``         library, model file hash, deflator, discounting, run time
``ledger``             the tidy ledger itself
=====================  =========================================================

Rows that are totals carry the agency id ``"total"``; drop them before summing.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, Callable

import numpy as np
import pandas as pd

from . import headline
from .additionality import net_success_rate
from .agencies import display_name
from .headline import AGENCY_LABELS, SUMMARY_ROWS, TOTAL  # noqa: F401  (part of this module's interface)
from .presentation import render_table_text

if TYPE_CHECKING:  # pragma: no cover
    from .appraisal import Appraisal

#: Money columns are pounds at the price base; see :data:`cba.presentation.KINDS`.
_MONEY = "money"


def _table(frame: pd.DataFrame, title: str, kinds: dict[str, str] | None = None,
           labels: dict[str, str] | None = None, hidden: tuple[str, ...] = (),
           notes: list[dict[str, Any]] | None = None, blank: tuple[str, ...] = ()) -> pd.DataFrame:
    frame = frame.reset_index(drop=True)
    frame.attrs.update(title=title, kinds=dict(kinds or {}), labels=dict(labels or {}),
                       hidden=list(hidden), notes=list(notes or []), blank=list(blank))
    return frame


def text(frame: pd.DataFrame) -> str:
    """A table as readable text (see :func:`cba.presentation.render_table_text`)."""
    return render_table_text(frame)


# ---------------------------------------------------------------- the cases
def pv_fiscal_excluding_transfers(appraisal: "Appraisal") -> float:
    """Present value of fiscal benefits that are not transfer payments (pounds).

    The fiscal part of public value: ``pv_fiscal - PV(transfer fiscal flows)``
    (method spec, section 5). See :func:`cba.headline.pv_fiscal_excluding_transfers`.
    """
    return headline.pv_fiscal_excluding_transfers(appraisal)


def summary_table(appraisal: "Appraisal") -> pd.DataFrame:
    """The financial case and the economic case, one metric per row.

    Columns ``case``, ``metric`` (the name in :data:`cba.metrics.METRIC_NAMES`),
    ``label``, ``value`` (pounds, a ratio, years or a rate; NaN where the result is
    none) and ``unit`` (the kind of ``value``).

    Examples
    --------
    >>> import cba
    >>> t = summary_table(cba.appraise("examples/worked_example.yaml"))
    >>> t.set_index("metric").loc[["pv_costs", "financial_roi", "pv_public_value"], "value"].round(4).tolist()
    [49661.8357, 1.4712, 255721.2131]
    """
    return headline.summary(appraisal).to_frame()


# ---------------------------------------------------------------- who pays, who saves
def agency_table(appraisal: "Appraisal") -> pd.DataFrame:
    """Who pays and who saves: the agency ledger with a total row.

    One row per agency: what it pays (``pv_costs``), what it banks (``pv_fiscal``
    gross, ``pv_cashable``, ``pv_transfer``), its ``net`` position (fiscal minus
    costs), its ``roi`` (NaN when it pays nothing) and its shares of all costs and
    all fiscal benefit; then a ``total`` row. The wrong-pocket index and the share
    of fiscal savings banked by central government
    (:func:`cba.partnership.groups.central_government_share`) are in
    ``attrs["notes"]``, ``attrs["wrong_pocket_index"]`` and
    ``attrs["central_government_share"]``.

    Examples
    --------
    >>> import cba
    >>> t = agency_table(cba.appraise("examples/worked_example.yaml"))
    >>> t[["agency", "pv_costs", "net"]].round(2)
                agency  pv_costs       net
    0  local_authority  40000.00  33063.20
    1              nhs   9661.84  -9661.84
    2            total  49661.84  23401.37
    """
    return headline.agencies(appraisal).to_frame()


# ---------------------------------------------------------------- by year
def _year_grid(rows: pd.DataFrame, keys: list[str], H: int, column: str) -> pd.DataFrame:
    """Sum ``column`` of ledger rows by ``keys`` and year into a (keys x H) frame."""
    if not len(rows):
        return pd.DataFrame(columns=[*keys, *range(H)])
    g = rows.groupby([*keys, "year"], sort=False, dropna=False)[column].sum().unstack("year")
    g = g.reindex(columns=range(H), fill_value=0.0).fillna(0.0)
    return g.reset_index()


def _wide(appraisal: "Appraisal", rows: pd.DataFrame, keys: list[str],
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


def _money_kinds(appraisal: "Appraisal") -> dict[str, str]:
    return {**{y: _MONEY for y in appraisal.compiled.year_labels}, "total": _MONEY}


def cost_table(appraisal: "Appraisal") -> pd.DataFrame:
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


def benefit_table(appraisal: "Appraisal") -> pd.DataFrame:
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


# ---------------------------------------------------------------- assumptions
def _line_pv(appraisal: "Appraisal", source_type: str, value_type: str | None = None) -> pd.Series:
    led = appraisal.ledger
    sel = led[led["source_type"] == source_type]
    if value_type is not None:
        sel = sel[sel["value_type"] == value_type]
    return sel.groupby("line")["discounted"].sum()


def cost_line_table(appraisal: "Appraisal") -> pd.DataFrame:
    """Assumptions: every cost line as entered, with its price uplift and optimism bias.

    Columns: ``field`` (where it is in the model file), ``name``, agency, ``kind``,
    the amounts by year as entered (pounds at ``price_year`` prices), their
    ``total``, ``price_year``, ``uplift`` (the deflator factor to the price base),
    ``confidence`` grade, ``optimism_bias`` (the uplift applied), ``pv_costs`` (the
    line's present value after both) and ``source``.
    """
    model = appraisal.intervention
    names = model.agency_names
    labels = list(appraisal.compiled.year_labels)
    pv = _line_pv(appraisal, "cost")
    rows = []
    for info, line in zip(appraisal.compiled.cost_info, model.costs):
        amounts = list(line.amounts) + [0.0] * (len(labels) - len(line.amounts))
        rows.append({"field": f"costs[{info['line']}]", "name": line.name, "agency": line.agency,
                     "agency_name": display_name(line.agency, names), "kind": line.kind,
                     **dict(zip(labels, map(float, amounts))), "total": float(sum(line.amounts)),
                     "price_year": info["price_year"], "uplift": float(info["uplift"]),
                     "confidence": line.confidence, "optimism_bias": float(info["optimism_bias"]),
                     "pv_costs": float(pv.get(info["line"], 0.0)), "source": line.source})
    columns = ["field", "name", "agency", "agency_name", "kind", *labels, "total", "price_year", "uplift",
               "confidence", "optimism_bias", "pv_costs", "source"]
    frame = pd.DataFrame(rows, columns=columns)
    frame["confidence"] = frame["confidence"].astype(object).where(frame["confidence"].notna(), None)
    kinds = {c: "text" for c in ("field", "name", "agency", "agency_name", "kind", "price_year", "source")}
    kinds.update({y: _MONEY for y in labels}, total=_MONEY, uplift="factor", confidence="int",
                 optimism_bias="rate", pv_costs=_MONEY)
    return _table(frame, "Assumptions: cost lines (amounts as entered, at their price year)", kinds=kinds,
                  labels={"field": "Field", "name": "Cost line", "agency_name": "Agency", "kind": "Kind",
                          "total": "Total as entered", "price_year": "Price year", "uplift": "Uplift to price base",
                          "confidence": "Confidence grade", "optimism_bias": "Optimism bias",
                          "pv_costs": "PV after uplift and bias", "source": "Source"},
                  hidden=("agency",), blank=("confidence",))


OUTCOME_RATES = ("engagement", "success", "deadweight", "displacement", "leakage", "substitution", "attribution")


def _cashable_text(value, names: dict[str, str] | None = None) -> str | None:
    if value is None:
        return None
    if isinstance(value, dict):   # agencies by name, as everywhere people read them
        return "; ".join(f"{display_name(a, names)}: {v:g}" for a, v in value.items())
    return f"{value:g}"


def outcome_table(appraisal: "Appraisal") -> pd.DataFrame:
    """Assumptions: every outcome with all its parameters and its optimism bias.

    Columns: ``field``, ``name``, ``cohort_total`` and ``cohort_by_year`` (intakes,
    people), the additionality rates, ``net_success_rate`` (their product: the share
    of the cohort that succeeds because of the intervention), ``lag``,
    ``duration`` (years), ``drop_off``, ``quantity`` (units of value per success
    per year), ``confidence`` grade and ``optimism_bias`` (the reduction applied),
    ``cashable`` (the outcome's cashable override, if any), ``unit_cost`` (a value
    code, if any), the outcome's present values by value type and ``source``.
    """
    model = appraisal.intervention
    ob = appraisal.compiled.params["outcome_ob"]
    pvs = {vt: _line_pv(appraisal, "outcome", vt) for vt in ("fiscal", "economic", "social")}
    rows = []
    for i, o in enumerate(model.outcomes):
        intake = o.cohort if isinstance(o.cohort, list) else [o.cohort]
        rows.append({
            "field": f"outcomes[{i}]", "name": o.name, "cohort_total": float(sum(intake)),
            "cohort_by_year": ", ".join(f"{x:g}" for x in intake),
            **{r: float(getattr(o, r)) for r in OUTCOME_RATES},
            "net_success_rate": float(net_success_rate(*(getattr(o, r) for r in OUTCOME_RATES))),
            "lag": o.lag, "duration": o.duration, "drop_off": float(o.drop_off),
            "quantity": float(o.effective_quantity), "confidence": o.confidence,
            "optimism_bias": float(ob[i]), "cashable": _cashable_text(o.cashable, model.agency_names),
            "unit_cost": o.value.unit_cost,
            **{f"pv_{vt}": float(pvs[vt].get(i, 0.0)) for vt in pvs}, "source": o.source,
        })
    columns = ["field", "name", "cohort_total", "cohort_by_year", *OUTCOME_RATES, "net_success_rate", "lag",
               "duration", "drop_off", "quantity", "confidence", "optimism_bias", "cashable", "unit_cost",
               "pv_fiscal", "pv_economic", "pv_social", "source"]
    frame = pd.DataFrame(rows, columns=columns)
    frame["confidence"] = frame["confidence"].astype(object).where(frame["confidence"].notna(), None)
    kinds = {c: "text" for c in ("field", "name", "cohort_by_year", "cashable", "unit_cost", "source")}
    kinds.update({r: "rate" for r in (*OUTCOME_RATES, "net_success_rate", "drop_off", "optimism_bias")},
                 cohort_total="number", lag="int", duration="int", quantity="number", confidence="int",
                 pv_fiscal=_MONEY, pv_economic=_MONEY, pv_social=_MONEY)
    labels = {r: r.replace("_", " ").capitalize() for r in OUTCOME_RATES}
    labels.update(field="Field", name="Outcome", cohort_total="Cohort (total)", cohort_by_year="Cohort by intake year",
                  net_success_rate="Net success rate", lag="Lag (years)", duration="Duration (years)",
                  drop_off="Drop-off", quantity="Quantity", confidence="Confidence grade",
                  optimism_bias="Optimism bias", cashable="Cashable override", unit_cost="Unit cost code",
                  pv_fiscal="PV fiscal", pv_economic="PV economic", pv_social="PV social", source="Source")
    return _table(frame, "Assumptions: outcomes", kinds=kinds, labels=labels, blank=("confidence",))


#: Provenance keys a resolved unit value may carry, with their headings. Read with
#: ``.get`` so tables work whether or not a unit cost database supplied them.
UNIT_VALUE_PROVENANCE = {
    "database": "Unit cost database",
    "database_version": "Database version",
    "original_source": "Original source",
    "deflator": "Deflator series",
    "deflator_vintage": "Deflator vintage",
}
_UNIT_VALUE_KNOWN = {"outcome", "outcome_name", "type", "agency", "amount", "price_year", "uplift",
                     "real_amount", "cashable", "transfer", "unit_cost", "source", "label"}


def _plain(value: Any) -> Any:
    """Provenance values as table cells: numbers and text stay, others become text."""
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    if isinstance(value, (np.integer, np.floating)):
        return value.item()
    return json.dumps(value, default=str, ensure_ascii=False)


def unit_value_table(appraisal: "Appraisal") -> pd.DataFrame:
    """Assumptions: every unit value component used, with where it comes from.

    One row per value component of every outcome, in the ledger's order
    (``outcome``, ``component`` match the ledger's ``line`` and ``component``).
    Columns: the value ``type``, the saving ``agency`` (fiscal only), ``amount`` as
    entered at ``price_year`` prices, the ``uplift`` factor to the price base and
    the ``amount_at_price_base``, ``cashable`` share, ``transfer`` flag, the
    ``unit_cost`` code and ``source``, then any provenance the unit cost database
    gave (``database_version``, ``original_source``, ``deflator_vintage``, ...).
    """
    model = appraisal.intervention
    names = model.agency_names
    info = appraisal.compiled.component_info
    position: dict[int, int] = {}
    rows, extras = [], []
    for c in info:
        k = position.get(c["outcome"], 0)
        position[c["outcome"]] = k + 1
        row = {"field": f"outcomes[{c['outcome']}].value", "outcome": c["outcome"], "component": k,
               "outcome_name": c["outcome_name"], "label": c.get("label"), "type": c["type"],
               "agency": c.get("agency"),
               "agency_name": display_name(c["agency"], names) if c.get("agency") else None,
               "unit_cost": c.get("unit_cost"), "amount": float(c["amount"]), "price_year": c["price_year"],
               "uplift": float(c["uplift"]), "amount_at_price_base": float(c["real_amount"]),
               "cashable": None if c.get("cashable") is None else float(c["cashable"]),
               "transfer": bool(c.get("transfer")), "source": c.get("source")}
        for key in (*UNIT_VALUE_PROVENANCE, *(k for k in c if k not in _UNIT_VALUE_KNOWN)):
            if key in c and key not in row:
                row[key] = _plain(c[key])
                if key not in extras:
                    extras.append(key)
        rows.append(row)
    base = ["field", "outcome", "component", "outcome_name", "label", "type", "agency", "agency_name",
            "unit_cost", "amount", "price_year", "uplift", "amount_at_price_base", "cashable", "transfer", "source"]
    frame = pd.DataFrame(rows, columns=[*base, *extras])
    # provenance that no component carries (explicit values have no database) is left out
    extras = [k for k in extras if frame[k].notna().any()]
    frame = frame[[*base, *extras]]
    for col in ("label", "agency", "agency_name", "unit_cost", "source", *extras):
        if frame[col].dtype == object or not pd.api.types.is_numeric_dtype(frame[col]):
            frame[col] = frame[col].astype(object).where(frame[col].notna(), None)
    frame["cashable"] = frame["cashable"].astype(float)
    kinds = {c: "text" for c in ("field", "outcome_name", "label", "type", "agency", "agency_name", "unit_cost",
                                 "price_year", "source")}
    kinds.update(outcome="int", component="int", amount=_MONEY, uplift="factor", amount_at_price_base=_MONEY,
                 cashable="rate", transfer="bool")
    for key in extras:
        kinds[key] = "number" if pd.api.types.is_numeric_dtype(frame[key]) and not \
            pd.api.types.is_bool_dtype(frame[key]) else "text"
    labels = {"field": "Field", "outcome_name": "Outcome", "component": "Component", "label": "Label",
              "type": "Value type", "agency_name": "Agency", "unit_cost": "Unit cost code",
              "amount": "Amount as entered", "price_year": "Price year", "uplift": "Uplift to price base",
              "amount_at_price_base": "Amount at price base", "cashable": "Cashable share",
              "transfer": "Transfer", "source": "Source",
              **{k: UNIT_VALUE_PROVENANCE.get(k, k.replace("_", " ").capitalize()) for k in extras}}
    return _table(frame, "Assumptions: unit values (per unit of each outcome)", kinds=kinds, labels=labels,
                  hidden=("outcome", "agency"), blank=("cashable",))


# ---------------------------------------------------------------- provenance
PROVENANCE_LABELS = {
    "library": "Library", "version": "Library version", "model_file": "Model file",
    "model_file_sha256": "Model file SHA-256", "model_sha256": "Model content SHA-256 (canonical JSON)",
    "price_base": "Price base", "horizon": "Horizon (years)", "deflator": "Deflator series",
    "deflator_vintage": "Deflator vintage", "unit_cost_databases": "Unit cost database versions",
    "discounting": "Discount schedule", "first_year_discounted": "First year discounted",
    "optimism_bias_table": "Optimism-bias table", "run_at": "Run at (UTC)",
}


def _provenance_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (list, tuple)):
        return "; ".join(map(str, value)) if value else ""
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


def provenance_table(appraisal: "Appraisal") -> pd.DataFrame:
    """Where the numbers come from: one row per item of ``Appraisal.provenance``.

    Columns ``item`` (the key), ``label`` and ``value`` (as text).
    """
    prov = dict(appraisal.provenance)
    rows = [{"item": k, "label": PROVENANCE_LABELS.get(k, k.replace("_", " ").capitalize()),
             "value": _provenance_text(v)} for k, v in prov.items()]
    return _table(pd.DataFrame(rows, columns=["item", "label", "value"]), "Provenance",
                  kinds={"item": "text", "label": "text", "value": "text"},
                  labels={"label": "Item", "value": "Value"}, hidden=("item",))


def ledger_table(appraisal: "Appraisal") -> pd.DataFrame:
    """The tidy ledger (see :mod:`cba.ledger`), with kinds for rendering."""
    frame = appraisal.ledger.copy()
    kinds = {c: "text" for c in ("source_type", "source", "unit_cost", "agency", "value_type", "cost_kind",
                                 "year_label")}
    kinds.update(line="int", component="int", year="int", cashable="bool", transfer="bool", real=_MONEY,
                 discount_factor="factor", discounted=_MONEY)
    return _table(frame, "Ledger (pounds at the price base)", kinds=kinds)


# ---------------------------------------------------------------- models (before appraisal)
def _field_text(value: Any) -> str:
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return "" if value is None else str(value)


def fields_table(model) -> pd.DataFrame:
    """Any input model (cost line, outcome, ...) as a two-column table of its fields."""
    data = model.to_dict()
    data = data if isinstance(data, dict) else {"value": data}
    frame = pd.DataFrame({"field": list(data), "value": [_field_text(v) for v in data.values()]})
    return _table(frame, type(model).__name__, kinds={"field": "text", "value": "text"},
                  labels={"field": "Field", "value": "Value"})


def _value_text(value, names: dict[str, str]) -> str:
    from .presentation import fmt

    parts = []
    for c in value.components or []:
        text = f"{c.label + ': ' if c.label else ''}{c.type} {fmt(c.amount)}"
        if c.price_year:
            text += f" ({c.price_year} prices)"
        if c.agency:
            text += f" to {display_name(c.agency, names)}"
        if c.cashable:
            text += f", {fmt(c.cashable, 'rate')} cashable"
        if c.transfer:
            text += ", transfer"
        parts.append(text)
    if value.unit_cost:
        parts.append(f"unit cost {value.unit_cost}")
    if value.exclude:
        parts.append(f"excluding {', '.join(value.exclude)}")
    return "; ".join(parts)


def model_tables(model) -> dict[str, pd.DataFrame]:
    """An :class:`~cba.models.Intervention` as tables, as entered (nothing computed).

    ``settings`` (price base, horizon, discounting, ...), ``costs`` (one row per cost
    line, amounts by year as entered) and ``outcomes`` (one row per outcome, its
    parameters and its unit value in words).
    """
    names = model.agency_names
    settings = [("Name", model.name), ("Description", model.description or ""),
                ("Price base", model.price_base), ("Start year", model.start_year or ""),
                ("Horizon (years)", str(model.horizon)), ("Discounting", model.discounting.describe()),
                ("First year discounted", "yes" if model.first_year_discounted else "no"),
                ("Optimism-bias table", model.optimism_bias.name), ("Deflator series", model.deflator)]
    if model.agencies:
        settings.append(("Agencies declared", "; ".join(f"{a.id}: {a.name}" for a in model.agencies)))
    settings = [(k, v) for k, v in settings if v != ""]
    settings_frame = _table(pd.DataFrame(settings, columns=["item", "value"]), model.name,
                            kinds={"item": "text", "value": "text"}, labels={"item": "Item", "value": "Value"})
    labels = model.year_labels()
    cost_rows = [{"name": c.name, "agency_name": display_name(c.agency, names), "kind": c.kind,
                  **dict(zip(labels, [float(x) for x in c.amounts] + [0.0] * (len(labels) - len(c.amounts)))),
                  "price_year": c.price_year or model.price_base, "confidence": c.confidence, "source": c.source}
                 for c in model.costs]
    costs = pd.DataFrame(cost_rows, columns=["name", "agency_name", "kind", *labels, "price_year", "confidence",
                                             "source"])
    costs["confidence"] = costs["confidence"].astype(object).where(costs["confidence"].notna(), None)
    costs = _table(costs, "Costs (as entered)",
                   kinds={**{y: _MONEY for y in labels}, "confidence": "int", "name": "text",
                          "agency_name": "text", "kind": "text", "price_year": "text", "source": "text"},
                   labels={"name": "Cost line", "agency_name": "Agency", "kind": "Kind", "price_year": "Price year",
                           "confidence": "Confidence grade", "source": "Source"}, blank=("confidence",))
    out_rows = []
    for o in model.outcomes:
        intake = o.cohort if isinstance(o.cohort, list) else [o.cohort]
        out_rows.append({"name": o.name, "cohort": ", ".join(f"{x:g}" for x in intake),
                         **{r: float(getattr(o, r)) for r in OUTCOME_RATES}, "lag": o.lag,
                         "duration": o.duration, "drop_off": float(o.drop_off),
                         "quantity": float(o.effective_quantity), "confidence": o.confidence,
                         "value": _value_text(o.value, names), "source": o.source})
    outcomes = pd.DataFrame(out_rows, columns=["name", "cohort", *OUTCOME_RATES, "lag", "duration", "drop_off",
                                               "quantity", "confidence", "value", "source"])
    outcomes["confidence"] = outcomes["confidence"].astype(object).where(outcomes["confidence"].notna(), None)
    kinds = {r: "rate" for r in (*OUTCOME_RATES, "drop_off")}
    kinds.update({c: "text" for c in ("name", "cohort", "value", "source")}, lag="int", duration="int",
                 quantity="number", confidence="int")
    outcomes = _table(outcomes, "Outcomes (as entered)", kinds=kinds,
                      labels={"name": "Outcome", "cohort": "Cohort", "lag": "Lag", "duration": "Duration",
                              "drop_off": "Drop-off", "quantity": "Quantity", "confidence": "Confidence grade",
                              "value": "Value of one success", "source": "Source",
                              **{r: r.capitalize() for r in OUTCOME_RATES}},
                      blank=("confidence",))
    return {"settings": settings_frame, "costs": costs, "outcomes": outcomes}


#: Every table, by name, in the order of a business case.
def warnings_table(appraisal: "Appraisal") -> pd.DataFrame:
    """What must be read beside the results (possible double counting), one per row."""
    frame = pd.DataFrame({"warning": list(getattr(appraisal, "warnings", []))}, dtype=object)
    return _table(frame, "Warnings", kinds={"warning": "text"}, labels={"warning": "Warning"})


TABLES: dict[str, Callable[["Appraisal"], pd.DataFrame]] = {
    "summary": summary_table,
    "agencies": agency_table,
    "costs": cost_table,
    "benefits": benefit_table,
    "cost_lines": cost_line_table,
    "outcomes": outcome_table,
    "unit_values": unit_value_table,
    "provenance": provenance_table,
    "ledger": ledger_table,
    "warnings": warnings_table,
}

#: The tables that together list every assumption.
ASSUMPTION_TABLES = ("cost_lines", "outcomes", "unit_values")


def all_tables(appraisal: "Appraisal", include_ledger: bool = True) -> dict[str, pd.DataFrame]:
    """Every table of :data:`TABLES` for one appraisal (``warnings`` only when there are some)."""
    return {name: fn(appraisal) for name, fn in TABLES.items() if (include_ledger or name != "ledger")
            and (name != "warnings" or getattr(appraisal, "warnings", None))}


def table(appraisal: "Appraisal", name: str) -> pd.DataFrame:
    """One table by name (see :data:`TABLES`)."""
    from .errors import CBAError

    try:
        return TABLES[name](appraisal)
    except KeyError:
        raise CBAError(f"unknown table {name!r} (tables: {', '.join(TABLES)})") from None
