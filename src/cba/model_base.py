"""The base of every typed model: shared field types, validation and serialisation.

:class:`_Model` gives every model of a model file (:mod:`cba.models`, and the deal
terms of :mod:`cba.partnership`) the same behaviour: unknown fields refused, no
infinities or NaN, validation on assignment, field-path errors and exact JSON and
YAML round trips.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

import yaml
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError

from .agencies import SLUG
from .deflators import financial_year
from .errors import CBAError, from_pydantic


# ---------------------------------------------------------------- field types
def _rate(v: float) -> float:
    if not 0.0 <= v <= 1.0:
        raise ValueError(f"must be between 0 and 1, got {v!r}")
    return v


def _non_negative(v: float) -> float:
    if v < 0:
        raise ValueError(f"must be zero or more, got {v!r}")
    return v


def _fy(v: str) -> str:
    try:
        return financial_year(v)
    except CBAError as exc:
        raise ValueError(str(exc)) from None


def _slug(v: str) -> str:
    if not SLUG.match(v):
        raise ValueError(f"must be a lower-case id such as 'local_authority' (letters, digits, _), got {v!r}")
    return v


Rate = Annotated[float, AfterValidator(_rate)]
NonNegative = Annotated[float, AfterValidator(_non_negative)]
FinancialYear = Annotated[str, AfterValidator(_fy)]
AgencyId = Annotated[str, AfterValidator(_slug)]
Grade = Annotated[int, Field(ge=1)]


def _describe_fields(schema: dict[str, Any], cls: type) -> None:
    """Give each field of the JSON Schema its meaning, so editors and other tools see it."""
    from .schema_docs import FIELD_NOTES

    notes = FIELD_NOTES.get(cls.__name__, {})
    for name, prop in schema.get("properties", {}).items():
        if "description" not in prop and name in notes:
            prop["description"] = notes[name]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False, validate_assignment=True,
                              populate_by_name=True, json_schema_extra=_describe_fields)

    # ---- serialisation shared by every model
    def to_dict(self) -> dict[str, Any]:
        """Plain data (JSON types only), with unset optional fields left out."""
        return self.model_dump(mode="json", exclude_none=True, by_alias=True)

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False)

    def to_yaml(self) -> str:
        return yaml.safe_dump(self.to_dict(), sort_keys=False, allow_unicode=True)

    @classmethod
    def from_dict(cls, data: Any, *, path_prefix: tuple = ()):
        """Validate plain data; user mistakes raise :class:`~cba.errors.ModelError`."""
        try:
            return cls.model_validate(data)
        except ValidationError as err:
            raise from_pydantic(err, path_prefix) from None

    @classmethod
    def from_json(cls, text: str):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise CBAError(f"invalid JSON: {exc}") from None
        return cls.from_dict(data)

    @classmethod
    def from_yaml(cls, text: str):
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise CBAError(f"invalid YAML: {' '.join(str(exc).split())}") from None
        return cls.from_dict(data)

    def _repr_html_(self) -> str:  # notebooks: a table of the fields
        from .presentation import render_table_html
        from .tables import fields_table

        return render_table_html(fields_table(self))
