"""Plain Python values for JSON: the one converter every result's ``to_dict`` uses.

numpy scalars become ``float``, ``int`` or ``bool``; a NaN (a result that is none:
a ratio with no costs, no payback) becomes ``None``; lists are converted item by
item. Anything else is returned as it is.

Examples
--------
>>> import numpy as np
>>> plain(np.float64(1.5)), plain(np.float64("nan")), plain(np.int64(3)), plain(np.bool_(True))
(1.5, None, 3, True)
>>> plain([np.float64("nan"), 2.0, "text"])
[None, 2.0, 'text']
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np


def plain(value: Any) -> Any:
    """``value`` as plain Python data, NaN as ``None`` (see the module docstring)."""
    if isinstance(value, (np.floating, float)):
        return None if math.isnan(value) else float(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value
