"""Risk sharing: how likely each partner is to lose money under a deal.

:func:`deal_risk` runs Monte Carlo (:func:`cba.uncertainty._montecarlo`) on a model
with a deal and summarises, for every partner, the distribution of its net
position after the deal and the probability that it loses money (net below 0).
Distributions may be put on the model's assumptions and on the deal's own terms
(``partnership.gain_share[0].share``, ``partnership.outcome_payments[0].price``:
see :mod:`cba.uncertainty._deal_parameters`), so a board sees who carries the risk and
how caps, thresholds and attachment fees move it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from cba.core._errors import CBAError
from cba.model._agencies import display_name

#: Quantiles reported for each partner's net position.
RISK_QUANTILES = (0.05, 0.5, 0.95)


def deal_risk(model, distributions: Mapping[str, Any], draws: int = 10_000, seed=None, *,
              correlation=None, progress: bool | None = False, **kwargs) -> tuple[pd.DataFrame, Any]:
    """Each partner's net position after the deal under uncertainty.

    Parameters
    ----------
    model : Intervention, path, Appraisal or CompiledModel
        A model with a ``partnership`` section.
    distributions : mapping
        As for :func:`cba.uncertainty._montecarlo`; may include deal terms.
    draws, seed, correlation, progress
        As for :func:`cba.uncertainty._montecarlo` (same seed, same result).

    Returns
    -------
    table : pandas.DataFrame
        One row per partner: ``agency``, ``agency_name``, ``net_after`` (the
        deterministic value), ``mean``, ``p5``, ``median``, ``p95`` (pounds,
        present values) and ``probability_of_loss`` (share of draws with a net
        position below 0).
    result : MonteCarloResult
        The full Monte Carlo result (every deal metric).
    """
    from cba.uncertainty._core import as_compiled
    from cba.uncertainty._montecarlo import montecarlo

    compiled = as_compiled(model)
    terms = getattr(compiled.intervention, "partnership", None)
    if terms is None:
        raise CBAError("deal risk: the model has no partnership section; add one, or use cba montecarlo")
    partners = list(compiled.agencies) + [p for p in terms.partners() if p not in compiled.agencies]
    metrics = [f"net_after[{p}]" for p in partners]
    result = montecarlo(compiled, distributions, draws=draws, seed=seed, correlation=correlation,
                        metrics=metrics, thresholds={m: "< 0" for m in metrics},
                        quantiles=RISK_QUANTILES, progress=progress, **kwargs)
    s = result.summary
    names = compiled.intervention.agency_names
    table = pd.DataFrame({
        "agency": partners,
        "agency_name": [display_name(p, names) for p in partners],
        "net_after": [result.base[m] for m in metrics],
        "mean": s.loc[metrics, "mean"].to_numpy(dtype=float),
        "p5": s.loc[metrics, "p5"].to_numpy(dtype=float),
        "median": s.loc[metrics, "p50"].to_numpy(dtype=float),
        "p95": s.loc[metrics, "p95"].to_numpy(dtype=float),
        "probability_of_loss": s.loc[metrics, "probability"].to_numpy(dtype=float),
    })
    table.attrs.update(draws=result.draws, seed=result.seed)
    return table, result
