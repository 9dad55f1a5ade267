"""The ground floor: what every other package of ``cba`` stands on.

Errors (:class:`CBAError`, :class:`ModelError`), limits on what is read
(``_limits``), bounded and atomic reading and writing of the user's files and the
one strict YAML/JSON parser (``_files``, ``_yaml``, ``_json_positions``), escaping for spreadsheets,
Markdown and charts (``_escaping``), the check of a number a user gives
(``_numbers``), plain values for JSON (``_plain``), progress bars (``_progress``)
and the accessors by which a result reaches the layers above it (``_accessors``).

This package imports nothing else of ``cba``. It must stay light: ``import cba``
imports it, so nothing here imports numpy, pandas or pydantic at module level
except the modules that need them, and this file imports nothing: its two public
names load on first use (PEP 562).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cba.core._lazy import lazy_exports

if TYPE_CHECKING:  # pragma: no cover
    from cba.core._errors import CBAError, ModelError

__all__ = ["CBAError", "ModelError"]


if not TYPE_CHECKING:  # type checkers see the names imported above, and no others
    __getattr__, __dir__ = lazy_exports(__name__, dict.fromkeys(__all__, "_errors"))
