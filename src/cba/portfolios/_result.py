"""The answer: :class:`PortfolioResult`, its views as DataFrames and its JSON contract.

Every money figure is in pounds at the price base: values, nets and side payments
are present values; budgets and spend are real amounts by year. Nothing is rounded
here; the tables for people (:mod:`cba.outputs.tables._portfolio`), the chart
(:mod:`cba.outputs.charts._portfolio`) and the exports reach the outputs through
:mod:`cba.core._accessors`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from cba.core._accessors import accessor
from cba.core._plain import plain
from cba.portfolios._milp import TOLERANCE, settle

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd
    from matplotlib.figure import Figure

    from cba.portfolios._analysis import FrontierPoint, Relaxation
    from cba.portfolios._candidates import Candidates
    from cba.portfolios._diagnose import Binding
    from cba.portfolios._milp import Problem, Solution
    from cba.portfolios._risk import Risk
    from cba.portfolios._spec import PortfolioSpec


class PortfolioResult:
    """A place's portfolio: the chosen set, and what a board reads next to it.

    Attributes
    ----------
    spec : PortfolioSpec
        The portfolio file, checked.
    candidates : Candidates
        The candidates' values, spend by partner and year, and nets.
    problem : Problem
        The MILP's data.
    solution : Solution
        The solver's answer: ``status`` (``optimal``, ``gap``, ``time_limit``,
        ``infeasible``), the value, the proven bound and gap, seconds.
    runners : list of Solution
        The next-best portfolios, best first.
    relaxation : Relaxation or None
        The linear relaxation's value and each budget's dual.
    frontier_points : list of FrontierPoint
        The best value at each budget scaling.
    message : str
        When no portfolio is feasible: which constraint binds, and by how much.
    binding : list of Binding
        The binding constraints when no portfolio is feasible.
    risk : Risk or None
        Each partner's net position on the chosen set under Monte Carlo, when chosen
        candidates name an uncertainty file (:mod:`cba.portfolios._risk`).
    """

    def __init__(self, spec: PortfolioSpec, candidates: Candidates, problem: Problem, solution: Solution, *,
                 runners: list[Solution] | None = None, relaxation: Relaxation | None = None,
                 frontier: list[FrontierPoint] | None = None, message: str = "",
                 binding: list[Binding] | None = None, risk: Risk | None = None) -> None:
        self.spec = spec
        self.candidates = candidates
        self.problem = problem
        self.solution = solution
        self.runners = runners or []
        self.relaxation = relaxation
        self.frontier_points = frontier or []
        self.message = message
        self.binding = binding or []
        self.risk = risk

    # ---- the choice
    @property
    def name(self) -> str:
        """The portfolio file's name."""
        return self.spec.name

    @property
    def feasible(self) -> bool:
        """Whether any portfolio meets the constraints."""
        return self.solution.feasible

    @property
    def status(self) -> str:
        """``optimal`` (proven), ``gap`` (within the stated gap), ``time_limit`` or ``infeasible``."""
        return self.solution.status

    @property
    def chosen(self) -> list[str]:
        """The names of the chosen candidates, in the file's order (empty when infeasible)."""
        if self.solution.chosen is None:
            return []
        return [n for n, c in zip(self.candidates.names, self.solution.chosen) if c]

    @property
    def value(self) -> float | None:
        """The objective at the choice (pounds, present value)."""
        return self.solution.value

    @property
    def side_payments(self) -> np.ndarray:
        """``(P,)`` what each partner receives under the side payments (negative: pays; zero without them)."""
        if self.solution.chosen is None or not self.problem.side_payments:
            return np.zeros(len(self.candidates.partners))
        return settle(self.problem, self.solution.chosen)

    # ---- views
    def candidate_table(self) -> pd.DataFrame:
        """Every candidate: whether chosen, its objective value and values, its total spend by partner."""
        import pandas as pd

        c = self.candidates
        chosen = self.solution.chosen if self.solution.chosen is not None else np.zeros(len(c.names), bool)
        data: dict[str, Any] = {"candidate": list(c.names), "chosen": [bool(x) for x in chosen],
                                "objective": self.problem.objective}
        for k, v in c.values.items():
            data[k] = v
        data["spend"] = c.spend.sum(axis=(1, 2))
        for j, p in enumerate(c.partners):
            data[f"net[{p}]"] = c.net[:, j]
        return pd.DataFrame(data)

    def runners_up(self) -> pd.DataFrame:
        """The chosen set and the next best (rank 1 is the choice): value, shortfall from the best, members,
        and the solver's status and gap proven for each (a runner-up is the best set not yet listed only
        when proven optimal)."""
        import pandas as pd

        rows = []
        best = self.solution.value
        for rank, s in enumerate([self.solution, *self.runners], start=1):
            if s.chosen is None or s.value is None or best is None:
                continue
            rows.append({"rank": rank, "value": s.value, "below_best": best - s.value,
                         "count": int(s.chosen.sum()),
                         "candidates": [n for n, x in zip(self.candidates.names, s.chosen) if x],
                         "status": s.status, "gap": s.gap})
        return pd.DataFrame(rows, columns=["rank", "value", "below_best", "count", "candidates", "status", "gap"])

    def budgets(self) -> pd.DataFrame:
        """Each partner's budget use by year: budget, spend on the chosen set, headroom, value of a pound more.

        ``per_pound`` is the linear relaxation's dual: an approximation (see
        :mod:`cba.portfolios._analysis`); NaN where no budget is given.
        """
        import pandas as pd

        c, pb = self.candidates, self.problem
        chosen = self.solution.chosen if self.solution.chosen is not None else np.zeros(len(c.names), bool)
        used = c.spend[chosen].sum(axis=0)
        per = self.relaxation.per_pound if self.relaxation is not None else np.full(pb.budgets.shape, np.nan)
        rows = []
        for j, p in enumerate(c.partners):
            for t, y in enumerate(c.years):
                rows.append({"agency": p, "agency_name": c.partner_names[j], "year": y, "budget": pb.budgets[j, t],
                             "spend": used[j, t], "headroom": pb.budgets[j, t] - used[j, t],
                             "per_pound": per[j, t]})
        return pd.DataFrame(rows)

    def positions(self) -> pd.DataFrame:
        """Each partner's net position on the chosen set: with no deal, after the candidates' deals, the side
        payment it receives (negative: pays), after side payments, and its floor (present values)."""
        import pandas as pd

        c = self.candidates
        chosen = self.solution.chosen if self.solution.chosen is not None else np.zeros(len(c.names), bool)
        net = c.net[chosen].sum(axis=0)
        y = self.side_payments
        return pd.DataFrame({"agency": list(c.partners), "agency_name": list(c.partner_names),
                             "net_before": c.net_before[chosen].sum(axis=0), "net_deals": net,
                             "side_payment": y, "net_after": net + y, "floor": self.problem.floor_of()})

    def risk_table(self) -> pd.DataFrame:
        """Each partner's net position on the chosen set under Monte Carlo, after side payments: central,
        mean, 5th percentile, median, 95th percentile (present values) and the chance it loses money
        (share of draws below 0). Empty when no chosen candidate names an uncertainty file."""
        import pandas as pd

        if self.risk is None:
            return pd.DataFrame(columns=["agency", "agency_name", "net_after", "mean", "p5", "median", "p95",
                                         "probability_of_loss"])
        return self.risk.table(self.candidates.partners, self.candidates.partner_names)

    def frontier(self) -> pd.DataFrame:
        """The best value at each budget scaling: total budget, value, count and members, solver status
        and the gap proven (0 when proven optimal)."""
        import pandas as pd

        rows = [{"scaling": f.scaling, "total_budget": f.total_budget, "value": f.solution.value,
                 "count": None if f.solution.chosen is None else int(f.solution.chosen.sum()),
                 "candidates": [] if f.solution.chosen is None else
                 [n for n, x in zip(self.candidates.names, f.solution.chosen) if x],
                 "status": f.solution.status, "gap": f.solution.gap} for f in self.frontier_points]
        return pd.DataFrame(rows, columns=["scaling", "total_budget", "value", "count", "candidates", "status",
                                           "gap"])

    def kept_out(self) -> pd.DataFrame:
        """What keeps each candidate not chosen out: the constraints that adding it, alone, to the choice
        would break (the constraints that bind on this choice).

        One row per (candidate, constraint): ``candidate``, its ``objective`` value, ``kind``
        (``budget``, ``floor``, ``exclusive``, ``requires``, ``exclude``, ``count``, or ``value``:
        it adds nothing, objective at most 0; ``none``: it breaks nothing alone, so the
        choice is within the solver's gap of the best), ``agency`` and ``year`` of a budget or
        floor, ``other`` (the chosen rival of an exclusive group, the candidate it needs) and
        ``over``: pounds by which a budget (real) or a floor (present value; with side
        payments, all partners' floors together) would be missed. Empty when nothing is chosen.
        """
        import pandas as pd

        c, pb, s = self.candidates, self.problem, self.solution
        cols = ["candidate", "objective", "kind", "agency", "year", "other", "over"]
        if s.chosen is None:
            return pd.DataFrame(columns=cols)
        chosen = s.chosen.astype(bool)
        used, net = c.spend[chosen].sum(axis=0), c.net[chosen].sum(axis=0)
        floors = pb.floor_of()
        rows: list[dict[str, Any]] = []
        for i in np.flatnonzero(~chosen):
            def add(kind: str, agency: str | None = None, year: str | None = None, other: str | None = None,
                    over: float = np.nan, i: int = int(i)) -> None:
                rows.append({"candidate": c.names[i], "objective": float(pb.objective[i]), "kind": kind,
                             "agency": agency, "year": year, "other": other, "over": over})

            before = len(rows)
            if i in pb.exclude:
                add("exclude")
            for group in pb.exclusive:
                if i in group:
                    for j in group:
                        if j != i and chosen[j]:
                            add("exclusive", other=c.names[j])
            for a, b in pb.requires:
                if a == i and not chosen[b]:
                    add("requires", other=c.names[b])
            if pb.max_count is not None and chosen.sum() + 1 > pb.max_count:
                add("count", over=float(chosen.sum() + 1 - pb.max_count))
            after = used + c.spend[i] - pb.budgets                     # NaN where no budget is given
            scale = np.where(np.isnan(pb.budgets), 1.0, np.maximum(np.abs(pb.budgets), 1.0))
            for j, t in zip(*np.nonzero(np.nan_to_num(after, nan=-np.inf) > TOLERANCE * scale)):
                add("budget", c.partners[j], c.years[t], over=float(after[j, t]))
            short = floors - (net + c.net[i])                          # NaN where no floor
            if pb.side_payments:                                       # side payments pool the floors
                total = float(np.nansum(short))
                if total > TOLERANCE * max(1.0, float(np.nansum(np.abs(floors)))):
                    add("floor", over=total)
            else:
                for k in np.flatnonzero(np.nan_to_num(short, nan=-np.inf) > TOLERANCE * np.maximum(
                        np.abs(np.nan_to_num(floors)), 1.0)):
                    add("floor", c.partners[k], over=float(short[k]))
            if len(rows) == before:
                add("value" if pb.objective[i] <= 0 else "none")
        return pd.DataFrame(rows, columns=cols)

    def binding_table(self) -> pd.DataFrame:
        """When infeasible: each binding constraint, its limit and the shortfall it must give up."""
        import pandas as pd

        return pd.DataFrame([{"constraint": b.label, "kind": b.kind, "agency": b.partner, "year": b.year,
                              "limit": b.limit, "shortfall_alone": b.alone, "shortfall_jointly": b.jointly}
                             for b in self.binding],
                            columns=["constraint", "kind", "agency", "year", "limit", "shortfall_alone",
                                     "shortfall_jointly"])

    # ---- the contract
    def to_dict(self) -> dict[str, Any]:
        """The JSON contract (see :func:`cba.outputs.export._schema_portfolio.portfolio_schema`)."""
        s = self.solution

        def records(frame) -> list[dict[str, Any]]:
            return [{k: plain(v) for k, v in row.items()} for row in frame.to_dict(orient="records")]

        return {
            "name": self.name, "price_base": self.candidates.price_base,
            "objective": self.spec.describe_objective(), "weights": self.spec.weights(),
            "status": s.status, "feasible": s.feasible, "chosen": self.chosen, "value": plain(s.value),
            "solver": {"bound": plain(s.bound), "gap": plain(s.gap), "gap_tolerance": self.problem.gap,
                       "time_limit": self.problem.time_limit, "seconds": s.seconds,
                       "relaxation_value": plain(self.relaxation.value) if self.relaxation else None},
            "side_payments": self.problem.side_payments,
            "message": self.message or None,
            "candidates": records(self.candidate_table()), "runners_up": records(self.runners_up()),
            "budgets": records(self.budgets()), "positions": records(self.positions()),
            "frontier": records(self.frontier()), "binding": records(self.binding_table()),
            "risk": None if self.risk is None else {
                "draws": self.risk.draws, "seed": self.risk.seed, "drawn": list(self.risk.drawn),
                "independent": True, "partners": records(self.risk_table())},
            "warnings": list(self.candidates.warnings),
        }

    def to_json(self, indent: int | None = 2) -> str:
        """:meth:`to_dict` as JSON text."""
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False, allow_nan=False)

    # ---- conveniences (cba.outputs, through the accessors)
    def tables(self) -> dict[str, pd.DataFrame]:
        """The tables for people (see :mod:`cba.outputs.tables._portfolio`)."""
        return dict(accessor("portfolio.tables")(self))

    def summary(self) -> str:
        """The result as text: the choice, then every table."""
        return str(accessor("portfolio.text")(self))

    def plot(self, kind: str = "frontier", **kwargs: Any) -> Figure:
        """A chart: ``frontier`` (value against total budget), ``budgets`` (use by partner and year) or
        ``risk`` (each partner's net position under Monte Carlo, when there is a risk analysis)."""
        return accessor("portfolio.plot")(self, kind, **kwargs)

    def to_docx(self, path: str | Path, force: bool = False) -> Path:
        """Write a Word document of the result for a partnership board (see
        :mod:`cba.outputs.export._docx_portfolio`: the decision and the solver's proof, the
        runners-up, what binds, budget use by year with the value of a pound more, positions
        before and after side payments, the risk and the frontier when there are any); never
        over an existing file unless ``force``."""
        from cba.core._files import write_file

        return write_file(accessor("portfolio.docx")(self), path, force=force)

    def __str__(self) -> str:
        return self.summary()

    def __repr__(self) -> str:
        return (f"<PortfolioResult {self.name!r}: {self.status}, {len(self.chosen)} of "
                f"{len(self.candidates.names)} chosen>")

    def _repr_html_(self) -> str:  # notebooks: labelled tables
        return str(accessor("portfolio.html")(self))
