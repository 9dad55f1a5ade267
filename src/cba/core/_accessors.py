"""Accessors: the one way a result object reaches code in a layer above its own.

Imports in ``cba`` go one way (see ``docs/architecture.md``): a model never imports
the engine, an appraisal never imports the tables, charts or exports that show it.
Yet people expect ``result.plot()``, ``result.to_excel(path)``, ``print(model)``,
``appraisal.partnership()`` and rich notebook displays. Those convenience methods
look up an *accessor* here by name and call it; the layers above register the
accessors when ``cba`` is imported (``cba._wiring``, imported by ``cba/__init__``),
so a lower layer never names a higher one.

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

from collections.abc import Callable
from typing import Any, TypeVar

from cba.core._errors import CBAError

F = TypeVar("F", bound=Callable[..., Any])

_ACCESSORS: dict[str, Callable[..., Any]] = {}


def register(name: str) -> Callable[[F], F]:
    """Register the decorated function as the accessor ``name`` (once only)."""
    def decorate(func: F) -> F:
        if name in _ACCESSORS and _ACCESSORS[name] is not func:
            raise RuntimeError(f"accessor {name!r} is registered twice")
        _ACCESSORS[name] = func
        return func

    return decorate


def accessor(name: str) -> Callable[..., Any]:
    """The function registered as ``name``.

    Raises
    ------
    CBAError
        When nothing is registered under ``name``.
    """
    try:
        return _ACCESSORS[name]
    except KeyError:
        known = ", ".join(sorted(_ACCESSORS)[:5])
        raise CBAError(f"no output {name!r} is registered (known: {known}, ...)") from None


def registered() -> list[str]:
    """The names of every registered accessor, sorted."""
    return sorted(_ACCESSORS)
