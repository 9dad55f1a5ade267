"""Accessors: the one way a result object reaches code in a layer above its own.

Imports in ``cba`` go one way (see ``docs/architecture.md``): a model never imports
the engine, an appraisal never imports the tables, charts or exports that show it.
Yet people expect ``result.plot()``, ``result.to_excel(path)``, ``print(model)``,
``appraisal.partnership()`` and rich notebook displays. Those convenience methods
look up an *accessor* here by name and call it; ``cba._wiring`` (imported by
``cba/__init__``, above every layer) registers which function answers each name,
imported the first time the name is asked for, so a lower layer never names a
higher one.

An accessor's name is ``"<result>.<method>"``, for example ``"appraisal.plot"``.

Examples
--------
>>> from cba.core._accessors import accessor, registered
>>> "appraisal.plot" in registered()
True
>>> accessor("appraisal.no_such_view")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
cba.core._errors.CBAError: no output 'appraisal.no_such_view' is registered (known: ...)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

_ACCESSORS: dict[str, Callable[..., Any]] = {}
_LOADERS: dict[str, Callable[[str], Callable[..., Any]]] = {}


def register_loader(names: Iterable[str], load: Callable[[str], Callable[..., Any]]) -> None:
    """Register ``load(name)`` as the way to find the accessor of each of ``names``, the
    first time it is asked for (so the module that defines it is imported only then)."""
    for name in names:
        _LOADERS[name] = load


def accessor(name: str) -> Callable[..., Any]:
    """The function registered as ``name``.

    Raises
    ------
    CBAError
        When nothing is registered under ``name``.
    """
    func = _ACCESSORS.get(name)
    if func is None and name in _LOADERS:
        func = _ACCESSORS[name] = _LOADERS[name](name)
    if func is not None:
        return func
    from cba.core._errors import CBAError  # here, not at the top: `import cba` imports this module

    known = ", ".join(registered()[:5])
    raise CBAError(f"no output {name!r} is registered (known: {known}, ...)")


def registered() -> list[str]:
    """The names of every registered accessor, sorted."""
    return sorted(set(_ACCESSORS) | set(_LOADERS))
