"""Errors raised for user mistakes.

Every error a user can cause is a :class:`CBAError`. Its message starts with the
path of the offending field in the model (``outcomes[2].deadweight: ...``) so that
the command line can print it as one line and exit with status 2.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

#: At most this many problems are written in the message of a :class:`ModelError` (all of
#: them stay in its ``problems``); the rest are counted in a last line.
MAX_PROBLEMS = 20
#: A problem's line in a message is cut to this many characters.
MAX_PROBLEM_CHARS = 500

_FIELD_PREFIX = re.compile(r"^([a-z_]+(?:\[\d+\])?(?:\.[a-z_]+(?:\[\d+\])?)*): (.*)$", re.S)


class CBAError(ValueError):
    """A user mistake: bad model, bad file, unknown year or code.

    A :class:`ValueError`, so code that catches bad values catches it too.
    """


class ModelError(CBAError, ValueError):
    """One or more fields of a model are invalid.

    Parameters
    ----------
    problems : sequence of (path, message)
        ``path`` is a field path such as ``outcomes[2].deadweight`` (may be empty
        for the model as a whole); ``message`` says what is wrong.
    """

    def __init__(self, problems: Sequence[tuple[str, str]]) -> None:
        self.problems = [(str(p), str(m)) for p, m in problems]
        lines = [_line(p, m) for p, m in self.problems[:MAX_PROBLEMS]]
        more = len(self.problems) - MAX_PROBLEMS
        if more > 0:
            lines.append(f"... and {more:,} more problem{'s' if more > 1 else ''} (the first {MAX_PROBLEMS} are shown)")
        super().__init__("\n".join(lines))


def _line(path: str, message: str) -> str:
    """One problem on one line, of at most :data:`MAX_PROBLEM_CHARS` characters."""
    text = f"{path}: {message}" if path else message
    if "\n" in text or "\r" in text:
        text = " ".join(text.split())
    return text if len(text) <= MAX_PROBLEM_CHARS else text[:MAX_PROBLEM_CHARS - 3] + "..."


def format_path(loc: Sequence[str | int]) -> str:
    """Turn a location tuple into a field path.

    >>> format_path(("outcomes", 2, "deadweight"))
    'outcomes[2].deadweight'
    >>> format_path(())
    ''
    """
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def _is_tag(part) -> bool:
    """pydantic puts the name of a union member or a function validator in an error's location."""
    return isinstance(part, str) and ("[" in part or part.startswith("function-"))


def split_loc(loc: Sequence[str | int]) -> tuple:
    """An error location without pydantic's union-member and validator names: the user's field path.

    >>> split_loc(("outcomes", 0, "cohort", "list[function-after[_non_negative(), float]]", 1))
    ('outcomes', 0, 'cohort', 1)
    """
    return tuple(p for p in loc if not _is_tag(p))


def _type_error(e) -> bool:
    return e["type"].endswith(("_type", "_parsing")) or e["type"] in ("is_instance_of", "model_attributes_type")


def _one_per_mistake(errors: list[dict]) -> list[dict]:
    """The errors of a value checked against several types (``0.5`` or ``[0.5, 0.3]``) cut to one
    mistake: those of the types the value is of (a number's range, a list's items), or, when it
    is of none of them, the first."""
    sites: dict[tuple, dict[str, list[int]]] = {}
    for i, e in enumerate(errors):
        loc = e["loc"]
        k = next((j for j, p in enumerate(loc) if _is_tag(p)), None)
        if k is not None:
            sites.setdefault(tuple(loc[:k]), {}).setdefault(loc[k], []).append(i)
    drop: set[int] = set()
    for site, members in sites.items():
        if len(members) < 2:
            continue

        def refused(idx: list[int], depth: int = len(site) + 1) -> bool:
            return all(len(errors[i]["loc"]) == depth and _type_error(errors[i]) for i in idx)

        kept = [m for m, idx in members.items() if not refused(idx)]
        if not kept:
            kept = [next(iter(members))]
        drop.update(i for m, idx in members.items() if m not in kept for i in idx)
    return [e for i, e in enumerate(errors) if i not in drop]


def from_pydantic(err, prefix: Sequence[str | int] = ()) -> ModelError:
    """Convert a pydantic ``ValidationError`` into a :class:`ModelError`: one problem per mistake,
    each with its field path (a check across fields names the fields it concerns)."""
    problems = []
    for e in _one_per_mistake(err.errors(include_url=False)):
        # pydantic adds the name of a union member or a function validator to the
        # location; drop those so the path is the user's field path.
        loc = split_loc(e["loc"])
        inner = (e.get("ctx") or {}).get("error")
        if isinstance(inner, ModelError):   # a check across fields: its problems, under this path
            base = format_path([*prefix, *loc])
            problems += [(f"{base}.{p}" if base and p else (base or p), m) for p, m in inner.problems]
            continue
        msg = e["msg"]
        for noise in ("Value error, ", "Assertion failed, "):
            if msg.startswith(noise):
                msg = msg[len(noise):]
        if e["type"] not in ("value_error", "assertion_error") and "input" in e and _short(e["input"]):
            msg = f"{msg}, got {e['input']!r}"
        path = format_path([*prefix, *loc])
        # a model validator names its field at the start of the message: move it into the path
        m = _FIELD_PREFIX.match(msg) if e["type"] == "value_error" else None
        if m and "\n" not in msg:
            path = f"{path}.{m.group(1)}" if path else m.group(1)
            msg = m.group(2)
        problems.append((path, msg))
    return ModelError(problems)


def _short(value) -> bool:
    return isinstance(value, (int, float, str, bool)) and len(repr(value)) <= 60


def in_file(source, exc: CBAError) -> CBAError:
    """``exc`` with the file ``source`` named at the start of its message, once.

    A :class:`ModelError` gets the file in front of each problem's path; any other
    error in front of its message, unless the message already starts with it.

    >>> str(in_file("model.yaml", ModelError([("costs[0].price_year", "outside the series")])))
    'model.yaml: costs[0].price_year: outside the series'
    >>> str(in_file("model.yaml", CBAError("model.yaml: no such file")))
    'model.yaml: no such file'
    """
    if source is None:
        return exc
    where = str(source)
    if isinstance(exc, ModelError):
        problems = [(p if p.startswith(where) else (f"{where}: {p}" if p else where), m) for p, m in exc.problems]
        return ModelError(problems)
    msg = str(exc)
    if msg.startswith(where):
        return exc
    return type(exc)(f"{where}: {msg}") if type(exc) is CBAError else CBAError(f"{where}: {msg}")


@contextmanager
def naming(source) -> Iterator[None]:
    """Re-raise any :class:`CBAError` inside the block with the file ``source`` named once.

    >>> try:
    ...     with naming("uncertainty.yaml"):
    ...         raise CBAError("draws: must be 1 or more, got 0")
    ... except CBAError as exc:
    ...     print(exc)
    uncertainty.yaml: draws: must be 1 or more, got 0
    """
    try:
        yield
    except CBAError as exc:
        named = in_file(source, exc)
        if named is exc:
            raise
        raise named from None


_SHOWN = None


def shown(value) -> str:
    """``repr(value)`` for a message, bounded: deep or long data a user gave is cut short.

    >>> shown([[[[[[1]]]]]]), shown(0.5), shown("pert")
    ('[[[[...]]]]', '0.5', "'pert'")
    """
    global _SHOWN
    if _SHOWN is None:
        import reprlib

        _SHOWN = reprlib.Repr()
        _SHOWN.maxlevel, _SHOWN.maxstring, _SHOWN.maxother = 3, 60, 60
    return _SHOWN.repr(value)
