"""The arguments of the public output functions, checked where they enter.

A table, chart, report or export function given ``None``, text or a number where it
expects an appraisal (or a deal, a Monte Carlo result, a table, a figure, a yes/no
value) raises :class:`~cba.core._errors.CBAError` naming the function and the
argument, not an ``AttributeError`` from deep inside. :func:`takes` declares what
each argument must be; the check is one ``isinstance`` per argument per call.

Examples
--------
>>> @takes(appraisal="appraisal")
... def headline(appraisal):
...     return appraisal.metrics
>>> headline(None)
Traceback (most recent call last):
...
cba.core._errors.CBAError: headline: appraisal: expected an Appraisal (cba.appraise), got None
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar, cast

from cba.core._arguments import flag, kind_of
from cba.core._errors import CBAError
from cba.core._numbers import whole

F = TypeVar("F", bound=Callable[..., Any])


def _appraisal() -> tuple[type, ...]:
    from cba.ledger._appraisal import Appraisal

    return (Appraisal,)


def _deal() -> tuple[type, ...]:
    from cba.partnership._results import PartnershipResult

    return (PartnershipResult,)


def _model() -> tuple[type, ...]:
    from cba.engine._compiled import CompiledModel
    from cba.model._intervention import Intervention

    return (Intervention, CompiledModel, *_appraisal())


def _intervention() -> tuple[type, ...]:
    from cba.model._intervention import Intervention

    return (Intervention,)


def _settings() -> tuple[type, ...]:
    from cba.model._base import _Model

    return (_Model,)


def _montecarlo() -> tuple[type, ...]:
    from cba.uncertainty._montecarlo_result import MonteCarloResult

    return (MonteCarloResult,)


def _scenarios() -> tuple[type, ...]:
    from cba.uncertainty._scenarios import ScenarioResult

    return (ScenarioResult,)


def _sensitivity() -> tuple[type, ...]:
    from cba.uncertainty._sensitivity import SensitivityResult

    return (SensitivityResult,)


def _frame() -> tuple[type, ...]:
    import pandas as pd

    return (pd.DataFrame,)


def _portfolio() -> tuple[type, ...]:
    from cba.portfolios._result import PortfolioResult

    return (PortfolioResult,)


def _figure() -> tuple[type, ...]:
    from matplotlib.figure import Figure

    return (Figure,)


#: What each kind of argument must be: the classes (imported on first use) and the words.
_KINDS: dict[str, tuple[Callable[[], tuple[type, ...]], str]] = {
    "appraisal": (_appraisal, "an Appraisal (cba.appraise)"),
    "deal": (_deal, "a PartnershipResult (Appraisal.partnership)"),
    "model": (_model, "an Intervention, an Appraisal or a compiled model"),
    "intervention": (_intervention, "an Intervention (cba.load_intervention)"),
    "settings": (_settings, "a part of a model (an Intervention or one of its sections)"),
    "montecarlo": (_montecarlo, "a MonteCarloResult (cba.uncertainty.montecarlo)"),
    "scenarios": (_scenarios, "a ScenarioResult (cba.uncertainty.scenarios)"),
    "sensitivity": (_sensitivity, "a SensitivityResult (cba.uncertainty.one_way)"),
    "frame": (_frame, "a table (a pandas DataFrame)"),
    "figure": (_figure, "a matplotlib Figure"),
    "portfolio": (_portfolio, "a PortfolioResult (cba.portfolio)"),
}


def check(value: Any, kind: str, where: str) -> None:
    """Raise a CBAError naming ``where`` unless ``value`` is of ``kind``.

    ``kind`` is a key of :data:`_KINDS`, ``"flag"`` (True or False), ``"text"``,
    ``"count"`` (a whole number 1 or more), ``"switching"`` (a list of switching
    values) or ``"sheets"`` (a mapping of sheet names to tables); a trailing ``?``
    also lets ``None`` through.
    """
    if kind.endswith("?"):
        if value is None:
            return
        kind = kind[:-1]
    if kind == "flag":
        flag(value, where)
    elif kind == "text":
        if not isinstance(value, str):
            raise CBAError(f"{where}: expected text, got {kind_of(value)}")
    elif kind == "count":
        whole(value, where, minimum=1)
    elif kind == "switching":
        from cba.uncertainty._switching import SwitchingValue

        if isinstance(value, (str, bytes)) or not isinstance(value, Sequence) \
                or not all(isinstance(v, SwitchingValue) for v in value):
            raise CBAError(f"{where}: expected a list of SwitchingValue (cba.uncertainty.switching_value), "
                           f"got {kind_of(value)}")
    elif kind == "sheets":
        frames = _frame()
        if not isinstance(value, Mapping) or not all(isinstance(k, str) and isinstance(v, frames)
                                                     for k, v in value.items()):
            raise CBAError(f"{where}: expected a mapping of sheet names to tables, got {kind_of(value)}")
    else:
        classes, what = _KINDS[kind]
        if not isinstance(value, classes()):
            raise CBAError(f"{where}: expected {what}, got {kind_of(value)}")


def takes(**kinds: str) -> Callable[[F], F]:
    """Check the named arguments of a public function (see :func:`check`) before it runs.

    Arguments missing or unknown are a CBAError naming the function too, as Python's
    own ``TypeError`` would be.
    """
    def decorate(func: F) -> F:
        signature = inspect.signature(func)
        unknown = set(kinds) - set(signature.parameters)
        if unknown:  # pragma: no cover - a mistake in this package, found on import
            raise AssertionError(f"{func.__name__} has no argument {sorted(unknown)}")
        name = func.__name__

        @functools.wraps(func)
        def checked(*args: Any, **kwargs: Any) -> Any:
            try:
                bound = signature.bind(*args, **kwargs)
            except TypeError as exc:
                raise CBAError(f"{name}: {exc}") from None
            for argument, kind in kinds.items():
                if argument in bound.arguments:
                    check(bound.arguments[argument], kind, f"{name}: {argument}")
            return func(*args, **kwargs)

        return cast(F, checked)   # the same signature, checked first

    return decorate
