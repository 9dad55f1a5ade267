"""The social investor of a social impact bond: drawdown, repayment, return, for every draw.

How :func:`~cba.partnership._evaluate.evaluate_deal` calls it for each provider with
``investments`` (several investors in one provider are one syndicate: the waterfall runs
on their combined commitment and each takes its share, :meth:`InvestorFlows.share`): with an
:class:`~cba.model._investment_terms.Investment` ``terms``, take the provider's costs
from the deal's funding and the outcome payments it receives from the evaluated deal::

    deal = evaluate_deal(model, compile_deal(model, partnership), flows)    # DealFlows
    p = deal.partners.index(terms.provider)
    costs = deal.funding_cash[:, p, :]            # (D, H) what the provider funds in cash
    rows = [i for i, r in enumerate(deal.rows)
            if r["to"] == p and r["kind"] in ("outcome_payment", "top_up")]
    receipts = deal.transfers[:, rows, :].sum(axis=1)  # (D, H) its outcome payments
    money = investor_flows(costs, receipts, terms.commitment, terms.return_cap, terms.surplus_share)

(``terms.commitment`` brought to the price base first when the terms give a
``price_year``). In-kind funding needs no working capital, hence ``funding_cash``;
a deal whose provider is paid in kind too may pass ``deal.funding`` instead. The
investor's yearly net flows are :attr:`InvestorFlows.investor_net`; what the
provider keeps replaces its outcome receipts in its own position, and the investor's
money (``drawn`` paid to the provider, ``to_investor`` paid back) flows between the
two partners, so the deal still creates no money.

The waterfall, year ``t`` = 0, 1, ..., ``H - 1``, for every draw at once:

1. **Costs fall due** (at the start of the year, ahead of its outcome payments). The
   provider pays ``costs[t]`` first from its cash: the outcome payments it has kept
   in earlier years and not yet spent. The investor funds the shortfall, as far as its
   commitment allows::

       from_cash[t]  = min(costs[t], cash)
       drawn[t]      = min(commitment - sum(drawn[:t]), costs[t] - from_cash[t])
       unfunded[t]   = costs[t] - from_cash[t] - drawn[t]   # the provider's own money

2. **Outcome payments arrive** (``receipts[t]``) and are applied in order::

       repaid_capital[t] = min(receipts[t], capital drawn and not yet repaid)
       return_paid[t]    = min(receipts[t] - repaid_capital[t],
                               return_cap x sum(drawn[:t+1]) - sum(return_paid[:t]))
       surplus_paid[t]   = surplus_share x (receipts[t] - repaid_capital[t] - return_paid[t])
       provider_kept[t]  = receipts[t] - repaid_capital[t] - return_paid[t] - surplus_paid[t]

   ``provider_kept[t]`` is added to the provider's cash for later years. With no cap
   (``return_cap`` none or infinite) every pound after the capital is return once any
   capital has been drawn; with nothing drawn there is no return to pay (the cap is a
   multiple of nothing), though a ``surplus_share`` still applies.

So ``receipts[t] = to_investor[t] + provider_kept[t]`` every year (money is never
created), the investor receives at most ``drawn x (1 + return_cap)`` plus its surplus
share, and with no outcome payments it loses exactly what it drew,
``min(commitment, sum(costs))`` (:func:`maximum_loss`).

A loop over the ``H`` years (the state carried from year to year: capital
outstanding, commitment left, return paid, the provider's cash), each step
elementwise over the draws axis ``D``: no loop over draws, and a draw's result never
depends on the other draws. Money is in pounds at the price base, real and
undiscounted.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from cba.core._errors import CBAError
from cba.engine._metrics import unchecked_irr as _engine_irr
from cba.engine._metrics import unchecked_ratio as ratio


@dataclass(frozen=True)
class InvestorFlows:
    """A social investor's money and the provider's, year by year, for every draw.

    Every array is ``(D, H)``: pounds at the price base, real and undiscounted.

    Attributes
    ----------
    drawn : numpy.ndarray
        Capital the investor pays in each year to cover the provider's costs.
    repaid_capital : numpy.ndarray
        Outcome payments that repay capital drawn.
    return_paid : numpy.ndarray
        Outcome payments that pay the investor's return (at most ``return_cap`` times
        the capital drawn, over the years so far).
    surplus_paid : numpy.ndarray
        The investor's ``surplus_share`` of what is left after capital and return.
    provider_kept : numpy.ndarray
        The outcome payments the provider keeps: ``receipts - to_investor``.
    from_provider_cash : numpy.ndarray
        The provider's costs paid from outcome payments it kept in earlier years.
    unfunded : numpy.ndarray
        The provider's costs beyond its kept cash and the investor's commitment: its
        own money. ``costs = from_provider_cash + drawn + unfunded``.
    outstanding : numpy.ndarray
        Capital drawn and not yet repaid at the end of each year.
    """

    drawn: np.ndarray
    repaid_capital: np.ndarray
    return_paid: np.ndarray
    surplus_paid: np.ndarray
    provider_kept: np.ndarray
    from_provider_cash: np.ndarray
    unfunded: np.ndarray
    outstanding: np.ndarray

    @property
    def to_investor(self) -> np.ndarray:
        """``(D, H)`` everything the investor receives: capital repaid, return and surplus (pounds)."""
        return self.repaid_capital + self.return_paid + self.surplus_paid

    @property
    def investor_net(self) -> np.ndarray:
        """``(D, H)`` the investor's net flow, ``to_investor - drawn`` (pounds; negative when it pays in)."""
        return self.to_investor - self.drawn

    def share(self, fraction: np.ndarray) -> InvestorFlows:
        """One member's part of a syndicate's waterfall: the investor's flows times ``fraction``
        (``(D,)``, its commitment over the syndicate's), the provider's flows whole.

        Investors in one provider are repaid pari passu: each draws, and is repaid capital,
        return and surplus, in proportion to its commitment, so every member has the same
        money multiple and internal rate of return as the syndicate.
        """
        f = np.asarray(fraction, dtype=float)[:, None]
        return InvestorFlows(drawn=self.drawn * f, repaid_capital=self.repaid_capital * f,
                             return_paid=self.return_paid * f, surplus_paid=self.surplus_paid * f,
                             provider_kept=self.provider_kept, from_provider_cash=self.from_provider_cash,
                             unfunded=self.unfunded, outstanding=self.outstanding * f)


