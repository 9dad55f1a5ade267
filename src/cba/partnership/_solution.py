"""What every solver of :mod:`cba.partnership._solvers` shares: the :class:`Solution` it
returns, the partners' positions under a trial deal, a root finder, and the checks and
words its sentences use (display names, pounds).

All money is present values in pounds at the price base.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from cba.core._accessors import accessor
from cba.core._errors import CBAError
from cba.model._agencies import display_name
from cba.model._deal_terms import Partnership
from cba.partnership._compile import compile_deal
from cba.partnership._evaluate import evaluate_deal
from cba.partnership._positions import net_positions

if TYPE_CHECKING:  # pragma: no cover
    from cba.ledger._appraisal import Appraisal
    from cba.partnership._results import PartnershipResult

#: Relative tolerance of a root (and of the linearity check).
TOLERANCE = 1e-12


@dataclass
class Solution:
    """The answer to one of a board's questions.

    Attributes
    ----------
    question : str
        ``fair-shares``, ``gain-share``, ``price`` or ``any-split``.
    feasible : bool
        Whether the question has an answer.
    value : float or None
        The answer: the net fraction of savings (fair shares), the gain-share
        rate, the price per outcome (pounds), or the partnership's margin
        (pounds; negative when it falls short).
    message : str
        One sentence a board can read.
    terms : Partnership or None
        The deal that realises the answer.
    details : dict
        Further figures (shares by partner, the payer's value ceiling, ...).
    method : str
        How the answer was found: ``closed form``, root finding or a search.
    solved : dict
        The deal terms the answer sets that an uncertainty file could vary, by
        their path (``partnership.gain_share[0].share``), each with the words for
        it and its solved value: a risk analysis of the solved deal holds them
        there (see :meth:`holds`).
    appraisal : Appraisal or None
        The appraisal the question was asked of (set by every solver): displays of
        the answer write its terms in the model's names, years and prices.
    """

    question: str
    feasible: bool
    value: float | None
    message: str
    terms: Partnership | None = None
    details: dict[str, Any] = field(default_factory=dict)
    method: str = "closed form"
    solved: dict[str, str] = field(default_factory=dict)
    appraisal: Appraisal | None = field(default=None, repr=False, compare=False)

    def holds(self, path: str) -> bool:
        """Whether ``path`` (an uncertainty parameter) names a term the answer sets.

        A term by year (``partnership.outcome_payments[0].price[2]``) is part of
        the term (``partnership.outcome_payments[0].price``).

        >>> Solution("price", True, 1.0, "", solved={"partnership.outcome_payments[0].price": "the price"}
        ...          ).holds("partnership.outcome_payments[0].price[2]")
        True
        """
        key = "".join(str(path).split())
        return any(key == p or key.startswith(p + "[") for p in self.solved)

    def result(self, appraisal: Appraisal) -> PartnershipResult:
        """The deal appraised (the deal as given when the question has no answer)."""
        return appraisal.partnership(self.terms)

    def to_dict(self) -> dict[str, Any]:
        return {"question": self.question, "feasible": self.feasible, "value": self.value,
                "message": self.message, "method": self.method, "details": self.details,
                "solved": dict(self.solved), "terms": None if self.terms is None else self.terms.to_dict()}

    def __str__(self) -> str:
        return self.message

    def _repr_html_(self) -> str:  # notebooks: labelled tables
        return str(accessor("result.html")(self))


def answers(solver: Callable[..., Solution]) -> Callable[..., Solution]:
    """A solver whose :class:`Solution` keeps the appraisal it answers (:attr:`Solution.appraisal`)."""
    @functools.wraps(solver)
    def solve(appraisal: Appraisal, *args: Any, **kwargs: Any) -> Solution:
        solution = solver(appraisal, *args, **kwargs)
        solution.appraisal = appraisal
        return solution
    return solve


def _terms(appraisal: Appraisal, terms: Partnership | dict | None) -> Partnership:
    if isinstance(terms, dict):
        return Partnership.from_dict(terms, path_prefix=("partnership",))
    if terms is not None:
        return terms
    return appraisal.intervention.partnership or Partnership()


def _flows(appraisal: Appraisal):
    from cba.engine._evaluate import evaluate

    return getattr(appraisal, "flows", None) or evaluate(appraisal.compiled)


def _positions(appraisal: Appraisal, terms: Partnership, overrides: dict | None = None):
    """Present values per partner for the deal, one row per candidate value in ``overrides``."""
    compiled = appraisal.compiled
    deal = compile_deal(compiled, terms)
    pos = net_positions(evaluate_deal(compiled, deal, _flows(appraisal), deal_overrides=overrides))
    return deal, pos


def _index(deal, partner: str, what: str, names: dict[str, str] | None = None) -> int:
    """Where ``partner`` is among the deal's partners; the error lists them by id (what the option takes)
    and display name."""
    if partner not in deal.partners:
        listed = ", ".join(p if display_name(p, names) == p else f"{p} ({display_name(p, names)})"
                           for p in deal.partners)
        raise CBAError(f"{what}: {partner!r} is not a partner of this deal (partners: {listed})")
    return deal.partners.index(partner)


def _money(x: float) -> str:
    return f"-£{-x:,.0f}" if round(x) < 0 else f"£{x:,.0f}"


def _root(f: Callable[[np.ndarray], np.ndarray], low: float, high: float) -> tuple[float, str]:
    """Root of an increasing ``f`` on ``[low, high]`` with ``f(low) < 0 <= f(high)``.

    Closed form when ``f`` is linear there (checked at the midpoint and quarter
    points); Brent's method otherwise.
    """
    xs = np.array([low, high, 0.5 * (low + high), 0.25 * low + 0.75 * high])
    ys = f(xs)
    line = ys[0] + (ys[1] - ys[0]) * (xs - low) / (high - low)
    scale = max(1.0, float(np.max(np.abs(ys))))
    if np.all(np.abs(ys - line) <= 1e-9 * scale):
        x = low - ys[0] * (high - low) / (ys[1] - ys[0])
        return float(x), "closed form"
    from scipy.optimize import brentq

    x = brentq(lambda v: float(f(np.array([v]))[0]), low, high, xtol=TOLERANCE * max(1.0, abs(high)),
               rtol=4 * np.finfo(float).eps, maxiter=200)
    return float(x), "root finding (Brent's method)"


def _name(appraisal: Appraisal, partner: str) -> str:
    """A partner's display name, as every sentence uses it."""
    return display_name(partner, appraisal.intervention.agency_names)


def _names(appraisal: Appraisal, partners) -> str:
    """Display names joined: ``A``, ``A and B``, ``A, B and C``."""
    words = [_name(appraisal, p) for p in partners]
    return " and ".join(words) if len(words) < 3 else ", ".join(words[:-1]) + " and " + words[-1]


def _target(target: Any) -> float:
    """A solver's target (pounds, present value): a finite number, never a bool or text."""
    if isinstance(target, bool) or not isinstance(target, int | float | np.integer | np.floating):
        raise CBAError(f"--target: give the net position to reach in pounds, a number, got {target!r}")
    value = float(target)
    if not math.isfinite(value):
        raise CBAError(f"--target: give a finite number of pounds, got {target!r}")
    return value


def _partner_arg(value: Any, what: str) -> str:
    """A partner named in a solver's argument: text, never a number or None."""
    if not isinstance(value, str) or not value.strip():
        raise CBAError(f"{what}: name a partner (its id, as in the model), got {value!r}")
    return value
