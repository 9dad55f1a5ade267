"""The terms of a partnership deal, as written in a model file's ``partnership:`` section.

A deal moves money between partners; it never creates any. Six mechanisms, each
optional, each an agreement a partnership board can sign:

=====================  ==================================================================
``funding``            who funds each cost line (shares by partner, cash or in kind);
                       a line not listed is funded by the agency that bears it
``pooled_budget``      a host pays the listed cost lines from a pool that partners pay
                       into (shares of the spend, or fixed amounts by year with a rule
                       for over- and underspends)
``gain_share``         a partner passes a share of its savings to another, by year,
                       optionally from named outcomes only, between two years, capped
                       each year (an earn-back is a capped gain-share)
``outcome_payments``   payment by results: a payer pays a payee a price per outcome
                       achieved and an attachment fee per participant, with a success
                       threshold, caps and an optional top-up payer
``payments``           fixed amounts by year from one partner to another (grants,
                       upfront finance, repayments)
``investments``        a social investor funds a provider's costs ahead of its outcome
                       payments and is repaid from them: capital, a capped return, a
                       share of the surplus
=====================  ==================================================================

Partners are agencies: the canonical ones and any declared under ``agencies`` (a
provider or an investor outside the public sector is declared like any agency).
Names of cost lines and outcomes refer to the model's own; the checks that need the
whole model (a name that does not exist, a partner paying itself) are made by
:meth:`Partnership.problems`, which :class:`cba.model._intervention.Intervention` calls.

Money is in pounds at the model's price base unless a ``price_year`` is given.
Years are appraisal years counted from 0 (the first year of delivery).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, Literal

from pydantic import Field, model_validator

from cba.core._errors import shown
from cba.model._agencies import display_name
from cba.model._base import AgencyId, FinancialYear, Name, NonNegative, NonNegativeWhole, Rate, _Model
from cba.model._investment_terms import Investment
from cba.model._outcome_terms import Amounts, OutcomePayment

if TYPE_CHECKING:  # pragma: no cover
    from cba.model._intervention import Intervention

Year = NonNegativeWhole
#: What a gain-share is a share of.
SAVINGS_BASES = ("cashable", "fiscal", "fiscal_excluding_transfers")
#: Tolerance for shares that must sum to 1.
SHARE_TOLERANCE = 1e-9


class Funding(_Model):
    """Who funds one cost line: shares by partner that sum to 1.

    ``in_kind`` says whether the partners contribute in kind (staff, premises,
    goods) or in cash; by default it follows the cost line's ``kind``.
    """

    cost: str = Field(description="Name of the cost line funded (as in `costs`).")
    shares: dict[AgencyId, Rate] = Field(description="Partner id to its share of the line, e.g. "
                                         "`{local_authority: 0.6, nhs: 0.4}`; shares sum to 1.")
    in_kind: bool | None = Field(None, description="Contributions in kind rather than cash; by default "
                                 "in kind when the cost line's kind is `in_kind`.")


class PooledBudget(_Model):
    """A pooled budget (for example under section 75 of the NHS Act 2006).

    The ``host`` pays the listed cost lines from the pool. Partners contribute
    either shares of what the pool spends each year (shares sum to 1) or fixed
    amounts by year; with fixed amounts, the difference between spend and
    contributions (an overspend, or an underspend returned) is shared by
    ``variance``: ``proportional`` to each partner's contribution that year, or
    borne by the ``host``. A pooled line of kind ``in_kind`` stays in kind: each
    contribution in a year is in kind in the share of that year's spend that is on
    in-kind lines, and in cash for the rest.
    """

    name: Name = Field("Pooled budget", description="Name of the pool, shown in tables.")
    host: AgencyId = Field(description="Partner that holds the pool and pays the cost lines from it.")
    costs: list[str] | None = Field(None, description="Names of the cost lines paid from the pool; none "
                                    "means every cost line not listed under `funding`.")
    contributions: dict[AgencyId, Amounts] = Field(
        description="Partner id to its contribution: a share of the pool's spend (all shares, summing "
                    "to 1) or pounds by year (all amounts).")
    variance: Literal["proportional", "host"] = Field(
        "proportional", description="Who bears an over- or underspend against fixed contributions: "
        "`proportional` to contributions, or the `host`.")
    price_year: FinancialYear | None = Field(None, description="Price year of fixed contributions; none "
                                             "means the price base.")

    @model_validator(mode="after")
    def _one_form(self):
        if not self.contributions:
            raise ValueError("contributions: name at least one partner and its contribution")
        kinds = {isinstance(v, list) for v in self.contributions.values()}
        if len(kinds) > 1:
            raise ValueError("contributions: give every contribution as a share of spend or every one as "
                             "amounts by year, not a mixture")
        if self.shares is not None:
            if any(v > 1 for v in self.shares.values()):
                bad = next(k for k, v in self.shares.items() if v > 1)
                raise ValueError(f"contributions.{bad}: a share must be between 0 and 1, got "
                                 f"{self.shares[bad]!r} (give pounds by year as a list, e.g. [{self.shares[bad]!r}])")
            total = sum(self.shares.values())
            if abs(total - 1.0) > SHARE_TOLERANCE:
                raise ValueError(f"contributions: shares of the pool's spend must sum to 1, got {total:.10g}")
        return self

    @property
    def shares(self) -> dict[str, float] | None:
        """Contributions as shares of spend, or ``None`` when they are fixed amounts."""
        if any(isinstance(v, list) for v in self.contributions.values()):
            return None
        return {k: float(v) for k, v in self.contributions.items() if not isinstance(v, list)}


class GainShare(_Model):
    """A partner passes a share of its savings to another partner, year by year.

    The payment in year ``t`` is ``share x max(savings[t], 0)``, where savings are
    the ``from`` partner's fiscal savings on the chosen ``basis`` (only from the
    named ``outcomes`` when given), between ``start_year`` and ``end_year``
    inclusive, and at most ``cap`` a year. Savings that turn negative in a year
    pass nothing back (no claw-back). An earn-back deal is a capped gain-share.
    """

    name: Name | None = Field(None, description="Name of the agreement, shown in tables.")
    from_: AgencyId = Field(alias="from", description="Partner whose savings are shared (it pays).")
    to: AgencyId = Field(description="Partner that receives the share.")
    share: Rate = Field(description="Share of the savings passed on each year. A fraction in [0, 1].")
    basis: Literal["cashable", "fiscal", "fiscal_excluding_transfers"] = Field(
        "cashable", description="Which savings: `cashable` (the cashable part), `fiscal` (all fiscal "
        "savings) or `fiscal_excluding_transfers` (fiscal savings that are not tax or benefit transfers).")
    outcomes: list[str] | None = Field(None, description="Names of the outcomes whose savings count; none "
                                       "means all.")
    start_year: Year | None = Field(None, description="First appraisal year of payments (default 0).")
    end_year: Year | None = Field(None, description="Last appraisal year of payments (default the last).")
    cap: NonNegative | None = Field(None, description="Largest payment in any one year, in pounds at the "
                                    "price base (an earn-back's annual envelope).")

    @model_validator(mode="after")
    def _years(self):
        if self.start_year is not None and self.end_year is not None and self.end_year < self.start_year:
            raise ValueError(f"end_year: {self.end_year} is before start_year {self.start_year}")
        return self


class Payment(_Model):
    """A fixed payment from one partner to another: a grant, upfront finance, a repayment."""

    name: Name | None = Field(None, description="Name of the agreement, shown in tables.")
    from_: AgencyId = Field(alias="from", description="Partner that pays.")
    to: AgencyId = Field(description="Partner that receives.")
    amounts: list[NonNegative] = Field(description="Pounds in each appraisal year from year 0; shorter lists "
                                       "are zero-padded.")
    price_year: FinancialYear | None = Field(None, description="Price year of the amounts; none means the "
                                             "price base.")
    terms: Literal["real", "cash"] | None = Field(
        None, description="`cash`: each amount is fixed in pounds of the year it is paid (converted to the price "
        "base with the deflator's forecast); `real` or none: at `price_year` prices.")

    @model_validator(mode="after")
    def _terms(self) -> Payment:
        if self.terms == "cash" and self.price_year is not None:
            raise ValueError("price_year: cash amounts are in pounds of the year paid; give terms: cash or a "
                             "price_year, not both")
        return self


class Partnership(_Model):
    """A partnership deal: who funds what, and what passes between partners.

    Every section is optional; an empty deal leaves every partner where the
    appraisal without the deal puts it. See :mod:`cba.model._deal_terms` and the user guide's
    partnership page for each mechanism and its public source.
    """

    name: Name | None = Field(None, description="Name of the deal, shown in tables.")
    funding: list[Funding] = Field(default_factory=list, description="Who funds each cost line; a line not "
                                   "listed is funded by the agency that bears it.")
    pooled_budget: PooledBudget | None = Field(None, description="A pooled budget paying some cost lines.")
    gain_share: list[GainShare] = Field(default_factory=list, description="Gain-share and earn-back "
                                        "agreements.")
    outcome_payments: list[OutcomePayment] = Field(default_factory=list, description="Payment-by-results "
                                                   "agreements.")
    payments: list[Payment] = Field(default_factory=list, description="Fixed payments between partners.")
    investments: list[Investment] | None = Field(None, description="Social investors funding a "
                                          "provider's costs ahead of its outcome payments, repaid from them.")

    # ---- checks against the model
    def problems(self, model: Intervention, known: dict[str, str], prefix: str = "partnership"
                 ) -> Iterator[tuple[str, str]]:
        """Yield ``(path, message)`` for every term the model cannot satisfy.

        Parameters
        ----------
        model : Intervention
            The model the deal belongs to (its cost line and outcome names, horizon).
        known : dict of str to str
            Every agency id the model may use, with its display name.
        """
        costs = [c.name for c in model.costs]
        outcomes = [o.name for o in model.outcomes]
        cost_count, outcome_count = Counter(costs), Counter(outcomes)
        H = model.horizon

        def agency(path: str, a: str):
            if a not in known:
                yield path, (f"unknown partner {a!r}; use one of {', '.join(sorted(known))} or declare it "
                             "under 'agencies'")

        def cost(path: str, name: str):
            if name not in cost_count:
                yield path, f"no cost line is called {shown(name)} (cost lines: {_names(costs)})"
            elif cost_count[name] > 1:
                yield path, (f"{cost_count[name]} cost lines are called {shown(name)}; give them distinct names "
                             "so that the deal refers to one")

        def outcome(path: str, name: str):
            if name not in outcome_count:
                yield path, f"no outcome is called {shown(name)} (outcomes: {_names(outcomes)})"
            elif outcome_count[name] > 1:
                yield path, (f"{outcome_count[name]} outcomes are called {shown(name)}; give them distinct names "
                             "so that the deal refers to one")

        def by_year(path: str, v: Any):
            if isinstance(v, list) and len(v) > H:
                yield path, f"{len(v)} years given but the horizon is {H} years"

        funded: dict[str, str] = {}
        for i, f in enumerate(self.funding):
            p = f"{prefix}.funding[{i}]"
            yield from cost(f"{p}.cost", f.cost)
            if f.cost in funded:
                yield f"{p}.cost", f"cost line {f.cost!r} is already funded by {funded[f.cost]}"
            funded[f.cost] = p
            if not f.shares:
                yield f"{p}.shares", "name at least one partner and its share"
            total = sum(f.shares.values())
            if f.shares and abs(total - 1.0) > SHARE_TOLERANCE:
                yield f"{p}.shares", f"the shares of a cost line must sum to 1, got {total:.10g}"
            for a in f.shares:
                yield from agency(f"{p}.shares.{a}", a)

        if (pool := self.pooled_budget) is not None:
            p = f"{prefix}.pooled_budget"
            yield from agency(f"{p}.host", pool.host)
            for j, name in enumerate(pool.costs or []):
                yield from cost(f"{p}.costs[{j}]", name)
                if name in funded:
                    yield f"{p}.costs[{j}]", f"cost line {name!r} is funded by {funded[name]}; a line is " \
                                             "funded once"
            if len(set(pool.costs or [])) < len(pool.costs or []):
                yield f"{p}.costs", "a cost line is listed twice"
            if pool.costs is None and not [c for c in costs if c not in funded]:
                yield f"{p}.costs", "every cost line is funded under 'funding': the pool would pay nothing"
            for a, v in pool.contributions.items():
                yield from agency(f"{p}.contributions.{a}", a)
                yield from by_year(f"{p}.contributions.{a}", v)

        for i, g in enumerate(self.gain_share):
            p = f"{prefix}.gain_share[{i}]"
            yield from agency(f"{p}.from", g.from_)
            yield from agency(f"{p}.to", g.to)
            if g.from_ == g.to:
                yield f"{p}.to", f"a partner cannot pay itself ({g.to!r} is also 'from')"
            for j, name in enumerate(g.outcomes or []):
                yield from outcome(f"{p}.outcomes[{j}]", name)
            for y in ("start_year", "end_year"):
                v = getattr(g, y)
                if v is not None and v >= H:
                    yield f"{p}.{y}", f"year {v} is beyond the horizon ({H} years: 0 .. {H - 1})"

        for i, o in enumerate(self.outcome_payments):
            yield from _outcome_payment_problems(o, f"{prefix}.outcome_payments[{i}]", agency, outcome, by_year)

        for i, pay in enumerate(self.payments):
            p = f"{prefix}.payments[{i}]"
            yield from agency(f"{p}.from", pay.from_)
            yield from agency(f"{p}.to", pay.to)
            if pay.from_ == pay.to:
                yield f"{p}.to", f"a partner cannot pay itself ({pay.to!r} is also 'from')"
            yield from by_year(f"{p}.amounts", pay.amounts)

        providers: dict[str, int] = {}
        for i, inv in enumerate(self.investments or []):
            yield from inv.problems(known, f"{prefix}.investments[{i}]")
            first = providers.setdefault(inv.provider, i)
            if first == i:
                continue
            # several investors in one provider are one syndicate, repaid pari passu from one waterfall
            lead = (self.investments or [])[first]
            if any(other.investor == inv.investor for other in (self.investments or [])[:i]
                   if other.provider == inv.provider):
                yield (f"{prefix}.investments[{i}].investor",
                       f"{inv.investor!r} already invests in {inv.provider!r}: give one investment per investor")
            for term in ("return_cap", "surplus_share"):
                if getattr(inv, term) != getattr(lead, term):
                    yield (f"{prefix}.investments[{i}].{term}",
                           f"investors in one provider ({inv.provider!r}) are repaid pari passu from one "
                           f"waterfall, so their {term} must be the same: {getattr(inv, term)!r} here, "
                           f"{getattr(lead, term)!r} in investments[{first}]")

        agreements: list[GainShare | OutcomePayment | Payment | Investment] = [
            *self.gain_share, *self.outcome_payments, *self.payments, *(self.investments or [])]
        names = [a.name for a in agreements if a.name]
        dupes = sorted(n for n, k in Counter(names).items() if k > 1)
        if dupes:
            yield prefix, f"two agreements are called {shown(dupes[0])}; give each a different name"
        from cba.model._names import clashes

        yield from ((prefix, m) for _, m in clashes((f"agreement {shown(n)}", n) for n in names))

    def agreement_names(self, names: dict[str, str] | None = None) -> list[str]:
        """The name of every agreement as tables show it: gain-shares, outcome payments, payments.

        An agreement without a name gets one from its terms, in the partners' display
        names (``names``: the model's declared agency names, as
        :attr:`Intervention.agency_names`), numbered when two would otherwise share it.
        """
        def who(agency: str) -> str:
            return display_name(agency, names)

        out = [g.name or f"Gain-share {who(g.from_)} to {who(g.to)}" for g in self.gain_share]
        out += [o.name or f"Outcome payments for {o.outcomes[0]}" + (" (rate card)" if o.tariffs else "")
                for o in self.outcome_payments]
        out += [p.name or f"Payment {who(p.from_)} to {who(p.to)}" for p in self.payments]
        out += [v.name or f"Investment by {who(v.investor)}" for v in self.investments or []]
        seen: dict[str, int] = {}
        for i, n in enumerate(out):
            seen[n] = seen.get(n, 0) + 1
            if seen[n] > 1:
                out[i] = f"{n} ({seen[n]})"
        return out

    def partners(self) -> list[str]:
        """Every partner the deal names, in order of first mention."""
        seen: dict[str, None] = {}
        for f in self.funding:
            seen.update(dict.fromkeys(f.shares))
        if self.pooled_budget is not None:
            seen[self.pooled_budget.host] = None
            seen.update(dict.fromkeys(self.pooled_budget.contributions))
        for g in self.gain_share:
            seen.update(dict.fromkeys((g.from_, g.to)))
        for o in self.outcome_payments:
            seen.update(dict.fromkeys([*o.payer_ids[:1], o.payee, *o.payer_ids[1:]]))
        for p in self.payments:
            seen.update(dict.fromkeys((p.from_, p.to)))
        for v in self.investments or []:
            seen.update(dict.fromkeys((v.investor, v.provider)))
        return list(seen)

    @property
    def is_empty(self) -> bool:
        """No agreement at all: every partner stays where the appraisal without the deal puts it."""
        return not (self.funding or self.pooled_budget or self.gain_share or self.outcome_payments
                    or self.payments or self.investments)


def _names(names: list[str]) -> str:
    if not names:
        return "none"
    text = ", ".join(shown(n) for n in names[:8])
    return text + (f", ... ({len(names)} in all)" if len(names) > 8 else "")


def _outcome_payment_problems(o: OutcomePayment, p: str, agency: Any, outcome: Any, by_year: Any
                              ) -> Iterator[tuple[str, str]]:
    """The checks of one outcome-payment agreement against the model (see :meth:`Partnership.problems`)."""
    if o.payer is not None:
        yield from agency(f"{p}.payer", o.payer)
    for j, payer in enumerate(o.payers or []):
        yield from agency(f"{p}.payers[{j}].payer", payer.payer)
        if payer.payer == o.payee:
            yield f"{p}.payers[{j}].payer", f"a partner cannot pay itself ({o.payee!r} is the payee)"
    yield from agency(f"{p}.payee", o.payee)
    if o.outcome is not None:
        yield from outcome(f"{p}.outcome", o.outcome)
    for j, tariff in enumerate(o.tariffs or []):
        yield from outcome(f"{p}.tariffs[{j}].outcome", tariff.outcome)
        yield from by_year(f"{p}.tariffs[{j}].price", tariff.price)
        for k, rung in enumerate(tariff.rungs or []):
            yield from by_year(f"{p}.tariffs[{j}].rungs[{k}].price", rung.price)
    if o.payer is not None and o.payer == o.payee:
        yield f"{p}.payee", f"a partner cannot pay itself ({o.payee!r} is also the payer)"
    if o.top_up is not None:
        yield from agency(f"{p}.top_up.payer", o.top_up.payer)
        if o.top_up.payer == o.payee:
            yield f"{p}.top_up.payer", f"a partner cannot pay itself ({o.payee!r} is the payee)"
    yield from by_year(f"{p}.price", o.price)
    yield from by_year(f"{p}.attachment_fee", o.attachment_fee)

