"""A deal's terms for people: one plain sentence per agreement, and the terms table.

Each agreement of a :class:`~cba.model._deal_terms.Partnership` (funding of a cost
line, a pooled budget, a gain-share, an outcome payment or rate card, a fixed payment,
a social investment) is written as one sentence with its numbers, years, basis, caps
and thresholds, in the partners' display names:

    DWP passes 50% of its cashable savings to Local authority, capped at £250,000 a
    year, 2025/26 to 2028/29.

:func:`terms_table` puts the sentences in a table beside who pays and who receives,
so every output that shows a deal's tables (terminal, Markdown, the report, the
workbook, notebooks) shows its terms. After a solver, the agreements it set are marked
(``solved``), found by comparing the solved deal with the model's own.

Nothing here computes a result: the numbers are the terms as given.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import pandas as pd

from cba.model._agencies import display_name
from cba.outputs._arguments import takes
from cba.outputs.tables._frame import _table

if TYPE_CHECKING:  # pragma: no cover
    from cba.model._deal_terms import Partnership
    from cba.model._outcome_terms import OutcomePayment, Tariff
    from cba.partnership._results import PartnershipResult

#: What each basis of a gain-share calls the savings shared.
SAVINGS_WORDS = {"cashable": "cashable savings", "fiscal": "fiscal savings",
                 "fiscal_excluding_transfers": "fiscal savings other than tax and benefit transfers"}
#: Kinds of agreement, as the terms table names them.
KIND_NAMES = {"funding": "Funding", "pooled_budget": "Pooled budget", "gain_share": "Gain-share",
              "outcome_payments": "Outcome payments", "payments": "Fixed payment", "investments": "Social investment"}


def pct(x: float) -> str:
    """A fraction as a percentage with at most two decimals, trailing zeros dropped.

    >>> pct(0.5), pct(0.437715623), pct(1 / 3), pct(0.0)
    ('50%', '43.77%', '33.33%', '0%')
    """
    text = f"{x * 100:.2f}".rstrip("0").rstrip(".")
    return f"{'0' if text in ('', '-0') else text}%"


def money(x: float) -> str:
    """Pounds as a contract states them: whole pounds, or pence when there are any.

    >>> money(250000), money(3456.784), money(0.5)
    ('£250,000', '£3,456.78', '£0.50')
    """
    if not math.isfinite(x):   # never reached from a model cba accepts; a table must still not fail
        return "an amount too large to show"
    pounds = round(x, 2)
    text = f"{abs(pounds):,.0f}" if abs(pounds - round(pounds)) < 0.005 else f"{abs(pounds):,.2f}"
    return f"-£{text}" if pounds < 0 else f"£{text}"


def _q(name: str) -> str:
    return f"\u201c{name}\u201d"


def _join(items: Sequence[str], last: str = "and") -> str:
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {last} {items[-1]}"


class _Writer:
    """Writes one deal's agreements as sentences: names, year labels and price years at hand."""

    def __init__(self, names: dict[str, str], years: Sequence[str], price_base: str) -> None:
        self.names, self.years, self.price_base = names, list(years), price_base

    def name(self, agency: str) -> str:
        return display_name(agency, self.names)

    def span(self, start: int | None, end: int | None) -> str:
        first, last = start or 0, len(self.years) - 1 if end is None else end
        if first == last:
            return f"in {self.years[first]}"
        return f"{self.years[first]} to {self.years[last]}"

    def prices(self, price: float | list[float], what: str = "") -> str:
        """One price, or a list by year of intake, in words."""
        if not isinstance(price, list):
            return money(price) + what
        values = [float(v) for v in price]
        if len(set(values)) == 1:
            return money(values[0]) + what
        by = ", ".join(money(v) for v in values)
        return f"{by}{what} for participants starting in {self.span(0, len(values) - 1)} in turn"

    def at_prices(self, price_year: str | None) -> str:
        return "" if price_year is None or price_year == self.price_base else f" (at {price_year} prices)"

    # ---- one sentence per kind
    def funding(self, f) -> str:
        shares = [(self.name(p), s) for p, s in f.shares.items() if s > 0]
        how = "" if f.in_kind is None else (" in kind" if f.in_kind else " in cash")
        if len(shares) == 1:
            return f"{shares[0][0]} funds all of {_q(f.cost)}{how}."
        parts = [f"{shares[0][0]} funds {pct(shares[0][1])}", *(f"{n} {pct(s)}" for n, s in shares[1:])]
        return f"{_join(parts)} of {_q(f.cost)}{how}."

    def pool(self, p) -> str:
        costs = _join([_q(c) for c in p.costs]) if p.costs else "every cost line not funded otherwise"
        head = f"{self.name(p.host)} hosts the {_q(p.name)}, which pays {costs}"
        if p.shares is not None:
            each = _join([f"{self.name(a)} {pct(s)}" for a, s in p.shares.items()])
            return f"{head}; the partners pay in shares of its spend each year: {each}."
        parts = []
        for a, amounts in p.contributions.items():
            values = [float(v) for v in amounts] if isinstance(amounts, list) else [float(amounts)]
            parts.append(f"{self.name(a)} {money(sum(values))} over {self.span(0, len(values) - 1)}")
        variance = ("an over- or underspend is shared in proportion to contributions" if p.variance == "proportional"
                    else f"{self.name(p.host)}, the host, bears an over- or underspend")
        return f"{head}; fixed contributions{self.at_prices(p.price_year)}: {_join(parts)}; {variance}."

    def gain_share(self, g) -> str:
        outcomes = f" from {_join([_q(o) for o in g.outcomes])}" if g.outcomes else ""
        cap = f", capped at {money(g.cap)} a year" if g.cap is not None else ""
        return (f"{self.name(g.from_)} passes {pct(g.share)} of its {SAVINGS_WORDS[g.basis]}{outcomes} to "
                f"{self.name(g.to)}{cap}, {self.span(g.start_year, g.end_year)}.")

    def payment(self, p) -> str:
        paid = [(self.years[t], float(v)) for t, v in enumerate(p.amounts) if v > 0 and t < len(self.years)]
        if not paid:
            return f"{self.name(p.from_)} pays {self.name(p.to)} nothing."
        each = _join([f"{money(v)} in {y}" for y, v in paid])
        total = f"{money(sum(v for _, v in paid))} in all: " if len(paid) > 1 else ""
        return f"{self.name(p.from_)} pays {self.name(p.to)} {total}{each}{self.at_prices(p.price_year)}."

    def investment(self, v) -> str:
        back = ("then every further pound of the outcome payments" if v.return_cap is None
                else f"then a return of up to {pct(v.return_cap)} of the capital drawn")
        surplus = f", then {pct(v.surplus_share)} of what is left" if v.surplus_share > 0 else ""
        return (f"{self.name(v.investor)} commits up to {money(v.commitment)}{self.at_prices(v.price_year)} to pay "
                f"{self.name(v.provider)}'s costs ahead of its outcome payments, and is repaid from them: its capital "
                f"first, {back}{surplus}.")

    def _payers(self, o: OutcomePayment) -> str:
        if o.payer is not None:
            return self.name(o.payer)
        payers = o.payers or []
        if o.split == "in_order":
            each = [f"{self.name(p.payer)}" + (f" (up to {money(p.maximum)})" if p.maximum is not None else "")
                    for p in payers]
            return _join(each, "then") + " in turn"
        each = []
        for p in payers:
            bits = [pct(p.share or 0.0)] + ([f"up to {money(p.maximum)}"] if p.maximum is not None else [])
            each.append(f"{self.name(p.payer)} ({', '.join(bits)})")
        return _join(each)

    def _tariff(self, t: Tariff) -> str:
        label = t.name or t.outcome
        unless = f", only for those who do not achieve {_q(t.unless)}" if t.unless else ""
        if t.rungs is None:
            return f"{label}: {self.prices(t.price, f' per {_q(t.outcome)} achieved')}{unless}"
        if len(t.rungs) == 1:
            return f"{label}: {self.prices(t.rungs[0].price, f' per {_q(t.outcome)} achieved')}{unless}"
        full = sum(float(max(r.price) if isinstance(r.price, list) else r.price) for r in t.rungs)
        per = f", at most {money(t.per_person_cap)} per person" if t.per_person_cap is not None else ""
        return f"{label}: a ladder of {len(t.rungs)} rungs worth up to {money(full)} per person{per}{unless}"

    def outcome_payment(self, o: OutcomePayment) -> str:
        payers = self._payers(o)
        verb = "pays" if o.payer is not None or len(o.payers or []) == 1 else "pay"
        if o.tariffs is None:
            assert o.outcome is not None  # checked: one of outcome or tariffs
            what = self.prices(o.price, f" per {_q(o.outcome)} achieved")
        else:
            card = "; ".join(self._tariff(t) for t in o.tariffs)
            what = f"under a rate card of {len(o.tariffs)} tariff{'s' if len(o.tariffs) > 1 else ''} ({card})"
        counted = "every success counted (gross)" if o.basis == "gross" else "successes counted net of deadweight"
        terms = [counted]
        if _positive(o.attachment_fee):
            terms.append(f"an attachment fee of {self.prices(o.attachment_fee, ' per participant')}")
        if o.funded_share < 1:
            terms.append(f"for {pct(o.funded_share)} of the cohort")
        if o.funded_count is not None:
            terms.append(f"for at most {o.funded_count:,.0f} participants")
        if o.threshold is not None:
            terms.append(f"nothing paid for an outcome whose success rate is below {pct(o.threshold)}")
        if o.threshold_overall is not None:
            terms.append(f"every tariff paid once the success rate across the card reaches {pct(o.threshold_overall)}")
        caps = ([f"{money(o.cap_per_year)} a year"] if o.cap_per_year is not None else []) + \
               ([f"{money(o.cap)} over the contract"] if o.cap is not None else [])
        if caps:
            terms.append(f"capped at {_join(caps)}")
        if o.payment_lag:
            terms.append(f"paid {o.payment_lag} year{'s' if o.payment_lag > 1 else ''} after the outcome")
        sentence = f"{payers} {verb} {self.name(o.payee)} {what}, {'; '.join(terms)}{self.at_prices(o.price_year)}."
        if o.top_up is not None:
            award = f", up to {money(o.top_up.award)}" if o.top_up.award is not None else ""
            sentence += f" {self.name(o.top_up.payer)} tops up {pct(o.top_up.share)} of every payment{award}."
        return sentence


