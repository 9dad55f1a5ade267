"""Arguments of the Python API, checked where they enter: a wrong one is a CBAError.

The command line can only pass text; Python can pass anything. A public function
that takes a path, a model, an appraisal or deal terms checks the kind of what it
is given with these helpers, so that ``cba.load_intervention(None)`` or
``appraisal.partnership("gain")`` is a :class:`~cba.core._errors.CBAError` naming the
argument and what it expects, not a ``TypeError`` or ``AttributeError`` from deep
inside.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from cba.core._errors import CBAError


def kind_of(value: Any) -> str:
    """A short name of what a value is, for a message.

    >>> kind_of(None), kind_of(3), kind_of("x"), kind_of([1])
    ('None', 'a number (3)', "text ('x')", 'a list')
    """
    if value is None:
        return "None"
    if isinstance(value, bool):
        return f"a yes/no value ({value})"
    if isinstance(value, (int, float)):
        text = repr(value)
        return f"a number ({text if len(text) <= 30 else text[:27] + '...'})"
    if isinstance(value, str):
        text = repr(value)
        return f"text ({text if len(text) <= 40 else text[:37] + '...'})"
    article = "an" if type(value).__name__[:1].lower() in "aeiou" else "a"
    return f"{article} {type(value).__name__}"


def path_argument(value: Any, name: str = "path") -> Path:
    """``value`` as a :class:`~pathlib.Path` when it is text or a path, else a CBAError naming ``name``.

    >>> path_argument("model.yaml")
    PosixPath('model.yaml')
    >>> path_argument(None, "model")
    Traceback (most recent call last):
    ...
    cba.core._errors.CBAError: model: expected a file path (text or a pathlib.Path), got None
    """
    if isinstance(value, (str, os.PathLike)):
        text = os.fspath(value)
        if isinstance(text, str) and text.strip():
            return Path(text)
        if isinstance(text, str):
            raise CBAError(f"{name}: expected a file path, got empty text")
    raise CBAError(f"{name}: expected a file path (text or a pathlib.Path), got {kind_of(value)}")


def instance_argument(value: Any, kinds: type | tuple[type, ...], name: str, what: str) -> Any:
    """``value`` when it is one of ``kinds``, else a CBAError: ``name: expected what, got ...``."""
    if isinstance(value, bool) and bool not in (kinds if isinstance(kinds, tuple) else (kinds,)):
        raise CBAError(f"{name}: expected {what}, got {kind_of(value)}")
    if not isinstance(value, kinds):
        raise CBAError(f"{name}: expected {what}, got {kind_of(value)}")
    return value


def flag(value: Any, name: str) -> bool:
    """``value`` when it is ``True`` or ``False`` (NumPy's too), else a CBAError naming ``name``.

    >>> flag(True, "health")
    True
    >>> flag("no", "health")
    Traceback (most recent call last):
    ...
    cba.core._errors.CBAError: health: expected True or False, got text ('no')
    """
    if type(value).__name__ in ("bool", "bool_"):
        return bool(value)
    raise CBAError(f"{name}: expected True or False, got {kind_of(value)}")


def text_argument(value: Any, name: str, what: str = "text") -> str:
    """``value`` when it is text, else a CBAError naming ``name``."""
    if isinstance(value, str):
        return value
    raise CBAError(f"{name}: expected {what}, got {kind_of(value)}")


def output_pairs(outputs: Any, force: Any, inputs: Any) -> list[tuple[Any, Any]]:
    """The ``(data, path)`` pairs of :func:`cba.core._files.write_files` as a list, its ``force``
    a yes/no value and its ``inputs`` paths, else a CBAError naming what is wrong."""
    if isinstance(outputs, (str, bytes)) or not hasattr(outputs, "__iter__"):
        raise CBAError(f"write_files: outputs: expected a list of (data, path) pairs, got {kind_of(outputs)}")
    pairs = list(outputs)
    for i, pair in enumerate(pairs):
        if not (isinstance(pair, (tuple, list)) and len(pair) == 2):
            raise CBAError(f"write_files: outputs[{i}]: expected a (data, path) pair, got {kind_of(pair)}")
        if not isinstance(pair[0], (str, bytes)):
            raise CBAError(f"write_files: outputs[{i}]: can only write text or bytes, got {kind_of(pair[0])}")
        path_argument(pair[1], f"write_files: outputs[{i}]: path")
    flag(force, "write_files: force")
    if isinstance(inputs, (str, bytes, os.PathLike)) or not hasattr(inputs, "__iter__"):
        raise CBAError(f"write_files: inputs: expected a list of file paths, got {kind_of(inputs)}")
    return pairs


__all__ = ["flag", "instance_argument", "kind_of", "output_pairs", "path_argument", "text_argument"]
