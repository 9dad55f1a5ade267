"""cba: cost-benefit analysis of local public services.

The Greater Manchester (GMCA / New Economy) method, adopted by HM Treasury in 2014
as supplementary Green Book guidance, as code: models -> engine -> ledger ->
metrics, tables, charts and exports.
"""

from importlib.metadata import PackageNotFoundError, version as _version

try:
    __version__ = _version("cba-appraisal")
except PackageNotFoundError:  # running from a source tree
    __version__ = "0.0.0+unknown"

from .appraisal import Appraisal, appraise  # noqa: E402
from .compare import Comparison, compare  # noqa: E402
from .deflators import Deflator  # noqa: E402
from .errors import CBAError, ModelError  # noqa: E402
from .models import (  # noqa: E402
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
