"""The candidates as arrays: what each is worth, what each partner spends on it by year, and nets.

Every candidate is appraised on the portfolio's common footing (one price base, start
year and discounting, as the members of a programme are: :func:`cba.engine._loading.build_programme`
with the candidate as its one member), and its deal laid over it (its ``partnership``
terms in the portfolio file, else the default funding rule: each cost line paid by
its agency). From each appraisal the choice needs three things:

- its value under each objective (:data:`cba.portfolios._spec.OBJECTIVE_METRICS`), a
  present value in pounds at the price base;
- each partner's **spend** on it by year: what the partner funds (cash and in kind)
  plus what it pays under the deal's agreements, real pounds at the price base,
  which is what its budget must cover;
- each partner's **net position** after the deal (savings - funding + received -
  paid, a present value: :func:`cba.partnership._positions.net_positions`).

Because an appraisal is linear in which candidates are chosen, the portfolio's
spend and nets are sums of the candidates' (the programme of the chosen ones gives the
same totals up to summation order). :meth:`Candidates.from_arrays` builds the same
object from arrays, for tests and benchmarks.

:func:`load_candidates` reads every file and builds every candidate's model first, then
appraises the models (:func:`appraise_candidate`: the engine's and the deal's arrays,
no Python loop over years or draws) in one call, or, given a Dask client, in batches on
the cluster (:func:`appraise_batch`, one task each): the arrays are the same bit for bit.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from cba.core._errors import CBAError, ModelError, in_file
from cba.core._files import load_data
from cba.portfolios._spec import OBJECTIVE_METRICS, PortfolioSpec, check_names
from cba.uncertainty._distributed import check_client, map_batches

#: Fields of the footing passed to each candidate's one-member programme.
FOOTING = ("price_base", "start_year", "horizon", "discounting")


@dataclass(frozen=True)
class Candidates:
    """The candidates of a portfolio, as the arrays the choice reads.

    Attributes
    ----------
    names : tuple of str
        Candidate names, in the file's order.
    partners, partner_names : tuple of str
        Partner (agency) ids and display names, every agency of any candidate.
    years : tuple of str
        Year labels, the longest candidate's (all start in the same year).
    values : dict of str to numpy.ndarray
        ``(N,)`` each candidate's value under each objective (pounds, present value).
    spend : numpy.ndarray
        ``(N, P, Y)`` what each partner spends on each candidate in each year (funding
        plus payments under the deal; real pounds at the price base).
    net : numpy.ndarray
        ``(N, P)`` each partner's net position after the candidate's deal (present value).
    net_before : numpy.ndarray
        ``(N, P)`` each partner's net position with no deal (savings - costs borne).
    price_base : str
        The price base of every figure.
    """

    names: tuple[str, ...]
    partners: tuple[str, ...]
    partner_names: tuple[str, ...]
    years: tuple[str, ...]
    values: dict[str, np.ndarray]
    spend: np.ndarray
    net: np.ndarray
    net_before: np.ndarray
    price_base: str = ""
    files: tuple[str, ...] = ()
    #: Each candidate's model on the common footing (None when built from arrays).
    models: tuple[Any, ...] | None = None
    #: Each candidate's uncertainty file (None: none), for :mod:`cba.portfolios._risk`.
    uncertainty: tuple[str | None, ...] | None = None
    warnings: tuple[str, ...] = field(default_factory=tuple)

    @classmethod
    def from_arrays(cls, names: Sequence[str], partners: Sequence[str], years: Sequence[str],
                    values: Mapping[str, ArrayLike], spend: ArrayLike, net: ArrayLike,
                    net_before: ArrayLike | None = None, price_base: str = "") -> Candidates:
        """Candidates from arrays (see the class attributes for shapes); checked for shape and finiteness."""
        names = tuple(str(n) for n in names)
        partners = tuple(str(p) for p in partners)
        years = tuple(str(y) for y in years)
        N, P, Y = len(names), len(partners), len(years)
        if len(set(names)) < N:
            raise CBAError("candidates: two have the same name")
        vals = {k: np.asarray(v, dtype=float).reshape(N) for k, v in dict(values).items()}
        spend = np.asarray(spend, dtype=float).reshape(N, P, Y)
        net = np.asarray(net, dtype=float).reshape(N, P)
        nb = net if net_before is None else np.asarray(net_before, dtype=float).reshape(N, P)
        for what, a in [("spend", spend), ("net", net), *vals.items()]:
            if not np.isfinite(a).all():
                raise CBAError(f"candidates: {what} has a value that is not a finite number")
        return cls(names, partners, partners, years, vals, spend, net, nb, price_base)

    def value(self, weights: dict[str, float]) -> np.ndarray:
        """``(N,)`` the objective's coefficients: the weighted sum of the values."""
        out = np.zeros(len(self.names))
        for k, w in weights.items():
            if k not in self.values:
                raise CBAError(f"objective: no values for {k!r} (have: {', '.join(self.values)})")
            out = out + w * self.values[k]
        return out


