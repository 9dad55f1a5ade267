"""The base of every typed model: shared field types, validation and serialisation.

:class:`_Model` gives every model of a model file (:mod:`cba.model._intervention`, and the deal
terms of :mod:`cba.partnership`) the same behaviour: unknown fields refused, no
infinities or NaN, no boolean taken as a number, validation on assignment, field-path
errors (every mistake is a :class:`~cba.core._errors.ModelError`, never pydantic's
``ValidationError``) and exact JSON and YAML round trips. Text is parsed by
:func:`cba.core._files.parse_data`: duplicate keys are errors, nesting is bounded.

Numeric fields use :data:`Number`, :data:`Whole` or the types built on them
(:data:`Rate`, :data:`NonNegative`, :data:`Grade`), never bare ``float`` or
``int``, so that ``true`` is refused where a number is expected.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Annotated, Any, Self

import yaml
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from cba.core._accessors import accessor
from cba.core._errors import CBAError, from_pydantic
from cba.method._deflators import financial_year
from cba.model._agencies import SLUG
from cba.model._names import control_problem


# ---------------------------------------------------------------- field types
def _not_bool(v: Any) -> Any:
    """Refuse ``true``/``false`` where a number is expected (pydantic would read them as 1 and 0)."""
    if isinstance(v, bool):
        raise ValueError(f"expected a number, got {str(v).lower()} (a yes/no value)")
    return v


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


def _name(v: str) -> str:
    problem = control_problem(v)
    if problem is not None:
        raise ValueError(problem)
    return v


def _slug(v: str) -> str:
    if not SLUG.match(v):
        raise ValueError(f"must be a lower-case id such as 'local_authority' (letters, digits, _), got {v!r}")
    return v


#: A finite number (``true`` and ``false`` refused).
Number = Annotated[float, BeforeValidator(_not_bool)]
#: A whole number (``true`` and ``false`` refused). For bounds, put ``Field(ge=...)``
#: before the validator, as in :data:`NonNegativeWhole`, so the JSON Schema shows them.
Whole = Annotated[int, BeforeValidator(_not_bool)]
Rate = Annotated[float, BeforeValidator(_not_bool), AfterValidator(_rate)]
NonNegative = Annotated[float, BeforeValidator(_not_bool), AfterValidator(_non_negative)]
FinancialYear = Annotated[str, AfterValidator(_fy)]
AgencyId = Annotated[str, AfterValidator(_slug)]
#: A name shown in tables (a model, an agency, a line, an agreement): one line of text,
#: without control characters (:func:`cba.model._names.control_problem`).
Name = Annotated[str, AfterValidator(_name)]
#: A whole number 0 or more (a lag, a start year).
NonNegativeWhole = Annotated[int, Field(ge=0), BeforeValidator(_not_bool)]
Grade = Annotated[int, Field(ge=1), BeforeValidator(_not_bool)]


def _describe_fields(schema: dict[str, Any], cls: type) -> None:
    """Give each field of the JSON Schema its meaning, so editors and other tools see it."""
    from cba.model._field_notes import FIELD_NOTES

    notes = FIELD_NOTES.get(cls.__name__, {})
    for name, prop in schema.get("properties", {}).items():
        if "description" not in prop and name in notes:
            prop["description"] = notes[name]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False, validate_assignment=True,
                              populate_by_name=True, json_schema_extra=_describe_fields)

    # ---- every mistake is a ModelError (a CBAError and a ValueError), never pydantic's,
    # with all the mistakes of the data at once (cba.model._checks.all_problems)
    def __init__(self, **data: Any) -> None:
        try:
            super().__init__(**data)
        except ValidationError as err:
            from cba.model._checks import all_problems

            raise all_problems(type(self), data, err) from None
        except RecursionError:
            raise CBAError(f"{type(self).__name__}: the data is nested too deeply") from None

    # pydantic validates nested models without calling this __init__, as for its own
    __init__.__pydantic_base_init__ = True  # type: ignore[attr-defined]  # a marker on the function, set at run time

    def __setattr__(self, name: str, value: Any) -> None:
        from cba.model._checks import mark_changed, with_place

        missing = object()
        old = self.__dict__.get(name, missing)
        try:
            super().__setattr__(name, value)
        except ValidationError as err:
            # a check across fields fails after pydantic has stored the value: put the old one back
            if old is not missing:
                self.__dict__[name] = old
            # a nested model's mistake is named by its path in the intervention
            raise with_place(self, from_pydantic(err)) from None
        if name in type(self).model_fields:
            mark_changed(self)  # the checks across fields of its intervention run when it is appraised

    def model_copy(self, *, update: Mapping[str, Any] | None = None, deep: bool = False) -> Self:
        """A copy, with ``update`` checked like any other value (pydantic's copy does not check it)."""
        copied = super().model_copy(deep=deep)
        if not update:
            return copied
        data = {name: copied.__dict__[name] for name in copied.model_fields_set if name in copied.__dict__}
        data.update(update)
        new = type(self).model_validate(data)
        # the model's private state (its file's folder, its hash) travels with the copy
        object.__setattr__(new, "__pydantic_private__", copied.__pydantic_private__)
        return new

    @classmethod
    def model_validate(cls, obj: Any, *args: Any, **kwargs: Any) -> Self:
        try:
            return super().model_validate(obj, *args, **kwargs)
        except ValidationError as err:
            from cba.model._checks import all_problems

            raise all_problems(cls, obj, err) from None
        except RecursionError:
            raise CBAError(f"{cls.__name__}: the data is nested too deeply") from None

    @classmethod
    def model_validate_json(cls, json_data: Any, *args: Any, **kwargs: Any) -> Self:
        return cls.from_json(json_data if isinstance(json_data, str) else bytes(json_data).decode("utf-8", "replace"))

    @classmethod
    def model_validate_strings(cls, obj: Any, *args: Any, **kwargs: Any) -> Self:
        try:
            return super().model_validate_strings(obj, *args, **kwargs)
        except ValidationError as err:
            raise from_pydantic(err) from None

    # ---- serialisation shared by every model
    def to_dict(self) -> dict[str, Any]:
        """Plain data (JSON types only), with unset optional fields left out."""
        return self.model_dump(mode="json", exclude_none=True, by_alias=True)

    def to_json(self, indent: int | None = 2) -> str:
        """The model as JSON text (:meth:`to_dict`), indented by ``indent`` spaces (``None``: on one line)."""
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False)

    def to_yaml(self) -> str:
        """The model as YAML text (:meth:`to_dict`), fields in their order in the model."""
        return yaml.safe_dump(self.to_dict(), sort_keys=False, allow_unicode=True)

    @classmethod
    def from_dict(cls, data: Any, *, path_prefix: tuple[Any, ...] = ()) -> Self:
        """Validate plain data; user mistakes raise :class:`~cba.core._errors.ModelError`."""
        try:
            return super().model_validate(data)
        except ValidationError as err:
            from cba.model._checks import all_problems

            raise all_problems(cls, data, err, tuple(path_prefix)) from None
        except RecursionError:
            raise CBAError(f"{cls.__name__}: the data is nested too deeply") from None

    @classmethod
    def from_json(cls, text: str, *, source: str | None = None) -> Self:
        """Validate JSON text (parsed strictly by :func:`cba.core._files.parse_data`)."""
        from cba.core._files import parse_data

        return cls.from_dict(parse_data(text, "JSON text", source=source, format="json"))

    @classmethod
    def from_yaml(cls, text: str, *, source: str | None = None) -> Self:
        """Validate YAML text (parsed strictly by :func:`cba.core._files.parse_data`)."""
        from cba.core._files import parse_data

        return cls.from_dict(parse_data(text, "YAML text", source=source, format="yaml"))

    def _repr_html_(self) -> str:  # notebooks: a table of the fields
        return str(accessor("fields.html")(self))
