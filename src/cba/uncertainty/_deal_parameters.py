"""Deal terms as uncertainty parameters: a gain-share rate, a tariff, a cap.

Scenarios, one-way sensitivity, switching values and Monte Carlo vary deal terms
by path, like any other assumption (:mod:`cba.uncertainty._parameters`):

=================================================  =========  ==============================
path                                               kind       meaning (units)
=================================================  =========  ==============================
``partnership.gain_share[g].share``                value      share passed on, in [0, 1]
``partnership.gain_share[g].cap``                  value      annual cap (pounds, >= 0)
``partnership.outcome_payments[m].price``          value      price per outcome, every intake
                                                              year (pounds at its price year)
``partnership.outcome_payments[m].price[t]``       value      price for intake year ``t``
``partnership.outcome_payments[m].attachment_fee``  value     fee per participant (pounds),
                                                              also ``attachment_fee[t]``
``partnership.outcome_payments[m].funded_share``   value      share of the cohort paid for
``partnership.outcome_payments[m].threshold``      value      success rate threshold, [0, 1]
``partnership.outcome_payments[m].cap_per_year``   value      yearly cap (pounds)
``partnership.outcome_payments[m].cap``            value      contract cap (pounds)
``partnership.outcome_payments[m].top_up.share``   value      top-up payer's share, [0, 1]
``partnership.payments[j].amounts``                multiplier every year of a fixed payment
``partnership.payments[j].amounts[t]``             value      the payment in year ``t`` (pounds)
=================================================  =========  ==============================

Each path resolves to a :class:`~cba.uncertainty._parameter.Parameter` whose
target is one of :data:`~cba.partnership._compile.DEAL_PARAMETER_SHAPES`; the
engine never sees these, :func:`cba.partnership._evaluate.evaluate_deal` does.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from cba.core._errors import CBAError
from cba.core._numbers import guard
from cba.engine._compiled import FISCAL, CompiledModel
from cba.partnership._compile import compile_deal
from cba.uncertainty._parameter import Parameter

if TYPE_CHECKING:  # pragma: no cover
    from cba.model._deal_terms import Partnership

_INF = float("inf")
_TERM = re.compile(r"^partnership\.(gain_share|outcome_payments|payments)\[(\d+)\]\.([a-z_.]+?)(?:\[(\d+)\])?$")

PATH_FORMS = (
    "partnership.gain_share[g].share, partnership.gain_share[g].cap, partnership.outcome_payments[m].price, "
    "partnership.outcome_payments[m].price[t], partnership.outcome_payments[m].attachment_fee, "
    "partnership.outcome_payments[m].attachment_fee[t], partnership.outcome_payments[m].funded_share, "
    "partnership.outcome_payments[m].threshold, partnership.outcome_payments[m].cap_per_year, "
    "partnership.outcome_payments[m].cap, partnership.outcome_payments[m].top_up.share, "
    "partnership.payments[j].amounts (multiplier), partnership.payments[j].amounts[t]"
)


_CONTRACT = re.compile(r"^partnership\.outcome_payments\[(\d+)\]\.(?:tariffs\[(\d+)\]\.(?:(price|per_person_cap)|"
                       r"rungs\[(\d+)\]\.(price|reach))|payers\[(\d+)\]\.(maximum)|(top_up\.award|funded_count|"
                       r"threshold_overall))$")
_INVESTMENT = re.compile(r"^partnership\.investments\[(\d+)\]\.(commitment|return_cap|surplus_share)$")
CONTRACT_PATH_FORMS = (
    "partnership.outcome_payments[m].tariffs[j].price, partnership.outcome_payments[m].tariffs[j].per_person_cap, "
    "partnership.outcome_payments[m].tariffs[j].rungs[k].price, "
    "partnership.outcome_payments[m].tariffs[j].rungs[k].reach, partnership.outcome_payments[m].payers[j].maximum, "
    "partnership.outcome_payments[m].top_up.award, partnership.outcome_payments[m].funded_count, "
    "partnership.outcome_payments[m].threshold_overall, partnership.investments[i].commitment, "
    "partnership.investments[i].return_cap, partnership.investments[i].surplus_share"
)


def _resolve_contract(model: CompiledModel, terms: Partnership, path: str) -> Parameter | None:
    """A contract's or an investment's term as a parameter (None when ``path`` names neither)."""
    deal = compile_deal(model, terms)

    def param(target: str, cells: tuple, label: str, upper: float, unit: str, names: list[str], i: int,
              *, factor: float = 1.0) -> Parameter:
        """The parameter at ``cells`` of ``target``, from 0 to ``upper``, with its base value read
        there (none when unlimited, or for prices that differ by year). Amounts in pounds are in
        the terms' price year: ``factor`` brings them to the price base."""
        value = np.asarray(deal.params[target][cells], dtype=float) / factor
        first = float(value.flat[0])
        base = first if np.isfinite(first) and np.all(value == first) else None
        return Parameter(path, f"{names[i]}: {label}", target, cells, "set", 0.0, upper, base=base, unit=unit,
                         factor=factor, base_array=deal.params[target])

    def to_price_base(price_year: str | None) -> float:
        if price_year is None or model.deflator is None:
            return 1.0
        return float(model.deflator.factor(price_year, model.intervention.price_base))

    if (inv := _INVESTMENT.match(path)) is not None:
        i, what = int(inv[1]), inv[2]
        items = terms.investments or []
        if i >= len(items):
            raise CBAError(f"{path}: the deal has {len(items)} investment(s)")
        lead = next(j for j, other in enumerate(items) if other.provider == items[i].provider)
        if what != "commitment" and lead != i:  # a syndicate runs one waterfall on its lead's terms
            raise CBAError(f"{path}: investments[{i}] is repaid pari passu with investments[{lead}] (one "
                           f"provider); vary partnership.investments[{lead}].{what}, which they share")
        unit = {"surplus_share": "share", "return_cap": "multiplier"}.get(what, "pounds")
        return param(f"deal.investments.{what}", (i,), what.replace("_", " "), 1.0 if unit == "share" else _INF,
                     unit, deal.names["investments"], i,
                     factor=to_price_base(items[i].price_year) if unit == "pounds" else 1.0)
    if (c := _CONTRACT.match(path)) is None:
        return None
    m = int(c[1])
    if m >= len(terms.outcome_payments):
        raise CBAError(f"{path}: the deal has {len(terms.outcome_payments)} outcome payments agreement(s)")
    contract = deal.contracts.get(m)
    term = terms.outcome_payments[m]
    names = deal.names["outcome_payments"]
    if contract is None:
        raise CBAError(f"{path}: agreement {m} is not written as a contract (tariffs, payers, ...)")
    f = to_price_base(term.price_year)              # every amount of the agreement is in its price year
    if c[8] is not None:                                    # an agreement-wide term
        what = c[8]
        if what == "top_up.award" and term.top_up is None:
            raise CBAError(f"{path}: this agreement has no top-up")
        unit = {"threshold_overall": "share", "funded_count": "people"}.get(what, "pounds")
        return param("deal.outcome_payments." + what.replace("top_up.award", "top_up_award"), (m,),
                     what.replace("_", " ").replace(".", " "), 1.0 if unit == "share" else _INF, unit, names, m,
                     factor=f if unit == "pounds" else 1.0)
    if c[6] is not None:                                    # a payer's maximum
        j = int(c[6])
        rows = range(contract.payer_rows.start, contract.payer_rows.stop)
        if j >= len(rows):
            raise CBAError(f"{path}: the agreement has {len(rows)} payer(s)")
        return param("deal.outcome_payments.payer_maximum", (rows[j],), f"payer {j} maximum", _INF, "pounds",
                     names, m, factor=f)
    j = int(c[2])
    card = term.card
    if j >= len(card):
        raise CBAError(f"{path}: the rate card has {len(card)} tariff(s)")
    if c[3] == "per_person_cap":
        return param("deal.outcome_payments.per_person_cap", (contract.tariffs.start + j,),
                     f"{card[j].outcome}: per-person cap", _INF, "pounds", names, m, factor=f)
    k = 0 if c[3] == "price" else int(c[4])
    if c[3] == "price" and card[j].rungs is not None:
        raise CBAError(f"{path}: this tariff is a ladder; vary its rungs' prices (tariffs[{j}].rungs[k].price)")
    ladder = card[j].ladder()
    if k >= len(ladder):
        raise CBAError(f"{path}: the ladder has {len(ladder)} rung(s)")
    row = contract.rungs.start + sum(len(t.ladder()) for t in card[:j]) + k
    if (c[5] or "price") == "reach":
        return param("deal.outcome_payments.rung_reach", (row,), f"{card[j].outcome}: reach of rung {k}", 1.0,
                     "share", names, m)
    return param("deal.outcome_payments.rung_price", (row, slice(None)), f"{card[j].outcome}: price of rung {k}",
                 _INF, "pounds", names, m, factor=f)


