"""Agency groups: which tier of government (or any grouping) banks the savings.

Groupings are data. cba ships one, ``tier`` (local public bodies, the NHS,
central government departments, outside the public sector), in
``cba/partnership/data/agency_groups.yaml`` with its reasoning and sources. A
model may declare more under ``agency_groups:`` (grouping name -> group ->
agency ids); a grouping called ``tier`` adds to or overrides the shipped one, so
that a declared agency (say ``dclg``) can be placed in ``central``.

Examples
--------
>>> import cba
>>> a = cba.appraise("examples/worked_example.yaml")
>>> by_group(a)[["group", "pv_costs", "pv_fiscal"]].round(2)
   group  pv_costs  pv_fiscal
0  local  40000.00   73063.20
1    nhs   9661.84       0.00
>>> central_government_share(a)
0.0
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any

import numpy as np

from ..errors import CBAError

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from ..appraisal import Appraisal

#: The shipped grouping by tier of government, and its group for central government.
TIER, CENTRAL = "tier", "central"


@lru_cache(maxsize=1)
def shipped_groupings() -> dict[str, dict[str, Any]]:
    """The groupings shipped with cba (``tier``), as read from the data file."""
    import yaml

    text = resources.files(__package__).joinpath("data/agency_groups.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def grouping_problems(declared: Mapping[str, Mapping[str, list[str]]], known: Mapping[str, str]
                      ) -> Iterator[tuple[str, str]]:
    """Yield ``(path, message)`` for unknown agencies and agencies in two groups of one grouping."""
    for name, groups in declared.items():
        if not name.strip():
            yield "agency_groups", "a grouping needs a name"
        seen: dict[str, str] = {}
        for group, agencies in groups.items():
            if not str(group).strip():
                yield f"agency_groups.{name}", "a group needs a name"
            for j, a in enumerate(agencies):
                path = f"agency_groups.{name}.{group}[{j}]"
                if a not in known:
                    yield path, (f"unknown agency {a!r}; use one of {', '.join(sorted(known))} or declare it "
                                 "under 'agencies'")
                if a in seen and seen[a] != group:
                    yield path, f"agency {a!r} is already in group {seen[a]!r} of grouping {name!r}"
                seen[a] = group


def groups_of(intervention, grouping: str = TIER) -> dict[str, tuple[str, str]]:
    """Each agency the model may use -> ``(group id, group name)`` in a grouping.

    Parameters
    ----------
    intervention : Intervention
    grouping : str
        ``tier`` (shipped, extended by the model's own ``tier``) or a grouping the
        model declares under ``agency_groups``.

    Raises
    ------
    CBAError
        For a grouping neither shipped nor declared.
    """
    shipped = shipped_groupings().get(grouping)
    declared = (intervention.agency_groups or {}).get(grouping)
    if shipped is None and declared is None:
        names = sorted(set(shipped_groupings()) | set(intervention.agency_groups or {}))
        raise CBAError(f"unknown agency grouping {grouping!r} (groupings: {', '.join(names)})")
    out: dict[str, tuple[str, str]] = {}
    names: dict[str, str] = {}
    if shipped is not None:
        for gid, g in shipped["groups"].items():
            names[gid] = g["name"]
            for a in g["agencies"]:
                out[a] = (gid, g["name"])
    for group, agencies in (declared or {}).items():
        for a in agencies:
            out[a] = (group, names.get(group, group))
    unassigned = (shipped or {}).get("unassigned", "Not grouped")
    for a in intervention.agency_names:
        out.setdefault(a, ("unassigned", unassigned))
    return out


def by_group(appraisal: "Appraisal", grouping: str = TIER) -> "pd.DataFrame":
    """The agency ledger summed by group: who pays and who saves, by tier.

    Columns: ``group``, ``group_name``, ``agencies`` (the members present),
    ``pv_costs``, ``pv_fiscal``, ``pv_cashable``, ``pv_transfer``, ``net``,
    ``cost_share`` and ``fiscal_share`` (present values, pounds; shares of the
    totals, NaN when a total is 0). Groups with no agency in the appraisal are
    left out.
    """
    import pandas as pd

    from ..metrics import ratio

    ag = appraisal.by_agency()
    of = groups_of(appraisal.intervention, grouping)
    ag = ag.assign(group=[of[a][0] for a in ag["agency"]], group_name=[of[a][1] for a in ag["agency"]])
    cols = ["pv_costs", "pv_fiscal", "pv_cashable", "pv_transfer", "net"]
    g = ag.groupby(["group", "group_name"], sort=False)
    out = g[cols].sum().reset_index()
    out.insert(2, "agencies", [", ".join(v) for v in g["agency_name"].agg(list)])
    out["cost_share"] = ratio(out["pv_costs"].to_numpy(), np.full(len(out), out["pv_costs"].sum()))
    out["fiscal_share"] = ratio(out["pv_fiscal"].to_numpy(), np.full(len(out), out["pv_fiscal"].sum()))
    return pd.DataFrame(out)


def central_government_share(appraisal: "Appraisal") -> float | None:
    """Share of all fiscal savings (present value) that central government banks.

    The "Whitehall side of the garden fence": savings to DWP, HMRC, the justice
    system and any agency the model places in the ``central`` tier. ``None`` when
    there are no fiscal savings.
    """
    fiscal = np.asarray(appraisal._agency_arrays["pv_fiscal"][0], dtype=float)   # no pandas needed
    total = float(fiscal.sum())
    if total == 0:
        return None
    of = groups_of(appraisal.intervention, TIER)
    central = sum(float(v) for a, v in zip(appraisal.compiled.agencies, fiscal) if of[a][0] == CENTRAL)
    return central / total
