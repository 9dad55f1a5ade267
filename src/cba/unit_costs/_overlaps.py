"""Double counting: outcomes valued with the same or overlapping unit costs.

Counting one saving twice is the commonest way a CBA overstates its case. The
GMCA Unit Cost Database's own comments warn against several combinations (the
social services cost of truancy alongside a child taken into care; the overall
cost of crime alongside a specific crime type; ...). :func:`double_counting`
looks at every pair of outcomes of a model and returns a warning when

* both are valued with the same unit cost (the same code or row);
* one is valued with a headline cost and the other with one of that headline's
  own constituents (``E&S1.0`` and ``E&S1.0.4``);
* their rows are ones the database's comments say overlap
  (:data:`OVERLAP_FILE`: each rule names a code, the codes it overlaps, with a
  ``*`` for "this code and all below it", and the comment that says so).

Within one outcome only the overlap rules apply (an outcome valued by a headline's
economic value and its constituents' fiscal values is the normal way to split a
headline by agency). Outcomes declared ``mutually_exclusive`` in the model count
each person once, so the same unit cost in two of them is not counted twice for
anyone: no warning is given between them.

The warnings travel with the appraisal (:attr:`cba.Appraisal.warnings`): every
output shows them, and ``cba appraise --strict`` turns them into an error.

References
----------
.. [1] New Economy / GMCA Research, "Unit Cost Database v1.4", March 2015, CC BY
   4.0: the cell comments on E&S1.0.3, E&S1.0.4, CR1.0, CR2.0, CR8.0, SS1.0,
   HO2.0 and HO5.3, quoted in each rule.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache

from cba.unit_costs._codes import code_key, code_level, normalise_code

#: The overlap rules shipped with cba (from the v1.4 workbook's comments).
OVERLAP_FILE = "gmca_overlaps_v1.4.csv"


@dataclass(frozen=True)
class OverlapRule:
    """``code`` overlaps every code matching ``overlaps`` (``X*``: X and below)."""

    code: str
    overlaps: str
    reason: str

    def matches(self, a: str, b: str) -> bool:
        """Whether codes ``a`` and ``b`` (either order) fall under this rule."""
        return (_is(a, self.code) and _under(b, self.overlaps)) or (_is(b, self.code) and _under(a, self.overlaps))


def _is(code: str, target: str) -> bool:
    return code_key(code) == code_key(target)


def _under(code: str, pattern: str) -> bool:
    if pattern.endswith("*"):
        return code_key(code).startswith(code_key(pattern[:-1]))
    return _is(code, pattern)


@lru_cache(maxsize=1)
def overlap_rules() -> tuple[OverlapRule, ...]:
    """The shipped overlap rules (:data:`OVERLAP_FILE`).

    >>> any(r.matches("E&S1.0.4", "SS1.0") for r in overlap_rules())
    True
    """
    from cba.method._deflators import data_dir

    with (data_dir() / OVERLAP_FILE).open(encoding="utf-8", newline="") as f:
        return tuple(OverlapRule(r["code"].strip(), r["overlaps"].strip(), r["reason"].strip())
                     for r in csv.DictReader(f))


def _codes(component) -> set[str]:
    """Cost codes a value component carries: the code asked for and the row used."""
    out = set()
    for c in (component.unit_cost, component.label):
        if c and code_level(c)[0]:
            out.add(normalise_code(c))
    return out


def _names(outcomes, idx) -> str:
    shown = [repr(outcomes[i].name) for i in sorted(idx)[:6]]
    more = len(idx) - len(shown)
    return ", ".join(shown) + (f" and {more} more" if more > 0 else "")


def double_counting(model, components) -> list[str]:
    """Warnings for outcomes that may count the same saving twice.

    The work grows with the number of distinct codes, not with pairs of outcomes:
    outcomes are grouped by the codes they use.

    Parameters
    ----------
    model : Intervention
        Its outcome names and ``mutually_exclusive`` groups are used.
    components : list of (int, ValueComponent)
        Every value component of the model with its outcome index (as the engine
        compiles them, unit-cost codes resolved).

    Returns
    -------
    list of str
        One warning per code (or pair of codes) that double counts, naming the
        outcomes and the codes.

    Examples
    --------
    >>> from cba import Intervention
    >>> m = Intervention.from_dict({"name": "x", "price_base": "2024/25", "outcomes": [
    ...     {"name": "Truancy", "cohort": 1, "success": 1, "value": {"components": [
    ...         {"type": "economic", "amount": 842, "price_year": "2005/06", "unit_cost": "E&S1.0"}]}},
    ...     {"name": "Care", "cohort": 1, "success": 1, "value": {"components": [
    ...         {"type": "fiscal", "agency": "local_authority", "amount": 1, "unit_cost": "E&S1.0.4"}]}}]})
    >>> for w in double_counting(m, [(i, o.value.components[0]) for i, o in enumerate(m.outcomes)]):
    ...     print(w)
    possible double counting: outcome 'Truancy' is valued with the headline E&S1.0 and outcome 'Care' with one
    of its own constituents, E&S1.0.4; count the value once, or declare the outcomes mutually_exclusive if no
    person can have both
    """
    outcomes = model.outcomes
    group: dict[int, int] = {}
    index = {o.name: i for i, o in enumerate(outcomes)}
    for g, names in enumerate(getattr(model, "mutually_exclusive", None) or []):
        for n in names:
            if n in index:
                group[index[n]] = g
    users: dict[str, set[int]] = {}     # code key -> outcomes using it
    spelling: dict[str, str] = {}
    for i, comp in components:
        for c in _codes(comp):
            users.setdefault(code_key(c), set()).add(i)
            spelling.setdefault(code_key(c), c)

    def apart(a: set[int], b: set[int]) -> bool:
        """Two different outcomes, not shares of one cohort, one in each set."""
        return len({group.get(i, -1 - i) for i in a} | {group.get(j, -1 - j) for j in b}) >= 2

    tail = "; count the value once, or declare the outcomes mutually_exclusive if no person can have both"
    out = []
    shared: dict[frozenset[int], list[str]] = {}   # one warning per set of outcomes, all their codes
    for k in sorted(users):
        if apart(users[k], users[k]):
            shared.setdefault(frozenset(users[k]), []).append(spelling[k])
    for who, codes in shared.items():
        out.append(f"possible double counting: outcomes {_names(outcomes, who)} are each valued with "
                   f"unit cost{'s' if len(codes) > 1 else ''} {', '.join(codes)}{tail}")
    for k in sorted(users):   # a constituent used by one outcome, its headline by another
        parent = code_level(spelling[k])[1]
        pk = code_key(parent) if parent else None
        # (an outcome valued by the headline's code that also uses this constituent row is
        # already named by the same-code warning above)
        if pk in users and not users[pk] <= users[k] and apart(users[pk], users[k]):
            out.append(f"possible double counting: outcome {_names(outcomes, users[pk] - users[k] or users[pk])} is "
                       f"valued with the headline {spelling[pk]} and outcome "
                       f"{_names(outcomes, users[k] - users[pk] or users[k])} with one of its own constituents, "
                       f"{spelling[k]}{tail}")
    for rule in overlap_rules():
        for ka in sorted(k for k in users if _is(spelling[k], rule.code)):
            for kb in sorted(k for k in users if _under(spelling[k], rule.overlaps) and not _related(ka, k)):
                a, b = users[ka], users[kb]
                if apart(a, b):
                    out.append(f"possible double counting: outcome {_names(outcomes, a)} ({spelling[ka]}) and outcome "
                               f"{_names(outcomes, b)} ({spelling[kb]}) are valued with rows the database says "
                               f"overlap: {rule.reason}{tail}")
                for i in sorted(a & b):
                    out.append(f"possible double counting: outcome {outcomes[i].name!r} is valued with both "
                               f"{spelling[ka]} and {spelling[kb]}, rows the database says overlap: {rule.reason}; "
                               "count the value once")
    return out


def _related(a: str, b: str) -> bool:
    """Same code, or one is below the other in the hierarchy (``E&S1.0`` and ``E&S1.0.4``)."""
    ka, kb = code_key(a), code_key(b)
    return ka == kb or kb.startswith(ka + ".") or ka.startswith(kb + ".")
