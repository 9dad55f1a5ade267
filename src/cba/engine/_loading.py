"""A programme: several interventions appraised together, with one deal across them.

A place's programme (the Whole-Place Community Budget business cases put early
help, troubled families, health and social care, and work and skills side by side)
is appraised on one price base, horizon and discounting, summed by agency, and a
partnership deal may span it. A programme file lists model files and sets the
common footing::

    name: Whole-place programme
    price_base: 2024/25
    horizon: 5                       # default: the longest of the interventions
    discounting: green_book          # default: green_book
    interventions:
      - early_help.yaml              # paths relative to this file
      - {path: back_to_work.yaml, name: Back to work}
    partnership:                     # optional: one deal across the programme
      gain_share:
        - {from: dwp, to: local_authority, share: 0.4, basis: cashable}

:func:`build_programme` turns it into one :class:`~cba.model._intervention.Intervention` whose
cost lines and outcomes are those of every intervention, named ``"<intervention>:
<line>"``, with every unit value resolved to explicit components (so each
intervention's own unit cost settings apply) and every amount given its price year
(an amount with none is at its own model's price base). So every command and view
works on a programme as on a single model; the deal refers to lines by those names.

:func:`load_intervention` reads any model file: a single intervention, or a programme
combined by :func:`build_programme`. Combining needs each member's unit values
resolved (:func:`cba.engine._compiled._components`), so reading files sits in the
engine layer, above the models it builds.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import Counter
from pathlib import Path
from typing import Any

from cba.core import _limits as limits
from cba.core._arguments import path_argument
from cba.core._errors import CBAError, ModelError, in_file, shown
from cba.core._files import data_format, decode_text, parse_data, read_bytes
from cba.engine._compiled import _cashable, _components
from cba.model._intervention import Intervention

#: Fields of a programme file (besides those it passes on to the combined model).
PROGRAMME_FIELDS = ("name", "description", "price_base", "start_year", "horizon", "discounting",
                    "first_year_discounted", "deflator", "optimism_bias", "agencies", "agency_groups",
                    "partnership", "interventions")
#: Separator between an intervention's name and its line's name.
SEPARATOR = ": "
#: Settings of a member that change its numbers. A programme has one of each: the members
#: must agree (their common value is carried into the programme), or the programme gives
#: its own, which a member may not contradict. None is dropped silently.
CARRIED = ("discounting", "first_year_discounted", "health_discounting", "deflator", "optimism_bias",
           "value_for_money")


def is_programme(data: Any) -> bool:
    """Whether parsed file data is a programme (it lists ``interventions``)."""
    return isinstance(data, dict) and "interventions" in data


def _members(data: dict, base_dir: Path, source: str) -> list[tuple[str | None, Path]]:
    items = data.get("interventions")
    if not isinstance(items, list) or not items:
        raise CBAError(f"{source}: interventions: list the model files of the programme, e.g. [early_help.yaml]")
    out = []
    for i, item in enumerate(items):
        where = f"{source}: interventions[{i}]"
        if isinstance(item, str):
            name, path = None, item
        elif isinstance(item, dict) and set(item) <= {"path", "name"} and isinstance(item.get("path"), str):
            name, path = item.get("name"), item["path"]
            if name is not None and (not isinstance(name, str) or not name.strip()):
                raise CBAError(f"{where}.name: give the intervention a name, or leave the field out")
        else:
            raise CBAError(f"{where}: a model file's path, or {{path: FILE, name: NAME}}")
        p = Path(path)
        out.append((name, p if p.is_absolute() else base_dir / p))
    return out


def build_programme(data: dict, base_dir: str | Path, source: str = "programme", *, _walk: Any = None) -> Any:
    """The combined :class:`~cba.model._intervention.Intervention` of a programme file's data.

    Parameters
    ----------
    data : dict
        The parsed programme file.
    base_dir : str or Path
        Folder that relative model paths are relative to.
    source : str
        The programme file's name, for messages.

    Raises
    ------
    CBAError
        Naming the programme file (and the member file) for an unknown field, a
        missing or invalid model, lines longer than the horizon, members whose
        settings (:data:`CARRIED`) or agency names disagree, programme files that
        include each other or one file twice, too many members or too deep a nesting
        (the limits ``programme_members`` and ``programme_depth``), and names that
        collide across members.
    """
    unknown = [k for k in data if k not in PROGRAMME_FIELDS]
    if unknown:
        raise CBAError(f"{source}: unknown field {unknown[0]!r} in a programme file (fields: "
                       f"{', '.join(PROGRAMME_FIELDS)})")
    if not isinstance(data.get("name"), str) or not data["name"].strip():
        raise CBAError(f"{source}: name: give the programme a name")
    members = _members(data, Path(base_dir), source)
    if _walk is None:  # the programme's data given in Python: plan its files before any work
        _walk = _Walk()
        for _, path in members:
            _plan(path, [(source, "")], _walk)
    models = []
    for name, path in members:
        model = _build(path, _walk)
        models.append((name or model.name, path, model))
    _check_labels(models, source)
    carried = _carried(data, models, source)
    agencies: dict[str, str] = {}
    for _, path, m in models:
        for a in m.agencies:
            if agencies.get(a.id, a.name) != a.name:
                raise CBAError(f"{source}: agency {a.id!r} is named {agencies[a.id]!r} in one intervention and "
                               f"{a.name!r} in {path}; declare it once in the programme under agencies")
            agencies[a.id] = a.name
    costs, outcomes = [], []
    for k, (label, path, m) in enumerate(models):
        prefix = f"{label}{SEPARATOR}"
        for c in m.costs:
            costs.append({**c.model_copy(update={"name": prefix + c.name,
                                                 "price_year": c.price_year or m.price_base}).to_dict(),
                          "_member": k})
        for i, o in enumerate(m.outcomes):
            try:
                comps = _components(o, i, m)
            except ModelError as exc:
                raise ModelError([(f"{path}: {p}", msg) for p, msg in exc.problems]) from None
            explicit = []
            for _, comp in comps:
                update: dict[str, Any] = {"price_year": comp.price_year or m.price_base}
                if comp.type == "fiscal":
                    update["cashable"] = _cashable(o, comp)
                explicit.append(comp.model_copy(update=update).to_dict())
            value: dict[str, Any] = {"components": explicit}
            if o.value.quantity is not None:
                value["quantity"] = o.value.quantity
            rec = o.to_dict()
            rec.update(name=prefix + o.name, value=value)
            rec.pop("cashable", None)
            rec["_member"] = k
            outcomes.append(rec)

    _check_collisions(costs, "cost line", source)
    _check_collisions(outcomes, "outcome", source)
    groups: dict[str, dict[str, list[str]]] = {}
    declared_groups = data.get("agency_groups") or {}
    if not isinstance(declared_groups, dict):
        raise CBAError(f"{source}: agency_groups: a mapping of grouping name to {{group: [agency ids]}}")
    for own, grouping in [*((False, m.agency_groups or {}) for _, _, m in models), (True, declared_groups)]:
        for g, members_ in grouping.items():
            if not isinstance(members_, dict):
                raise CBAError(f"{source}: agency_groups.{g}: a mapping of group to [agency ids]")
            for group, ids in members_.items():  # the members' groups add up; none replaces another
                ids = ids if isinstance(ids, list) else [ids]
                if own:  # the programme's own placement of an agency wins over a member's
                    for other in groups.get(g, {}).values():
                        other[:] = [a for a in other if a not in ids]
                into = groups.setdefault(g, {}).setdefault(group, [])
                into += [a for a in ids if a not in into]
    first = models[0][2]
    exclusive = [[f"{label}{SEPARATOR}{n}" for n in group] for label, _, m in models
                 for group in (m.mutually_exclusive or [])]
    combined: dict[str, Any] = {
        "name": data["name"],
        "price_base": data.get("price_base", first.price_base),
        "horizon": data.get("horizon", max(m.horizon for _, _, m in models)),
        "agencies": [{"id": k, "name": v} for k, v in agencies.items()] + list(data.get("agencies") or []),
        "costs": costs,
        "outcomes": outcomes,
    }
    for key in ("description", "start_year", "partnership", *CARRIED):
        if key in data:
            combined[key] = data[key]
        elif key in carried:
            combined[key] = carried[key]
    if exclusive:
        combined["mutually_exclusive"] = exclusive
    if groups:
        combined["agency_groups"] = groups
    declared = {a["id"] for a in combined["agencies"] if isinstance(a, dict) and "id" in a}
    if len(declared) < len(combined["agencies"]):
        combined["agencies"] = list({a["id"]: a for a in combined["agencies"]}.values())
    try:
        model = Intervention.from_dict(combined)
    except ModelError as exc:
        raise ModelError([(_member_path(p, models), msg) for p, msg in exc.problems]) from None
    _check_overridden(data, models, model, source)
    # a member's own deal does not apply in a programme: the programme's deal, if any, replaces it
    dropped = "partnership" not in data
    model._programme = [{"name": label, "file": str(path), "model_name": m.name, "inputs": _files_read(path, m),
                         "costs": len(m.costs), "outcomes": len(m.outcomes),
                         "deal_dropped": dropped and m.partnership is not None} for label, path, m in models]
    return model


def _files_read(path: Path, model) -> list[str]:
    """The member's file and the unit cost files it reads (a programme's outputs may not replace them)."""
    out = [str(path)]
    settings = model.unit_costs
    if settings is not None:
        from cba.unit_costs._shipped import DATASETS

        base = Path(getattr(model, "_base_dir", None) or path.parent)
        names = list(settings.local) + ([] if settings.database in DATASETS else [settings.database])
        out += [str(p if Path(p).is_absolute() else base / p) for p in names]
    return out


def _member_path(path: str, models) -> str:
    """A combined model's field path, with the member it comes from (``costs[3]`` -> its file)."""
    import re

    m = re.match(r"^(costs|outcomes)\[(\d+)\](.*)$", path)
    if not m:
        return path
    i = int(m[2])
    for _label, file, model in models:
        n = len(model.costs) if m[1] == "costs" else len(model.outcomes)
        if i < n:
            return f"interventions ({file}) {m[1]}[{i}]{m[3]}"
        i -= n
    return path


