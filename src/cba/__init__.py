"""cba: cost-benefit analysis of local public services.

The Greater Manchester (GMCA / New Economy) method, adopted by HM Treasury in 2014
as supplementary Green Book guidance, as code: models -> engine -> ledger ->
metrics, tables, charts and exports.

The names below are imported on first use (PEP 562), so ``import cba`` costs
almost nothing and a program pays only for what it uses: the models and the
engine need numpy and pydantic; tables, exports and charts add pandas,
openpyxl or matplotlib when they are first asked for.
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import TYPE_CHECKING, Any

from ._version import __version__

#: Public name -> the module that defines it.
_LAZY = {
    "Appraisal": "appraisal", "appraise": "appraisal",
    "Comparison": "compare", "compare": "compare",
    "Deflator": "deflators",
    "CBAError": "errors", "ModelError": "errors",
    **{name: "models" for name in ("Agency", "CostLine", "DiscountSchedule", "Intervention", "OptimismBiasTable",
                                   "Outcome", "UnitValue", "ValueComponent", "load_intervention")},
}

if TYPE_CHECKING:  # pragma: no cover - for type checkers and editors
    from .appraisal import Appraisal, appraise
    from .compare import Comparison, compare
    from .deflators import Deflator
    from .errors import CBAError, ModelError
    from .models import (
        Agency,
        CostLine,
        DiscountSchedule,
        Intervention,
        OptimismBiasTable,
        Outcome,
        UnitValue,
        ValueComponent,
        load_intervention,
    )

__all__ = [
    "Agency", "Appraisal", "CBAError", "Comparison", "compare", "CostLine", "Deflator", "DiscountSchedule",
    "Intervention", "ModelError", "OptimismBiasTable", "Outcome", "UnitValue",
    "ValueComponent", "appraise", "load_intervention", "__version__",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        if not name.startswith("_"):           # a submodule, e.g. cba.engine, as after an eager import
            try:
                return importlib.import_module(f".{name}", __name__)
            except ModuleNotFoundError as exc:
                if exc.name != f"{__name__}.{name}":
                    raise
        raise AttributeError(f"module 'cba' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value          # once imported, a plain attribute
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


class _Package(types.ModuleType):
    """``cba`` itself. ``cba.compare`` is the function, as the submodule of the same
    name is imported (the import system then sets the attribute to the module)."""

    def __setattr__(self, name: str, value: Any) -> None:
        if name == "compare" and isinstance(value, types.ModuleType):
            value = value.compare
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
