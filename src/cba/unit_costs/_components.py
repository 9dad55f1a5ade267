"""The value components of a unit cost: its fiscal split by agency, economic and social values.

:func:`components_for` turns one entry of a unit cost database into the value
components an outcome valued by its code gets (see :mod:`cba.unit_costs._resolve`
for the rules), each at its own price year and with its provenance.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING

from cba.core._errors import CBAError
from cba.unit_costs._record_types import UnitCost, UnitCostValue

if TYPE_CHECKING:
    from cba.model._lines import ValueComponent
    from cba.unit_costs._database import UnitCostDatabase

VALUE_KINDS = ("fiscal", "economic", "social")


def _source(cost: UnitCost, row: UnitCost, v: UnitCostValue) -> str:
    parts = [f"{row.database or cost.database}, {row.code}"]
    if row.source:
        parts.append(row.source)
    if row.rag:
        parts.append(f"RAG {row.rag}")
    text = ": ".join(parts[:2]) + (f" ({parts[2]})" if len(parts) > 2 else "")
    if row.caveat:
        text += f" [caveat: {row.caveat}]"
    if v.is_transfer:
        text += " [transfer payment]"
    return text


def _component(cost: UnitCost, row: UnitCost, v: UnitCostValue) -> ValueComponent:
    from cba.model._lines import ValueComponent

    if v.price_year is None:
        raise CBAError(f"the {v.value_type} value of {row.code} has no price year, so it cannot be uplifted")
    fiscal = v.value_type == "fiscal"
    return ValueComponent(
        type=v.value_type, amount=v.value, price_year=v.price_year,
        agency=(row.agency or "other") if fiscal else None,
        transfer=v.is_transfer if fiscal else False,
        source=_source(cost, row, v), unit_cost=cost.code, label=row.code,
        database=row.database or cost.database, health=True if v.health and not fiscal else None,
    )


def components_for(cost: UnitCost, db: UnitCostDatabase, *,
                   agency_names: Collection[str] | None = None) -> list[ValueComponent]:
    """The value components of one unit of ``cost`` (amounts at their own price years).

    Parameters
    ----------
    cost : UnitCost
        The entry, from ``db``.
    db : UnitCostDatabase
        Where its constituents are looked up.
    agency_names : collection of str, optional
        Agency ids the model knows; a fiscal component for another agency is an error.

    Returns
    -------
    list of ValueComponent

    Raises
    ------
    CBAError
        For an entry with no usable value, a ``total`` value, a value without a
        price year, or a part transfer its constituents do not split.

    Examples
    --------
    >>> from cba.unit_costs import default
    >>> db = default()
    >>> [(c.type, c.agency, c.amount, c.transfer, c.label) for c in db.components("E&E1.0")]
    [('fiscal', 'dwp', 9234.0, True, 'E&E1.0.1'), ('fiscal', 'nhs', 566.0, False, 'E&E1.0.2'),
     ('economic', None, 14044.0, False, 'E&E1.0')]
    """
    from cba.core._arguments import instance_argument, kind_of

    instance_argument(cost, UnitCost, "components_for: cost", "a UnitCost")
    if not (hasattr(db, "fiscal_split") and hasattr(db, "__contains__")):   # the database module imports this one
        raise CBAError(f"components_for: db: expected a UnitCostDatabase, got {kind_of(db)}")
    if agency_names is not None and (isinstance(agency_names, (str, bytes)) or not hasattr(agency_names, "__iter__")
                                     or not all(isinstance(n, str) for n in agency_names)):
        raise CBAError(f"components_for: agency_names: expected a collection of agency names, "
                       f"got {kind_of(agency_names)}")
    if cost.value("total") is not None and not any(cost.value(k) for k in VALUE_KINDS):
        raise CBAError(f"{cost.code} is a total of fiscal, economic and social costs in one figure; it cannot value "
                       "an outcome by code (give components from the source's own breakdown)")
    if not any(cost.value(k) for k in VALUE_KINDS):
        raise CBAError(f"{cost.code} has no fiscal, economic or social value")
    out = []
    fiscal = cost.fiscal
    if fiscal is not None:
        parts = db.fiscal_split(cost.code) if cost.code in db else None
        if parts:
            for p in parts:
                part = p.fiscal
                assert part is not None  # the constituents of a fiscal split all have a fiscal value
                if part.transfer == "part":
                    raise CBAError(f"the fiscal value of {p.code} is partly a transfer payment and nothing says which "
                                   "part; value the outcome with components")
                out.append(_component(cost, p, part))
        else:
            if fiscal.transfer == "part":
                raise CBAError(f"the fiscal value of {cost.code} is partly a transfer payment and its constituents "
                               "do not split it; value the outcome with components")
            out.append(_component(cost, cost, fiscal))
    for kind in ("economic", "social"):
        v = cost.value(kind)
        if v is not None:
            out.append(_component(cost, cost, v))
    if agency_names is not None:
        for c in out:
            if c.agency is not None and c.agency not in agency_names:
                raise CBAError(f"{c.label}: agency {c.agency!r} is not a canonical agency; declare it under 'agencies'")
    return out


__all__ = ["VALUE_KINDS", "components_for"]