def members(model) -> list[dict]:
    """The interventions of a programme's combined model (empty for a single model)."""
    return list(getattr(model, "_programme", None) or [])


def load_intervention(path: str | Path) -> Intervention:
    """Read a model file (YAML or JSON, by suffix or content) into an :class:`Intervention`.

    The file is read and parsed by :func:`cba.core._files.load_data` (bounded, strict:
    duplicate keys are errors). User mistakes raise :class:`~cba.core._errors.CBAError`
    with the file and field path. A programme's files are all read first
    (:func:`_plan`): files that include each other, one file reached twice, and too many
    or too deeply nested members are refused before any model is checked or appraised.
    """
    p = path_argument(path, "load_intervention: path")  # a dict: cba.Intervention.from_dict
    walk = _Walk()
    _plan(p, [], walk)  # every file of a programme read and checked before any is appraised
    return _build(p, walk)


# ---------------------------------------------------------------- a programme's files, planned first
class _Walk:
    """The files of one programme being read: each file's parsed data and where it was met."""

    def __init__(self) -> None:
        #: real path -> (SHA-256 of the bytes read, parsed data)
        self.files: dict[str, tuple[str, Any]] = {}
        #: real path -> the chain of files by which it was first met
        self.met: dict[str, list[str]] = {}
        self.members = 0


