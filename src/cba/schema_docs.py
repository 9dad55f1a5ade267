"""The model file reference, generated from the models' JSON schema.

:func:`model_reference_markdown` renders the pydantic JSON schema of
:class:`~cba.models.Intervention` (and every model it contains) as Markdown tables:
one section per model, one row per field with its type, default and meaning. The
user guide builds its "Model file reference" page with it at build time, so the
reference lists exactly the fields the library accepts and cannot drift from them.

Field meanings live in :data:`FIELD_NOTES`; the models put them into their JSON
Schema as each field's ``description`` (so ``cba schema`` and editors show them too),
and a test checks that every field has one.

Examples
--------
>>> from cba.schema_docs import model_reference_markdown, schema_fields
>>> ("Outcome", "deadweight") in schema_fields()
True
>>> text = model_reference_markdown()
>>> "| `deadweight` |" in text and "## Intervention" in text
True
"""

from __future__ import annotations

import json
import re
from typing import Any

#: Order of the sections: the top-level model first, then as a model file nests them.
MODEL_ORDER = ("Intervention", "Agency", "DiscountSchedule", "DiscountBand", "OptimismBiasTable",
               "UnitCostSettings", "ValueForMoneyBands", "ValueForMoneyBand", "CostLine", "Outcome",
               "UnitValue", "ValueComponent", "Partnership", "Funding", "PooledBudget", "GainShare",
               "OutcomePayment", "TopUp", "Payment")

_RATE = "A fraction in [0, 1]."

