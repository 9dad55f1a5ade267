"""Transfer payments on the entries read from a workbook, and the public value they leave.

:func:`apply_transfers` applies the rules of :mod:`cba.unit_costs._transfers` to
the entries :func:`~cba.unit_costs._workbook.read_workbook` read: it flags each
fiscal value a transfer (``yes``), a part transfer (``part``) or neither, from the
workbook's cell comments, cba's further list and the code hierarchy, and notes
what does not fit. :func:`public_value_of` adds up the public value of one entry
with those flags: fiscal value less transfers, plus economic and social values.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from cba.unit_costs._codes import code_key
from cba.unit_costs._hierarchy import children_of, fiscal_split
from cba.unit_costs._layout import VALUE_KINDS
from cba.unit_costs._record_types import DataNote, UnitCost, UnitCostValue
from cba.unit_costs._tidy_csv import format_number
from cba.unit_costs._transfers import parse_transfer_comment


def _fiscal(cost: UnitCost) -> UnitCostValue:
    """The fiscal value of an entry known to have one."""
    f = cost.fiscal
    assert f is not None
    return f


def apply_transfers(costs: list[UnitCost], further: dict[str, str],
                    version: str = "") -> tuple[list[UnitCost], list[DataNote]]:
    """Flag transfer payments from cell comments, the further list and the hierarchy.

    See :mod:`cba.unit_costs._transfers` for the rules. Returns the updated costs
    and data notes (comments naming an amount no constituent has, listed codes
    missing from the data, stated public values that do not match).
    """
    notes: list[DataNote] = []
    by_key = {code_key(c.code): i for i, c in enumerate(costs)}
    costs = list(costs)

    def flag(i: int, state: str, basis: str) -> None:
        c = costs[i]
        f = _fiscal(c)
        joined = f"{f.transfer_basis}; {basis}" if f.transfer_basis else basis
        costs[i] = c.with_value(replace(f, transfer=state, transfer_basis=joined))

    kids = children_of(costs)
    stated: list[tuple[int, float, str | None]] = []
    for i, c in enumerate(list(costs)):
        f = c.fiscal
        if f is None:
            continue
        is_transfer, amount, public_value, pv_year = parse_transfer_comment(f.note)
        if not is_transfer:
            continue
        if public_value is not None:
            stated.append((i, public_value, pv_year))
        if amount is None or abs(amount - f.value) <= 0.5:
            flag(i, "yes", "the workbook's cell comment on the fiscal value calls it a transfer payment")
            continue
        match = [k for k in kids.get(code_key(c.code), [])
                 if k.fiscal is not None and abs(k.fiscal.value - amount) <= 0.5]
        if match:
            k = by_key[code_key(match[0].code)]
            flag(k, "yes", f"the workbook's cell comment on the fiscal value of {c.code} calls this "
                           f"£{amount:,.2f} a transfer payment".replace(".00 ", " "))
            flag(i, "part", f"the workbook's cell comment on the fiscal value: £{amount:,.2f} of it "
                            f"({match[0].code}) is a transfer payment".replace(".00 ", " "))
        else:
            flag(i, "part", f"the workbook's cell comment on the fiscal value calls £{amount:,.2f} of it "
                            "a transfer payment".replace(".00 ", " "))
            notes.append(DataNote(c.code, "transfer_unmatched", f"the fiscal value's comment names a transfer of "
                                                                f"£{amount:,.2f} but no constituent has that "
                                                                "value"))
    label = f"cba's transfer list for v{version}" if version else "cba's transfer list"
    for code, reason in further.items():
        at = by_key.get(code_key(code))
        if at is None or costs[at].fiscal is None:
            notes.append(DataNote(code, "transfer_list", f"listed as a transfer in {label} but not in the data "
                                                         "with a fiscal value"))
            continue
        flag(at, "yes", f"{label}: {reason}")
    # parents of split constituents
    kids = children_of(costs)
    for i, c in enumerate(list(costs)):
        parts = fiscal_split(c, kids)
        if not parts or _fiscal(c).transfer != "no":
            continue
        states = [_fiscal(p).transfer for p in parts]
        if all(s == "yes" for s in states):
            flag(i, "yes", "all its constituents are transfer payments")
        elif any(s in ("yes", "part") for s in states):
            which = ", ".join(p.code for p in parts if _fiscal(p).transfer in ("yes", "part"))
            flag(i, "part", f"its constituents {which} are transfer payments")
    # the public value the comments state, against the flags
    kids = children_of(costs)
    for i, value, _year in stated:
        c = costs[i]
        got = public_value_of(c, kids)
        if got is not None and abs(got - value) > 0.5 + 1e-9 * value:
            notes.append(DataNote(c.code, "public_value_check", f"the comment states a public value of "
                                                                f"{format_number(value)}, the flags give "
                                                                f"{format_number(got)}"))
    return costs, notes


def public_value_of(cost: UnitCost, children: Mapping[str, list[UnitCost]] | None = None) -> float | None:
    """Public value of one unit at the entry's own prices: fiscal excluding transfers + economic + social.

    None when its values are at different price years (uplift them first).

    Examples
    --------
    >>> from cba.unit_costs import default
    >>> db = default()
    >>> public_value_of(db["E&E1.0"], db.children)   # 566 + 14,044 at 2012/13 prices
    14610.0
    """
    from collections.abc import Mapping

    from cba.core._arguments import instance_argument, kind_of
    from cba.core._errors import CBAError

    instance_argument(cost, UnitCost, "public_value_of: cost", "a UnitCost")
    if children is not None and not isinstance(children, Mapping):
        raise CBAError(f"public_value_of: children: expected a mapping of codes to unit costs, got {kind_of(children)}")
    years = {v.price_year for v in cost.values if v.value_type in VALUE_KINDS}
    if len(years) > 1:
        return None
    total = 0.0
    f = cost.fiscal
    if f is not None:
        parts = fiscal_split(cost, children) if children is not None else None
        if parts:
            if (len({_fiscal(p).price_year for p in parts} | years) > 1
                    or any(_fiscal(p).transfer == "part" for p in parts)):
                return None
            total += sum(_fiscal(p).value for p in parts if _fiscal(p).transfer != "yes")
        elif f.transfer == "part":
            return None
        elif f.transfer != "yes":
            total += f.value
    for kind in ("economic", "social"):
        v = cost.value(kind)
        if v is not None:
            total += v.value
    return total
