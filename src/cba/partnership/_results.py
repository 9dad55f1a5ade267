"""The result of a deal: every partner without and with the deal, and the flows between them.

:func:`appraise_deal` runs a deal on an appraisal's engine flows and returns a
:class:`PartnershipResult`, whose views are pandas DataFrames of unrounded pounds
at the price base. ``to_dict()`` is the JSON contract other tools read::

    {"partners": [{"agency", "costs_before", "funding", "savings", "received", "paid",
                   "net_before", "net_after", "payback_year", "peak_deficit", ...}, ...],
     "flows": [{"from", "to", "agreement", "pv", ...}, ...]}

present values at the price base, year labels as in the model, ``null`` for none.
"""

from __future__ import annotations

import json
import math
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np

from cba.core._accessors import accessor
from cba.core._arguments import instance_argument
from cba.core._plain import plain
from cba.model._agencies import display_name
from cba.model._deal_terms import Partnership
from cba.partnership._compile import CompiledDeal, compile_deal
from cba.partnership._evaluate import YEAR_MEASURES, DealFlows, evaluate_deal
from cba.partnership._positions import BREAK_EVEN_TOLERANCE, net_positions

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd
    from matplotlib.figure import Figure

    from cba.ledger._appraisal import Appraisal

#: Columns of :meth:`PartnershipResult.partners`, after ``agency`` and ``agency_name``.
PARTNER_COLUMNS = ("costs_before", "funding", "funding_cash", "funding_in_kind", "savings", "savings_cashable",
                   "received", "paid", "net_before", "net_after", "change", "roi_before", "roi_after",
                   "payback_year_before", "payback_year_after", "peak_deficit_before", "peak_deficit_after",
                   "break_even_before", "break_even_after")
#: How a partner stands on breaking even (:meth:`PartnershipResult.partners`): it puts nothing in, it is
#: never behind at any year's end, it breaks even in a year (``payback_year_*``), or not within the horizon.
BREAK_EVEN_STATES = ("nothing_in", "never_in_deficit", "year", "not_within_horizon")


