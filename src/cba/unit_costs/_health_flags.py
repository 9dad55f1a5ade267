"""Health values among the entries read from a workbook.

The Green Book discounts health and life values (QALYs and the like) at its health
rate, not the standard one (:mod:`cba.method._discounting`). The GMCA workbook has
no column saying which values are health values; its own comments say so in words.
:data:`HEALTH_VALUES` is cba's list, per database version, of the values whose
comment says they monetise quality-adjusted life years, with the reason;
:func:`apply_health_flags` flags them (``health: yes`` and ``health_basis`` in the
tidy CSV), so that a model valuing an outcome by such a code discounts that value
on the health schedule without the analyst having to know.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace

from cba.unit_costs._codes import code_key
from cba.unit_costs._record_types import DataNote, UnitCost

_QALY = re.compile(r"QALY|quality.adjusted life year", re.I)

_HE1_0 = ("the workbook's comment on HE1.0: the social value is 0.0233 quality adjusted life years (QALYs) per "
          "person from brief interventions in GP surgeries, monetised at £60,000 per QALY (2009 prices)")
_HE2_0 = ("the workbook's comment on HE2.0: the social value is an extra 0.05 quality-adjusted life years (QALYs) "
          "from drug treatment (DTORS), monetised at £60,000 per QALY (2009 prices)")
_NTA = ("the workbook's comment on {code}: the social value, \"quantified in QALYs\", is the reduced physical and "
        "emotional impact on the direct victims of drug-related crime (National Treatment Agency, 'Estimating the "
        "crime reduction benefits of drug treatment and recovery')")

#: Health values by database version: code -> {value type: reason}. Only values whose
#: own comment in the workbook says they are valued in QALYs are listed.
HEALTH_VALUES: dict[str, dict[str, dict[str, str]]] = {
    "1.4": {
        "HE1.0": {"social": _HE1_0},
        "HE2.0": {"social": _HE2_0},
        "HE2.0.1": {"social": _NTA.format(code="HE2.0.1")},
        "HE2.0.2": {"social": _NTA.format(code="HE2.0.2")},
        "HE2.1": {"social": _NTA.format(code="HE2.1")},
    },
}


def apply_health_flags(costs: list[UnitCost], flags: Mapping[str, Mapping[str, str]],
                       version: str = "") -> tuple[list[UnitCost], list[DataNote]]:
    """Flag the listed values as health values, with their reason.

    A listed code or value missing from the data, or an entry whose comment does not
    mention QALYs, is left as it is and reported as a data note (kind ``health_list``).

    >>> from cba.unit_costs._record_types import UnitCost, UnitCostValue
    >>> cost = UnitCost("HE9.0", "A QALY gain", (UnitCostValue("social", 600.0, "2009/10"),),
    ...                 comment="0.01 QALYs at 60,000 per QALY")
    >>> [c.social.health for c in apply_health_flags([cost], {"HE9.0": {"social": "its comment"}})[0]]
    [True]
    """
    by_key = {code_key(c.code): i for i, c in enumerate(costs)}
    costs = list(costs)
    notes: list[DataNote] = []
    label = f"cba's health list for v{version}" if version else "cba's health list"
    for code, by_type in flags.items():
        at = by_key.get(code_key(code))
        if at is None:
            notes.append(DataNote(code, "health_list", f"{label} names {code}, which is not in the data"))
            continue
        cost = costs[at]
        if not _QALY.search(f"{cost.comment} {cost.caveat} {cost.description}"):
            notes.append(DataNote(code, "health_list", f"{label} names {code}, but its comment does not mention "
                                                       "QALYs: left unflagged"))
            continue
        for value_type, reason in by_type.items():
            value = next((v for v in cost.values if v.value_type == value_type), None)
            if value is None or value_type not in ("economic", "social"):
                notes.append(DataNote(code, "health_list", f"{label} names the {value_type} value of {code}, "
                                                           "which is not an economic or social value in the data"))
                continue
            cost = cost.with_value(replace(value, health=True, health_basis=reason))
        costs[at] = cost
    return costs, notes
