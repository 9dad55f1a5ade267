"""Views of an appraisal by agency group: who pays and who saves, by tier of government.

The groupings themselves (the shipped ``tier`` and a model's own) are part of the
model (:mod:`cba.model._agency_groups`); these functions sum an appraisal's agency
results over them.

Examples
--------
>>> import cba
>>> a = cba.appraise("examples/worked_example.yaml")
>>> by_group(a)[["group", "pv_costs", "pv_fiscal"]].round(2)
   group  pv_costs  pv_fiscal
0  local  40000.00   73063.20
1    nhs   9661.84       0.00
>>> central_government_share(a)
0.0
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from cba.engine._metrics import unchecked_ratio as ratio
from cba.model._agency_groups import CENTRAL, TIER, groups_of

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from cba.ledger._appraisal import Appraisal


def by_group(appraisal: Appraisal, grouping: str = TIER) -> pd.DataFrame:
    """The agency ledger summed by group: who pays and who saves, by tier.

    Columns: ``group``, ``group_name``, ``agencies`` (the members present),
    ``pv_costs``, ``pv_fiscal``, ``pv_cashable``, ``pv_transfer``, ``net``,
    ``cost_share`` and ``fiscal_share`` (present values, pounds; shares of the
    totals, NaN when a total is 0). Groups with no agency in the appraisal are
    left out.
    """
    from cba.core._arguments import text_argument

    _check(appraisal, "by_group")
    text_argument(grouping, "by_group: grouping", "a grouping name such as 'tier'")
    import pandas as pd

    ag = appraisal.by_agency()
    of = groups_of(appraisal.intervention, grouping)
    ag = ag.assign(group=[of[a][0] for a in ag["agency"]], group_name=[of[a][1] for a in ag["agency"]])
    cols = ["pv_costs", "pv_fiscal", "pv_cashable", "pv_transfer", "net"]
    g = ag.groupby(["group", "group_name"], sort=False)
    out = g[cols].sum().reset_index()
    out.insert(2, "agencies", [", ".join(v) for v in g["agency_name"].agg(list)])
    out["cost_share"] = ratio(out["pv_costs"].to_numpy(), np.full(len(out), out["pv_costs"].sum()))
    out["fiscal_share"] = ratio(out["pv_fiscal"].to_numpy(), np.full(len(out), out["pv_fiscal"].sum()))
    return pd.DataFrame(out)


def central_government_share(appraisal: Appraisal) -> float | None:
    """Share of all fiscal savings (present value) that central government banks.

    The "Whitehall side of the garden fence": savings to DWP, HMRC, the justice
    system and any agency the model places in the ``central`` tier. ``None`` when
    there are no fiscal savings.
    """
    _check(appraisal, "central_government_share")
    fiscal = np.asarray(appraisal._agency_arrays["pv_fiscal"][0], dtype=float)   # no pandas needed
    total = float(fiscal.sum())
    if total == 0:
        return None
    of = groups_of(appraisal.intervention, TIER)
    central = sum(float(v) for a, v in zip(appraisal.compiled.agencies, fiscal) if of[a][0] == CENTRAL)
    return central / total


def _check(appraisal: object, where: str) -> None:
    """An appraisal, or a CBAError (by its methods: the appraisal's module imports this one)."""
    from cba.core._arguments import kind_of
    from cba.core._errors import CBAError

    if not (hasattr(appraisal, "by_agency") and hasattr(appraisal, "intervention")):
        raise CBAError(f"{where}: appraisal: expected an Appraisal (cba.appraise), got {kind_of(appraisal)}")