class PartnershipResult:
    """A deal appraised: what each partner puts in and gets back, without and with the deal.

    Attributes
    ----------
    appraisal : Appraisal
        The appraisal (without the deal) the deal is laid over.
    deal : CompiledDeal
        The deal's terms as arrays.
    flows : DealFlows
        Yearly money of every partner (one draw).
    positions : dict of str to numpy.ndarray
        Present values per partner (:data:`~cba.partnership._positions.POSITION_NAMES`).

    Examples
    --------
    >>> import cba
    >>> a = cba.appraise("examples/worked_example.yaml")
    >>> deal = a.partnership({"gain_share": [{"from": "local_authority", "to": "nhs", "share": 0.2,
    ...                                        "basis": "fiscal"}]})
    >>> deal.partners()[["agency", "net_before", "net_after"]].round(2)
                agency  net_before  net_after
    0  local_authority    33063.20   18450.56
    1              nhs    -9661.84    4950.81
    """

    def __init__(self, appraisal: Appraisal, deal: CompiledDeal, flows: DealFlows) -> None:
        self.appraisal = appraisal
        self.deal = deal
        self.flows = flows
        self.positions = {k: v[0] for k, v in net_positions(flows).items()}

    # ---- identity
    @property
    def terms(self) -> Partnership:
        """The deal's terms, as given."""
        return self.deal.terms

    @property
    def name(self) -> str:
        """The deal's name, or the intervention's name with "partnership deal"."""
        return self.terms.name or f"{self.appraisal.intervention.name}: partnership deal"

    @property
    def partner_ids(self) -> tuple[str, ...]:
        """The partners' agency ids."""
        return self.deal.partners

    def _name(self, partner: str) -> str:
        return display_name(partner, self.appraisal.intervention.agency_names)

    def _states(self, puts: np.ndarray, payback: np.ndarray, peak: np.ndarray) -> list[str]:
        tol = BREAK_EVEN_TOLERANCE
        return ["nothing_in" if p <= tol else "never_in_deficit" if d <= tol else
                "not_within_horizon" if math.isnan(y) else "year" for p, y, d in zip(puts, payback, peak)]

    def _label(self, payback: float) -> str | None:
        if math.isnan(payback):
            return None
        return self.appraisal.compiled.year_labels[int(payback) - 1]

    # ---- views
    def partners(self) -> pd.DataFrame:
        """Every partner, without the deal (``_before``) and with it (``_after``): present values in pounds.

        Columns: ``agency``, ``agency_name``, then :data:`PARTNER_COLUMNS`:
        ``costs_before`` (what it bears without the deal), ``funding`` (what it funds under
        the deal; ``funding_cash`` and ``funding_in_kind``), ``savings`` (fiscal
        savings it banks; ``savings_cashable``), ``received`` and ``paid`` (under
        the deal's agreements), ``net_before`` and ``net_after``, ``change``,
        ``roi_before`` and ``roi_after`` (what it gets back per pound it puts in;
        NaN when it puts nothing in), ``payback_year_before`` and
        ``payback_year_after`` (the year label in which it breaks even; none when
        it never does), the peak cumulative discounted deficit without and with the deal, and
        ``break_even_before`` and ``break_even_after``, how it stands on breaking even
        (:data:`BREAK_EVEN_STATES`): ``nothing_in`` (it puts nothing in),
        ``never_in_deficit`` (never behind at a year's end), ``year`` (it breaks even in
        the payback year) or ``not_within_horizon``. Amounts within
        :data:`~cba.partnership._positions.BREAK_EVEN_TOLERANCE` (half a penny) of zero
        count as zero.
        """
        import pandas as pd

        pos = self.positions
        data: dict[str, Any] = {"agency": list(self.partner_ids),
                                "agency_name": [self._name(p) for p in self.partner_ids]}
        for k in ("costs_before", "funding", "funding_cash", "funding_in_kind", "savings", "savings_cashable",
                  "received", "paid", "net_before", "net_after"):
            data[k] = pos[k]
        data["change"] = pos["net_after"] - pos["net_before"]
        data["roi_before"] = pos["roi_before"]
        data["roi_after"] = pos["roi_after"]
        data["payback_year_before"] = [self._label(x) for x in pos["payback_before"]]
        data["payback_year_after"] = [self._label(x) for x in pos["payback_after"]]
        data["peak_deficit_before"] = pos["peak_deficit_before"]
        data["peak_deficit_after"] = pos["peak_deficit_after"]
        data["break_even_before"] = self._states(pos["costs_before"], pos["payback_before"],
                                                 pos["peak_deficit_before"])
        data["break_even_after"] = self._states(pos["funding"] + pos["paid"], pos["payback_after"],
                                                pos["peak_deficit_after"])
        return pd.DataFrame(data)

    def flows_between(self) -> pd.DataFrame:
        """Every flow between partners: one row per agreement and payer, then the pooled budget.

        Columns: ``agreement``, ``kind`` (``gain_share``, ``outcome_payment``,
        ``top_up``, ``payment``, ``investment``, ``investor_repayment``, or
        ``pool_contribution``: a partner paying into a pooled budget another partner
        hosts, under the pool's name), ``from``, ``from_name``, ``to``, ``to_name``,
        ``real`` (undiscounted total, pounds) and ``pv`` (present value). The host's
        own contribution to its pool is not a flow between partners.
        """
        import pandas as pd

        f = self.flows
        real = f.transfers[0].sum(axis=-1)
        pv = (f.transfers[0] * f.discount_factors[0]).sum(axis=-1)
        rows = []
        for r, row in enumerate(f.rows):
            a, b = self.partner_ids[row["from"]], self.partner_ids[row["to"]]
            rows.append({"agreement": row["agreement"], "kind": row["kind"], "from": a, "from_name": self._name(a),
                         "to": b, "to_name": self._name(b), "real": float(real[r]), "pv": float(pv[r])})
        for a, b, paid, paid_pv in self._pool_flows():
            rows.append({"agreement": self.terms.pooled_budget.name if self.terms.pooled_budget else "Pooled budget",
                         "kind": "pool_contribution", "from": a, "from_name": self._name(a), "to": b,
                         "to_name": self._name(b), "real": paid, "pv": paid_pv})
        return pd.DataFrame(rows, columns=["agreement", "kind", "from", "from_name", "to", "to_name", "real", "pv"])

    def _pool_flows(self) -> list[tuple[str, str, float, float]]:
        """Each partner's contributions to a pool another partner hosts: (from, to, real, present value)."""
        host = self.deal.pool_host
        if host < 0:
            return []
        f = self.flows
        out = []
        for i, p in enumerate(self.partner_ids):
            c = f.pool_contributions[0, i]
            if i != host and np.any(c != 0):
                out.append((p, self.partner_ids[host], float(c.sum()), float((c * f.discount_factors[0]).sum())))
        return out

    def flow_matrix(self) -> pd.DataFrame:
        """Present value paid by each partner (rows) to each partner (columns), pooled contributions included."""
        import pandas as pd

        names = [self._name(p) for p in self.partner_ids]
        m = np.zeros((len(names), len(names)))
        pv = (self.flows.transfers[0] * self.flows.discount_factors[0]).sum(axis=-1)
        for r, row in enumerate(self.flows.rows):
            m[row["from"], row["to"]] += pv[r]
        index = {p: i for i, p in enumerate(self.partner_ids)}
        for a, b, _, paid_pv in self._pool_flows():
            m[index[a], index[b]] += paid_pv
        return pd.DataFrame(m, index=pd.Index(names, name="from"), columns=pd.Index(names, name="to"))

    def by_year(self, terms: str = "real") -> pd.DataFrame:
        """Each partner's money by year: real and discounted, with the cumulative net.

        Columns: ``agency``, ``agency_name``, ``year``, ``year_label``, then for
        each of :data:`YEAR_MEASURES` the real amount and ``discounted_<measure>``,
        and ``cumulative_discounted_net_after``. With ``terms="cash"`` the undiscounted
        amounts are in pounds of each year, with a ``cash_factor`` column
        (:func:`cba.partnership._cash.deal_by_year_in`); present values stay at the price base.
        """
        if terms != "real":
            from cba.partnership._cash import deal_by_year_in

            return deal_by_year_in(self, terms)
        import pandas as pd

        f = self.flows
        P, H = len(self.partner_ids), self.appraisal.compiled.horizon
        df = f.discount_factors[0]
        real = {
            "costs_before": f.costs_before[0], "funding": f.funding[0], "savings": f.savings[0],
            "received": f.received[0], "paid": f.paid[0],
        }
        disc = {k: v * df for k, v in real.items()}
        assert f.savings_discounted is not None   # a deal's appraisal has its benefit flows
        disc["savings"] = f.savings_discounted[0]
        real["net_before"] = real["savings"] - real["costs_before"]
        real["net_after"] = real["savings"] - real["funding"] + real["received"] - real["paid"]
        disc["net_before"] = disc["savings"] - disc["costs_before"]
        disc["net_after"] = disc["savings"] - disc["funding"] + disc["received"] - disc["paid"]
        data: dict[str, Any] = {
            "agency": np.repeat(self.partner_ids, H),
            "agency_name": np.repeat([self._name(p) for p in self.partner_ids], H),
            "year": np.tile(np.arange(H), P), "year_label": np.tile(self.appraisal.compiled.year_labels, P),
        }
        for k in YEAR_MEASURES:
            data[k] = real[k].reshape(-1)
        for k in YEAR_MEASURES:
            data[f"discounted_{k}"] = disc[k].reshape(-1)
        data["cumulative_discounted_net_after"] = np.cumsum(disc["net_after"], axis=-1).reshape(-1)
        return pd.DataFrame(data)

    def flows_by_year(self, terms: str = "real") -> pd.DataFrame:
        """Every payment between partners by year (the flows of :meth:`flows_between`, year by year).

        ``amount`` is pounds at the price base (``terms="real"``) or pounds of each year
        (``terms="cash"``, with a ``cash_factor`` column):
        :func:`cba.partnership._cash.flows_by_year_in`.
        """
        from cba.partnership._cash import flows_by_year_in

        return flows_by_year_in(self, terms)

    def contracts(self) -> pd.DataFrame | None:
        """Each agreement written as a contract: what it earned, what the caps let it pay, who
        paid and what no payer covers (real pounds, and the unfunded part's present value).

        Columns: ``agreement``, ``earned``, ``due`` (after the contract maximum and the
        yearly cap), ``payers``, ``top_up``, ``unfunded`` and ``unfunded_pv``. ``None``
        when no agreement is written as a contract (see :mod:`cba.partnership._contracts`).
        """
        import pandas as pd

        money = self.flows.contracts
        if not money:
            return None
        df = self.flows.discount_factors[0]
        rows = []
        for m, c in money.items():
            rows.append({"agreement": self.deal.names["outcome_payments"][m], "earned": float(c.earned[0].sum()),
                         "due": float(c.paid[0].sum()), "payers": float(c.by_payer[0].sum()),
                         "top_up": float(c.top_up[0].sum()), "unfunded": float(c.unfunded[0].sum()),
                         "unfunded_pv": float((c.unfunded[0] * df).sum())})
        return pd.DataFrame(rows)

    def investors(self) -> pd.DataFrame | None:
        """Each social investment: what the investor drew and got back, its return and its risk.

        Columns: ``agreement``, ``investor``, ``provider``, ``commitment``, ``drawn``,
        ``repaid_capital``, ``return_paid``, ``surplus_paid``, ``net`` (received minus
        drawn, undiscounted), ``net_pv``, ``money_multiple`` (received / drawn), ``irr``
        (NaN when the flows never change sign) and ``maximum_loss`` (the capital it draws
        when no outcome is achieved). ``None`` without an investment.
        """
        import pandas as pd

        from cba.partnership._investor import irr, maximum_loss, money_multiple

        money = self.flows.investors
        if not money:
            return None
        df = self.flows.discount_factors[0]
        rows = []
        committed = self.deal.params["deal.investments.commitment"]
        for i, w in money.items():
            investor, provider = self.deal.investments[i]
            commitment = float(committed[i])
            # a syndicate (several investors in one provider) loses in proportion to commitments
            syndicate = float(sum(committed[j] for j, (_, p) in enumerate(self.deal.investments) if p == provider))
            part = 1.0 if syndicate == commitment else commitment / syndicate if syndicate > 0 else 0.0
            costs = np.maximum(self.flows.funding_cash[0, provider], 0.0)   # as the waterfall takes them
            rows.append({
                "agreement": self.deal.names["investments"][i], "investor": self.partner_ids[investor],
                "provider": self.partner_ids[provider], "commitment": commitment,
                "drawn": float(w.drawn[0].sum()), "repaid_capital": float(w.repaid_capital[0].sum()),
                "return_paid": float(w.return_paid[0].sum()), "surplus_paid": float(w.surplus_paid[0].sum()),
                "net": float(w.investor_net[0].sum()), "net_pv": float((w.investor_net[0] * df).sum()),
                "money_multiple": float(money_multiple(w)[0]), "irr": float(irr(w.investor_net[:1])[0]),
                "maximum_loss": float(maximum_loss(costs[None], syndicate)[0]) * part})
        return pd.DataFrame(rows)

    def pool(self) -> pd.DataFrame | None:
        """The pooled budget by year: spend, and each partner's contribution (real pounds).

        ``None`` when the deal has no pooled budget.
        """
        import pandas as pd

        if self.deal.pool_host < 0:
            return None
        f = self.flows
        labels = list(self.appraisal.compiled.year_labels)
        data = {"year": labels, "spend": f.pool_spend[0]}
        for i, p in enumerate(self.partner_ids):
            c = f.pool_contributions[0, i]
            if np.any(c != 0) or i == self.deal.pool_host:
                data[p] = c
        return pd.DataFrame(data)

    def check(self, tolerance: float = 1e-9, absolute: float = 0.005) -> pd.DataFrame:
        """Conservation of money: rows where the deal created or lost money (empty when none).

        Checks that what partners fund equals what the cost lines cost, that what
        is paid is received, and that the partners' net positions sum to the same
        total before and after the deal (present values). A difference passes when
        it is at most ``absolute`` pounds or ``tolerance`` times the deal's own money
        (its costs and savings), whichever is larger; a total that is not a finite
        number never passes (:func:`cba.partnership._finite.conservation`).
        """
        import pandas as pd

        from cba.partnership._finite import conservation

        positions = {k: np.asarray(v)[None] for k, v in self.positions.items()}
        rows = conservation(self.flows, positions, tolerance=tolerance, absolute=absolute)
        return pd.DataFrame([{k: r[k] for k in ("check", "value", "expected")} for r in rows],
                            columns=["check", "value", "expected"])

    # ---- headline figures
    def shortfall(self) -> float:
        """How far the whole partnership is from breaking even (0 when it does): ``max(0, -sum net)``."""
        return max(0.0, -float(self.positions["net_before"].sum()))

    # ---- export
    def to_dict(self) -> dict[str, Any]:
        """The JSON contract (see the module docstring), plus years, pool and provenance."""
        partners = []
        for row in self.partners().to_dict(orient="records"):
            rec = {k: plain(v) for k, v in row.items()}
            rec["payback_year"] = rec["payback_year_after"]
            rec["peak_deficit"] = rec["peak_deficit_after"]
            partners.append(rec)
        flows = [{k: plain(v) for k, v in row.items()} for row in self.flows_between().to_dict(orient="records")]
        pool = self.pool()
        model = self.appraisal.intervention
        return {
            "name": self.name,
            "intervention": model.name,
            "price_base": model.price_base,
            "years": list(self.appraisal.compiled.year_labels),
            "partners": partners,
            "flows": flows,
            "pool": None if pool is None else [{k: plain(v) for k, v in r.items()}
                                                for r in pool.to_dict(orient="records")],
            "shortfall": self.shortfall(),
            **({} if (contracts := self.contracts()) is None
               else {"contracts": [{k: plain(v) for k, v in r.items()} for r in contracts.to_dict(orient="records")]}),
            **({} if (investors := self.investors()) is None
               else {"investors": [{k: plain(v) for k, v in r.items()} for r in investors.to_dict(orient="records")]}),
            "terms": self.terms.to_dict(),
        }

    def to_json(self, indent: int | None = 2) -> str:
        """The deal's results as JSON text: :meth:`to_dict`, indented by ``indent`` spaces (``None``: on one line)."""
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False, allow_nan=False)

    @cached_property
    def tables(self) -> dict[str, pd.DataFrame]:
        """The deal's presentation tables, by name (see :mod:`cba.outputs.tables`)."""
        frames: dict[str, pd.DataFrame] = accessor("partnership.tables")(self)
        return frames

    def plot(self, kind: str = "positions", **kwargs: Any) -> Figure:
        """A chart of the deal as a matplotlib Figure (see :mod:`cba.outputs.charts`).

        ``kind`` is ``positions`` (each partner's net position without and with the
        deal) or ``flows`` (every payment between partners, pooled contributions
        included; refused when no money passes between partners).

        Examples
        --------
        >>> import cba
        >>> r = cba.appraise("examples/partnership/back_to_work/model.yaml").partnership()
        >>> [t.get_text() for t in r.plot("positions").axes[0].get_legend().get_texts()]
        ['Without the deal', 'With the deal']
        """
        figure: Figure = accessor("partnership.plot")(self, kind, **kwargs)
        return figure

    def summary(self) -> str:
        """The deal as readable text: every partner without and with the deal, and the flows."""
        return "\n\n".join(str(accessor("table.text")(t)) for t in self.tables.values())

    def __str__(self) -> str:
        return self.summary()

    def __repr__(self) -> str:
        return f"<PartnershipResult {self.name!r}: {len(self.partner_ids)} partners, {len(self.flows.rows)} flows>"

    def _repr_html_(self) -> str:  # notebooks: labelled tables
        return str(accessor("result.html")(self))


