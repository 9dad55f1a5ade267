"""Where a value sits in a JSON text, for messages: its field path and line.

Python's JSON reader says where the text is malformed but not which field a value
it refused (an integer too long to read) was in; this finds it by reading the
text's tokens once, in time linear in its length.
"""

from __future__ import annotations

import json
import re

from cba.core._errors import format_path

_JSON_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\]:,]|[^\s{}\[\]:,"]+', re.S)


def json_long_integer(text: str, max_digits: int) -> tuple[str, int | None]:
    """The field path and line of the first integer longer than ``max_digits`` in a JSON text."""
    stack: list[list] = []  # [is_object, key or index, expecting_key]
    for m in _JSON_TOKEN.finditer(text):
        tok = m.group()
        if tok in ("{", "["):
            stack.append([tok == "{", None if tok == "{" else 0, tok == "{"])
        elif tok in ("}", "]"):
            if stack:
                stack.pop()
        elif tok == ",":
            if stack and stack[-1][0]:
                stack[-1][2] = True
            elif stack:
                stack[-1][1] += 1
        elif tok.startswith('"'):
            if stack and stack[-1][0] and stack[-1][2]:
                try:
                    stack[-1][1] = str(json.loads(tok))[:60]
                except ValueError:
                    stack[-1][1] = tok[1:61]
                stack[-1][2] = False
        elif tok != ":" and len(tok.lstrip("+-")) > max_digits and tok.lstrip("+-").isdigit():
            return format_path([f[1] for f in stack if f[1] is not None]), text.count("\n", 0, m.start()) + 1
    return "", None