def investor_flows(provider_costs: ArrayLike, outcome_receipts: ArrayLike, commitment: ArrayLike,
                   return_cap: ArrayLike | None = None, surplus_share: ArrayLike = 0.0) -> InvestorFlows:
    """The investment waterfall of a social impact bond, for every draw at once.

    The investor draws capital to pay the provider's costs as they fall due, in the
    years the outcome payments the provider has kept do not cover them, up to its
    commitment; the provider's outcome payments repay the capital, then the
    investor's return up to ``return_cap`` times the capital drawn, then a
    ``surplus_share`` of the rest. The module docstring states each year's
    arithmetic.

    Parameters
    ----------
    provider_costs : array_like
        ``(D, H)`` the provider's costs due each year (pounds at the price base, real);
        ``(H,)`` is one draw.
    outcome_receipts : array_like
        ``(D, H)`` the outcome payments the provider receives each year (pounds at the
        price base, real), the same shape as ``provider_costs``.
    commitment : array_like
        Capital committed (pounds at the price base, undiscounted): one value, or
        ``(D,)`` one per draw. Infinite means no limit.
    return_cap : array_like or None
        The most the investor receives beyond its capital, as a multiple of the
        capital drawn (0.5: capital plus 50%): one value or ``(D,)``. None or
        infinite: no cap.
    surplus_share : array_like
        Share of the outcome payments left after capital and capped return that goes
        to the investor, in [0, 1]: one value or ``(D,)``.

    Returns
    -------
    InvestorFlows
        Every flow ``(D, H)`` in pounds.

    Raises
    ------
    CBAError
        Naming the argument: a shape that does not fit, a negative or non-finite
        amount, a share outside [0, 1].

    Examples
    --------
    Costs of 400 a year, paid for by outcome payments of 1,000 in the last year,
    capital repaid with a return of at most 50%:

    >>> f = investor_flows([[400.0, 400.0, 0.0]], [[0.0, 0.0, 1000.0]], 1000.0, 0.5)
    >>> f.drawn, f.to_investor, f.provider_kept
    (array([[400., 400.,   0.]]), array([[   0.,    0., 1000.]]), array([[0., 0., 0.]]))
    """
    costs = _yearly(provider_costs, "provider_costs")
    receipts = _yearly(outcome_receipts, "outcome_receipts")
    if receipts.shape != costs.shape:
        raise CBAError(f"outcome_receipts: shape {receipts.shape} does not match provider_costs "
                       f"{costs.shape} (draws x years)")
    D, H = costs.shape
    left_to_draw = _term(commitment, "commitment", D, finite=False)
    cap = _term(np.inf if return_cap is None else return_cap, "return_cap", D, finite=False)
    share = _term(surplus_share, "surplus_share", D, most=1.0)

    names = ("drawn", "repaid_capital", "return_paid", "surplus_paid", "provider_kept", "from_provider_cash",
             "unfunded", "outstanding")
    out = {name: np.zeros((D, H)) for name in names}
    outstanding = np.zeros(D)       # capital drawn and not yet repaid
    drawn_so_far = np.zeros(D)
    return_so_far = np.zeros(D)
    cash = np.zeros(D)              # outcome payments the provider kept and has not yet spent
    for t in range(H):
        # 1. costs fall due: the provider's cash first, then the investor's capital
        from_cash = np.minimum(costs[:, t], cash)
        cash = cash - from_cash
        shortfall = costs[:, t] - from_cash
        drawn = np.minimum(left_to_draw, shortfall)
        left_to_draw = left_to_draw - drawn
        drawn_so_far = drawn_so_far + drawn
        outstanding = outstanding + drawn
        # 2. outcome payments arrive: capital, then the capped return, then the surplus share
        paid = receipts[:, t]
        repaid = np.minimum(paid, outstanding)
        outstanding = outstanding - repaid
        left = paid - repaid
        limit = np.where(drawn_so_far > 0, cap, 0.0) * drawn_so_far   # no inf x 0: nothing drawn, no return
        earned = np.minimum(left, np.maximum(limit - return_so_far, 0.0))
        return_so_far = return_so_far + earned
        left = left - earned
        surplus = share * left
        kept = left - surplus
        cash = cash + kept
        for name, value in (("drawn", drawn), ("repaid_capital", repaid), ("return_paid", earned),
                            ("surplus_paid", surplus), ("provider_kept", kept), ("from_provider_cash", from_cash),
                            ("unfunded", shortfall - drawn), ("outstanding", outstanding)):
            out[name][:, t] = value
    return InvestorFlows(**out)


