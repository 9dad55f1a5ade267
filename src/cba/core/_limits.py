"""Limits on the work a user's input may ask for, with documented defaults.

Every file cba reads and every run it makes is bounded, so that a hostile or
mistaken input (a FIFO, ``/dev/zero``, a YAML "billion laughs", a zip bomb saved
as ``.xlsx``, ``draws: 10**15``) is refused quickly with a message instead of
hanging the machine or eating its memory. Each limit has a default, an environment
variable and a Python setting; the Python setting wins, then the environment:

>>> import cba.core._limits
>>> cba.core._limits.get("depth")
64
>>> with cba.core._limits.override(depth=100):
...     cba.core._limits.get("depth")
100

Every message of a limit that trips names the limit and says how to raise it
(:func:`exceeded`). The limits are listed, with what each one bounds, on the
"Limits and safety" page of the documentation (``docs/limits.md``).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

from cba.core._errors import CBAError

#: Limit name -> (default, what it bounds). Sizes are in bytes (1 MB = 1,000,000 bytes).
DEFAULTS: dict[str, tuple[int, str]] = {
    "file_bytes": (32_000_000, "size of a model, uncertainty, programme or CSV file"),
    "workbook_bytes": (50_000_000, "size of a workbook (.xlsx) file"),
    "workbook_uncompressed_bytes": (50_000_000, "size of a workbook's contents once uncompressed"),
    "depth": (64, "nesting depth of a YAML or JSON file"),
    "values": (4_000_000, "values in a YAML or JSON file, counting each use of a YAML alias in full"),
    "integer_digits": (400, "digits of an integer in a YAML or JSON file"),
    "programme_members": (1_000, "model files in a programme, counting those of programmes nested in it"),
    "programme_depth": (8, "programmes nested in programmes (a programme of models is depth 1)"),
    "draws": (100_000_000, "Monte Carlo draws in one run"),
    "kept_draws_bytes": (268_435_456, "memory for draws held in memory (keep_draws, --draws-output, memory=)"),
}

# ---- the size of a per-line export (issue 19, item 7): JSON, Markdown, the workbook and the
# report hold every line of a model in memory several times over (about 10 KB a line for JSON,
# 15 KB for the workbook), so a model of hundreds of thousands of lines is refused quickly for
# them; the CSV ledger and the text tables have no such limit.
DEFAULTS["export_rows"] = (50_000, "rows of the ledger (lines x years) in a JSON, Markdown, workbook "
                                   "or report export")


def check_export_rows(rows: int, what: str) -> None:
    """Refuse an export of more than ``export_rows`` ledger rows, before it is built."""
    if rows > get("export_rows"):
        raise CBAError(f"{what}: the model has {rows:,} ledger rows (lines x years), too many for this format; "
                       f"write the ledger as CSV (--format csv) or the tables as text, or {exceeded('export_rows')}")


_settings: dict[str, int] = {}


def env_name(name: str) -> str:
    """The environment variable of a limit.

    >>> env_name("file_bytes")
    'CBA_MAX_FILE_BYTES'
    """
    return f"CBA_MAX_{name.upper()}"


def get(name: str) -> int:
    """The limit in force: the Python setting, else the environment variable, else the default."""
    if name not in DEFAULTS:
        raise CBAError(f"unknown limit {name!r}; limits are {', '.join(DEFAULTS)}")
    if name in _settings:
        return _settings[name]
    text = os.environ.get(env_name(name))
    if text is None or not text.strip():
        return DEFAULTS[name][0]
    try:
        value = int(text.strip().replace("_", "").replace(",", ""))
    except ValueError:
        value = 0
    if value < 1:
        raise CBAError(f"environment variable {env_name(name)}: expected a whole number 1 or more, got {text!r}")
    return value


def configure(**limits: int | None) -> dict[str, int | None]:
    """Set limits for this Python process; returns the previous settings (``None``: unset).

    ``configure(file_bytes=None)`` removes a setting (the environment or default
    applies again).
    """
    previous: dict[str, int | None] = {}
    for name, value in limits.items():
        if name not in DEFAULTS:
            raise CBAError(f"unknown limit {name!r}; limits are {', '.join(DEFAULTS)}")
        if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 1):
            raise CBAError(f"limit {name}: expected a whole number 1 or more, got {value!r}")
        previous[name] = _settings.get(name)
        if value is None:
            _settings.pop(name, None)
        else:
            _settings[name] = value
    return previous


@contextmanager
def override(**limits: int) -> Iterator[None]:
    """Set limits inside a ``with`` block only."""
    previous = configure(**limits)
    try:
        yield
    finally:
        configure(**previous)


def exceeded(name: str) -> str:
    """How to raise a limit, for the end of an error message.

    >>> print(exceeded("depth"))
    the limit depth is 64; raise it with the environment variable CBA_MAX_DEPTH or cba.core._limits.configure(depth=...)
    """
    return (f"the limit {name} is {get(name):,}; raise it with the environment variable {env_name(name)} "
            f"or cba.core._limits.configure({name}=...)")


def current() -> dict[str, int]:
    """Every limit in force, by name."""
    return {name: get(name) for name in DEFAULTS}


__all__ = ["DEFAULTS", "configure", "current", "env_name", "exceeded", "get", "override"]