def resolve_deal(model: CompiledModel, path: str) -> Parameter:
    """The :class:`~cba.uncertainty._parameter.Parameter` a ``partnership.`` path names."""
    terms = getattr(model.intervention, "partnership", None)
    if terms is None:
        raise CBAError(f"{path}: the model has no partnership section")
    contract = _resolve_contract(model, terms, path)
    if contract is not None:
        return contract
    m = _TERM.match(path)
    if not m:
        raise CBAError(f"{path}: unknown deal parameter; use one of {PATH_FORMS}, {CONTRACT_PATH_FORMS}")
    section, i, what, year = m[1], int(m[2]), m[3], m[4]
    items = getattr(terms, section)
    if i >= len(items):
        raise CBAError(f"{path}: the deal has {len(items)} {section.replace('_', ' ')} agreement(s)")
    deal = compile_deal(model, terms)
    names = deal.names[section]
    term = items[i]
    H = model.horizon
    t = None
    if year is not None:
        t = int(year)
        if t >= H:
            raise CBAError(f"{path}: year {t} is beyond the horizon ({H} years: 0 .. {H - 1})")

    def param(target, cells, label, lower, upper, unit="share", base=None, mode="set", factor=1.0):
        return Parameter(path, f"{names[i]}: {label}", target, cells, mode, lower, upper, base=base, unit=unit,
                         factor=factor, base_array=deal.params[target])

    def uplift() -> float:
        if term.price_year is None or model.deflator is None:
            return 1.0
        return float(model.deflator.factor(term.price_year, model.intervention.price_base))

    def by_year(value) -> float | None:
        if not isinstance(value, list):
            return float(value)
        if t is not None:
            return float(value[min(t, len(value) - 1)]) if value else 0.0
        return float(value[0]) if value and all(v == value[0] for v in value) else None

    if section == "gain_share" and year is None:
        if what == "share":
            return param("deal.gain_share.share", (i,), "share passed on", 0.0, 1.0, base=term.share)
        if what == "cap":
            return param("deal.gain_share.cap", (i,), "annual cap", 0.0, _INF, unit="pounds",
                         base=None if term.cap is None else term.cap)
    if section == "outcome_payments":
        if what in ("price", "attachment_fee"):
            cells = (i, slice(None)) if t is None else (i, t)
            label = ("price per outcome" if what == "price" else "attachment fee") + (
                "" if t is None else f" (intake year {t})")
            return param(f"deal.outcome_payments.{what}", cells, label, 0.0, _INF, unit="pounds",
                         base=by_year(getattr(term, what)), factor=uplift())
        if year is None:
            if what == "funded_share":
                return param("deal.outcome_payments.funded_share", (i,), "share of the cohort paid for", 0.0, 1.0,
                             base=term.funded_share)
            if what == "threshold":
                return param("deal.outcome_payments.threshold", (i,), "success threshold", 0.0, 1.0,
                             base=term.threshold)
            if what in ("cap_per_year", "cap"):
                return param(f"deal.outcome_payments.{what}", (i,), what.replace("_", " "), 0.0, _INF,
                             unit="pounds", base=getattr(term, what), factor=uplift())
            if what == "top_up.share":
                if term.top_up is None:
                    raise CBAError(f"{path}: this agreement has no top-up")
                return param("deal.outcome_payments.top_up_share", (i,), "top-up share", 0.0, 1.0,
                             base=term.top_up.share)
    if section == "payments" and what == "amounts":
        if t is None:
            return param("deal.payments.amounts", (i, slice(None)), "amounts (multiplier)", 0.0, _INF,
                         unit="multiplier", base=1.0, mode="scale")
        base = float(term.amounts[t]) if t < len(term.amounts) else 0.0
        return param("deal.payments.amounts", (i, t), f"amount in year {t}", 0.0, _INF, unit="pounds", base=base,
                     factor=uplift())
    raise CBAError(f"{path}: unknown deal parameter; use one of {PATH_FORMS}")


