"""A programme's appraisal, intervention by intervention.

A programme (several model files on one footing: :mod:`cba.engine._loading`) is
appraised as one combined model; :func:`by_intervention` splits its ledger back
into the interventions it came from.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from cba.core._errors import CBAError
from cba.engine._loading import members
from cba.engine._metrics import unchecked_ratio as ratio

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from cba.ledger._appraisal import Appraisal


def by_intervention(appraisal: Appraisal) -> pd.DataFrame:
    """Each intervention's costs and fiscal savings within a programme (present values, pounds).

    Columns: ``intervention``, ``pv_costs``, ``pv_fiscal``, ``net`` and ``roi``
    (NaN when it has no costs), then a total row.
    """
    from cba.core._arguments import instance_argument
    from cba.ledger._appraisal import Appraisal

    instance_argument(appraisal, Appraisal, "by_intervention: appraisal", "an Appraisal (cba.appraise)")
    import pandas as pd

    info = members(appraisal.intervention)
    if not info:
        raise CBAError("by_intervention: this appraisal is of a single model, not a programme")
    led = appraisal.ledger
    is_cost = (led["source_type"] == "cost").to_numpy()
    line = led["line"].to_numpy()
    rows = []
    first_cost = first_outcome = 0
    for m in info:
        # each member's lines are contiguous in the combined model, in the programme's order
        cost_lines = (line >= first_cost) & (line < first_cost + m["costs"])
        outcome_lines = (line >= first_outcome) & (line < first_outcome + m["outcomes"])
        mine = led[(is_cost & cost_lines) | (~is_cost & outcome_lines)]
        first_cost += m["costs"]
        first_outcome += m["outcomes"]
        costs = float(mine.loc[mine["value_type"] == "cost", "discounted"].sum())
        fiscal = float(mine.loc[mine["value_type"] == "fiscal", "discounted"].sum())
        rows.append({"intervention": m["name"], "pv_costs": costs, "pv_fiscal": fiscal, "net": fiscal - costs})
    frame = pd.DataFrame(rows)
    frame["roi"] = ratio(frame["pv_fiscal"].to_numpy(), frame["pv_costs"].to_numpy())
    total: dict[str, Any] = {"intervention": "Programme", "pv_costs": frame["pv_costs"].sum(),
                             "pv_fiscal": frame["pv_fiscal"].sum()}
    total["net"] = total["pv_fiscal"] - total["pv_costs"]
    total["roi"] = float(ratio(np.array([total["pv_fiscal"]]), np.array([total["pv_costs"]]))[0])
    return pd.concat([frame, pd.DataFrame([total])], ignore_index=True)