def _programme_members(spec: PortfolioSpec, base: Path, source: str) -> tuple[list[dict], dict, Path]:
    """The candidates of a ``programme:`` file: its interventions, with its footing."""
    assert spec.programme is not None
    p = Path(spec.programme)
    p = p if p.is_absolute() else base / p
    data = load_data(p, "programme file")
    items = data.get("interventions") if isinstance(data, dict) else None
    if not isinstance(items, list) or not items:
        raise CBAError(f"{source}: programme: {p} lists no interventions")
    out = []
    for i, item in enumerate(items):
        if isinstance(item, str):
            out.append({"path": str(p.parent / item) if not Path(item).is_absolute() else item, "name": None})
        elif isinstance(item, dict) and isinstance(item.get("path"), str):
            path = item["path"]
            out.append({"path": path if Path(path).is_absolute() else str(p.parent / path), "name": item.get("name")})
        else:
            raise CBAError(f"{p}: interventions[{i}]: a model file's path, or {{path: FILE, name: NAME}}")
    assert isinstance(data, dict)
    return out, {k: data[k] for k in FOOTING if k in data}, p


#: Candidates appraised in one Dask task (on this machine all are appraised in one call).
BATCH_SIZE = 16


@dataclass(frozen=True)
class Appraised:
    """What the choice needs of one candidate's appraisal (small, so a Dask task returns it cheaply).

    ``spend``, ``net`` and ``net_before`` are over the candidate's own partners
    (``partners``) and years (``years``); :func:`load_candidates` places them in the
    portfolio's arrays.
    """

    years: tuple[str, ...]
    price_base: str
    partners: tuple[str, ...]
    partner_names: tuple[str, ...]
    values: dict[str, float]
    #: ``(P_i, H_i)`` funding plus payments under the deal, real pounds at the price base.
    spend: np.ndarray
    #: ``(P_i,)`` net positions after and before the deal (present values).
    net: np.ndarray
    net_before: np.ndarray
    warnings: tuple[str, ...]


def appraise_candidate(model: Any) -> Appraised:
    """One candidate's model (already on the common footing) appraised, with its deal laid over it.

    The appraisal is the engine's arrays (:func:`cba.ledger._appraisal.appraise`: every
    cost line, outcome and year at once) and the deal is the partnership layer's
    (:meth:`~cba.ledger._appraisal.Appraisal.partnership`): no Python loop over years or
    draws in either, except the investor's waterfall of a deal with an investor, where
    each year's position depends on the year before (:mod:`cba.partnership._investor`).
    """
    from cba.ledger._appraisal import appraise

    appraisal = appraise(model)
    deal = appraisal.partnership()
    pos = deal.positions
    return Appraised(
        tuple(appraisal.compiled.year_labels), appraisal.intervention.price_base, tuple(deal.partner_ids),
        tuple(deal._name(p) for p in deal.partner_ids),
        {k: float(appraisal.metrics[m] or 0.0) for k, m in OBJECTIVE_METRICS.items()},
        np.asarray(deal.flows.funding[0] + deal.flows.paid[0]), np.asarray(pos["net_after"], dtype=float),
        np.asarray(pos["net_before"], dtype=float), tuple(getattr(appraisal, "warnings", [])))