def _positive(amounts: float | list[float]) -> bool:
    return any(float(v) > 0 for v in amounts) if isinstance(amounts, list) else float(amounts) > 0


def agreements(terms: Partnership, names: dict[str, str], years: Sequence[str],
               price_base: str) -> list[dict[str, Any]]:
    """Every agreement of a deal: its kind, name, who pays and receives, and its sentence.

    Parameters
    ----------
    terms : Partnership
        The deal's terms.
    names : dict of str to str
        The model's agency display names (:attr:`Intervention.agency_names`).
    years : sequence of str
        The appraisal's year labels, from year 0.
    price_base : str
        The model's price base (a price year equal to it is not repeated).

    Returns
    -------
    list of dict
        One per agreement, in the order funding, pooled budget, gain-shares,
        outcome payments, payments, investments: ``kind``, ``agreement``, ``from``
        and ``to`` (display names; several joined with "and"), ``sentence``, and
        ``key`` (the agreement's terms as a plain dict, to compare two deals).

    Examples
    --------
    >>> import cba
    >>> a = cba.appraise("examples/partnership/back_to_work/model.yaml")
    >>> [r["sentence"] for r in agreements(a.intervention.partnership, a.intervention.agency_names,
    ...                                    a.compiled.year_labels, a.intervention.price_base)]
    ['DWP passes 50% of its cashable savings to Local authority, capped at £250,000 a year, 2025/26 to 2028/29.']
    """
    w = _Writer(names, years, price_base)
    named = iter(terms.agreement_names(names))
    rows: list[dict[str, Any]] = []

    def add(kind: str, name: str, payers: list[str], payees: list[str], sentence: str, key: Any) -> None:
        rows.append({"kind": kind, "agreement": name, "from": _join([w.name(p) for p in payers]),
                     "to": _join([w.name(p) for p in payees]), "sentence": sentence, "key": key})

    for f in terms.funding:
        add("funding", f"Funding of {_q(f.cost)}", [p for p, s in f.shares.items() if s > 0], [], w.funding(f),
            ("funding", f.to_dict()))
    if (p := terms.pooled_budget) is not None:
        add("pooled_budget", p.name, list(p.contributions), [p.host], w.pool(p),
            ("pooled_budget", p.to_dict()))
    for g in terms.gain_share:
        add("gain_share", next(named), [g.from_], [g.to], w.gain_share(g), ("gain_share", g.to_dict()))
    for o in terms.outcome_payments:
        add("outcome_payments", next(named), o.payer_ids, [o.payee], w.outcome_payment(o),
            ("outcome_payments", o.to_dict()))
    for pay in terms.payments:
        add("payments", next(named), [pay.from_], [pay.to], w.payment(pay), ("payments", pay.to_dict()))
    for v in terms.investments or []:
        add("investments", next(named), [v.investor], [v.provider], w.investment(v), ("investments", v.to_dict()))
    return rows


