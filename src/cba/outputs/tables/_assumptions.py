"""Business-case tables of the assumptions: every cost line, outcome and unit value as used.

:func:`cost_line_table`, :func:`outcome_table` and :func:`unit_value_table` list what
was entered beside what the appraisal made of it (price uplift, optimism bias, net
success rate, present values) and where each value comes from. They are the
:data:`cba.outputs.tables._tables.ASSUMPTION_TABLES`.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from cba.method._additionality import net_success_rate
from cba.model._agencies import display_name
from cba.outputs._arguments import takes
from cba.outputs._format import fmt
from cba.outputs.tables._frame import _MONEY, _table

if TYPE_CHECKING:  # pragma: no cover
    from cba.ledger._appraisal import Appraisal


def _line_pv(appraisal: Appraisal, source_type: str, value_type: str | None = None) -> pd.Series:
    led = appraisal.ledger
    sel = led[led["source_type"] == source_type]
    if value_type is not None:
        sel = sel[sel["value_type"] == value_type]
    return sel.groupby("line")["discounted"].sum()


#: A cost line's kind in words, as the printed tables show it.
KIND_NAMES = {"revenue": "Revenue", "capital": "Capital", "in_kind": "In kind"}


@takes(appraisal="appraisal")
def cost_line_table(appraisal: Appraisal) -> pd.DataFrame:
    """Assumptions: every cost line as entered, with its price uplift and optimism bias.

    Columns: ``field`` (where it is in the model file; not printed), ``name``, agency, ``kind``
    (and ``kind_name``, in words),
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
                     "kind_name": KIND_NAMES.get(line.kind, line.kind),
                     **dict(zip(labels, map(float, amounts))), "total": float(sum(line.amounts)),
                     "price_year": info["price_year"], "uplift": float(info["uplift"]),
                     "confidence": line.confidence, "optimism_bias": float(info["optimism_bias"]),
                     "pv_costs": float(pv.get(info["line"], 0.0)), "source": line.source})
    columns = ["field", "name", "agency", "agency_name", "kind", "kind_name", *labels, "total", "price_year",
               "uplift", "confidence", "optimism_bias", "pv_costs", "source"]
    frame = pd.DataFrame(rows, columns=columns)
    frame["confidence"] = frame["confidence"].astype(object).where(frame["confidence"].notna(), None)
    kinds = {c: "text" for c in ("field", "name", "agency", "agency_name", "kind", "kind_name", "price_year",
                                 "source")}
    kinds.update({y: _MONEY for y in labels}, total=_MONEY, uplift="factor", confidence="int",
                 optimism_bias="rate", pv_costs=_MONEY)
    frame = _table(frame, "Assumptions: cost lines (amounts as entered, at their price year)", kinds=kinds,
                   labels={"field": "Field", "name": "Cost line", "agency_name": "Agency", "kind_name": "Kind",
                           "total": "Total as entered", "price_year": "Price year", "uplift": "Uplift to price base",
                           "confidence": "Confidence grade", "optimism_bias": "Optimism bias",
                           "pv_costs": "PV after uplift and bias", "source": "Source"},
                   hidden=("field", "agency", "kind"), blank=("confidence",))
    frame.attrs[DISPLAY_ONLY] = ["kind_name"]
    return frame


OUTCOME_RATES = ("engagement", "success", "deadweight", "displacement", "leakage", "substitution", "attribution")


def _cashable_text(value, names: dict[str, str] | None = None) -> str | None:
    if value is None:
        return None
    if isinstance(value, dict):   # agencies by name, as everywhere people read them
        return "; ".join(f"{display_name(a, names)}: {v:g}" for a, v in value.items())
    return f"{value:g}"


def _cashable_shown(value, names: dict[str, str] | None = None) -> str | float | None:
    """An outcome's cashable override as printed: one share a number (a percentage cell), shares by agency
    in words, as percentages."""
    if value is None or not isinstance(value, dict):
        return None if value is None else float(value)
    return "; ".join(f"{display_name(a, names)}: {fmt(float(v), 'rate')}" for a, v in value.items())


#: Columns of the assumption tables that are there to be printed only (the records and the JSON leave them out).
DISPLAY_ONLY = "display_only"


