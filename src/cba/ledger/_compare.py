"""Option comparison: several interventions on one price base, side by side and
each against a reference option.

An option appraisal compares ways of meeting the same need. The options must be
appraised on the same footing (the Green Book's "same price base, same appraisal
period, same discount rate"), so :func:`compare` refuses options whose price base,
horizon, discount factors or deflator series differ, naming the field.

Incremental results are differences from the reference option: extra costs, extra
benefits and the incremental ratios ``delta benefit / delta cost``. An incremental
ratio is only defined when the option costs more than the reference; an option that
costs no more and yields no less public value *dominates* the reference, and one
that costs no less and yields no more is *dominated* (shown as notes).

Examples
--------
>>> import cba
>>> c = cba.compare(["examples/options/single_intake.yaml", "examples/options/two_intakes.yaml"])
>>> c.reference
'Key workers: one intake'
>>> inc = c.incremental().set_index("metric")
>>> round(float(inc.loc["pv_costs", "Key workers: two intakes"]), 2)
47982.45
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from cba.core._accessors import accessor
from cba.core._arguments import kind_of
from cba.core._errors import CBAError
from cba.core._files import write_file
from cba.core._numbers import number
from cba.ledger._appraisal import Appraisal, appraise, pv_fiscal_excluding_transfers
from cba.model._intervention import Intervention

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

_RESERVED = {"case", "metric", "label", "unit", "item"}


def incremental_ratio(delta_benefit: float, delta_cost: float) -> float:
    """Extra benefit per extra pound of cost; NaN (none) unless the option costs more.

    >>> incremental_ratio(50263.5, 47982.45) > 1, incremental_ratio(10.0, 0.0), incremental_ratio(-5.0, -10.0)
    (True, nan, nan)
    """
    delta_benefit = number(delta_benefit, "incremental_ratio: delta_benefit")
    delta_cost = number(delta_cost, "incremental_ratio: delta_cost")
    return float(delta_benefit / delta_cost) if delta_cost > 0 else float("nan")


def dominance(delta_cost: float, delta_value: float, tolerance: float = 1e-9) -> str:
    """How an option stands against the reference on cost and public value.

    >>> dominance(-10.0, 5.0), dominance(10.0, -5.0), dominance(10.0, 5.0), dominance(0.0, 0.0)
    ('dominates', 'dominated', 'trade-off', 'equivalent')
    """
    delta_cost = number(delta_cost, "dominance: delta_cost")
    delta_value = number(delta_value, "dominance: delta_value")
    tolerance = number(tolerance, "dominance: tolerance", minimum=0.0)
    c = 0.0 if abs(delta_cost) <= tolerance else delta_cost
    v = 0.0 if abs(delta_value) <= tolerance else delta_value
    if c == 0 and v == 0:
        return "equivalent"
    if c <= 0 and v >= 0:
        return "dominates"
    if c >= 0 and v <= 0:
        return "dominated"
    return "trade-off"




class Comparison:
    """Options appraised on the same footing, side by side and against a reference.

    The comparison holds the appraisals and the differences from the reference;
    its tables, text and exports are outputs (:mod:`cba.outputs.tables`), reached
    through :mod:`cba.core._accessors`.

    Attributes
    ----------
    appraisals : list of Appraisal
        One per option, in the order given.
    names : list of str
        The options' names (model names, made unique).
    reference : str
        Name of the reference option.
    """

    def __init__(self, appraisals: Sequence[Appraisal], names: Sequence[str], reference: int = 0) -> None:
        if isinstance(appraisals, (str, bytes)) or not isinstance(appraisals, Iterable) \
                or isinstance(names, (str, bytes)) or not isinstance(names, Iterable):
            raise CBAError("Comparison: expected a list of appraisals and a list of their names")
        self.appraisals, self.names = list(appraisals), list(names)
        for i, a in enumerate(self.appraisals):
            if not isinstance(a, Appraisal):
                raise CBAError(f"Comparison: appraisals[{i}]: expected an Appraisal, got {kind_of(a)}")
        if len(self.names) != len(self.appraisals) or not all(isinstance(n, str) for n in self.names):
            raise CBAError("Comparison: names: expected one name (text) for each appraisal")
        if isinstance(reference, bool) or not isinstance(reference, (int, np.integer)) \
                or not 0 <= reference < len(self.names):
            raise CBAError(f"Comparison: reference: expected the index of an option (0 to {len(self.names) - 1}), "
                           f"got {kind_of(reference)}")
        self.reference_index = int(reference)
        self.reference = self.names[reference]

    # ---- values
    def values(self, a: Appraisal) -> dict[str, float]:
        """An option's metrics as floats (NaN where none), with the fiscal benefits excluding transfers."""
        m = {k: (np.nan if v is None else float(v)) for k, v in a.metrics.items()}
        m["pv_fiscal_excluding_transfers"] = pv_fiscal_excluding_transfers(a)
        return m

    def deltas(self) -> dict[str, dict[str, float]]:
        """Each option but the reference: its results minus the reference's, and the incremental ratios."""
        ref = self.values(self.appraisals[self.reference_index])
        out = {}
        for i, (name, a) in enumerate(zip(self.names, self.appraisals)):
            if i == self.reference_index:
                continue
            v = self.values(a)
            d = {k: v[k] - ref[k] for k in ("pv_costs", "pv_fiscal", "pv_cashable", "pv_economic", "pv_social",
                                            "pv_public_value", "net_present_budget_impact",
                                            "net_present_public_value")}
            d["incremental_financial_roi"] = incremental_ratio(d["pv_fiscal"], d["pv_costs"])
            d["incremental_public_value_roi"] = incremental_ratio(d["pv_public_value"], d["pv_costs"])
            out[name] = d
        return out

    def dominance(self) -> dict[str, str]:
        """How each option but the reference stands against it (see :func:`dominance`)."""
        return {n: dominance(d["pv_costs"], d["pv_public_value"]) for n, d in self.deltas().items()}

    # ---- tables (cba.outputs.tables)
    def side_by_side(self) -> pd.DataFrame:
        """Every option's results: one row per result, one column per option."""
        return self._table("side_by_side")

    def incremental(self) -> pd.DataFrame:
        """Each option minus the reference: one row per result, one column per option.

        Money rows are differences of present values (pounds); the incremental
        ROIs are ``delta benefit / delta cost``, none unless the option costs more.
        How each option stands (dominates, dominated, trade-off) is in
        ``attrs["notes"]`` and ``attrs["dominance"]``.
        """
        return self._table("incremental")

    def by_agency(self) -> pd.DataFrame:
        """Who pays and who saves under each option, and the change from the reference.

        One row per option and agency: ``pv_costs``, ``pv_fiscal``, ``pv_cashable``,
        ``net``, and ``delta_pv_costs``, ``delta_pv_fiscal``, ``delta_net`` (the
        option minus the reference for the same agency; an agency absent from an
        option counts as zero).
        """
        return self._table("by_agency")

    def provenance(self) -> pd.DataFrame:
        """Provenance of every option: one row per item, one column per option."""
        return self._table("provenance")

    def _table(self, name: str) -> pd.DataFrame:
        frame: pd.DataFrame = accessor("comparison.table")(self, name)
        return frame

    def tables(self) -> dict[str, pd.DataFrame]:
        """Every comparison table, by name: ``side_by_side``, ``incremental``, ``by_agency``, ``provenance``."""
        return {name: self._table(name) for name in ("side_by_side", "incremental", "by_agency", "provenance")}

    # ---- text and exports (cba.outputs)
    def summary(self) -> str:
        """The side-by-side and incremental tables, and who pays and who saves under each option, as text."""
        return str(accessor("comparison.summary")(self))

    def __str__(self) -> str:
        return self.summary()

    def __repr__(self) -> str:
        return f"<Comparison of {len(self.names)} options, reference {self.reference!r}>"

    def _repr_html_(self) -> str:  # notebooks: labelled tables
        return str(accessor("result.html")(self))

    def to_markdown(self) -> str:
        """Every comparison table as Markdown (user text with raw HTML escaped)."""
        return str(accessor("comparison.markdown")(self))

    def to_dict(self) -> dict[str, Any]:
        """Plain data: the tables as records and every option's full results."""
        data: dict[str, Any] = accessor("comparison.dict")(self)
        return data

    def to_json(self, indent: int | None = 2) -> str:
        """The comparison as JSON text: :meth:`to_dict`, indented by ``indent`` spaces (``None``: on one line)."""
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False, allow_nan=False)

    def to_csv(self) -> str:
        """Tidy CSV: one row per option and result, with the difference from the reference."""
        return str(accessor("comparison.csv")(self))

    def to_xlsx_bytes(self) -> bytes:
        """An Excel workbook with one sheet per comparison table."""
        return bytes(accessor("comparison.xlsx")(self))

    def to_excel(self, path: str | Path, force: bool = False) -> Path:
        """Write the workbook of :meth:`to_xlsx_bytes`; never over an existing file unless ``force``."""
        return write_file(self.to_xlsx_bytes(), path, force=force)

    def to_docx_bytes(self) -> bytes:
        """A Word document: the comparison tables, the charts and each option's assumptions."""
        return bytes(accessor("comparison.docx")(self))

    def to_docx(self, path: str | Path, force: bool = False) -> Path:
        """Write the Word document of :meth:`to_docx_bytes`; never over an existing file unless ``force``."""
        return write_file(self.to_docx_bytes(), path, force=force)


