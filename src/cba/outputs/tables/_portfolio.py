"""A portfolio's tables for people: frames with titles, labels and number kinds.

Each function takes a :class:`~cba.portfolios._result.PortfolioResult` and returns a
DataFrame of unrounded numbers whose ``attrs`` tell :mod:`cba.outputs._format` how to
show it; nothing here computes a result.

=========================  ==================================================
``portfolio_candidates``   every candidate: chosen or not, its values and spend
``portfolio_runners_up``   the choice and the next-best sets
``portfolio_budgets``      each partner's budget use by year, value of a pound more
``portfolio_positions``    each partner's net position before and after side payments
``portfolio_risk``         each partner's net position under Monte Carlo, chance of a loss
``portfolio_frontier``     the best value at each budget scaling
``portfolio_binding``      when nothing is feasible: what binds and by how much
=========================  ==================================================
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from cba.outputs.tables._frame import _table

if TYPE_CHECKING:  # pragma: no cover
    from cba.portfolios._result import PortfolioResult


def _units(result: PortfolioResult) -> str:
    return f"pounds at {result.candidates.price_base} prices"


def heading(result: PortfolioResult) -> list[str]:
    """Lines that say what was chosen, under which objective, and how sure the solver is."""
    s, pb = result.solution, result.problem
    lines = [f"Objective: {result.spec.describe_objective()} ({_units(result)}, present values).",
             f"Solver: HiGHS MILP, gap tolerance {pb.gap:g}, time limit {pb.time_limit:g} s; "
             f"took {s.seconds:.2f} s."]
    if not s.feasible:
        return [*lines, f"No portfolio: {result.message}."]
    gap = "proven optimal" if s.status == "optimal" else f"within a proven gap of {s.gap:.4%} (bound £{s.bound:,.0f})"
    lines.append(f"Chosen ({len(result.chosen)} of {len(result.candidates.names)}, {gap}): "
                 f"{'; '.join(result.chosen) or 'none'}. Value £{s.value:,.0f}.")
    if pb.side_payments:
        lines.append("Side payments between partners (present values) bring every partner to its floor; "
                     "partners above their floor pay in proportion to how far above it they are.")
    unbudgeted = [p for j, p in enumerate(pb.partners) if pd.isna(pb.budgets[j]).all()
                  and result.candidates.spend[result.solution.chosen][:, j].sum() > 0] if s.chosen is not None else []
    if unbudgeted:
        lines.append(f"No budget given for {', '.join(unbudgeted)}: what they fund is not limited.")
    lines += [f"Warning: {w}" for w in result.candidates.warnings]
    return lines


def candidate_table(result: PortfolioResult) -> pd.DataFrame:
    """Every candidate: chosen or not, its objective and values, its total spend by every partner."""
    f = result.candidate_table()
    cols = ["candidate", "chosen", "objective", *result.candidates.values, "spend"]
    kinds = {c: "money" for c in cols[2:]}
    kinds.update(candidate="text", chosen="bool")
    labels = {"candidate": "Candidate", "chosen": "Chosen", "objective": "Objective value",
              "public_value": "Net present public value", "fiscal": "Fiscal net", "spend": "Spend, all partners"}
    return _table(f[cols], "Candidates", kinds, labels,
                  notes=[{"label": "Units", "kind": "text", "value": f"{_units(result)}; values are present values, "
                                                                      "spend the real total over every year"}])


def runners_up_table(result: PortfolioResult) -> pd.DataFrame:
    """The choice (rank 1) and the next-best sets under every constraint."""
    f = result.runners_up()
    f = f.assign(candidates=["; ".join(x) for x in f["candidates"]])
    return _table(f, "The choice and the runners-up",
                  {"rank": "int", "value": "money", "below_best": "money", "count": "int", "candidates": "text",
                   "status": "text", "gap": "share"},
                  {"rank": "Rank", "value": "Value", "below_best": "Below the best", "count": "Programmes",
                   "candidates": "Programmes chosen", "status": "Solver", "gap": "Gap proven"})


def budget_table(result: PortfolioResult) -> pd.DataFrame:
    """Each partner's budget use by year, and the relaxation's value of one more pound."""
    f = result.budgets()
    f = f[~(f["budget"].isna() & (f["spend"] == 0))]
    cols = ["agency_name", "year", "budget", "spend", "headroom", "per_pound"]
    return _table(f[cols], "Budget use by partner and year",
                  {"agency_name": "text", "year": "text", "budget": "money", "spend": "money", "headroom": "money",
                   "per_pound": "ratio"},
                  {"agency_name": "Partner", "year": "Year", "budget": "Budget", "spend": "Spend on the choice",
                   "headroom": "Headroom", "per_pound": "Value of £1 more (approx.)"},
                  notes=[{"label": "Value of £1 more", "kind": "text",
                          "value": "the linear relaxation's dual: an approximation, since programmes are chosen "
                                   "whole; a blank means no budget is given"},
                         {"label": "Units", "kind": "text", "value": f"real {_units(result)}"}],
                  blank=("budget", "headroom", "per_pound"))


def position_table(result: PortfolioResult) -> pd.DataFrame:
    """Each partner's net position on the chosen set, before and after side payments."""
    f = result.positions()
    cols = ["agency_name", "net_before", "net_deals", "side_payment", "net_after", "floor"]
    return _table(f[cols], "Each partner's position on the chosen set",
                  {c: "money" for c in cols[1:]} | {"agency_name": "text"},
                  {"agency_name": "Partner", "net_before": "Net, no deal", "net_deals": "Net after the deals",
                   "side_payment": "Side payment received", "net_after": "Net after side payments",
                   "floor": "Floor"},
                  notes=[{"label": "Units", "kind": "text", "value": f"present values, {_units(result)}; "
                                                                      "side payments sum to zero"}],
                  blank=("floor",))


