"""Agency groups: which tier of government (or any grouping) banks the savings.

Groupings are data. cba ships one, ``tier`` (local public bodies, the NHS,
central government departments, outside the public sector), in
``cba/model/data/agency_groups.yaml`` with its reasoning and sources. A
model may declare more under ``agency_groups:`` (grouping name -> group ->
agency ids); a grouping called ``tier`` adds to or overrides the shipped one, so
that a declared agency (say ``dclg``) can be placed in ``central``.

The sums by group of an appraisal (:func:`cba.ledger.by_group`,
:func:`cba.ledger.central_government_share`) are views of the ledger and live there.

Examples
--------
>>> sorted(shipped_groupings()[TIER]["groups"])
['central', 'local', 'nhs', 'outside']
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from cba.core._errors import CBAError, shown

if TYPE_CHECKING:  # pragma: no cover
    from cba.model._intervention import Intervention

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
    """Yield ``(path, message)`` for unknown agencies, agencies in two groups of one grouping,
    and grouping or group names that are not one the library or the model defines.

    A grouping spelt like a shipped one but not the same (``Tier``, ``tіer`` with a
    Cyrillic ``і``) would silently start a grouping of its own; a group of a shipped
    grouping that it does not have (``centrl``) would silently move an agency out of
    its tier. Both are refused, as are names with control characters and names that
    are different spellings of one (:mod:`cba.model._names`).
    """
    from cba.model._names import clashes, control_problem, skeleton

    shipped = shipped_groupings()
    shipped_by_skeleton = {skeleton(g): g for g in shipped}
    yield from (("agency_groups", m) for _, m in clashes((name, name) for name in declared))
    for name, groups in declared.items():
        where = f"agency_groups.{name}"
        if not name.strip():
            yield "agency_groups", "a grouping needs a name"
        bad = control_problem(name)
        if bad is not None:
            yield where, f"the grouping's name {bad}"
        like = shipped_by_skeleton.get(skeleton(name))
        if like is not None and like != name:
            yield where, (f"{shown(name)} is spelt like the shipped grouping {like!r} but is not it; write {like!r} "
                          "to add to it, or give a grouping of your own a clearly different name")
        known_groups = shipped[name]["groups"] if name in shipped else None
        yield from ((where, m) for _, m in clashes((str(g), str(g)) for g in groups))
        seen: dict[str, str] = {}
        for group, agencies in groups.items():
            if not str(group).strip():
                yield f"agency_groups.{name}", "a group needs a name"
            bad = control_problem(str(group))
            if bad is not None:
                yield f"{where}.{group}", f"the group's name {bad}"
            if known_groups is not None and group not in known_groups:
                yield f"{where}.{group}", (f"the grouping {name!r} has no group {shown(group)}; use one of "
                                                  f"{', '.join(known_groups)} (a grouping of your own, under "
                                                  "another name, may have any groups)")
            for j, a in enumerate(agencies):
                path = f"agency_groups.{name}.{group}[{j}]"
                if a not in known:
                    yield path, (f"unknown agency {a!r}; use one of {', '.join(sorted(known))} or declare it "
                                 "under 'agencies'")
                if a in seen and seen[a] != group:
                    yield path, f"agency {a!r} is already in group {seen[a]!r} of grouping {name!r}"
                seen[a] = group


def groups_of(intervention: Intervention, grouping: str = TIER) -> dict[str, tuple[str, str]]:
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
    from cba.core._arguments import kind_of, text_argument

    if not (hasattr(intervention, "agency_groups") and hasattr(intervention, "agency_names")):  # (no import cycle)
        raise CBAError(f"groups_of: intervention: expected an Intervention, got {kind_of(intervention)}")
    text_argument(grouping, "groups_of: grouping")
    shipped = shipped_groupings().get(grouping)
    declared = (intervention.agency_groups or {}).get(grouping)
    if shipped is None and declared is None:
        known = sorted(set(shipped_groupings()) | set(intervention.agency_groups or {}))
        raise CBAError(f"unknown agency grouping {grouping!r} (groupings: {', '.join(known)})")
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
