"""Each partner's risk on the chosen portfolio: its net position under Monte Carlo.

A candidate may name an uncertainty file (``uncertainty: FILE`` in the portfolio
file: the ``distributions`` and ``correlation`` sections of the file
``cba partnership --spec`` and ``cba montecarlo --spec`` take; its paths are the
candidate model's own, ``outcomes[0].success``). For every chosen candidate that
names one, :func:`cba.uncertainty._montecarlo.montecarlo` draws the candidate's
assumptions on the portfolio's footing, with the candidate's deal, and keeps each
partner's ``net_after[p]`` of every draw (present value, pounds at the price base).
A chosen candidate without a file adds its deterministic net position to every draw.

Partner ``p``'s net position in draw ``d`` is then::

    sum over chosen i of net_after[i, p, d]  +  y[p]

with ``y[p]`` the side payment it receives (:func:`cba.portfolios._milp.settle`, a
fixed amount agreed on the central figures, not redrawn). Its chance of losing money
is the share of draws with a net position below 0 by more than :data:`LOSS_TOLERANCE`
(a partner the side payments bring exactly to 0 does not "lose" the last digit's rounding).

**Independence.** Draws of different candidates are independent: candidate ``i`` (its
place in the file, counted from 0) is drawn with the seed
``SeedSequence(seed, spawn_key=(i,))`` (:func:`candidate_seed`), so the same seed gives
the same result, and adding a candidate at the end of the file changes no other's
draws. Assumptions that two candidates share (the same unit cost, say) are therefore
not moved together: the spread of a partner's total is understated when candidates'
risks are in truth correlated.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from cba.core._errors import CBAError

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from cba.portfolios._candidates import Candidates

#: Quantiles reported for each partner's net position (as :mod:`cba.uncertainty._deal_risk`).
RISK_QUANTILES = (0.05, 0.5, 0.95)
#: Draws when neither the command line nor the portfolio file gives a number.
DEFAULT_DRAWS = 10_000
#: Pounds below 0 a net position must be to count as a loss (the rounding of a sum of present values).
LOSS_TOLERANCE = 1e-6


def candidate_seed(seed: int, index: int) -> int:
    """The seed of candidate ``index``'s draws: independent streams from one seed.

    >>> candidate_seed(1, 0) == candidate_seed(1, 0), candidate_seed(1, 0) == candidate_seed(1, 1)
    (True, False)
    """
    ss = np.random.SeedSequence(int(seed), spawn_key=(int(index),))
    return int(ss.generate_state(1, np.uint64)[0])


@dataclass
class Risk:
    """Each partner's net position on the chosen set, draw by draw.

    Attributes
    ----------
    draws, seed : int
        The number of draws and the seed (same seed, same result).
    drawn : tuple of str
        The chosen candidates whose assumptions were drawn (the others are fixed).
    net : numpy.ndarray
        ``(draws, P)`` each partner's net position after the candidates' deals and the
        side payments, present value (pounds at the price base).
    central : numpy.ndarray
        ``(P,)`` the same with every assumption as in the models (the deterministic positions).
    """

    draws: int
    seed: int
    drawn: tuple[str, ...]
    net: np.ndarray
    central: np.ndarray

    def draws_frame(self, partners: tuple[str, ...]) -> pd.DataFrame:
        """Every draw: each partner's net position after side payments, ``net_after[p]`` (one row a draw)."""
        import pandas as pd

        return pd.DataFrame(self.net, columns=[f"net_after[{p}]" for p in partners]).rename_axis("draw")

    def table(self, partners: tuple[str, ...], partner_names: tuple[str, ...]) -> pd.DataFrame:
        """One row per partner: ``net_after`` (central), ``mean``, ``p5``, ``median``, ``p95`` (pounds,
        present values) and ``probability_of_loss`` (share of draws below 0, by more than :data:`LOSS_TOLERANCE`)."""
        import pandas as pd

        q = np.quantile(self.net, RISK_QUANTILES, axis=0)
        return pd.DataFrame({"agency": list(partners), "agency_name": list(partner_names),
                             "net_after": self.central, "mean": self.net.mean(axis=0),
                             "p5": q[0], "median": q[1], "p95": q[2],
                             "probability_of_loss": (self.net < -LOSS_TOLERANCE).mean(axis=0)})


