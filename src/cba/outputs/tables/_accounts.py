"""The accounts by who benefits, as a table (the Washington State Institute for Public Policy's layout).

One row per participant and one in total; columns: benefits to taxpayers through
each agency, to participants, to others and to society, total benefits, net cost,
benefits minus costs, the benefit-cost ratio and, with a Monte Carlo run, the chance
that benefits exceed costs. The figures are :func:`cba.ledger._accounts.accounts`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from cba.model._agencies import display_name
from cba.outputs.tables._frame import _MONEY, _table

if TYPE_CHECKING:  # pragma: no cover
    from cba.ledger._appraisal import Appraisal

#: Headings of the account columns that are not an agency.
ACCOUNT_LABELS = {"participants": "Participants", "others": "Others", "society": "Society",
                  "total_benefits": "Total benefits", "net_cost": "Net cost",
                  "benefits_minus_costs": "Benefits minus costs", "benefit_cost_ratio": "Benefit-cost ratio",
                  "chance_benefits_exceed_costs": "Chance benefits exceed costs"}


def accounts_table(appraisal: Appraisal, montecarlo: Any = None) -> pd.DataFrame:
    """The accounts by who benefits: rows ``per_participant`` and ``total``.

    Columns ``row``, one per account (``taxpayers:<agency>``, ``participants``,
    ``others``, ``society``: present values at the price base), ``total_benefits``,
    ``net_cost``, ``benefits_minus_costs``, ``benefit_cost_ratio`` and
    ``chance_benefits_exceed_costs`` (NaN, and not shown, without a Monte Carlo run:
    a column that could never hold a figure would only puzzle a reader).

    Examples
    --------
    >>> import cba
    >>> t = accounts_table(cba.appraise("examples/worked_example.yaml"))
    >>> list(t["row"]), round(float(t.loc[1, "total_benefits"]), 4)
    (['per_participant', 'total'], 255721.2131)
    """
    acc = appraisal.accounts(montecarlo)
    names = appraisal.intervention.agency_names
    columns = [*acc["columns"], "total_benefits", "net_cost", "benefits_minus_costs", "benefit_cost_ratio",
               "chance_benefits_exceed_costs"]
    rows = []
    for key, label in (("per_participant", "Per participant"), ("total", "Total")):
        values = acc[key]
        if values is None:   # no participants: no row per participant
            continue
        flat = {**{f"taxpayers:{a}": v for a, v in values["taxpayers"].items()}, **values}
        rows.append({"row": key, "label": label, **{c: _number(flat[c]) for c in columns}})
    frame = pd.DataFrame(rows, columns=["row", "label", *columns])
    labels = {"label": "Accounts", **ACCOUNT_LABELS}
    for c in acc["columns"]:
        if c.startswith("taxpayers:"):
            labels[c] = f"Taxpayers: {display_name(c.split(':', 1)[1], names)}"
    kinds = {c: _MONEY for c in columns}
    kinds.update(row="text", label="text", benefit_cost_ratio="ratio", chance_benefits_exceed_costs="share")
    notes = [{"label": "Participants counted", "value": acc["participants"], "kind": "number"}]
    hidden = ("row",) if montecarlo is not None else ("row", "chance_benefits_exceed_costs")
    return _table(frame, "Accounts by who benefits (present values at the price base)", kinds=kinds,
                  labels=labels, hidden=hidden, notes=notes, blank=("chance_benefits_exceed_costs",))


def _number(x: Any) -> float:
    return float("nan") if x is None else float(x)
