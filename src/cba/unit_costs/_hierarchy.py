"""The code hierarchy: headlines, their constituents and whether they add up.

In the GMCA Unit Cost Database a headline or subsidiary cost ``X.n`` may be
"derived from" constituent costs ``X.n.m`` (workbook Guidance sheet). Where the
constituents' fiscal values add up to the parent's, they split the fiscal value
between agencies (E&E1.0: DWP 9,234 + NHS 566 = 9,800). Elsewhere the constituents
are alternatives or partial elements (CR3.0: prison costs by type of prison) and
do not split it.

"Add up" allows for the rounding of published figures: the sum may differ from
the parent by at most half a pound per constituent (:func:`splits`). Every
difference, rounding included, is reported as a :class:`~.records.DataNote`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from cba.unit_costs._codes import code_key
from cba.unit_costs._record_types import DataNote, UnitCost

#: Largest difference, in pounds per constituent, still taken as rounding.
ROUNDING_PER_CONSTITUENT = 0.5


def children_of(costs: Iterable[UnitCost]) -> dict[str, list[UnitCost]]:
    """Constituents of each parent, keyed by the parent's code key, in source order.

    Only constituents of the same database as their parent count.
    """
    by_key = {code_key(c.code): c for c in costs}
    out: dict[str, list[UnitCost]] = {}
    for c in by_key.values():
        if c.parent:
            parent = by_key.get(code_key(c.parent))
            if parent is not None and parent.database == c.database:
                out.setdefault(code_key(c.parent), []).append(c)
    return out


def splits(parent_value: float, parts: list[float]) -> bool:
    """Whether parts add up to a parent value, allowing for rounding.

    Parameters
    ----------
    parent_value : float
        The headline's value (pounds).
    parts : list of float
        The constituents' values (pounds).

    Examples
    --------
    >>> splits(9800, [9234, 566])
    True
    >>> splits(174363, [1, 2, 3, 4, 5, 174350])   # 1 pound over with 6 rounded parts
    True
    >>> splits(33785, [20000, 294082])
    False
    """
    if not parts:
        return False
    tolerance = ROUNDING_PER_CONSTITUENT * len(parts) + 1e-9 * abs(parent_value)
    return abs(sum(parts) - parent_value) <= tolerance


def fiscal_split(cost: UnitCost, children: Mapping[str, list[UnitCost]]) -> list[UnitCost] | None:
    """The constituents that split a cost's fiscal value between agencies, or None."""
    fiscal = cost.fiscal
    if fiscal is None:
        return None
    parts = [c for c in children.get(code_key(cost.code), []) if c.fiscal is not None]
    if parts and splits(fiscal.value, [c.fiscal.value for c in parts if c.fiscal is not None]):
        return parts
    return None


def _fmt(x: float) -> str:
    return f"{x:,.2f}".rstrip("0").rstrip(".")


def check_hierarchy(costs: Iterable[UnitCost]) -> list[DataNote]:
    """Data notes on the code hierarchy: orphans and constituents that do not add up.

    Returns
    -------
    list of DataNote
        ``orphan`` for a constituent whose parent is missing; ``split_rounding``
        where constituents add up to their parent only to rounding;
        ``split_mismatch`` where they do not add up (for fiscal values, the parent's
        own agency then takes the whole fiscal value when it values an outcome).
    """
    costs = list(costs)
    keys = {code_key(c.code) for c in costs}
    kids = children_of(costs)
    notes: list[DataNote] = []
    for c in costs:
        if c.parent and code_key(c.parent) not in keys:
            notes.append(DataNote(c.code, "orphan", f"constituent of {c.parent}, which is not in the data"))
    for c in costs:
        parts_all = kids.get(code_key(c.code), [])
        if not parts_all:
            continue
        for v in c.values:
            parts = [(p.code, pv.value) for p in parts_all if (pv := p.value(v.value_type)) is not None]
            if not parts:
                continue
            total = sum(x for _, x in parts)
            listing = " + ".join(f"{code} {_fmt(x)}" for code, x in parts)
            if abs(total - v.value) <= 1e-9 * max(1.0, abs(v.value)):
                continue
            if splits(v.value, [x for _, x in parts]):
                notes.append(DataNote(c.code, "split_rounding",
                                      f"{v.value_type} constituents add up to {_fmt(total)}, not {_fmt(v.value)} "
                                      f"(rounding; {listing})"))
            else:
                consequence = (f"; the fiscal value is not split between agencies: it goes to {c.agency or 'no agency'}"
                               if v.value_type == "fiscal" else "")
                notes.append(DataNote(c.code, "split_mismatch",
                                      f"{v.value_type} constituents add up to {_fmt(total)}, not {_fmt(v.value)} "
                                      f"({listing}){consequence}"))
    return notes