#: Meaning of each field, used where the model gives no pydantic ``description``.
FIELD_NOTES: dict[str, dict[str, str]] = {
    "Intervention": {
        "name": "Name of the intervention, shown in every output.",
        "description": "Free text describing the option appraised.",
        "price_base": "Financial year whose prices every amount is converted to, e.g. `2024/25`.",
        "start_year": "Financial year of appraisal year 0; labels years `2025/26`, ... instead of `Year 0`, ....",
        "horizon": "Appraisal period in whole years (1 to 1000). Benefits after it are not counted.",
        "discounting": "Discount schedule: `green_book`, `green_book_health`, `{rate: 0.05}` or "
                       "`{bands: [...]}` (see [DiscountSchedule](#discountschedule)).",
        "first_year_discounted": "Discount year 0 too (the default leaves it undiscounted).",
        "optimism_bias": "Confidence grade to optimism-bias table: `gm` (the published GM table) or a custom "
                         "one (see [OptimismBiasTable](#optimismbiastable)).",
        "deflator": "Name of the GDP deflator series used to change price years.",
        "agencies": "Extra agencies beyond the canonical ones, or new display names for them.",
        "costs": "The cost lines.",
        "outcomes": "The outcomes and their unit values.",
        "unit_costs": "Which unit cost data resolve `unit_cost` codes: a dataset name such as "
                      "`gmca_v1_4` (the default) or settings (see [UnitCostSettings](#unitcostsettings)).",
        "health_discounting": "Discount schedule for value components marked `health: true`; none means "
                              "`green_book_health` with `green_book` (or `green_book_lower`) discounting, "
                              "else the `discounting` schedule.",
        "mutually_exclusive": "Groups of outcome names that are shares of one cohort: each person counts in "
                              "at most one, so their engagement x success may not exceed 1 and the same unit "
                              "cost in two of them is not double counting.",
        "value_for_money": "Bands that put the benefit-cost ratio in a value for money category: `dft` (the "
                           "default, DfT's categories) or your own (see "
                           "[ValueForMoneyBands](#valueformoneybands)).",
    },
    "ValueForMoneyBands": {
        "metric": "The ratio categorised: `public_value_roi` (the benefit-cost ratio, default) or another ROI.",
        "bands": "The categories, lowest first; each runs from its `from` to the next band's.",
        "source": "Where the bands come from, shown in the provenance.",
    },
    "ValueForMoneyBand": {
        "name": "Name of the category, e.g. `high`.",
        "from": "Lowest ratio in the category (inclusive); the first band has none.",
    },
    "UnitCostSettings": {
        "database": "A shipped dataset (`gmca_v1_4`) or the path of a tidy unit cost CSV.",
        "supplementary": "Add cba's newer unit costs from other public sources.",
        "local": "Paths of your own unit cost CSV files; their codes win over the database's.",
    },
    "Agency": {
        "id": "Lower-case id used in cost lines and value components, e.g. `youth_offending`.",
        "name": "Display name in tables and charts.",
    },
    "DiscountSchedule": {
        "kind": "`green_book` (3.5% declining after year 30), `green_book_health` (1.5% declining), "
                "`green_book_lower` (3.0% declining: the 2026 lower-rate sensitivity test), "
                "`constant` or `custom`; set by the shorthand forms.",
        "rate": "The rate of a constant schedule. " + _RATE,
        "bands": "The bands of a custom schedule; the first starts at year 0.",
    },
    "DiscountBand": {
        "start_year": "First appraisal year the rate applies to.",
        "rate": "Discount rate. " + _RATE,
    },
    "OptimismBiasTable": {
        "name": "Name of the table; `gm` is the published GM table.",
        "grades": "Grade to correction, e.g. `{1: 0.0, 2: 0.05}`; corrections may not fall as the grade rises.",
    },
    "CostLine": {
        "name": "What the cost is for.",
        "agency": "Id of the agency that bears the cost.",
        "kind": "`capital`, `revenue` or `in_kind` (resources given without cash changing hands).",
        "amounts": "Cost in each appraisal year from year 0, in pounds; shorter lists are zero-padded.",
        "price_year": "Financial year of the amounts' prices; none means the price base.",
        "confidence": "Evidence grade (1 best to 6 worst); its optimism-bias correction uplifts the cost.",
        "source": "Where the figure comes from.",
    },
    "Outcome": {
        "name": "The change the intervention produces.",
        "cohort": "Intake: one number (all in year 0) or a list of intakes by year.",
        "engagement": "Share of the cohort that takes part. " + _RATE,
        "success": "Share of those engaged who achieve the outcome. " + _RATE,
        "deadweight": "Share of successes that would have happened anyway. " + _RATE,
        "displacement": "Share of the benefit that displaces benefit elsewhere. " + _RATE,
        "leakage": "Share of the benefit going to people outside the target group or area. " + _RATE,
        "substitution": "Share of the benefit that substitutes for other activity. " + _RATE,
        "attribution": "Share of the benefit owed to other interventions. " + _RATE,
        "lag": "Whole years from intake to the first year of benefit.",
        "duration": "Years each success keeps producing benefit.",
        "drop_off": "Share of the benefit lost each year after the first benefit year. " + _RATE,
        "quantity": "Units of the unit value per success per benefit year (default 1).",
        "confidence": "Evidence grade (1 best to 6 worst); its optimism-bias correction reduces the benefits.",
        "cashable": "Cashable share of the fiscal savings, overriding the components': one rate, or "
                    "`{agency: rate}`.",
        "value": "The value of one success (see [UnitValue](#unitvalue)).",
        "source": "Where the rates come from.",
    },
    "UnitValue": {
        "components": "Explicit value components (see [ValueComponent](#valuecomponent)).",
        "unit_cost": "A code in the unit cost database, e.g. `E&E1.0`, resolved to components.",
        "quantity": "Units per success per benefit year (give it here or on the outcome, not both).",
        "exclude": "Value types, agencies, codes or labels of components to leave out.",
    },
    "ValueComponent": {
        "type": "`fiscal` (a saving to a public body), `economic` or `social`.",
        "amount": "Value per unit, in pounds (negative for a dis-benefit).",
        "price_year": "Financial year of the amount's prices; none means the price base.",
        "agency": "For fiscal components: id of the agency that makes the saving.",
        "cashable": "For fiscal components: share of the saving that is cashable (default 0), one rate or a "
                    "list by appraisal year (padded to the horizon with its last value). " + _RATE,
        "transfer": "For fiscal components: a tax or benefit payment, excluded from public value.",
        "saving": "For fiscal components: `reduction` (a budget actually reduced) or `avoidance` (demand "
                  "avoided); the financial case reports each.",
        "health": "For economic and social components: a value of health or life, discounted on the "
                  "health schedule.",
        "lag": "This component's own lag (whole years from intake), replacing the outcome's.",
        "duration": "This component's own duration (years), replacing the outcome's.",
        "drop_off": "This component's own drop-off, replacing the outcome's. " + _RATE,
        "source": "Where the value comes from.",
        "unit_cost": "The unit cost database code the value was taken from.",
        "label": "Short name shown in tables.",
        "database": "Title and version of the unit cost data the value came from (set when a code is resolved).",
    },
}


def schema() -> dict[str, Any]:
    """The JSON schema of a model file (:class:`~cba.models.Intervention`)."""
    from .models import Intervention

    return Intervention.model_json_schema()