def irr(flows: ArrayLike) -> np.ndarray:
    """The investor's internal rate of return, one per draw.

    The rate ``r`` with ``sum_t flows[t] / (1 + r)**t = 0`` (years counted from 0);
    NaN when the flows never change sign. This is the engine's IRR
    (:func:`cba.engine._metrics.irr`: where several rates solve it, the one nearest 0,
    as numpy-financial's), applied to the investor's money.

    Parameters
    ----------
    flows : array_like
        ``(D, H)`` the investor's yearly net flows, undiscounted pounds, negative when
        it pays in: :attr:`InvestorFlows.investor_net`. ``(H,)`` is one draw.

    Returns
    -------
    numpy.ndarray
        ``(D,)`` rates a year (0.1 is 10%).

    Examples
    --------
    >>> round(float(irr([-100.0, 0.0, 121.0])[0]), 12)
    0.1
    """
    return _engine_irr(flows)


def money_multiple(flows: InvestorFlows) -> np.ndarray:
    """What the investor receives per pound it draws, over the contract, one per draw.

    ``sum(to_investor) / sum(drawn)``, undiscounted; NaN when nothing is drawn.

    Parameters
    ----------
    flows : InvestorFlows
        From :func:`investor_flows`.

    Returns
    -------
    numpy.ndarray
        ``(D,)`` pounds received per pound drawn (1.5: capital back plus 50%).

    Examples
    --------
    >>> money_multiple(investor_flows([[400.0, 400.0, 0.0]], [[0.0, 0.0, 1000.0]], 1000.0, 0.5))
    array([1.25])
    """
    return ratio(flows.to_investor.sum(axis=-1), flows.drawn.sum(axis=-1))