#: Output formats of a comparison (as for an appraisal).
FORMATS = {
    "table": lambda c: c.summary(),
    "markdown": lambda c: c.to_markdown(),
    "json": lambda c: c.to_json(),
    "csv": lambda c: c.to_csv(),
    "xlsx": lambda c: c.to_xlsx_bytes(),
    "docx": lambda c: c.to_docx_bytes(),
}


def _as_appraisal(option: Any) -> Appraisal:
    if isinstance(option, Appraisal):
        return option
    if isinstance(option, (Intervention, str, Path, dict)):
        return appraise(option)
    raise CBAError("an option must be an Appraisal, an Intervention, a model file or a dict, "
                   f"got {type(option).__name__}")


def _unique_names(appraisals: list[Appraisal], given: list[str] | None) -> list[str]:
    names = list(given) if given else [a.intervention.name for a in appraisals]
    counts = {n: names.count(n) for n in names}
    out = []
    for i, (n, a) in enumerate(zip(names, appraisals)):
        if counts[n] > 1:
            n = f"{n} ({Path(a.source).stem})" if a.source else f"{n} ({i + 1})"
        if n in _RESERVED:
            n = f"{n} (option)"
        out.append(n)
    if len(set(out)) < len(out):
        out = [f"{n} ({i + 1})" for i, n in enumerate(out)]
    return out