def _definitions(s: dict[str, Any]) -> dict[str, dict[str, Any]]:
    defs = dict(s.get("$defs", {}))
    top = {k: v for k, v in s.items() if k != "$defs"}
    defs[top.get("title", "Intervention")] = top
    return defs


def schema_fields(s: dict[str, Any] | None = None) -> list[tuple[str, str]]:
    """Every ``(model, field)`` pair the schema defines."""
    defs = _definitions(s or schema())
    return [(m, f) for m, d in defs.items() for f in d.get("properties", {})]


def _anchor(model: str) -> str:
    return model.lower()


def render_type(prop: dict[str, Any]) -> str:
    """A field's JSON-schema type as short Markdown.

    >>> render_type({"anyOf": [{"type": "number"}, {"type": "null"}]})
    'number'
    >>> render_type({"type": "array", "items": {"$ref": "#/$defs/CostLine"}})
    'list of [CostLine](#costline)'
    >>> render_type({"type": "integer", "minimum": 1})
    'integer ≥ 1'
    """
    if "$ref" in prop:
        name = prop["$ref"].rsplit("/", 1)[-1]
        return f"[{name}](#{_anchor(name)})"
    if "anyOf" in prop:
        parts = [render_type(p) for p in prop["anyOf"] if p.get("type") != "null"]
        return " or ".join(dict.fromkeys(parts))
    if "enum" in prop:
        return "one of " + ", ".join(f"`{v}`" for v in prop["enum"])
    kind = prop.get("type", "any")
    if kind == "array":
        return "list of " + render_type(prop.get("items", {}))
    if kind == "object":
        extra = prop.get("additionalProperties")
        return "mapping to " + render_type(extra) if isinstance(extra, dict) else "mapping"
    if "minimum" in prop and "maximum" in prop:
        return f"{kind} from {prop['minimum']} to {prop['maximum']}"
    if "minimum" in prop:
        return f"{kind} ≥ {prop['minimum']}"
    if "maximum" in prop:
        return f"{kind} ≤ {prop['maximum']}"
    return kind


def _factory_default(model: str, name: str) -> Any:
    """The default a ``default_factory`` makes (JSON schema leaves these out)."""
    from pydantic import BaseModel

    from . import models

    cls = getattr(models, model, None)
    info = getattr(cls, "model_fields", {}).get(name)
    if info is None or info.default_factory is None:
        return None
    value = info.get_default(call_default_factory=True)
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if isinstance(value, list):
        return [v.model_dump(mode="json") if isinstance(v, BaseModel) else v for v in value]
    return value


def _default(model: str, name: str, prop: dict[str, Any], required: set[str]) -> str:
    if name in required:
        return "required"
    value = prop["default"] if "default" in prop else _factory_default(model, name)
    if value is None:
        return "none"
    return f"`{json.dumps(value, ensure_ascii=False)}`"


def _prose(docstring: str | None) -> str:
    """The descriptive paragraphs of a class docstring, in Markdown."""
    text = (docstring or "").split("\nExamples\n")[0].split("\n>>>")[0].strip()
    text = re.sub(r":\w+:`~?([^`]+)`", r"`\1`", text)     # Sphinx roles -> code
    text = text.replace("``", "`")
    paragraphs = [" ".join(p.split()) for p in text.split("\n\n") if p.strip()]
    return "\n\n".join(paragraphs)


def field_note(model: str, name: str, prop: dict[str, Any]) -> str | None:
    """The meaning of a field: its pydantic description, else :data:`FIELD_NOTES`."""
    return prop.get("description") or FIELD_NOTES.get(model, {}).get(name)


def model_reference_markdown(s: dict[str, Any] | None = None, level: int = 2) -> str:
    """Markdown tables describing every model of a model file."""
    defs = _definitions(s or schema())
    names = [m for m in MODEL_ORDER if m in defs] + sorted(set(defs) - set(MODEL_ORDER))
    out = []
    for model in names:
        d = defs[model]
        required = set(d.get("required", []))
        out.append(f"{'#' * level} {model}\n")
        prose = _prose(d.get("description"))
        if prose:
            out.append(prose + "\n")
        out.append("| field | type | default | meaning |\n|---|---|---|---|")
        for name, prop in d.get("properties", {}).items():
            note = field_note(model, name, prop) or ""
            cells = [f"`{name}`", render_type(prop), _default(model, name, prop, required), note]
            out.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
        out.append("")
    return "\n".join(out).rstrip() + "\n"
