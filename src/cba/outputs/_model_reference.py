"""The model file reference, generated from the models' JSON schema.

:func:`model_reference_markdown` renders the pydantic JSON schema of
:class:`~cba.model._intervention.Intervention` (and every model it contains) as Markdown tables:
one section per model, one row per field with its type, default and meaning. The
user guide builds its "Model file reference" page with it at build time, so the
reference lists exactly the fields the library accepts and cannot drift from them.

Field meanings live in :data:`FIELD_NOTES`; the models put them into their JSON
Schema as each field's ``description`` (so ``cba schema`` and editors show them too),
and a test checks that every field has one.

Examples
--------
>>> from cba.outputs._model_reference import model_reference_markdown, schema_fields
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

from cba.model._field_notes import FIELD_NOTES

#: Order of the sections: the top-level model first, then as a model file nests them.
MODEL_ORDER = ("Intervention", "Agency", "DiscountSchedule", "DiscountBand", "OptimismBiasTable",
               "UnitCostSettings", "ValueForMoneyBands", "ValueForMoneyBand", "Wellbeing", "Distribution",
               "IncomeGroup", "CostLine", "Outcome",
               "UnitValue", "ValueComponent", "Partnership", "Funding", "PooledBudget", "GainShare",
               "OutcomePayment", "TopUp", "Payment")

def schema() -> dict[str, Any]:
    """The JSON schema of a model file (:class:`~cba.model._intervention.Intervention`)."""
    from cba.model._intervention import Intervention

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

    import cba.model._deal_terms as deal_terms
    import cba.model._intervention as intervention
    import cba.model._lines as lines
    import cba.model._settings as settings
    import cba.model._value_for_money as value_for_money

    # the modules that define the models of a model file
    modules = (intervention, settings, value_for_money, lines, deal_terms)
    cls = next((getattr(m, model) for m in modules if model in vars(m)), None)
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