@takes(appraisal="appraisal")
def outcome_table(appraisal: Appraisal) -> pd.DataFrame:
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
            "cashable_shown": _cashable_shown(o.cashable, model.agency_names),
            "cashable_kind": "rate" if isinstance(o.cashable, int | float) else "text",
            "unit_cost": o.value.unit_cost,
            **{f"pv_{vt}": float(pvs[vt].get(i, 0.0)) for vt in pvs}, "source": o.source,
        })
    columns = ["field", "name", "cohort_total", "cohort_by_year", *OUTCOME_RATES, "net_success_rate", "lag",
               "duration", "drop_off", "quantity", "confidence", "optimism_bias", "cashable", "cashable_shown",
               "unit_cost", "pv_fiscal", "pv_economic", "pv_social", "source", "cashable_kind"]
    frame = pd.DataFrame(rows, columns=columns)
    frame["cashable_shown"] = frame["cashable_shown"].astype(object).where(frame["cashable_shown"].notna(), None)
    frame["confidence"] = frame["confidence"].astype(object).where(frame["confidence"].notna(), None)
    kinds = {c: "text" for c in ("field", "name", "cohort_by_year", "cashable", "unit_cost", "source",
                                 "cashable_kind")}
    kinds["cashable_shown"] = "@cashable_kind"
    kinds.update({r: "rate" for r in (*OUTCOME_RATES, "net_success_rate", "drop_off", "optimism_bias")},
                 cohort_total="number", lag="int", duration="int", quantity="number", confidence="int",
                 pv_fiscal=_MONEY, pv_economic=_MONEY, pv_social=_MONEY)
    labels = {r: r.replace("_", " ").capitalize() for r in OUTCOME_RATES}
    labels.update(field="Field", name="Outcome", cohort_total="Cohort (total)", cohort_by_year="Cohort by intake year",
                  net_success_rate="Net success rate", lag="Lag (years)", duration="Duration (years)",
                  drop_off="Drop-off", quantity="Quantity", confidence="Confidence grade",
                  optimism_bias="Optimism bias", cashable_shown="Cashable override", unit_cost="Unit cost code",
                  pv_fiscal="PV fiscal", pv_economic="PV economic", pv_social="PV social", source="Source")
    frame = _table(frame, "Assumptions: outcomes", kinds=kinds, labels=labels,
                   hidden=("field", "cashable", "cashable_kind"), blank=("confidence",))
    frame.attrs[DISPLAY_ONLY] = ["cashable_shown", "cashable_kind"]
    return frame


#: Provenance keys a resolved unit value may carry, with their headings. Read with
#: ``.get`` so tables work whether or not a unit cost database supplied them.
UNIT_VALUE_PROVENANCE = {
    "database": "Unit cost database",
    "database_version": "Database version",
    "original_source": "Original source",
    "deflator": "Deflator series",
    "deflator_vintage": "Deflator",
}
_UNIT_VALUE_KNOWN = {"outcome", "outcome_name", "type", "agency", "amount", "price_year", "uplift",
                     "real_amount", "cashable", "transfer", "unit_cost", "source", "label"}


def _cell(value: Any) -> Any:
    """Provenance values as table cells: numbers and text stay, others become text."""
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    if isinstance(value, (np.integer, np.floating)):
        return value.item()
    return json.dumps(value, default=str, ensure_ascii=False)


@takes(appraisal="appraisal")
def unit_value_table(appraisal: Appraisal) -> pd.DataFrame:
    """Assumptions: every unit value component used, with where it comes from.

    One row per value component of every outcome, in the ledger's order
    (``outcome``, ``component`` match the ledger's ``line`` and ``component``;
    ``component_number``, from 1, is the one printed).
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
               "component_number": k + 1,
               "outcome_name": c["outcome_name"], "label": c.get("label"), "type": c["type"],
               "agency": c.get("agency"),
               "agency_name": display_name(c["agency"], names) if c.get("agency") else None,
               "unit_cost": c.get("unit_cost"), "amount": float(c["amount"]), "price_year": c["price_year"],
               "uplift": float(c["uplift"]), "amount_at_price_base": float(c["real_amount"]),
               "cashable": None if c.get("cashable") is None else float(c["cashable"]),
               "transfer": bool(c.get("transfer")), "source": c.get("source")}
        for key in (*UNIT_VALUE_PROVENANCE, *(k for k in c if k not in _UNIT_VALUE_KNOWN)):
            if key == "deflator" and c.get("deflator_vintage"):
                continue              # the vintage is the deflator's title; its id is for machines
            if key in c and key not in row:
                row[key] = _cell(c[key])
                if key not in extras:
                    extras.append(key)
        rows.append(row)
    base = ["field", "outcome", "component", "outcome_name", "component_number", "label", "type", "agency",
            "agency_name",
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
    kinds.update(outcome="int", component="int", component_number="int", amount=_MONEY, uplift="factor",
                 amount_at_price_base=_MONEY, cashable="rate", transfer="bool")
    for key in extras:
        kinds[key] = "number" if pd.api.types.is_numeric_dtype(frame[key]) and not \
            pd.api.types.is_bool_dtype(frame[key]) else "text"
    labels = {"field": "Field", "outcome_name": "Outcome", "component_number": "Component", "label": "Label",
              "type": "Value type", "agency_name": "Agency", "unit_cost": "Unit cost code",
              "amount": "Amount as entered", "price_year": "Price year", "uplift": "Uplift to price base",
              "amount_at_price_base": "Amount at price base", "cashable": "Cashable share",
              "transfer": "Transfer", "source": "Source",
              **{k: UNIT_VALUE_PROVENANCE.get(k, k.replace("_", " ").capitalize()) for k in extras}}
    frame = _table(frame, "Assumptions: unit values (per unit of each outcome)", kinds=kinds, labels=labels,
                   hidden=("field", "outcome", "component", "agency"), blank=("cashable",))
    frame.attrs[DISPLAY_ONLY] = ["component_number"]
    return frame