def maximum_loss(provider_costs: ArrayLike, commitment: ArrayLike) -> np.ndarray:
    """The most the investor can lose: the capital it draws when no outcome is achieved.

    :func:`investor_flows` with no outcome payments: nothing is repaid, so the loss is
    everything drawn, ``min(commitment, sum(provider_costs))``.

    Parameters
    ----------
    provider_costs : array_like
        ``(D, H)`` the provider's costs due each year (pounds at the price base, real).
    commitment : array_like
        Capital committed (pounds): one value or ``(D,)``.

    Returns
    -------
    numpy.ndarray
        ``(D,)`` pounds, undiscounted.

    Examples
    --------
    >>> maximum_loss([[400_000.0, 400_000.0, 400_000.0]], 1_000_000.0)
    array([1000000.])
    """
    costs = _yearly(provider_costs, "provider_costs")
    return investor_flows(costs, np.zeros_like(costs), commitment).drawn.sum(axis=-1)


# ------------------------------------------------------------------ checks
def _is_bool(value: Any) -> bool:
    """Yes/no values where numbers are expected (numpy would read them as 1 and 0)."""
    if isinstance(value, (bool, np.bool_)):
        return True
    try:
        return bool(np.asarray(value).dtype.kind == "b")
    except (TypeError, ValueError):    # ragged or odd input: the conversion to float reports it
        return False


def _yearly(values: ArrayLike, field: str) -> np.ndarray:
    """``(D, H)`` finite amounts of zero or more, or a :class:`CBAError` naming ``field``."""
    if _is_bool(values):
        raise CBAError(f"{field}: expected amounts in pounds, got yes/no values")
    try:
        x = np.array(values, dtype=float)
    except (TypeError, ValueError):
        raise CBAError(f"{field}: expected amounts in pounds by draw and year") from None
    if x.ndim == 1:
        x = x[None, :]
    if x.ndim != 2:
        raise CBAError(f"{field}: expected draws x years (D, H), got an array of shape {x.shape}")
    if not np.isfinite(x).all():
        raise CBAError(f"{field}: every amount must be a finite number")
    if (x < 0).any():
        raise CBAError(f"{field}: amounts must be zero or more, got {float(x.min())!r}")
    return x


def _term(value: ArrayLike, field: str, D: int, *, finite: bool = True, most: float | None = None) -> np.ndarray:
    """A term of the agreement as ``(D,)``: one value or one per draw, zero or more."""
    if _is_bool(value):
        raise CBAError(f"{field}: expected a number, got a yes/no value")
    try:
        x = np.array(value, dtype=float)
    except (TypeError, ValueError):
        raise CBAError(f"{field}: expected a number, or one per draw") from None
    if x.ndim > 1 or (x.ndim == 1 and x.shape[0] not in (1, D)):
        raise CBAError(f"{field}: expected one value or one per draw ({D}), got an array of shape {x.shape}")
    x = np.broadcast_to(x, (D,)).copy()
    if np.isnan(x).any():
        raise CBAError(f"{field}: expected a number, got nan")
    if finite and not np.isfinite(x).all():
        raise CBAError(f"{field}: expected a finite number, got {float(x[~np.isfinite(x)][0])!r}")
    if (x < 0).any():
        raise CBAError(f"{field}: must be zero or more, got {float(x.min())!r}")
    if most is not None and (x > most).any():
        raise CBAError(f"{field}: must be between 0 and {most:g}, got {float(x.max())!r}")
    return x
