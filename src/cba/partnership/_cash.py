"""A deal's money by year in cash terms (pounds of each year) as well as at the price base.

The deal is evaluated in real terms; these views multiply each year's real amounts
by the deflator's cash factor (:func:`cba.ledger._cash.appraisal_cash_factors`, the
same factors as the appraisal's cash view), so a finance officer sees the payments as
they will be budgeted. Present values (the ``discounted_`` columns) stay at the price
base.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from cba.ledger._cash import appraisal_cash_factors, check_terms
from cba.partnership._evaluate import YEAR_MEASURES

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from cba.partnership._results import PartnershipResult

#: Columns of :func:`flows_by_year_in` that name the flow, before the year.
FLOW_COLUMNS = ("agreement", "kind", "from", "from_name", "to", "to_name")


def deal_by_year_in(result: PartnershipResult, terms: str = "real") -> pd.DataFrame:
    """:meth:`~cba.partnership._results.PartnershipResult.by_year` in ``real`` or ``cash`` terms.

    In cash terms the undiscounted money columns (``costs_before``, ``funding``,
    ``savings``, ``received``, ``paid``, ``net_before``, ``net_after``) are in pounds
    of each year, and a ``cash_factor`` column says by how much they were multiplied.
    """
    out = result.by_year()
    if check_terms(terms) == "real":
        return out
    factors = appraisal_cash_factors(result.appraisal)[out["year"].to_numpy(dtype=int)]
    out.insert(4, "cash_factor", factors)
    for name in YEAR_MEASURES:
        out[name] = out[name].to_numpy() * factors
    out.attrs["terms"] = "cash"
    return out


def _flow_amounts(result: PartnershipResult) -> list[tuple[dict[str, str], np.ndarray]]:
    """Each flow between partners (the rows of ``flows_between``, in order) with its real amounts by year."""
    f, ids = result.flows, result.partner_ids
    out = []
    for r, row in enumerate(f.rows):
        a, b = ids[row["from"]], ids[row["to"]]
        out.append(({"agreement": row["agreement"], "kind": row["kind"], "from": a, "to": b}, f.transfers[0, r]))
    host = result.deal.pool_host
    if host >= 0:
        pool = result.terms.pooled_budget
        name = pool.name if pool is not None else "Pooled budget"
        for i, p in enumerate(ids):
            c = f.pool_contributions[0, i]
            if i != host and np.any(c != 0):
                out.append(({"agreement": name, "kind": "pool_contribution", "from": p, "to": ids[host]}, c))
    return out


def flows_by_year_in(result: PartnershipResult, terms: str = "real") -> pd.DataFrame:
    """Every payment between partners by year: one row per flow (as in ``flows_between``) and year.

    Columns: :data:`FLOW_COLUMNS` (the agreement, its kind, who pays and who is paid),
    ``year``, ``year_label``, then ``amount``: pounds at the price base, undiscounted,
    in ``real`` terms; in ``cash`` terms pounds of each year, with a ``cash_factor``
    column before it (``amount = real amount x cash_factor``). A flow's amounts sum
    to its ``real`` total in ``flows_between`` in real terms.
    """
    import pandas as pd

    check_terms(terms)
    labels = list(result.appraisal.compiled.year_labels)
    factors = appraisal_cash_factors(result.appraisal) if terms == "cash" else None
    rows = []
    for flow, amounts in _flow_amounts(result):
        named = {"agreement": flow["agreement"], "kind": flow["kind"], "from": flow["from"],
                 "from_name": result._name(flow["from"]), "to": flow["to"], "to_name": result._name(flow["to"])}
        for t, label in enumerate(labels):
            row = {**named, "year": t, "year_label": label}
            if factors is not None:
                row["cash_factor"] = float(factors[t])
                row["amount"] = float(amounts[t]) * float(factors[t])
            else:
                row["amount"] = float(amounts[t])
            rows.append(row)
    columns = [*FLOW_COLUMNS, "year", "year_label", *(("cash_factor",) if factors is not None else ()), "amount"]
    out = pd.DataFrame(rows, columns=columns)
    out.attrs["terms"] = terms
    return out