def _plan(p: Path, chain: list[tuple[str, str]], walk: _Walk) -> None:
    """Read and parse ``p`` and, for a programme, every file it lists, depth first.

    ``chain`` is the programme files above ``p`` (as named, and their real paths:
    symbolic links and ``..`` resolved). Each file is read once: a file met again is
    a cycle (on the chain) or a file listed twice (elsewhere in the tree), either of
    which would count a model twice or without end; both are refused with the chain.
    """
    real = os.path.realpath(p)
    names = [c for c, _ in chain] + [str(p)]
    top = chain[0][0] if chain else str(p)
    if any(r == real for _, r in chain):
        raise _named(f"{top}: interventions: programme files include each other: {' -> '.join(names)}")
    if real in walk.met:
        raise _named(f"{top}: interventions: {p} is listed twice ({' -> '.join(walk.met[real])}; and "
                       f"{' -> '.join(names)}); a programme counts each model file once")
    walk.met[real] = names
    if chain:
        walk.members += 1
        if walk.members > limits.get("programme_members"):
            raise _named(f"{top}: interventions: more than {limits.get('programme_members'):,} model files "
                           f"(at {' -> '.join(names)}); {limits.exceeded('programme_members')}")
    raw = read_bytes(p, "model file")
    try:
        text = decode_text(raw, str(p))
        data = parse_data(text, "model file", source=str(p), format=data_format(p, text))
    except CBAError as exc:
        raise in_file(p, exc) from None
    walk.files[real] = (hashlib.sha256(raw).hexdigest(), data)
    if not is_programme(data):
        return
    if len(chain) >= limits.get("programme_depth"):
        raise _named(f"{top}: interventions: programmes nested more than {limits.get('programme_depth')} deep "
                       f"({' -> '.join(names)}); {limits.exceeded('programme_depth')}")
    for _, member in _members(data, Path(real).parent, str(p)):
        try:
            _plan(member, [*chain, (str(p), real)], walk)
        except CBAError as exc:  # named by the programme that lists the member, once
            if getattr(exc, "programme_named", False):
                raise
            raise _named(str(in_file(p, exc))) from None