def appraise_batch(models: Sequence[Any]) -> list[Appraised | tuple[str, Any]]:
    """:func:`appraise_candidate` of each model, in order (one Dask task).

    A mistake found while appraising is returned, not raised, as ``("problems", [(path,
    message), ...])`` or ``("error", message)``, and the batch stops there: the caller
    raises it naming the candidate, with the same words on this machine or on a cluster.
    """
    out: list[Appraised | tuple[str, Any]] = []
    for model in models:
        try:
            out.append(appraise_candidate(model))
        except ModelError as exc:
            out.append(("problems", list(exc.problems)))
            break
        except CBAError as exc:
            out.append(("error", str(exc)))
            break
    return out


def _appraise_all(models: list[Any], client: Any, batch_size: int) -> list[Appraised | tuple[str, Any]]:
    """Every candidate appraised, here in one call or on a Dask cluster in batches; the same either way."""
    if client is None:
        return appraise_batch(models)
    return [row for part in map_batches(client, appraise_batch, models, batch_size) for row in part]


def load_candidates(spec: PortfolioSpec, *, client: Any = None, batch_size: int = BATCH_SIZE) -> Candidates:
    """Appraise every candidate of a portfolio file on the common footing.

    Every file is read and every candidate's model built here first (so a cluster's
    workers need not see the files); then the models are appraised, on this machine or,
    given a ``client``, on a Dask cluster in batches of ``batch_size`` (one task each).
    Each candidate's appraisal is computed on its own, so the arrays are the same, bit
    for bit, either way.

    Parameters
    ----------
    spec : PortfolioSpec
        The portfolio file, read.
    client : dask.distributed.Client, optional
        Appraise the candidates on this cluster (``pip install 'cba-appraisal[dask]'``).
    batch_size : int
        Candidates per Dask task (default :data:`BATCH_SIZE`).

    Raises
    ------
    CBAError
        Naming the portfolio file and the candidate (and the model file) of any
        mistake; candidates that start in different years without a ``start_year``;
        a budget for a partner no candidate has, or for a year outside every horizon;
        a ``client`` that is not a ``dask.distributed.Client``.
    """
    from cba.engine._loading import build_programme, load_intervention

    if isinstance(batch_size, bool) or not isinstance(batch_size, (int, np.integer)) or batch_size < 1:
        raise CBAError(f"batch_size: must be a whole number 1 or more, got {batch_size!r}")
    check_client(client)
    base = spec._base_dir or Path.cwd()
    source = spec._source or "portfolio"
    footing = {k: getattr(spec, k) for k in FOOTING if getattr(spec, k) is not None}
    entries: list[dict[str, Any]]
    if spec.candidates is not None:
        entries = [{"path": c.path if Path(c.path).is_absolute() else str(base / c.path), "written": c.path,
                    "name": c.name,
                    "partnership": c.partnership,
                    "uncertainty": None if c.uncertainty is None else
                    c.uncertainty if Path(c.uncertainty).is_absolute() else str(base / c.uncertainty)}
                   for c in spec.candidates]
    else:
        entries, from_programme, _ = _programme_members(spec, base, source)
        footing = {**from_programme, **footing}
    missing = [(f"candidates[{i}].uncertainty", f"no such file: {e['uncertainty']}") for i, e in enumerate(entries)
               if e.get("uncertainty") and not Path(e["uncertainty"]).is_file()]
    if missing:
        raise in_file(source, ModelError(missing))

    def where(i: int) -> str:
        return f"candidates[{i}]" if spec.candidates is not None else f"programme: interventions[{i}]"

    def named(i: int, exc: CBAError) -> CBAError:
        if isinstance(exc, ModelError):
            path = entries[i]["path"]
            return in_file(source, ModelError([(f"{where(i)} ({path}): {p}", m) for p, m in exc.problems]))
        return CBAError(f"{source}: {where(i)}: {exc}")

    names: list[str] = []
    models: list[Any] = []
    files: list[str] = []
    for i, e in enumerate(entries):  # every file read, every model built, before any is appraised
        try:
            name = str(e["name"] or load_intervention(e["path"]).name)
            data: dict[str, Any] = {"name": name, "interventions": [{"path": e["path"], "name": name}], **footing}
            if e.get("partnership"):
                data["partnership"] = e["partnership"]
            model = build_programme(data, base, str(e["path"]))
            # the model file's own deal does not apply here: said once, in the portfolio's words
            # (see _in_portfolio_words), not as the programme's warning
            for member in getattr(model, "_programme", None) or []:
                e["deal_dropped"] = e.get("deal_dropped", False) or bool(member.get("deal_dropped"))
                member["deal_dropped"] = False
        except CBAError as exc:
            raise named(i, exc) from None
        names.append(name)
        models.append(model)
        files.append(e["path"])
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise CBAError(f"{source}: candidates: two are called {dupes[0]!r}; give one a name "
                       "({path: FILE, name: NAME})")
    try:
        check_names(spec, names)
    except CBAError as exc:
        raise in_file(source, exc) from None

    rows = _appraise_all(models, client, int(batch_size))
    appraisals: list[Appraised] = []
    for i, row in enumerate(rows):
        if isinstance(row, tuple):
            kind, detail = row
            raise named(i, ModelError(detail) if kind == "problems" else CBAError(detail))
        appraisals.append(row)
    assert len(appraisals) == len(models)
    return _assemble(spec, source, names, appraisals, files, models, entries)


