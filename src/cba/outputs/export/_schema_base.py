"""What the published JSON Schemas share: the draft they follow, their descriptions trimmed, and
the row model that lets a row carry more fields than the schema names.

:mod:`cba.outputs.export._schema` (model files and results) and
:mod:`cba.outputs.export._schema_partnership` (a deal's results) both import from
here; nothing here imports either of them.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, ConfigDict

#: The JSON Schema draft every published schema follows.
DRAFT = "https://json-schema.org/draft/2020-12/schema"


#: A number, or null where there is none (a ratio with no denominator, a budget not given).
Num = float | None


class Open(BaseModel):
    """A row that may carry fields the schema does not name (later versions add some)."""

    model_config = ConfigDict(extra="allow")


def _trim(description: str) -> str:
    """A docstring without its doctest examples."""
    text = re.split(r"\n\s*(?:Examples\n-+|>>>)", description, maxsplit=1)[0]
    return text.strip()


def _trim_all(node: Any) -> None:
    if isinstance(node, dict):
        if isinstance(node.get("description"), str):
            node["description"] = _trim(node["description"])
        for v in node.values():
            _trim_all(v)
    elif isinstance(node, list):
        for v in node:
            _trim_all(v)
