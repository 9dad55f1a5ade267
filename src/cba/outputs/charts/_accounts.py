"""The chart of cumulative discounted benefits by account over the horizon.

One line per account (taxpayers through each agency, participants, others,
society) and one for the costs (negative), each the running sum of its discounted
flows, so that a reader sees when each account comes out ahead. The flows are
:func:`cba.ledger._accounts.account_flows`; costs come from the ledger.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from cba.model._agencies import display_name
from cba.outputs.charts._appraisal import _empty, _figure, _legend, _money_axis, _title, _year_limits

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure

    from cba.ledger._appraisal import Appraisal

#: Colours of the accounts that are not an agency (taxpayers' lines take a blue each).
_COLOURS = {"participants": "#2a9d8f", "others": "#e9c46a", "society": "#8a5a9e", "costs": "#c0392b"}
_TAXPAYER_BLUES = ("#1f4e79", "#2e75b6", "#9dc3e6", "#0b3d91", "#5b9bd5", "#1c6ea4")


def cumulative_by_account(appraisal: Appraisal) -> dict[str, np.ndarray]:
    """Each account's cumulative discounted benefits by year, and ``costs`` (negative).

    Keys ``taxpayers:<agency>``, ``participants``, ``others``, ``society`` (those that
    occur) and ``costs``; each value has one number per appraisal year (pounds at
    the price base).

    >>> import cba
    >>> c = cumulative_by_account(cba.appraise("examples/worked_example.yaml"))
    >>> sorted(c)[:2], len(c["costs"])
    (['costs', 'participants'], 4)
    """
    from cba.ledger._accounts import account_flows

    H = appraisal.intervention.horizon
    out: dict[str, np.ndarray] = {}
    flows = account_flows(appraisal)
    for (account, agency), rows in flows.groupby(["account", flows["agency"].fillna("")], sort=False):
        yearly = np.zeros(H)
        np.add.at(yearly, rows["year"].to_numpy(dtype=int), rows["discounted"].to_numpy())
        out[f"taxpayers:{agency}" if account == "taxpayers" else str(account)] = np.cumsum(yearly)
    ledger = appraisal.ledger
    costs = ledger[ledger["value_type"] == "cost"]
    yearly = np.zeros(H)
    np.add.at(yearly, costs["year"].to_numpy(dtype=int), costs["discounted"].to_numpy())
    out["costs"] = -np.cumsum(yearly)
    return out


def accounts_chart(appraisal: Appraisal) -> Figure:
    """Cumulative discounted benefits by account, and costs, over the horizon."""
    fig, ax = _figure()
    series = cumulative_by_account(appraisal)
    names = appraisal.intervention.agency_names
    years = np.arange(appraisal.intervention.horizon)
    if not any(np.any(v != 0) for v in series.values()):
        _empty(ax, "No costs or benefits to show")
    blues = iter(_TAXPAYER_BLUES * (1 + len(series) // len(_TAXPAYER_BLUES)))
    for key, values in series.items():
        if key.startswith("taxpayers:"):
            label, colour = f"Taxpayers: {display_name(key.split(':', 1)[1], names)}", next(blues)
        else:
            label, colour = key.capitalize(), _COLOURS[key]
        ax.plot(years, values, marker="o", markersize=3, linewidth=1.6, color=colour, label=label,
                linestyle="--" if key == "costs" else "-")
    ax.axhline(0, color="#555555", linewidth=0.8)
    _money_axis(ax)
    _year_limits(ax, len(years))
    ax.set_xticks(years if len(years) <= 20 else years[:: -(-len(years) // 20)])
    ax.set_xlabel("Appraisal year")
    _title(ax, appraisal, "cumulative benefits by who benefits, and costs", basis="cumulative present values")
    _legend(ax)
    return fig
