"""A place's portfolio: which programmes the partners should fund together.

Out of many candidate business cases, a place's partnership board chooses the set
to fund this spending round, within each partner's budget year by year, so that the
place gets the most value and, with side payments between partners, no partner ends
below the floor it names. This package sits above ``ledger``, ``partnership`` and
``uncertainty`` and below ``outputs``; its tables, chart and exports are in
:mod:`cba.outputs` (reached through :mod:`cba.core._accessors`):

- :mod:`~cba.portfolios._spec`: the portfolio file, checked (:class:`PortfolioSpec`);
- :mod:`~cba.portfolios._candidates`: every candidate appraised on one footing, as arrays
  (:class:`Candidates`);
- :mod:`~cba.portfolios._milp`: the choice as a mixed-integer linear programme, solved
  exactly by HiGHS;
- :mod:`~cba.portfolios._analysis`: runners-up, the marginal value of budget, the frontier;
- :mod:`~cba.portfolios._diagnose`: which constraint binds when nothing is feasible;
- :mod:`~cba.portfolios._risk`: each partner's risk on the chosen set, by Monte Carlo;
- :mod:`~cba.portfolios._result`: :class:`PortfolioResult`;
- :mod:`~cba.portfolios._choose`: :func:`portfolio`, the one entry point.

Use it as ``cba.portfolio("portfolio.yaml")`` (:func:`portfolio`, exported by ``cba``)
or ``cba portfolio FILE``; the formulation is in ``docs/portfolio.md``. The names below are
imported on first use (PEP 562).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cba.core._lazy import lazy_exports

#: Public name -> the module that defines it.
_LAZY = {
    "portfolio": "_choose",
    "PortfolioResult": "_result",
    "Candidates": "_candidates",
    "PortfolioSpec": "_spec",
    "load_portfolio": "_spec",
}

if TYPE_CHECKING:  # pragma: no cover - for type checkers, editors and the API reference
    from cba.portfolios._candidates import Candidates as Candidates
    from cba.portfolios._choose import portfolio as portfolio
    from cba.portfolios._result import PortfolioResult as PortfolioResult
    from cba.portfolios._spec import PortfolioSpec as PortfolioSpec
    from cba.portfolios._spec import load_portfolio as load_portfolio

__all__ = sorted(_LAZY)


if not TYPE_CHECKING:  # type checkers see the names imported above, and no others
    __getattr__, __dir__ = lazy_exports(__name__, _LAZY)

