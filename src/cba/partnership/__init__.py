"""Partnership deals: putting savings back in the investor's pocket.

An appraisal shows who pays and who saves. A deal says what the partners do about
it: who funds each cost line, a pooled budget, gain-share and earn-back, payment by
results with top-ups, and fixed payments. This package reads the engine's flows and
an appraisal; it imports core, method, model, unit_costs, engine and ledger, never
uncertainty or outputs (a deal under uncertainty is in :mod:`cba.uncertainty`, its
tables and charts in :mod:`cba.outputs`):

- :mod:`~cba.model._deal_terms`: the deal as typed models (a model file's
  ``partnership:`` section);
- :mod:`~cba.partnership._compile`: the terms as arrays against a compiled model;
- :mod:`~cba.partnership._evaluate`: every partner's money for every draw at once;
- :mod:`~cba.partnership._results`: :class:`PartnershipResult`, the views and the
  JSON contract;
- :mod:`~cba.partnership._solvers`: fair shares, the smallest gain-share, the
  break-even price, whether any split leaves every partner ahead;
- :mod:`~cba.model._agency_groups`: agency groups (the shipped tiers of government);
- :mod:`~cba.engine._loading`: programme files, several interventions with one deal;
- :mod:`~cba.uncertainty._deal_parameters` and :mod:`~cba.uncertainty._deal_risk`:
  deal terms as parameters of an uncertainty analysis, and each partner's risk.

Use it through :meth:`cba.Appraisal.partnership` or ``cba partnership MODEL.yaml``.
"""

from typing import TYPE_CHECKING

from cba.core._lazy import lazy_exports
from cba.model._deal_terms import Funding, GainShare, Partnership, Payment, PooledBudget
from cba.model._outcome_terms import OutcomePayment, TopUp

if TYPE_CHECKING:  # pragma: no cover - for type checkers, editors and the API reference
    from cba.partnership._results import PartnershipResult, appraise_deal

__all__ = [
    "Funding",
    "GainShare",
    "OutcomePayment",
    "Partnership",
    "PartnershipResult",
    "Payment",
    "PooledBudget",
    "TopUp",
    "appraise_deal",
]


if not TYPE_CHECKING:  # type checkers see the names imported above, and no others
    # the heavy module loads on first use
    __getattr__, __dir__ = lazy_exports(__name__, {"appraise_deal": "_results", "PartnershipResult": "_results"})