def deal_metric_names(model: CompiledModel) -> list[str]:
    """Metric columns a deal adds: ``net_after[p]``, ``funding[p]``, ... for every partner."""
    from cba.partnership._positions import DEAL_METRIC_NAMES

    terms = getattr(model.intervention, "partnership", None)
    if terms is None:
        return []
    partners = list(model.agencies) + [p for p in terms.partners() if p not in model.agencies]
    return [f"{k}[{p}]" for k in DEAL_METRIC_NAMES for p in partners]


def partners_without_savings(model: CompiledModel, columns: Sequence[int]) -> list[int] | None:
    """The partners of deal metric ``columns`` (indices into :func:`deal_metric_names`) when the
    deal can be worked out for them from the engine's costs alone (it has no gain-share, and
    none of them banks savings), in partner order; else None."""
    from cba.partnership._positions import DEAL_METRIC_NAMES

    terms = getattr(model.intervention, "partnership", None)
    if terms is None or terms.gain_share or not len(columns):
        return None
    P = len(deal_metric_names(model)) // len(DEAL_METRIC_NAMES)
    wanted = sorted({int(c) % P for c in columns})
    banks = set(model.component_agency[model.component_type == FISCAL].tolist())
    return None if banks.intersection(wanted) else wanted


def deal_columns(model: CompiledModel, engine_overrides: dict, deal_overrides: dict,
                 columns: Sequence[int] | None = None) -> np.ndarray:
    """``(D, len(deal_metric_names(model)))``: each partner's deal metrics for every draw;
    given ``columns`` (indices into :func:`deal_metric_names`), those columns alone, in that order.

    When every column asked for is the money of a partner that banks no savings (an
    investor, a provider, an outcomes fund) and the deal has no gain-share, the deal is
    worked out from the engine's costs alone (:func:`~cba.engine._evaluate.evaluate_costs`):
    the benefit flows are most of the time, and those figures do not depend on them. They
    are the same to the last digit. Unless they pass
    :func:`~cba.partnership._finite.sound_without_savings` beyond doubt, the draws go
    through the whole deal, whose checks decide as they would have.
    """
    from cba.engine._evaluate import evaluate, evaluate_costs
    from cba.partnership._evaluate import evaluate_deal
    from cba.partnership._finite import check_deal, sound_without_savings
    from cba.partnership._positions import DEAL_METRIC_NAMES, net_positions, positions_without_savings

    deal = compile_deal(model)
    P = deal.n_partners
    if columns is not None and (wanted := partners_without_savings(model, columns)) is not None:
        with guard():
            money = evaluate_deal(model, deal, evaluate_costs(model, engine_overrides), engine_overrides,
                                  deal_overrides)
            pos = positions_without_savings(money, wanted)
        if sound_without_savings(deal, money, pos):
            out = np.concatenate([pos[k] for k in DEAL_METRIC_NAMES], axis=1)   # (D, measures x wanted)
            return out[:, [int(c) // P * len(wanted) + wanted.index(int(c) % P) for c in columns]]
    with guard():  # an overflow is reported by the check, naming the agreement and the draw
        flows = evaluate(model, engine_overrides)
        money = evaluate_deal(model, deal, flows, engine_overrides, deal_overrides)
        pos = net_positions(money, risk=True)   # no payback years: a risk run reports none
        check_deal(deal, money, pos, cashable=flows.cashable, overrides=deal_overrides)
    out = np.concatenate([pos[k] for k in DEAL_METRIC_NAMES], axis=1)
    return out if columns is None else out[:, list(columns)]