def _named(message: str) -> CBAError:
    """An error that already names the programme file it comes through."""
    exc = CBAError(message)
    exc.programme_named = True  # type: ignore[attr-defined]  # a marker read by _plan
    return exc


def _build(p: Path, walk: _Walk) -> Intervention:
    """The model of a file already read by :func:`_plan`."""
    real = os.path.realpath(p)
    sha, data = walk.files[real]
    try:
        if not isinstance(data, dict):
            raise CBAError(f"{p}: a model file must be a mapping of fields (name, price_base, costs, ...)")
        if is_programme(data):  # several interventions on one footing, one deal
            model = build_programme(data, Path(real).parent, str(p), _walk=walk)
        else:
            model = Intervention.from_dict(data)
            model._base_dir = Path(real).parent
    except CBAError as exc:
        raise in_file(p, exc) from None
    model._source_sha256 = sha
    model._source_file = str(p)
    return model


# ---------------------------------------------------------------- members that must agree
def _check_labels(models: list, source: str) -> None:
    """The members' names: one line each, and no two the same or spelt alike."""
    from cba.model._names import clashes, control_problem

    for label, path, _ in models:
        problem = control_problem(label)
        if problem is not None:
            raise CBAError(f"{source}: interventions ({path}): the name {shown(label)} {problem}")
    dupes = [n for n, k in Counter(n for n, _, _ in models).items() if k > 1]
    if dupes:
        raise CBAError(f"{source}: interventions: two are called {shown(dupes[0])}; give one a name "
                       "({path: FILE, name: NAME})")
    for _, message in clashes((str(path), label) for label, path, _ in models):
        raise CBAError(f"{source}: interventions: {message}")


def _setting(model: Intervention, key: str) -> str:
    value = getattr(model, key)
    return json.dumps(value.to_dict() if hasattr(value, "to_dict") else value, sort_keys=True)


def _carried(data: dict, models: list, source: str) -> dict[str, Any]:
    """The settings (:data:`CARRIED`) the programme does not set and its members share."""
    out: dict[str, Any] = {}
    for key in CARRIED:
        if key in data:
            continue
        _, first_path, first = models[0]
        for _, path, m in models[1:]:
            if _setting(m, key) != _setting(first, key):
                raise CBAError(f"{source}: {key}: the interventions differ ({first_path}: "
                               f"{shown(_setting(first, key))}; {path}: {shown(_setting(m, key))}); a programme "
                               f"is appraised with one {key}: give the programme's own under {key}")
        value = getattr(first, key)
        if value is not None:
            out[key] = value.to_dict() if hasattr(value, "to_dict") else value
    return out


def _check_overridden(data: dict, models: list, model: Intervention, source: str) -> None:
    """A member that sets a setting the programme sets too must set the same."""
    for key in CARRIED:
        if key not in data:
            continue
        for _, path, m in models:
            if key in m.model_fields_set and _setting(m, key) != _setting(model, key):
                raise CBAError(f"{source}: {key}: {path} sets its own ({shown(_setting(m, key))}), which the "
                               f"programme's ({shown(_setting(model, key))}) would replace; make them agree, or "
                               f"leave {key} out of {path}")


def _check_collisions(records: list[dict], kind: str, source: str) -> None:
    """Two members' lines that come out with one name (``A: b: c`` from ``A: b`` + ``c`` and
    ``A`` + ``b: c``) would be one line to a deal: refused."""
    seen: dict[str, int] = {}
    for rec in records:
        if seen.setdefault(rec["name"], rec["_member"]) != rec["_member"]:
            raise CBAError(f"{source}: interventions: two members each have a {kind} named {shown(rec['name'])} "
                           "in the programme; rename one of the interventions or the lines")
    for rec in records:
        del rec["_member"]
