"""The portfolio file: which candidates, whose budgets, what structure, what objective.

A place's partnership board chooses, out of many candidate business cases, which to
fund together this spending round. The portfolio file says what it chooses among and
under what rules::

    name: Whole-place portfolio 2025/26 to 2027/28
    price_base: 2024/25             # the common footing (as in a programme file);
    start_year: 2025/26             #   default: the first candidate's
    candidates:                     # model files, paths relative to this file
      - {path: ../family_key_worker.yaml, name: Family key workers}
      - {path: ../partnership/back_to_work/model.yaml, name: Back to work}
    # or: programme: ../partnership/programme.yaml   (its interventions are the candidates)
    budgets:                        # real pounds at the price base, by partner and year label
      local_authority: {2025/26: 400000, 2026/27: 400000}
      dwp: {2025/26: 150000}
    objective: public_value         # or fiscal, or {public_value: 0.5, fiscal: 0.5}
    structure:
      exclusive: [[Early help A, Early help B]]     # at most one of each group
      requires: {Back to work: [Family key workers]}
      include: []                   # must be chosen
      exclude: []                   # must not be chosen
      min_count: 1
      max_count: 4
    side_payments: true             # partners may pay each other (present values) ...
    floors: {local_authority: 0}    # ... so that each ends at least at its floor
    runners_up: 3
    frontier: [0.5, 0.75, 1, 1.25, 1.5]   # budget scalings for the frontier
    solver: {gap: 0, time_limit: 60}
    draws: 10000                    # Monte Carlo of the chosen set, when candidates name
    seed: 20251205                  #   an uncertainty file: {path: ..., uncertainty: FILE}

:class:`PortfolioSpec` checks it like a model file: unknown fields refused, no
boolean taken as a number, every mistake a :class:`~cba.core._errors.ModelError`
naming the file and field. Names used in ``structure`` must be candidates' names,
and budgets' partners and years are checked against the candidates once they are
appraised (:mod:`cba.portfolios._candidates`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, PrivateAttr, StrictBool, model_validator

from cba.core._arguments import path_argument
from cba.core._errors import CBAError, ModelError, in_file
from cba.core._files import load_data
from cba.model._base import AgencyId, FinancialYear, NonNegative, NonNegativeWhole, Number, _Model

#: What the board may maximise: the economic case's net present public value, or the fiscal net.
OBJECTIVES = ("public_value", "fiscal")
#: The metric of :mod:`cba.engine._metrics` each objective reads.
OBJECTIVE_METRICS = {"public_value": "net_present_public_value", "fiscal": "net_present_budget_impact"}
#: Most candidates a portfolio file may list (the MILP stays small enough to solve in seconds).
MAX_CANDIDATES = 2000
#: Most runners-up a result lists.
MAX_RUNNERS_UP = 20

Text = Annotated[str, Field(min_length=1)]
Positive = Annotated[float, Field(gt=0)]
Scaling = Annotated[Number, Field(gt=0, le=100)]


class Candidate(_Model):
    """One candidate business case: a model file and the name the board knows it by."""

    path: Text
    name: Text | None = None
    #: A deal across this candidate (lines named ``"<name>: <line>"``, as in a programme file).
    partnership: dict[str, Any] | None = None
    #: An uncertainty file for this candidate (its ``distributions``), relative to the portfolio file.
    uncertainty: Text | None = None


class Structure(_Model):
    """How the decisions hang together."""

    exclusive: list[Annotated[list[Text], Field(min_length=2)]] = Field(default_factory=list)
    requires: dict[Text, Annotated[list[Text], Field(min_length=1)]] = Field(default_factory=dict)
    include: list[Text] = Field(default_factory=list)
    exclude: list[Text] = Field(default_factory=list)
    min_count: NonNegativeWhole | None = None
    max_count: NonNegativeWhole | None = None

    @model_validator(mode="after")
    def _counts(self) -> Structure:
        if self.min_count is not None and self.max_count is not None and self.min_count > self.max_count:
            raise ValueError(f"min_count ({self.min_count}) is more than max_count ({self.max_count})")
        return self

    def names(self) -> list[tuple[str, str]]:
        """Every (field path, candidate name) the structure mentions."""
        out = [(f"structure.exclusive[{g}][{i}]", n) for g, grp in enumerate(self.exclusive) for i, n in enumerate(grp)]
        for a, needs in self.requires.items():
            out.append((f"structure.requires.{a}", a))
            out += [(f"structure.requires.{a}[{i}]", n) for i, n in enumerate(needs)]
        out += [(f"structure.include[{i}]", n) for i, n in enumerate(self.include)]
        out += [(f"structure.exclude[{i}]", n) for i, n in enumerate(self.exclude)]
        return out


class SolverSettings(_Model):
    """The MILP solver's settings, stated with every answer."""

    #: Relative optimality gap the solver may stop at (0: proven optimal).
    gap: Annotated[Number, Field(ge=0, le=0.5)] = 0.0
    #: Seconds the solver may run for each MILP.
    time_limit: Annotated[Number, Field(gt=0, le=86_400)] = 60.0


