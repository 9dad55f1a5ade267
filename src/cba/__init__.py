"""cba: cost-benefit analysis of local public services.

The Greater Manchester (GMCA / New Economy) method, adopted by HM Treasury in 2014
as supplementary Green Book guidance, as code: models -> engine -> ledger ->
deals, uncertainty, portfolios -> outputs. ``docs/architecture.md`` draws the packages and
the one direction of their imports; ``docs/api.md`` lists the public API: the
names below and the documented subpackages (``cba.core``, ``cba.method``,
``cba.model``, ``cba.unit_costs``, ``cba.engine``, ``cba.ledger``,
``cba.partnership``, ``cba.uncertainty``, ``cba.portfolios``, and ``cba.outputs.tables``, ``.charts``,
``.report`` and ``.export``). A module whose name starts with an underscore is
internal.

The names below are imported on first use (PEP 562), so ``import cba`` costs
almost nothing and a program pays only for what it uses: the models and the
engine need numpy and pydantic; tables, exports and charts add pandas,
openpyxl or matplotlib when they are first asked for.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cba import _wiring  # noqa: F401  (fills the accessors of result objects: see cba.core._accessors)
from cba._version import __version__
from cba.core._lazy import lazy_exports

#: Public name -> the module that defines it.
_LAZY = {
    "Appraisal": "ledger._appraisal", "appraise": "ledger._appraisal",
    "Comparison": "ledger._compare", "compare": "ledger._compare",
    "Deflator": "method._deflators",
    "CBAError": "core._errors", "ModelError": "core._errors",
    "load_intervention": "engine._loading",
    "Intervention": "model._intervention",
    "portfolio": "portfolios._choose",
    **{name: "model._settings" for name in ("Agency", "DiscountSchedule", "OptimismBiasTable")},
    **{name: "model._lines" for name in ("CostLine", "Outcome", "UnitValue", "ValueComponent")},
}
#: The subpackages, attributes of ``cba`` (``cba.uncertainty``) once it is imported.
_SUBPACKAGES = ("core", "method", "model", "unit_costs", "engine", "ledger", "partnership", "uncertainty",
                "portfolios", "outputs", "cli")

if TYPE_CHECKING:  # pragma: no cover - for type checkers and editors
    from cba import core as core
    from cba import engine as engine
    from cba import ledger as ledger
    from cba import method as method
    from cba import model as model
    from cba import outputs as outputs
    from cba import partnership as partnership
    from cba import portfolios as portfolios
    from cba import uncertainty as uncertainty
    from cba import unit_costs as unit_costs
    from cba.core._errors import CBAError, ModelError
    from cba.engine._loading import load_intervention
    from cba.ledger._appraisal import Appraisal, appraise
    from cba.ledger._compare import Comparison, compare
    from cba.method._deflators import Deflator
    from cba.model._intervention import Intervention
    from cba.model._lines import CostLine, Outcome, UnitValue, ValueComponent
    from cba.model._settings import Agency, DiscountSchedule, OptimismBiasTable
    from cba.portfolios._choose import portfolio

__all__ = [
    "Agency",
    "Appraisal",
    "CBAError",
    "Comparison",
    "CostLine",
    "Deflator",
    "DiscountSchedule",
    "Intervention",
    "ModelError",
    "OptimismBiasTable",
    "Outcome",
    "UnitValue",
    "ValueComponent",
    "__version__",
    "appraise",
    "compare",
    "load_intervention",
    "portfolio",
]


if not TYPE_CHECKING:  # type checkers see the names imported above, and no others
    __getattr__, __dir__ = lazy_exports(__name__, {**dict.fromkeys(_SUBPACKAGES, ""), **_LAZY})