def _draw_candidate(model: Any, distributions: dict[str, Any], correlation: Any, partners: tuple[str, ...],
                    draws: int, seed: int, client: Any = None) -> tuple[np.ndarray, np.ndarray]:
    """``(draws, P)`` and ``(P,)``: each portfolio partner's ``net_after`` of one candidate, drawn and central."""
    from cba.model._deal_terms import Partnership
    from cba.uncertainty._core import as_compiled
    from cba.uncertainty._montecarlo import montecarlo

    if getattr(model, "partnership", None) is None:  # the default funding rule: an empty deal
        model = model.model_copy(update={"partnership": Partnership()})
    compiled = as_compiled(model)
    terms = compiled.intervention.partnership
    assert terms is not None
    own = list(compiled.agencies) + [p for p in terms.partners() if p not in compiled.agencies]
    metrics = [f"net_after[{p}]" for p in own]
    result = montecarlo(compiled, distributions, draws=draws, seed=seed, correlation=correlation,
                        metrics=metrics, thresholds={m: "< 0" for m in metrics}, keep_draws=True, progress=False,
                        client=client)
    assert result.values is not None
    drawn, central = np.zeros((draws, len(partners))), np.zeros(len(partners))
    col = {m: k for k, m in enumerate(result.metrics)}
    for p, m in zip(own, metrics):
        drawn[:, partners.index(p)] = result.values[:, col[m]]
        central[partners.index(p)] = result.base[m]
    return drawn, central


def portfolio_risk(cands: Candidates, chosen: np.ndarray, side_payments: np.ndarray, draws: int,
                   seed: int | None, client: Any = None) -> Risk | None:
    """Each partner's net position on ``chosen`` under Monte Carlo (None when no chosen candidate has a file).

    Given a Dask ``client``, each candidate's draws run on the cluster in chunks
    (:func:`cba.uncertainty._montecarlo.montecarlo`'s ``client``), with the same numbers.

    Raises
    ------
    CBAError
        Naming the candidate and its uncertainty file for a mistake in the file, a
        path that is not one of the model's parameters, or no ``distributions``.
    """
    from cba.uncertainty._core import check_draws
    from cba.uncertainty._spec import load_spec

    files = cands.uncertainty or (None,) * len(cands.names)
    picked = [i for i in np.flatnonzero(chosen) if files[i] is not None]
    if not picked:
        return None
    if cands.models is None:
        raise CBAError("risk: the candidates were given as arrays, without models to draw")
    draws = check_draws(draws, kept_columns=2 * len(cands.partners))
    if seed is None:
        seed = int(np.random.SeedSequence().entropy)  # type: ignore[arg-type]  # entropy is typed int | Sequence; a new one is an int
    P = len(cands.partners)
    fixed = [i for i in np.flatnonzero(chosen) if i not in picked]
    net = np.tile(cands.net[fixed].sum(axis=0) + side_payments, (draws, 1))
    for i in picked:
        path = Path(str(files[i]))
        try:
            spec = load_spec(path)
            if not spec.distributions:
                raise CBAError(f"{path}: no 'distributions' section")
            drawn, central = _draw_candidate(cands.models[i], spec.distributions, spec.correlation,
                                             cands.partners, draws, candidate_seed(seed, int(i)), client)
        except CBAError as exc:
            raise CBAError(f"candidate {cands.names[i]!r}: uncertainty: {exc}") from None
        if not np.allclose(central, cands.net[i], rtol=1e-9, atol=1e-6 * max(1.0, float(np.abs(central).max()))):
            raise AssertionError(f"{cands.names[i]}: the Monte Carlo's central positions differ from the appraisal's")
        net += drawn
    assert net.shape == (draws, P)
    central_after = cands.net[chosen].sum(axis=0) + side_payments
    return Risk(draws, int(seed), tuple(cands.names[i] for i in picked), net, central_after)