def risk_table(result: PortfolioResult) -> pd.DataFrame:
    """Each partner's net position on the chosen set under Monte Carlo, and its chance of losing money."""
    f = result.risk_table()
    r = result.risk
    cols = ["agency_name", "net_after", "mean", "p5", "median", "p95", "probability_of_loss"]
    notes = [{"label": "Draws", "kind": "text",
              "value": "" if r is None else f"{r.draws:,} (seed {r.seed}); drawn: {'; '.join(r.drawn)}"},
             {"label": "How to read it", "kind": "text",
              "value": "net positions after the candidates' deals and the side payments (fixed amounts, not "
                       "redrawn); different candidates' draws are independent; the chance of a loss is the "
                       "share of draws below 0"},
             {"label": "Units", "kind": "text", "value": f"present values, {_units(result)}"}]
    return _table(f[cols], "Each partner's risk on the chosen set",
                  {c: "money" for c in cols[1:-1]} | {"agency_name": "text", "probability_of_loss": "share"},
                  {"agency_name": "Partner", "net_after": "Net, central", "mean": "Mean", "p5": "5th percentile",
                   "median": "Median", "p95": "95th percentile", "probability_of_loss": "Chance of a loss"},
                  notes=notes)


def frontier_table(result: PortfolioResult) -> pd.DataFrame:
    """The best value at each budget scaling."""
    f = result.frontier()
    f = f.assign(candidates=["; ".join(x) for x in f["candidates"]])
    return _table(f, "Frontier: the best value at each budget",
                  {"scaling": "number", "total_budget": "money", "value": "money", "count": "int",
                   "candidates": "text", "status": "text", "gap": "share"},
                  {"scaling": "Budgets x", "total_budget": "Total budget", "value": "Best value",
                   "count": "Programmes", "candidates": "Programmes chosen", "status": "Solver",
                   "gap": "Gap proven"})


def binding_table(result: PortfolioResult) -> pd.DataFrame:
    """When no portfolio is feasible: each binding constraint and the shortfall it must give up."""
    f = result.binding_table()
    return _table(f[["constraint", "limit", "shortfall_alone", "shortfall_jointly"]], "What binds",
                  {"constraint": "text", "limit": "number", "shortfall_alone": "number",
                   "shortfall_jointly": "number"},
                  {"constraint": "Constraint", "limit": "Limit", "shortfall_alone": "Shortfall, relaxed alone",
                   "shortfall_jointly": "Shortfall, all relaxed"},
                  notes=[{"label": "How to read it", "kind": "text",
                          "value": "pounds for budgets and floors, programmes for the count; a blank under "
                                   "'relaxed alone' means relaxing that one alone cannot help"}],
                  blank=("shortfall_alone",))


def portfolio_tables(result: PortfolioResult) -> dict[str, pd.DataFrame]:
    """Every table of a portfolio, by name (only ``portfolio_binding`` and the candidates when infeasible)."""
    if not result.feasible:
        return {"portfolio_binding": binding_table(result), "portfolio_candidates": candidate_table(result)}
    out: dict[str, Any] = {"portfolio_runners_up": runners_up_table(result),
                           "portfolio_positions": position_table(result)}
    if result.risk is not None:
        out["portfolio_risk"] = risk_table(result)
    out |= {"portfolio_budgets": budget_table(result), "portfolio_candidates": candidate_table(result)}
    if result.frontier_points:
        out["portfolio_frontier"] = frontier_table(result)
    return out


def kept_out_table(result: PortfolioResult) -> pd.DataFrame:
    """What keeps each candidate not chosen out: the constraints that bind on the choice
    (:meth:`~cba.portfolios._result.PortfolioResult.kept_out`), in words."""
    f = result.kept_out()
    c, pb = result.candidates, result.problem
    names = dict(zip(c.partners, c.partner_names))

    def words(row) -> str:
        kind = row["kind"]
        if kind == "budget":
            return f"{names.get(row['agency'], row['agency'])}'s budget in {row['year']}"
        if kind == "floor":
            return ("the partners' floors together (side payments share them)" if pb.side_payments
                    else f"{names.get(row['agency'], row['agency'])}'s floor")
        return {"exclusive": f"an alternative to {row['other']}, which is chosen",
                "requires": f"needs {row['other']}, which is not chosen",
                "exclude": "left out by the portfolio file",
                "count": f"the most programmes allowed ({pb.max_count})",
                "value": "adds no value (objective value of 0 or less)",
                "none": "nothing alone: the choice is within the solver's gap of the best"}.get(kind, kind)

    money = f["kind"].isin(["budget", "floor"])
    out = pd.DataFrame({"candidate": f["candidate"], "objective": f["objective"],
                        "constraint": [words(r) for _, r in f.iterrows()],
                        "over": f["over"].where(money)})
    return _table(out, "What keeps each other candidate out",
                  {"candidate": "text", "objective": "money", "constraint": "text", "over": "money"},
                  {"candidate": "Candidate not chosen", "objective": "Objective value",
                   "constraint": "Adding it alone would break", "over": "Short by"},
                  notes=[{"label": "How to read it", "kind": "text",
                          "value": "each constraint the candidate would break if added to the choice on its "
                                   "own: these are the constraints that bind. 'Short by' is how far a budget "
                                   "(real pounds in that year) or a floor (present value) would be missed"},
                         {"label": "Units", "kind": "text", "value": _units(result)}],
                  blank=("over",))
