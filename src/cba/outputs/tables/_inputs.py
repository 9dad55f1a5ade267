"""A model as tables, as entered, before any appraisal (nothing computed).

:func:`model_tables` shows an :class:`~cba.model._intervention.Intervention` (settings, costs,
outcomes) and :func:`fields_table` any nested model (a cost line, an outcome) as
tables; :mod:`cba.outputs._format` renders them for ``print(model)`` and notebooks.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import pandas as pd

from cba.model._agencies import display_name
from cba.outputs._arguments import takes
from cba.outputs.tables._assumptions import OUTCOME_RATES
from cba.outputs.tables._frame import _MONEY, _table

if TYPE_CHECKING:  # pragma: no cover
    from cba.model._base import _Model
    from cba.model._intervention import Intervention


def _field_text(value: Any) -> str:
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return "" if value is None else str(value)


@takes(model="settings")
def fields_table(model: _Model) -> pd.DataFrame:
    """Any input model (cost line, outcome, ...) as a two-column table of its fields."""
    data = model.to_dict()
    data = data if isinstance(data, dict) else {"value": data}
    frame = pd.DataFrame({"field": list(data), "value": [_field_text(v) for v in data.values()]})
    return _table(frame, type(model).__name__, kinds={"field": "text", "value": "text"},
                  labels={"field": "Field", "value": "Value"})


def _value_text(value, names: dict[str, str]) -> str:
    from cba.outputs._format import fmt

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


@takes(model="intervention")
def model_tables(model: Intervention) -> dict[str, pd.DataFrame]:
    """An :class:`~cba.model._intervention.Intervention` as tables, as entered (nothing computed).

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