class PortfolioSpec(_Model):
    """A portfolio file, checked (see the module docstring)."""

    name: Text
    description: str | None = None
    price_base: FinancialYear | None = None
    start_year: FinancialYear | None = None
    horizon: Annotated[NonNegativeWhole, Field(ge=1, le=100)] | None = None
    discounting: Any = None
    candidates: Annotated[list[Candidate], Field(min_length=1, max_length=MAX_CANDIDATES)] | None = None
    programme: Text | None = None
    budgets: dict[AgencyId, Annotated[dict[FinancialYear, NonNegative], Field(min_length=1)]] = Field(
        default_factory=dict)
    objective: Literal["public_value", "fiscal"] | dict[Literal["public_value", "fiscal"], Number] = "public_value"
    structure: Structure = Field(default_factory=Structure)
    side_payments: StrictBool = False
    floors: dict[AgencyId, Number] = Field(default_factory=dict)
    runners_up: Annotated[NonNegativeWhole, Field(le=MAX_RUNNERS_UP)] = 3
    frontier: Annotated[list[Scaling], Field(max_length=100)] = Field(
        default_factory=lambda: [0.5, 0.75, 1.0, 1.25, 1.5, 2.0])
    solver: SolverSettings = Field(default_factory=SolverSettings)
    #: Monte Carlo draws and seed for the chosen set's risk (``--draws``/``--seed`` override them).
    draws: Annotated[NonNegativeWhole, Field(ge=2, le=10_000_000)] | None = None
    seed: NonNegativeWhole | None = None
    #: The folder relative paths are relative to, and the file's name (for messages).
    _base_dir: Path | None = PrivateAttr(default=None)
    _source: str | None = PrivateAttr(default=None)

    @model_validator(mode="after")
    def _sources(self) -> PortfolioSpec:
        if (self.candidates is None) == (self.programme is None):
            raise ValueError("give the candidates (a list of model files) or a programme file, one of the two")
        if isinstance(self.objective, dict):
            if not self.objective:
                raise ValueError("objective: give weights, e.g. {public_value: 0.5, fiscal: 0.5}")
            if all(w == 0 for w in self.objective.values()):
                raise ValueError("objective: every weight is zero; give at least one weight that is not")
        return self

    def weights(self) -> dict[str, float]:
        """The objective as weights of :data:`OBJECTIVES`."""
        if isinstance(self.objective, str):
            return {self.objective: 1.0}
        return {k: float(v) for k, v in self.objective.items()}

    def describe_objective(self) -> str:
        """The objective in words."""
        words = {"public_value": "net present public value", "fiscal": "fiscal net (savings - costs)"}
        w = self.weights()
        if len(w) == 1 and next(iter(w.values())) == 1.0:
            return f"maximise the {words[next(iter(w))]}"
        return "maximise " + " + ".join(f"{v:g} x {words[k]}" for k, v in w.items())


def check_names(spec: PortfolioSpec, names: list[str]) -> None:
    """Refuse a structure that names no candidate, or a candidate twice where once is meant."""
    known = set(names)
    problems = [(path, f"no candidate is called {n!r} (candidates: {', '.join(names)})")
                for path, n in spec.structure.names() if n not in known]
    for a, needs in spec.structure.requires.items():
        if a in needs:
            problems.append((f"structure.requires.{a}", "a candidate cannot require itself"))
    for g, grp in enumerate(spec.structure.exclusive):
        if len(set(grp)) < len(grp):
            problems.append((f"structure.exclusive[{g}]", "names a candidate twice"))
    both = sorted(set(spec.structure.include) & set(spec.structure.exclude))
    if both:
        problems.append(("structure.include", f"{both[0]!r} is also under structure.exclude"))
    if problems:
        raise ModelError(problems)


def load_portfolio(path: str | Path) -> PortfolioSpec:
    """Read and check a portfolio file (YAML or JSON).

    Parameters
    ----------
    path : str or Path
        The portfolio file.

    Returns
    -------
    PortfolioSpec
        The checked file, with its folder (relative model paths are relative to it)
        in ``spec.base_dir``.

    Raises
    ------
    CBAError
        Naming the file and the field of each mistake.
    """
    p = path_argument(path, "load_portfolio: path")
    data = load_data(p, "portfolio file")
    if not isinstance(data, dict):
        raise CBAError(f"{p}: a portfolio file must be a mapping of fields (name, candidates, budgets, ...)")
    try:
        spec = PortfolioSpec.from_dict(data)
    except CBAError as exc:
        raise in_file(p, exc) from None
    spec._base_dir = p.resolve().parent
    spec._source = str(p)
    return spec
