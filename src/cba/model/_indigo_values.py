"""Reading the values of an INDIGO project file: wrapped values, numbers, ids, money in messages.

The INDIGO data standard (Government Outcomes Lab, University of Oxford;
https://indigo-data-standard.readthedocs.io, schema ``schema/project.json`` of
github.com/INDIGO-Initiative/indigo-data-standard) wraps every value as
``{"value": ...}`` (with optional ``status``, ``source_ids`` and ``notes`` beside it).
:class:`Values` unwraps them, naming the file and the field of any mistake, and reads
numbers as the standard writes them: "numbers only, with no currency symbols, commas
or textual descriptions of large numbers" (``docs/formatting-data.rst``).

A number is a JSON number, or text that is only a number (``"600"``, as the standard's
spreadsheet template holds it). Where the schema types a field as a number (a price
per unit, a maximum potential outcome payment, an investment commitment, a target), any
other text (``"£600"``, ``"600k"``, ``"1,000"``) or a yes/no value is a mistake and
raises :class:`~cba.core._errors.CBAError`. Where the schema types it as text (a
pricing's "maximum price if all targets achieved", a result's "outcomes achieved"), a
value that is not a number is reported as a problem and not used.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any

from cba.core._errors import CBAError, shown
from cba.model._agencies import CANONICAL_AGENCIES

#: Differences under half a penny between amounts that should agree are rounding.
PENNY = 0.005

_NUMBER_TEXT = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def money(amount: float, currency: str | None = None) -> str:
    """An amount for a message, exactly as given: whole pounds without pence, pence when there are any.

    >>> money(3241776.0), money(8629679.5), money(12.345), money(1500.0, "USD")
    ('£3,241,776', '£8,629,679.50', '£12.345', '1,500 USD')
    """
    sign, x = ("-", -amount) if amount < 0 else ("", amount)
    if x == math.floor(x):
        text = f"{int(x):,}"
    elif round(x, 2) == x:
        text = f"{x:,.2f}"
    else:
        text = f"{x:,}"
    return f"{sign}£{text}" if currency in (None, "GBP") else f"{sign}{text} {currency}"


def agency_slug(organisation_id: str) -> str:
    """The cba agency id of an INDIGO organisation id: lower case, runs of other characters as ``_``.

    An id that would not start with a letter, or that is a canonical agency's id, is put
    after ``org_``, so that a declared agency never takes a canonical one's place. A slug
    read again is unchanged, so written and read back ids agree.

    >>> agency_slug("INDIGO-ORG-0171"), agency_slug("123"), agency_slug("nhs"), agency_slug("org_nhs")
    ('indigo_org_0171', 'org_123', 'org_nhs', 'org_nhs')
    """
    slug = re.sub(r"[^a-z0-9]+", "_", organisation_id.lower()).strip("_")
    if not slug[:1].isalpha() or not slug[:1].isascii() or slug in CANONICAL_AGENCIES:
        slug = f"org_{slug}".rstrip("_")
    return slug


class Values:
    """Reads the values of one INDIGO document, naming ``source`` and the field in every mistake.

    Problems that do not stop the reading (a value that is not a number where the
    standard allows text) are collected in :attr:`problems` as ``(path, message)``.
    """

    def __init__(self, source: str, prefix: str = "") -> None:
        self.source = source
        self.prefix = prefix
        self.problems: list[tuple[str, str]] = []

    def error(self, path: str, message: str) -> CBAError:
        """A mistake at ``path``, naming the file."""
        return CBAError(f"{self.source}: {self.prefix}{path}: {message}")

    def note(self, path: str, message: str) -> None:
        """A problem that does not stop the reading."""
        self.problems.append((f"{self.prefix}{path}", message))

    # ---------------------------------------------------------------- structure
    def at(self, node: Any, path: str, *keys: str) -> tuple[Any, str]:
        """The node under ``keys`` (None when any is missing) and its path; every step must be an object."""
        for key in keys:
            if node is None:
                return None, f"{path}.{key}" if path else key
            if not isinstance(node, Mapping):
                raise self.error(path, f"expected an object (a mapping), got {_kind(node)}")
            node, path = node.get(key), (f"{path}.{key}" if path else key)
        return node, path

    def records(self, data: Mapping[str, Any], key: str) -> list[tuple[str, Mapping[str, Any]]]:
        """The objects of the list ``key`` with their paths (none when the list is missing or null)."""
        node = data.get(key)
        if node is None:
            return []
        if not isinstance(node, list):
            raise self.error(key, f"expected a list, got {_kind(node)}")
        out = []
        for i, item in enumerate(node):
            if not isinstance(item, Mapping):
                raise self.error(f"{key}[{i}]", f"expected an object (a mapping), got {_kind(item)}")
            out.append((f"{key}[{i}]", item))
        return out

    def value(self, node: Any, path: str, *keys: str) -> tuple[Any, str]:
        """The value under ``keys``, unwrapped from ``{"value": ...}`` (a bare value is read as it is)."""
        node, path = self.at(node, path, *keys)
        if isinstance(node, Mapping):
            return node.get("value"), path
        if isinstance(node, list):
            raise self.error(path, f"expected a value, got {_kind(node)}")
        return node, path

    # ---------------------------------------------------------------- values
    def text(self, node: Any, path: str, *keys: str, required: str = "") -> str | None:
        """Text (an id, a name, a code); blank text is none. ``required``: missing is a mistake, so explained."""
        value, where = self.value(node, path, *keys)
        if isinstance(value, str) and value.strip():
            return value.strip()
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                raise self.error(where, f"missing: {required}")
            return None
        raise self.error(where, f"expected text, got {_kind(value)} {shown(value)}")

    def description(self, node: Any, path: str, *keys: str) -> str | None:
        """Free text the standard allows a number in (a target): a number is kept as its text."""
        value, _ = self.value(node, path, *keys)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return f"{value:g}"
        return self.text(node, path, *keys)

    def number(self, node: Any, path: str, *keys: str, strict: bool = True) -> float | None:
        """A number zero or more (money, a count); none when missing.

        ``strict`` (a field the schema types as a number): anything else is a mistake.
        Otherwise (a field the schema types as text) a value that is not a number is a
        problem and reads as none.
        """
        value, where = self.value(node, path, *keys)
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        message = None
        number: float | str | None = None
        if isinstance(value, bool):
            message = f"expected a number, got {str(value).lower()} (a yes/no value)"
        elif isinstance(value, (int, float)):
            number = value
        elif isinstance(value, str) and _NUMBER_TEXT.match(value.strip()):
            number = value.strip()
        else:
            message = (f"expected a number, got {_kind(value)} {shown(value)}; the INDIGO standard writes amounts "
                       "as numbers only (no currency symbols, commas or words)")
        if message is None:
            try:
                x = float(number or 0)
            except OverflowError:
                x = math.inf
            if not math.isfinite(x):
                message = f"expected a finite number, got {shown(value)}"
            elif x < 0:
                message = f"must be zero or more, got {shown(value)}"
            else:
                return x
        if strict:
            raise self.error(where, message)
        self.note(where, f"{message}; not used")
        return None


def _kind(value: Any) -> str:
    if isinstance(value, Mapping):
        return "an object"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, bool):
        return "a yes/no value"
    if isinstance(value, str):
        return "text"
    if isinstance(value, (int, float)):
        return "a number"
    return "null" if value is None else type(value).__name__