def appraise_deal(appraisal: Appraisal, terms: Partnership | dict | None = None) -> PartnershipResult:
    """Lay a deal over an appraisal.

    Parameters
    ----------
    appraisal : Appraisal
        The appraisal without the deal.
    terms : Partnership or dict, optional
        The deal; by default the model's own ``partnership`` section (no deal when
        it has none, which leaves every partner where the appraisal puts it).

    Returns
    -------
    PartnershipResult

    Raises
    ------
    CBAError
        For terms that do not fit the model, and for a deal whose money overflows, does
        not add up, or in which a partner's gain-shares pass on more than all of its
        savings (:func:`cba.partnership._finite.check_deal`), naming the agreement.
    """
    from cba.engine._evaluate import evaluate
    from cba.ledger._appraisal import Appraisal

    instance_argument(appraisal, Appraisal, "appraise_deal: appraisal", "an Appraisal (cba.appraise(...))")
    if isinstance(terms, dict):
        terms = Partnership.from_dict(terms, path_prefix=("partnership",))
    elif terms is not None:
        instance_argument(terms, Partnership, "partnership", "deal terms: a Partnership, a dict like a model "
                          "file's partnership section, or None for the model's own")
    compiled = appraisal.compiled
    deal = compile_deal(compiled, terms)
    from cba.core._numbers import guard
    from cba.partnership._finite import check_deal

    flows = getattr(appraisal, "flows", None) or evaluate(compiled)
    with guard():  # an overflow is reported by the check, naming the agreement, not warned about
        money = evaluate_deal(compiled, deal, flows)
        check_deal(deal, money, net_positions(money), cashable=flows.cashable)
    return PartnershipResult(appraisal, deal, money)
