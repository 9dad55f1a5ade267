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
from pathlib import Path
from typing import Any

from cba.core._arguments import path_argument
from cba.core._errors import CBAError, ModelError, in_file
from cba.core._files import data_format, decode_text, parse_data, read_bytes
from cba.engine._compiled import _cashable, _components
from cba.model._intervention import Intervention

#: Fields of a programme file (besides those it passes on to the combined model).
PROGRAMME_FIELDS = ("name", "description", "price_base", "start_year", "horizon", "discounting",
                    "first_year_discounted", "deflator", "optimism_bias", "agencies", "agency_groups",
                    "partnership", "interventions")
#: Separator between an intervention's name and its line's name.
SEPARATOR = ": "


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


def build_programme(data: dict, base_dir: str | Path, source: str = "programme") -> Any:
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
        missing or invalid model, lines longer than the horizon, or members whose
        optimism-bias tables or agency names disagree.
    """
    unknown = [k for k in data if k not in PROGRAMME_FIELDS]
    if unknown:
        raise CBAError(f"{source}: unknown field {unknown[0]!r} in a programme file (fields: "
                       f"{', '.join(PROGRAMME_FIELDS)})")
    if not isinstance(data.get("name"), str) or not data["name"].strip():
        raise CBAError(f"{source}: name: give the programme a name")
    members = _members(data, Path(base_dir), source)
    models = []
    for name, path in members:
        model = load_intervention(path)
        models.append((name or model.name, path, model))
    names = [n for n, _, _ in models]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise CBAError(f"{source}: interventions: two are called {dupes[0]!r}; give one a name "
                       "({path: FILE, name: NAME})")

    first = models[0][2]
    tables = {m.optimism_bias.to_json() for _, _, m in models}
    if "optimism_bias" not in data and len(tables) > 1:
        raise CBAError(f"{source}: the interventions use different optimism-bias tables; give the programme's "
                       "own under optimism_bias")
    agencies: dict[str, str] = {}
    for _, path, m in models:
        for a in m.agencies:
            if agencies.get(a.id, a.name) != a.name:
                raise CBAError(f"{source}: agency {a.id!r} is named {agencies[a.id]!r} in one intervention and "
                               f"{a.name!r} in {path}; declare it once in the programme under agencies")
            agencies[a.id] = a.name
    costs, outcomes = [], []
    for label, path, m in models:
        prefix = f"{label}{SEPARATOR}"
        for c in m.costs:
            costs.append(c.model_copy(update={"name": prefix + c.name,
                                              "price_year": c.price_year or m.price_base}).to_dict())
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
            outcomes.append(rec)

    groups: dict[str, dict[str, list[str]]] = {}
    for _, _, m in models:
        for g, members_ in (m.agency_groups or {}).items():
            groups.setdefault(g, {}).update(members_)
    for g, members_ in (data.get("agency_groups") or {}).items():
        groups.setdefault(g, {}).update(members_)
    combined: dict[str, Any] = {
        "name": data["name"],
        "price_base": data.get("price_base", first.price_base),
        "horizon": data.get("horizon", max(m.horizon for _, _, m in models)),
        "agencies": [{"id": k, "name": v} for k, v in agencies.items()] + list(data.get("agencies") or []),
        "costs": costs,
        "outcomes": outcomes,
    }
    for key in ("description", "start_year", "discounting", "first_year_discounted", "deflator", "partnership"):
        if key in data:
            combined[key] = data[key]
    combined["optimism_bias"] = data.get("optimism_bias", first.optimism_bias.to_dict())
    if groups:
        combined["agency_groups"] = groups
    declared = {a["id"] for a in combined["agencies"] if isinstance(a, dict) and "id" in a}
    if len(declared) < len(combined["agencies"]):
        combined["agencies"] = list({a["id"]: a for a in combined["agencies"]}.values())
    try:
        model = Intervention.from_dict(combined)
    except ModelError as exc:
        raise ModelError([(_member_path(p, models), msg) for p, msg in exc.problems]) from None
    model._programme = [{"name": label, "file": str(path), "model_name": m.name, "inputs": _files_read(path, m),
                         "costs": len(m.costs), "outcomes": len(m.outcomes)} for label, path, m in models]
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
    with the file and field path.
    """
    p = path_argument(path, "load_intervention: path")  # a dict: cba.Intervention.from_dict
    raw = read_bytes(p, "model file")
    try:
        text = decode_text(raw, str(p))
        data = parse_data(text, "model file", source=str(p), format=data_format(p, text))
        if not isinstance(data, dict):
            raise CBAError(f"{p}: a model file must be a mapping of fields (name, price_base, costs, ...)")
        if is_programme(data):  # several interventions on one footing, one deal
            model = build_programme(data, p.resolve().parent, str(p))
        else:
            model = Intervention.from_dict(data)
            model._base_dir = p.resolve().parent
    except CBAError as exc:
        raise in_file(p, exc) from None
    model._source_sha256 = hashlib.sha256(raw).hexdigest()
    return model