def _check_same_footing(appraisals: list[Appraisal], names: list[str]) -> None:
    def differ(field: str, values: list[Any], what: str, hint: str) -> None:
        if len({json.dumps(v, default=str) for v in values}) > 1:
            listing = ", ".join(f"{n!r}: {v}" for n, v in zip(names, values))
            raise CBAError(f"{field}: options must share {what} to be compared ({listing}); {hint}")

    models = [a.intervention for a in appraisals]
    differ("price_base", [m.price_base for m in models], "a price base", "restate them at one price base")
    differ("horizon", [m.horizon for m in models], "an appraisal horizon", "appraise them over the same years")
    differ("deflator", [m.deflator for m in models], "a deflator series", "use the same deflator")
    factors = [np.asarray(a.compiled.params["discount_factors"]) for a in appraisals]
    if any(not np.array_equal(factors[0], f) for f in factors[1:]):
        listing = ", ".join(f"{n!r}: {m.discounting.describe()}"
                            f"{' (first year discounted)' if m.first_year_discounted else ''}"
                            for n, m in zip(names, models))
        raise CBAError(f"discounting: options must share a discount schedule to be compared ({listing})")


def _reference_index(reference: Any, names: list[str], appraisals: list[Appraisal]) -> int:
    if reference is None:
        return 0
    if isinstance(reference, int) and not isinstance(reference, bool):
        if not 0 <= reference < len(names):
            raise CBAError(f"reference: option {reference} does not exist (there are {len(names)} options)")
        return reference
    ref = str(reference)
    for i, (n, a) in enumerate(zip(names, appraisals)):
        if ref in (n, a.intervention.name):
            return i
    for i, a in enumerate(appraisals):
        if a.source and (ref == a.source or Path(ref) == Path(a.source) or ref == Path(a.source).stem):
            return i
    listing = ", ".join(repr(n) for n in names)
    raise CBAError(f"reference: {ref!r} is not one of the options ({listing}); give an option's name or file")


def compare(options: Sequence[Any] | Mapping[str, Any], reference: Any = None) -> Comparison:
    """Compare options appraised on the same footing.

    Parameters
    ----------
    options : sequence or mapping
        Two or more options, each an :class:`~cba.Appraisal`, an
        :class:`~cba.Intervention`, a path to a model file or a dict. A mapping
        gives each option a name; otherwise the model names are used.
    reference : str or int, optional
        The option the others are measured against: its name, its model file (or
        file name without suffix) or its position. Default: the first option.

    Returns
    -------
    Comparison

    Raises
    ------
    CBAError
        Fewer than two options; options on a different price base, horizon,
        deflator or discount schedule; an unknown reference.
    """
    given = None
    if isinstance(options, Mapping):
        given = [str(k) for k in options]
        options = list(options.values())
    elif isinstance(options, (str, Path, Appraisal, Intervention, dict)) or not isinstance(options, Iterable):
        raise CBAError(f"compare needs a list of options, e.g. cba.compare(['a.yaml', 'b.yaml']), got "
                       f"{kind_of(options)}")
    options = list(options)
    if len(options) < 2:
        raise CBAError(f"compare needs at least two options, got {len(options)}")
    appraisals = [_as_appraisal(o) for o in options]
    names = _unique_names(appraisals, given)
    _check_same_footing(appraisals, names)
    return Comparison(appraisals, names, _reference_index(reference, names, appraisals))
