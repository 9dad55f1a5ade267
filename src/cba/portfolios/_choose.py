"""Choose a place's portfolio: the one entry point, :func:`portfolio`.

It reads the portfolio file (:mod:`cba.portfolios._spec`), appraises the candidates on
one footing (:mod:`cba.portfolios._candidates`), states the choice as a MILP and solves
it (:mod:`cba.portfolios._milp`), and adds what a board reads next to it
(:mod:`cba.portfolios._analysis`), the diagnosis when nothing is feasible
(:mod:`cba.portfolios._diagnose`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from cba.core._errors import CBAError
from cba.portfolios._analysis import frontier, marginal_values, runners_up
from cba.portfolios._candidates import Candidates, check_budgets, load_candidates
from cba.portfolios._diagnose import diagnose
from cba.portfolios._milp import Problem, settle, solve
from cba.portfolios._result import PortfolioResult
from cba.portfolios._risk import DEFAULT_DRAWS, portfolio_risk
from cba.portfolios._spec import PortfolioSpec, load_portfolio
from cba.uncertainty._distributed import check_client


def problem(spec: PortfolioSpec, cands: Candidates) -> Problem:
    """The MILP's data: the spec's budgets, floors and structure over the candidates' arrays."""
    P, Y = len(cands.partners), len(cands.years)
    budgets = np.full((P, Y), np.nan)
    pi = {p: j for j, p in enumerate(cands.partners)}
    yi = {y: t for t, y in enumerate(cands.years)}
    for p, years in spec.budgets.items():
        for y, amount in years.items():
            budgets[pi[p], yi[y]] = amount
    floors = np.full(P, np.nan)
    for p, f in spec.floors.items():
        floors[pi[p]] = f
    ni = {n: i for i, n in enumerate(cands.names)}
    st = spec.structure
    return Problem(
        cands.names, cands.partners, cands.years, cands.value(spec.weights()), cands.spend, cands.net, budgets,
        floors, spec.side_payments,
        exclusive=[[ni[n] for n in grp] for grp in st.exclusive],
        requires=[(ni[a], ni[b]) for a, needs in st.requires.items() for b in needs],
        include=[ni[n] for n in st.include], exclude=[ni[n] for n in st.exclude],
        min_count=st.min_count, max_count=st.max_count, gap=spec.solver.gap, time_limit=spec.solver.time_limit)


def portfolio(path: str | Path | PortfolioSpec, candidates: Candidates | None = None, *,
              frontier_points: bool = True, draws: int | None = None, seed: int | None = None,
              client: Any = None) -> PortfolioResult:
    """Choose the portfolio of programmes a place's partners should fund together.

    Parameters
    ----------
    path : str, Path or PortfolioSpec
        A portfolio file (see :mod:`cba.portfolios._spec`), or one already read.
    candidates : Candidates, optional
        The candidates as arrays (:meth:`~cba.portfolios._candidates.Candidates.from_arrays`)
        instead of appraising the files the spec lists.
    frontier_points : bool
        Solve the frontier at the spec's budget scalings (default True).
    draws, seed : int, optional
        Monte Carlo draws and seed for each partner's risk on the chosen set, when
        chosen candidates name an uncertainty file (default: the file's ``draws`` and
        ``seed``, else 10,000 draws and a fresh seed, recorded in ``result.risk``);
        see :mod:`cba.portfolios._risk`. Same seed, same result.
    client : dask.distributed.Client, optional
        Appraise the candidates, and draw the risk's Monte Carlo, on this Dask cluster
        (``pip install 'cba-appraisal[dask]'``). The result is the same, bit for bit, as
        without one (:func:`~cba.portfolios._candidates.load_candidates`,
        :mod:`cba.uncertainty._distributed`).

    Returns
    -------
    PortfolioResult
        The choice (or, when no portfolio meets the constraints, what binds), its
        runners-up, budget use, positions before and after side payments, marginal
        value of budget, the frontier and, given uncertainty files, each partner's
        risk: present values and real amounts in pounds at the price base.

    Examples
    --------
    >>> import cba
    >>> r = cba.portfolio("examples/portfolio/portfolio.yaml", frontier_points=False)
    >>> r.feasible, r.status
    (True, 'optimal')
    """
    from cba.core._arguments import flag, path_argument

    flag(frontier_points, "portfolio: frontier_points")
    check_client(client)
    spec = path if isinstance(path, PortfolioSpec) else load_portfolio(path_argument(path, "portfolio: path"))
    if candidates is None:
        cands = load_candidates(spec, client=client)
    else:
        cands = candidates
        from cba.portfolios._spec import check_names

        check_names(spec, list(cands.names))
        check_budgets(spec, cands)
    pb = problem(spec, cands)
    sol = solve(pb)
    if sol.status == "time_limit" and not sol.feasible:
        raise CBAError(f"the solver found no portfolio within its time limit of {pb.time_limit:g} seconds; "
                       "raise solver.time_limit")
    if not sol.feasible:
        message, binding = diagnose(pb)
        return PortfolioResult(spec, cands, pb, sol, message=message, binding=binding)
    assert sol.chosen is not None
    n = draws if draws is not None else (spec.draws or DEFAULT_DRAWS)
    risk = portfolio_risk(cands, sol.chosen, settle(pb, sol.chosen) if pb.side_payments else np.zeros(pb.size[1]),
                          n, seed if seed is not None else spec.seed, client=client)
    result = PortfolioResult(spec, cands, pb, sol, runners=runners_up(pb, sol.chosen, spec.runners_up),
                             relaxation=marginal_values(pb),
                             frontier=frontier(pb, spec.frontier) if frontier_points and spec.budgets else [],
                             risk=risk)
    return result
