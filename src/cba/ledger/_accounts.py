"""Accounts by who benefits, and the distributionally weighted net present value.

Every value component says who gains (its ``beneficiary``); by default:

* a **fiscal** component goes to **taxpayers**, through the agency that makes the
  saving (the public body's budget is the taxpayers'); a **transfer** (a tax or
  benefit payment) is a gain to taxpayers and the same loss to the
  **participants** who no longer receive it, so it nets to zero across accounts,
  as it does in public value;
* an **economic** component goes to **participants** (in the GM method it is
  mostly the participant's own higher earnings);
* a **social** component goes to **participants** (their health and wellbeing).

A component may say ``others`` (people outside the programme: victims of crime
avoided, family) or ``society`` (no one group). The accounts are the present
values of each; their total is the public value of the benefits, and the net cost
is the present value of the costs (Washington State Institute for Public Policy's
presentation: benefits to taxpayers, participants and others per participant,
total benefits, net programme cost, benefit-cost ratio and the chance benefits
exceed costs).

The weighted net present value weights the benefits that go to an outcome's
participants by the weight of its income group (:class:`cba.model._social_terms.Distribution`);
everything else, and the costs, count at weight 1 (Green Book 2022, Annex A3:
weighted figures are shown beside the unweighted ones).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

import numpy as np

from cba.core._errors import CBAError
from cba.engine._compiled import FISCAL, VALUE_TYPES
from cba.method._distribution import weighted_present_value

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from cba.engine._compiled import CompiledModel
    from cba.ledger._appraisal import Appraisal

#: The accounts, in the order they are shown.
ACCOUNTS = ("taxpayers", "participants", "others", "society")
#: Who gains from each value type when a component does not say.
DEFAULT_BENEFICIARY = {"fiscal": "taxpayers", "economic": "participants", "social": "participants"}


def beneficiaries(model: CompiledModel) -> list[str]:
    """Who gains from each value component ``k`` (its ``beneficiary``, else the default by type)."""
    out = []
    for k in range(model.n_components):
        info = model.component_info[k] if model.component_info else {}
        out.append(info.get("beneficiary") or DEFAULT_BENEFICIARY[VALUE_TYPES[model.component_type[k]]])
    return out


def account_flows(appraisal: Appraisal) -> pd.DataFrame:
    """The benefits by account and year: one row per (account, agency, year).

    Columns ``account``, ``agency`` (the agency of a taxpayers' row, else None),
    ``year``, ``real`` and ``discounted`` (pounds at the price base). A transfer
    appears twice: a gain to taxpayers and the same loss to participants.
    """
    import pandas as pd

    from cba.ledger._ledger import _component_index

    model = appraisal.compiled
    ledger = appraisal.ledger
    rows = ledger[ledger["source_type"] == "outcome"]
    who = np.array(beneficiaries(model) or [""], dtype=object)
    comp = _component_index(model, rows) if len(rows) else np.zeros(0, dtype=int)
    account = who[comp] if len(rows) else np.zeros(0, dtype=object)
    fiscal = rows["value_type"].to_numpy() == VALUE_TYPES[FISCAL]
    agency = np.array([a if f else None for a, f in zip(rows["agency"].to_numpy(), fiscal)], dtype=object)
    parts = [pd.DataFrame({"account": account, "agency": agency, "year": rows["year"].to_numpy(),
                           "real": rows["real"].to_numpy(), "discounted": rows["discounted"].to_numpy()})]
    transfer = rows["transfer"].to_numpy(dtype=bool)
    if transfer.any():   # the payment the participants no longer receive
        t = rows[transfer]
        parts.append(pd.DataFrame({"account": "participants", "agency": None, "year": t["year"].to_numpy(),
                                   "real": -t["real"].to_numpy(), "discounted": -t["discounted"].to_numpy()}))
    flows = pd.concat(parts, ignore_index=True)
    flows["agency"] = flows["agency"].astype(object).where(flows["agency"].notna(), None)
    key = flows["agency"].fillna("")
    order = flows["account"].map({a: i for i, a in enumerate(ACCOUNTS)})
    flows = flows.assign(_order=order, _agency=key)
    out = (flows.groupby(["_order", "account", "_agency", "year"], sort=True)[["real", "discounted"]].sum()
           .reset_index())
    out["agency"] = [a or None for a in out["_agency"]]
    return out[["account", "agency", "year", "real", "discounted"]]


def participant_count(appraisal: Appraisal) -> float:
    """People the programme serves: the model's ``participants``, else the largest cohort of any outcome."""
    iv = appraisal.intervention
    if iv.participants is not None:
        return float(iv.participants)
    H = iv.horizon
    cohorts = [sum(o.cohort_by_year(H)) for o in iv.outcomes]
    return float(max(cohorts, default=0.0))


def accounts(appraisal: Appraisal, montecarlo=None) -> dict:
    """The accounts by who benefits, in total and per participant.

    Parameters
    ----------
    appraisal : Appraisal
    montecarlo : MonteCarloResult, optional
        A Monte Carlo run of the same model with the metric ``net_present_public_value``:
        gives the chance that benefits exceed costs (the share of draws in which the
        net present public value is above 0).

    Returns
    -------
    dict
        ``columns`` (the accounts that occur: ``taxpayers:<agency>`` for each agency,
        ``participants``, ``others``, ``society``), ``total`` and ``per_participant``
        (each a dict of ``taxpayers`` (agency to pounds), ``participants``, ``others``,
        ``society``, ``total_benefits``, ``net_cost``, ``benefits_minus_costs``,
        ``benefit_cost_ratio`` and ``chance_benefits_exceed_costs``), and
        ``participants`` (the count). Pounds at the price base, discounted.
    """
    flows = account_flows(appraisal)
    pv = flows.groupby(["account", "agency"], dropna=False, sort=False)["discounted"].sum()
    columns: dict[str, float] = {}
    for key, value in pv.items():
        account, agency = cast("tuple[str, str | None]", key)
        name = f"taxpayers:{agency}" if account == "taxpayers" else str(account)
        columns[name] = columns.get(name, 0.0) + float(value)
    columns = {k: columns[k] for k in sorted(columns, key=_column_order)}
    benefits = float(sum(columns.values()))
    cost = float(appraisal.metrics["pv_costs"] or 0.0)
    chance = None
    if montecarlo is not None:
        if "net_present_public_value" not in montecarlo.metrics:
            raise CBAError("the Monte Carlo run has no net_present_public_value; run it with that metric to give "
                           "the chance that benefits exceed costs")
        t = montecarlo.thresholds.get("net_present_public_value")
        if t is not None and t.op == ">" and t.value == 0:   # the run's own break-even threshold
            chance = float(montecarlo.probability("net_present_public_value"))
        else:
            chance = float(montecarlo.probability("net_present_public_value", 0.0))
    n = participant_count(appraisal)

    def row(scale: float) -> dict:
        out: dict = {"taxpayers": {k.split(":", 1)[1]: v * scale for k, v in columns.items()
                                   if k.startswith("taxpayers:")}}
        out.update({a: columns.get(a, 0.0) * scale for a in ACCOUNTS[1:]})
        out.update(total_benefits=benefits * scale, net_cost=cost * scale,
                   benefits_minus_costs=(benefits - cost) * scale,
                   benefit_cost_ratio=benefits / cost if cost else None,
                   chance_benefits_exceed_costs=chance)
        return _finite(out)

    return {"columns": list(columns), "participants": n, "total": row(1.0),
            "per_participant": row(1.0 / n) if n > 0 else None}


def _finite(row: dict) -> dict:
    """A figure that overflows (per participant of a vanishing cohort) is none, as a ratio with no costs is."""
    def one(x):
        if isinstance(x, dict):
            return {k: one(v) for k, v in x.items()}
        return x if x is None or np.isfinite(x) else None
    return {k: one(v) for k, v in row.items()}


def _column_order(name: str) -> tuple[int, str]:
    account = name.split(":", 1)[0]
    return ACCOUNTS.index(account), name


def component_weights(model: CompiledModel) -> np.ndarray:
    """The distributional weight of each value component ``k``: its outcome's group's weight when
    it goes to participants, else 1."""
    iv = model.intervention
    weights = iv.distribution.weights() if iv.distribution is not None else {}
    who = beneficiaries(model)
    out = np.ones(model.n_components)
    for k in range(model.n_components):
        group = iv.outcomes[int(model.component_outcome[k])].income_group
        if group is not None and who[k] == "participants":
            out[k] = weights[group]
    return out


def distributional(appraisal: Appraisal) -> dict | None:
    """The distributionally weighted net present value beside the unweighted one; None without
    ``distribution`` in the model.

    Returns ``weighted_benefits`` and ``weighted_npv`` (pounds at the price base,
    discounted), with ``benefits`` and ``npv`` unweighted (public value), the
    ``elasticity`` and each group's ``weights``. Transfers net to zero in both.
    """
    model = appraisal.compiled
    iv = model.intervention
    if iv.distribution is None:
        return None
    flows = appraisal.flows
    factors = flows.discount_factors[:, None, :] if flows.component_discount_factors is None \
        else flows.component_discount_factors
    pv = (flows.benefits[0] * factors[0]).sum(axis=-1)   # (K,) each component's present value
    transfer = np.asarray(model.component_transfer, dtype=bool)
    w = component_weights(model)
    # a transfer is a gain to taxpayers (weight 1) and a loss to the participants (their weight)
    weighted = (weighted_present_value(pv, w)
                - weighted_present_value(pv[transfer], _participant_weight(model)[transfer]))
    unweighted = float(pv[~transfer].sum())
    cost = float(appraisal.metrics["pv_costs"] or 0.0)
    return {"benefits": unweighted, "npv": unweighted - cost, "weighted_benefits": weighted,
            "weighted_npv": weighted - cost, "elasticity": iv.distribution.elasticity,
            "weights": iv.distribution.weights()}


def _participant_weight(model: CompiledModel) -> np.ndarray:
    """The weight of each component's outcome's participants (1 without an income group)."""
    iv = model.intervention
    weights = iv.distribution.weights() if iv.distribution is not None else {}
    groups = [iv.outcomes[int(i)].income_group for i in model.component_outcome]
    return np.array([weights[g] if g is not None else 1.0 for g in groups], dtype=float).reshape(model.n_components)