@takes(result="deal")
def term_sentences(result: PartnershipResult) -> list[str]:
    """Every agreement of the deal in one plain sentence each (display names, year labels, prices).

    Parameters
    ----------
    result : PartnershipResult
        The deal appraised.

    Returns
    -------
    list of str
        One sentence per agreement, in the order of :func:`agreements`; money in
        pounds at the price base unless the sentence names a price year.
    """
    return [r["sentence"] for r in _rows(result)]


def _rows(result: PartnershipResult, original: Partnership | None = None, solved: bool = False
          ) -> list[dict[str, Any]]:
    model = result.appraisal.intervention
    args = (model.agency_names, result.appraisal.compiled.year_labels, model.price_base)
    rows = agreements(result.terms, *args)
    if solved:
        before = [] if original is None else [r["key"] for r in agreements(original, *args)]
        for r in rows:
            r["solved"] = r["key"] not in before
            if r["solved"]:
                r["sentence"] = "Solved: " + r["sentence"]
    return rows


@takes(result="deal")
def terms_table(result: PartnershipResult, solution: Any = None) -> pd.DataFrame:
    """The deal's terms: one row per agreement, who pays, who receives, and the agreement in words.

    With a solver's ``solution`` (:class:`~cba.partnership._solvers.Solution`), the
    agreements the solver set or changed are marked: the column "Set by the solver"
    says yes, and the sentence starts "Solved:".
    """
    solved = solution is not None and getattr(solution, "terms", None) is not None
    rows = _rows(result, result.appraisal.intervention.partnership, solved)
    columns = ["agreement", "kind_name", "from", "to", "sentence", *(["solved"] if solved else [])]
    frame = pd.DataFrame([{**r, "kind_name": KIND_NAMES[r["kind"]]} for r in rows],
                         columns=["agreement", "kind_name", "from", "to", "sentence", "solved"])[columns]
    notes: list[dict[str, Any]] = []
    if not rows:
        notes.append({"label": "Terms", "kind": "text",
                      "value": "no agreement: every partner funds what it bears and nothing passes between partners"})
    if solved:
        notes.append({"label": "Solved", "kind": "text",
                      "value": f"the terms marked answer the question {_q(question(solution))} "
                               f"{solution.message}"})
    model = result.appraisal.intervention
    table = _table(frame, f"The terms of the deal (pounds at {model.price_base} prices unless stated)",
                  kinds={"agreement": "text", "kind_name": "text", "from": "text", "to": "text", "sentence": "text",
                         "solved": "bool"},
                  labels={"agreement": "Agreement", "kind_name": "Kind", "from": "Pays", "to": "Receives",
                          "sentence": "The terms in words", "solved": "Set by the solver"}, notes=notes)
    table.attrs["wide"] = ["sentence"]      # a workbook keeps the sentences' column wide (a landscape page)
    return table