def _in_portfolio_words(appraised: Appraised, entry: dict[str, Any]) -> list[str]:
    """A candidate's warnings as a portfolio's reader needs them: its file named as the portfolio
    file writes it (not where this machine found it), and a dropped deal's remedy in the portfolio file."""
    written = entry.get("written") or entry["path"]
    out = [w.replace(entry["path"], written) for w in appraised.warnings]
    if entry.get("deal_dropped"):
        out.append(f"its model file ({written}) has its own partnership deal, which does not apply in a "
                   "portfolio; write the terms under this candidate's partnership: in the portfolio file to "
                   "lay them over it (until then each cost line is paid by its agency)")
    return out


def _assemble(spec: PortfolioSpec, source: str, names: list[str], appraisals: list[Appraised], files: list[str],
              models: list[Any], entries: list[dict[str, Any]]) -> Candidates:
    """The candidates' arrays on the portfolio's partners and years."""
    labels = [a.years for a in appraisals]
    longest = max(labels, key=len)
    for n, lab in zip(names, labels):
        if tuple(lab) != tuple(longest[:len(lab)]):
            raise CBAError(f"{source}: candidate {n!r} starts in {lab[0]}, another in {longest[0]}; give the "
                           "portfolio a start_year so that every candidate's years line up with the budgets")
    partners: dict[str, str] = {}
    for a in appraisals:
        for p, pname in zip(a.partners, a.partner_names):
            partners.setdefault(p, pname)
    P, Y, N = len(partners), len(longest), len(names)
    pindex = {p: j for j, p in enumerate(partners)}
    spend, net, net_before = np.zeros((N, P, Y)), np.zeros((N, P)), np.zeros((N, P))
    for i, a in enumerate(appraisals):
        cols = [pindex[p] for p in a.partners]
        spend[i, cols, :a.spend.shape[-1]] = a.spend
        net[i, cols] = a.net
        net_before[i, cols] = a.net_before
    values = {k: np.array([a.values[k] for a in appraisals]) for k in OBJECTIVE_METRICS}
    warnings = tuple(f"{n}: {w}" for n, a, e in zip(names, appraisals, entries) for w in _in_portfolio_words(a, e))
    out = Candidates(tuple(names), tuple(partners), tuple(partners.values()), tuple(longest), values, spend, net,
                     net_before, appraisals[0].price_base, tuple(files), tuple(models),
                     tuple(e.get("uncertainty") for e in entries), warnings)
    check_budgets(spec, out, source)
    return out


def check_budgets(spec: PortfolioSpec, cands: Candidates, source: str = "portfolio") -> None:
    """Refuse budgets and floors for partners no candidate has, and budget years outside every horizon."""
    problems = []
    for p, years in spec.budgets.items():
        if p not in cands.partners:
            problems.append((f"budgets.{p}",
                             f"no candidate has a partner {p!r} (partners: {', '.join(cands.partners)})"))
            continue
        for y in years:
            if y not in cands.years:
                problems.append((f"budgets.{p}.{y}", f"no candidate runs in {y} (years: {cands.years[0]} to "
                                                     f"{cands.years[-1]})"))
    for p in spec.floors:
        if p not in cands.partners:
            problems.append((f"floors.{p}",
                             f"no candidate has a partner {p!r} (partners: {', '.join(cands.partners)})"))
    if problems:
        raise in_file(source, ModelError(problems))
