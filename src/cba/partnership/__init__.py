"""Partnership deals: putting savings back in the investor's pocket.

An appraisal shows who pays and who saves. A deal says what the partners do about
it: who funds each cost line, a pooled budget, gain-share and earn-back, payment by
results with top-ups, and fixed payments. This package reads the engine's flows
and never the presentation layer:

- :mod:`~cba.partnership.terms`: the deal as typed models (a model file's
  ``partnership:`` section);
- :mod:`~cba.partnership.compile`: the terms as arrays against a compiled model;
- :mod:`~cba.partnership.evaluate`: every partner's money for every draw at once;
- :mod:`~cba.partnership.results`: :class:`PartnershipResult`, the views and the
  JSON contract;
- :mod:`~cba.partnership.solvers`: fair shares, the smallest gain-share, the
  break-even price, whether any split leaves every partner ahead;
- :mod:`~cba.partnership.groups`: agency groups (the shipped tiers of government);
- :mod:`~cba.partnership.programme`: several interventions with one deal.

Use it through :meth:`cba.Appraisal.partnership` or ``cba partnership MODEL.yaml``.
"""

from .terms import Funding, GainShare, OutcomePayment, Partnership, Payment, PooledBudget, TopUp

__all__ = ["Funding", "GainShare", "OutcomePayment", "Partnership", "Payment", "PooledBudget", "TopUp",
           "appraise_deal", "PartnershipResult"]


def __getattr__(name: str):  # the heavy modules load on first use
    if name in ("appraise_deal", "PartnershipResult"):
        from . import results

        return getattr(results, name)
    raise AttributeError(name)