def question(solution: Any) -> str:
    """The board's question a solver answered (:class:`~cba.partnership._solvers.Solution`), in words.

    Partners by the model's display names (those of :attr:`Solution.appraisal`, when the
    solver kept it); the option's id (``fair-shares``) is what the command line takes,
    not what a reader sees.

    >>> import cba
    >>> from cba.partnership._solvers import gain_share
    >>> a = cba.appraise("examples/partnership/back_to_work/model.yaml")
    >>> question(gain_share(a, "dwp", "local_authority"))
    'What share of its savings must DWP pass on for Local authority to break even?'
    """
    details = solution.details or {}
    appraisal = getattr(solution, "appraisal", None)
    names = None if appraisal is None else appraisal.intervention.agency_names
    target = details.get("target") or 0.0
    reach = "break even" if target == 0 else f"reach {money(target)} (present value)"
    if solution.question == "fair-shares":
        return (f"What are fair shares of the costs, in proportion to what each partner gets back on the "
                f"{details.get('basis', 'fiscal')} basis?")
    if solution.question == "gain-share" and details.get("to"):
        sources = [display_name(p, names) for p in details.get("from", ())]
        return (f"What share of {'their' if len(sources) > 1 else 'its'} savings must {_join(sources)} pass on "
                f"for {display_name(details['to'], names)} to {reach}?")
    if solution.question == "price" and details.get("payee"):
        outcome = f" of {_q(details['outcome'])}" if details.get("outcome") else ""
        return f"At what price per outcome{outcome} does {display_name(details['payee'], names)} {reach}?"
    if solution.question == "any-split":
        return "Does any split of the costs leave every partner at least even?"
    return f"{solution.question.replace('-', ' ').capitalize()}?"


def answered(solution: Any) -> list[str]:
    """The board's question in words (:func:`question`) and the solver's answer: two lines."""
    return [f"Question: {question(solution)}", f"Answer: {solution.message}"]
