"""The ledger: the one table every result is an aggregation of.

One row per (source line, agency, value type, cashable status, transfer status,
year), with the real amount at the price base and its discounted value. Costs are
positive amounts of value type ``cost``; benefits are positive (or, for a
dis-benefit, negative) amounts of value type ``fiscal``, ``economic`` or ``social``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from cba.engine._compiled import FISCAL, VALUE_TYPES, CompiledModel
from cba.engine._evaluate import Flows, Totals

#: Ledger columns, in order.
LEDGER_COLUMNS = ("source_type", "line", "source", "component", "unit_cost", "agency",
                  "value_type", "cost_kind", "cashable", "transfer", "year", "year_label",
                  "real", "discount_factor", "discounted")


def build_ledger(model: CompiledModel, flows: Flows, draw: int = 0) -> pd.DataFrame:
    """The tidy ledger of one draw.

    A fiscal component whose cashable share lies strictly between 0 and 1 gives two
    rows per year: the cashable part and the rest.
    """
    H = model.horizon
    years = np.arange(H)
    labels = np.asarray(model.year_labels, dtype=object)
    df = flows.discount_factors[draw]
    parts = []

    # costs
    L = model.n_costs
    if L:
        info = model.cost_info
        parts.append(pd.DataFrame({
            "source_type": "cost",
            "line": np.repeat(np.arange(L), H),
            "source": np.repeat([c["name"] for c in info], H),
            "component": -1,
            "unit_cost": None,
            "agency": np.repeat([c["agency"] for c in info], H),
            "value_type": "cost",
            "cost_kind": np.repeat([c["kind"] for c in info], H),
            "cashable": False,
            "transfer": False,
            "year": np.tile(years, L),
            "real": flows.costs[draw].reshape(-1),
        }))

    # benefits: split each component into its cashable and non-cashable parts
    K = model.n_components
    if K:
        info = model.component_info
        kappa = np.broadcast_to(flows.cashable[draw], (K, H))   # share by component and year
        fiscal = model.component_type == FISCAL
        for cashable, share in ((True, kappa), (False, 1.0 - kappa)):
            keep = np.nonzero((share > 0).any(axis=1) & (fiscal | (not cashable)))[0]
            if not len(keep):
                continue
            amounts = flows.benefits[draw][keep] * np.where(fiscal[keep, None], share[keep], 1.0)
            n = len(keep)
            within = _component_position(model)
            parts.append(pd.DataFrame({
                "source_type": "outcome",
                "line": np.repeat(model.component_outcome[keep], H),
                "source": np.repeat([info[k]["outcome_name"] for k in keep], H),
                "component": np.repeat(within[keep], H),
                "unit_cost": np.repeat(np.array([info[k]["unit_cost"] for k in keep], dtype=object), H),
                "agency": np.repeat(np.array([info[k]["agency"] for k in keep], dtype=object), H),
                "value_type": np.repeat([VALUE_TYPES[model.component_type[k]] for k in keep], H),
                "cost_kind": None,
                "cashable": cashable,
                "transfer": np.repeat(model.component_transfer[keep], H),
                "year": np.tile(years, n),
                "real": amounts.reshape(-1),
            }))

    if not parts:
        ledger = pd.DataFrame({c: [] for c in LEDGER_COLUMNS})
    else:
        ledger = pd.concat(parts, ignore_index=True)
        ledger["year_label"] = labels[ledger["year"].to_numpy()]
        year = ledger["year"].to_numpy()
        ledger["discount_factor"] = df[year]
        health = model.health
        if health.any() and flows.health_discount_factors is not None:
            # health components are discounted on the health schedule
            comp = _component_index(model, ledger)
            rows = comp >= 0
            rows[rows] = health[comp[rows]]
            ledger.loc[rows, "discount_factor"] = flows.health_discount_factors[draw][year[rows]]
        ledger["discounted"] = ledger["real"] * ledger["discount_factor"]
    ledger = ledger[list(LEDGER_COLUMNS)]
    order = ["source_type", "line", "component", "cashable", "year"]
    ledger = ledger.sort_values(order, ascending=[True, True, True, False, True], kind="stable")
    ledger = ledger.reset_index(drop=True).astype({"line": int, "component": int, "year": int,
                                                   "cashable": bool, "transfer": bool})
    for col in ("unit_cost", "agency", "cost_kind"):  # missing text stays None, not NaN
        ledger[col] = ledger[col].astype(object).where(ledger[col].notna(), None)
    return ledger


def _component_position(model: CompiledModel) -> np.ndarray:
    """Index of each component within its outcome (0, 1, ...)."""
    out = np.zeros(model.n_components, dtype=int)
    seen: dict[int, int] = {}
    for k, o in enumerate(model.component_outcome):
        out[k] = seen.get(int(o), 0)
        seen[int(o)] = out[k] + 1
    return out


def _component_index(model: CompiledModel, ledger: pd.DataFrame) -> np.ndarray:
    """Index ``k`` of the value component of each ledger row (-1 for costs)."""
    key = {(int(o), int(w)): k for k, (o, w) in enumerate(zip(model.component_outcome, _component_position(model)))}
    outcome = (ledger["source_type"] == "outcome").to_numpy()
    lines, within = ledger["line"].to_numpy(), ledger["component"].to_numpy()
    return np.array([key[(int(l), int(w))] if o else -1 for o, l, w in zip(outcome, lines, within)], dtype=int)


def totals_from_ledger(ledger: pd.DataFrame, agencies: tuple[str, ...], horizon: int,
                       discount_factors, model: CompiledModel | None = None,
                       health_discount_factors=None) -> Totals:
    """Aggregate a ledger into :class:`~cba.engine._evaluate.Totals` (one draw).

    The deterministic appraisal computes its metrics from this, so every metric is
    an aggregation of the ledger. With ``model`` (the compiled model the ledger
    came from), the health parts of economic and social values and the cost
    reduction and avoidance parts of fiscal values are aggregated too, so that the
    metrics discount health values on ``health_discount_factors`` (default: the
    model's health schedule).
    """
    A = len(agencies)
    pos = {a: i for i, a in enumerate(agencies)}

    def grid(rows: pd.DataFrame) -> np.ndarray:
        out = np.zeros((1, A, horizon))
        if len(rows):
            g = rows.groupby(["agency", "year"], sort=False)["real"].sum()
            a_idx = np.array([pos[a] for a in g.index.get_level_values(0)], dtype=int)
            np.add.at(out[0], (a_idx, g.index.get_level_values(1).to_numpy()), g.to_numpy())
        return out

    def yearly(rows: pd.DataFrame) -> np.ndarray:
        out = np.zeros((1, horizon))
        g = rows.groupby("year")["real"].sum()
        out[0, g.index.to_numpy(dtype=int)] = g.to_numpy()
        return out

    vt = ledger["value_type"]
    fiscal = ledger[vt == "fiscal"]
    extra: dict[str, np.ndarray | None] = {}
    if model is not None and len(ledger) and (model.health.any() or (
            model.component_saving is not None and model.component_saving.any())):
        comp = _component_index(model, ledger)
        known = comp >= 0
        if model.health.any():
            health = np.zeros(len(ledger), dtype=bool)
            health[known] = model.health[comp[known]]
            hdf = (model.params["health_discount_factors"] if health_discount_factors is None
                   else health_discount_factors)
            extra.update(health_discount_factors=np.asarray(hdf, dtype=float).reshape(1, horizon),
                         economic_health=yearly(ledger[(vt == "economic").to_numpy() & health]),
                         social_health=yearly(ledger[(vt == "social").to_numpy() & health]))
        if model.component_saving is not None and model.component_saving.any():
            saving = np.zeros(len(ledger), dtype=int)
            saving[known] = model.component_saving[comp[known]]
            extra.update(reduction=grid(ledger[(vt == "fiscal").to_numpy() & (saving == 1)]),
                         avoidance=grid(ledger[(vt == "fiscal").to_numpy() & (saving == 2)]))
    return Totals(
        agencies=agencies,
        costs=grid(ledger[vt == "cost"]),
        fiscal=grid(fiscal),
        cashable=grid(fiscal[fiscal["cashable"]]),
        transfer=grid(fiscal[fiscal["transfer"]]),
        economic=yearly(ledger[vt == "economic"]),
        social=yearly(ledger[vt == "social"]),
        discount_factors=np.asarray(discount_factors, dtype=float).reshape(1, horizon),
        **extra,
    )
