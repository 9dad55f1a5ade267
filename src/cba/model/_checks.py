"""Every mistake of a model built or changed in Python, reported together with its field path.

pydantic checks a model's fields first and its checks across fields (an unknown
agency, more amounts than years) only once every field is valid, so a model with a
rate out of range and an unknown agency would report the first mistake only.
:func:`all_problems` reports both: after the field errors it fills each faulty
field with its default or a neutral value, validates again, and adds the checks
across fields that fail for reasons other than those fields.

A model nested in an :class:`~cba.model._intervention.Intervention` (an outcome, a value
component) can be found at its path there (:func:`place_of`), so that
``model.outcomes[0].deadweight = 1.4`` is refused as ``outcomes[0].deadweight: ...``.
The checks across fields of the whole model, which a change to a nested model or to
a list in place can break, run when the model is appraised
(:meth:`~cba.model._intervention.Intervention.check`, with :func:`structure_problems`): running
them at every change would make a loop over a large model's outcomes quadratic.
"""

from __future__ import annotations

import copy
import functools
import types
import typing
import weakref
from typing import Any, cast

from pydantic import BaseModel, TypeAdapter, ValidationError

from cba.core._errors import ModelError, from_pydantic, split_loc

#: Placeholders tried, in order, for a required field whose value is faulty.
_NEUTRAL: tuple[Any, ...] = (0, 1, 0.0, "x", "2024/25", [], {})
#: Rounds of filling faulty fields before giving up.
_ROUNDS = 3

# ---------------------------------------------------------------- all mistakes together


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """The pydantic model a field holds (directly, in a list or dict, or optional), if any."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _model_in(typing.get_args(annotation)[0])
    if origin in (list, dict, tuple, typing.Union, types.UnionType):
        for arg in typing.get_args(annotation):
            found = _model_in(arg)
            if found is not None:
                return found
    return None


@functools.cache
def _neutral(cls: type[BaseModel], name: str) -> tuple[bool, Any]:
    """``(True, value)``: a value field ``name`` of ``cls`` accepts, to stand in for a faulty one
    (once per field: building the type adapter is slow, and a large file may repeat a mistake)."""
    info = cls.model_fields[name]
    form: Any = typing.Annotated[info.annotation, *info.metadata] if info.metadata else info.annotation
    adapter: TypeAdapter[Any] = TypeAdapter(form)
    for value in _NEUTRAL:
        try:
            adapter.validate_python(value)
        except (ValidationError, TypeError, ValueError):
            continue
        return True, value
    return False, None


def _repair(cls: type[BaseModel], data: Any, loc: tuple, kind: str) -> tuple | None:
    """Fill the field at ``loc`` (its default or a neutral value); the field's path, or None."""
    model: type[BaseModel] | None
    path: tuple[Any, ...]
    field: tuple[type[BaseModel], str] | None
    target, model, path, field = data, cls, (), None
    parent, key = None, None
    for part in loc:
        if isinstance(part, str) and model is not None and part in model.model_fields and isinstance(target, dict):
            parent, key, field = target, part, (model, part)
            path = (*path, part)
            target = target.get(part)
            model = _model_in(model.model_fields[part].annotation)
        elif isinstance(part, str) and kind == "extra_forbidden" and isinstance(target, dict):
            target.pop(part, None)          # a field the model does not have: leave it out
            return (*path, part)
        elif isinstance(target, (list, dict)):
            try:
                target = target[part]
            except (KeyError, IndexError, TypeError):
                return None
            path = (*path, part)
        else:
            break
    if field is None or parent is None:
        return None
    model, name = field
    if not model.model_fields[name].is_required():
        parent.pop(key, None)
        return path
    ok, value = _neutral(model, name)
    if not ok:
        return None
    parent[key] = copy.deepcopy(value)
    return path


def _fields_of(path: tuple) -> str:
    from cba.core._errors import format_path

    return format_path(path)


def all_problems(cls: type[BaseModel], data: Any, err: ValidationError,
                 prefix: tuple = ()) -> ModelError:
    """The problems of :func:`_all_problems`, each unknown field with the known one it may be a misspelling of.

    >>> from cba.model._intervention import Intervention
    >>> try:
    ...     Intervention.model_validate({"name": "x", "price_base": "2024/25", "horizn": 3})
    ... except ModelError as exc:
    ...     print(exc)
    horizn: Extra inputs are not permitted, got 3; did you mean 'horizon'?
    """
    found = _all_problems(cls, data, err, prefix)
    hints = {}
    for e in err.errors(include_url=False):
        if e["type"] == "extra_forbidden":
            loc = split_loc(e["loc"])
            hint = _did_you_mean(cls, loc)
            if hint:
                hints[_fields_of((*prefix, *loc))] = hint
    if not hints:
        return found
    return ModelError([(p, f"{m}; did you mean {hints[p]!r}?" if p in hints else m) for p, m in found.problems])


def _did_you_mean(cls: type[BaseModel], loc: tuple) -> str | None:
    """The field of the model at ``loc[:-1]`` whose name is closest to the unknown ``loc[-1]`` (or None)."""
    import difflib

    model: type[BaseModel] | None = cls
    for part in loc[:-1]:
        if isinstance(part, str) and model is not None and part in model.model_fields:
            model = _model_in(model.model_fields[part].annotation)
        elif isinstance(part, str) and model is not None and any(f.alias == part for f in model.model_fields.values()):
            info = next(f for f in model.model_fields.values() if f.alias == part)
            model = _model_in(info.annotation)
    if model is None or not loc or not isinstance(loc[-1], str):
        return None
    names = [info.alias or name for name, info in model.model_fields.items()]
    close = difflib.get_close_matches(loc[-1], names, n=1, cutoff=0.6)
    return close[0] if close else None


def _all_problems(cls: type[BaseModel], data: Any, err: ValidationError,
                  prefix: tuple = ()) -> ModelError:
    """The field errors of ``err`` and the checks across fields the rest of ``data`` fails.

    Parameters
    ----------
    cls : type
        The model class ``data`` was validated as.
    data : Any
        The data (a dict) that failed.
    err : pydantic.ValidationError
        The failure.
    prefix : tuple
        Path of ``data`` within a larger model, put in front of every path.
    """
    first = from_pydantic(err, prefix)
    if not isinstance(data, dict):
        return first
    try:
        work = copy.deepcopy(data)
    except Exception:
        return first
    repaired: list[str] = []
    current = err
    for _ in range(_ROUNDS):
        for e in current.errors(include_url=False):
            loc = split_loc(e["loc"])
            if not loc and e["type"] == "value_error":
                continue               # a check across fields: reported below
            where = _repair(cls, work, loc, e["type"])
            if where is None:
                return first
            repaired.append(_fields_of(where))
        try:
            cast(types.MethodType, BaseModel.model_validate).__func__(cls, work)  # pydantic's, not cls's own
        except ValidationError as again:
            current = again
            if all(not split_loc(e["loc"]) for e in again.errors(include_url=False)):
                break                  # only checks across fields remain
            continue
        except (RecursionError, TypeError, ValueError):
            return first
        return first                   # nothing more wrong
    else:
        return first
    seen = {p for p, _ in first.problems}
    fixed = set(repaired)
    extra = []
    for path, message in from_pydantic(current, prefix).problems:
        bare = path[len(_fields_of(prefix)) + 1:] if prefix and path.startswith(_fields_of(prefix)) else path
        if path in seen or _within(bare, fixed):
            continue                   # caused by a field already reported (or its stand-in)
        extra.append((path, message))
    return ModelError(first.problems + extra) if extra else first


def _within(path: str, fields: set[str]) -> bool:
    """Whether ``path`` is one of ``fields`` or inside one (``costs[0].amounts`` in ``costs[0]``):
    a look-up per prefix of the path, so checking many paths stays linear."""
    return path in fields or any(ch in ".[" and path[:i] in fields for i, ch in enumerate(path))


# ---------------------------------------------------------------- where a nested model sits
# An intervention registers itself when it is validated (cheap); the paths of the
# models nested in it are found only when one of them is changed and its mistake
# needs its path (a walk of the registered interventions not walked since they
# changed), so that building large models costs nothing more.

#: id(intervention) -> weak reference to it, for every intervention validated.
_ROOTS: dict[int, weakref.ref] = {}
#: ids of interventions whose nested models have not been walked since they changed.
_STALE: set[int] = set()
#: id(nested model) -> (weak reference to it, weak reference to its root, its path in the root).
_PLACES: dict[int, tuple[weakref.ref, weakref.ref, str]] = {}
_SWEEP_AT = [4096]


@functools.cache
def _nested_fields(cls: type[BaseModel]) -> tuple[str, ...]:
    """Fields of ``cls`` that may hold models (directly, in a list or in a dict)."""
    return tuple(name for name, info in cls.model_fields.items() if _model_in(info.annotation) is not None)


def _sweep() -> None:
    """Forget models and interventions that no longer exist (now and then, as the tables grow)."""
    for key in [k for k, (ref, _root, _path) in _PLACES.items() if ref() is None]:
        del _PLACES[key]
    for key in [k for k, ref in _ROOTS.items() if ref() is None]:
        del _ROOTS[key]
        _STALE.discard(key)
    _SWEEP_AT[0] = max(4096, 2 * (len(_PLACES) + len(_ROOTS)))


def register_root(root: BaseModel) -> None:
    """Note that ``root`` (an intervention just validated) holds nested models at known paths."""
    _ROOTS[id(root)] = weakref.ref(root)
    _STALE.add(id(root))
    if len(_ROOTS) > _SWEEP_AT[0]:
        _sweep()


def stamp_paths(root: BaseModel) -> None:
    """Record, for every model nested in ``root``, its root and its field path there."""
    root_ref = weakref.ref(root)
    places = _PLACES

    def walk(value: Any, path: str) -> None:
        if isinstance(value, BaseModel):
            if path:
                places[id(value)] = (weakref.ref(value), root_ref, path)
            fields = value.__dict__
            for name in _nested_fields(type(value)):
                child = fields.get(name)
                if child is not None:
                    walk(child, f"{path}.{name}" if path else name)
        elif isinstance(value, list):
            for i, item in enumerate(value):
                walk(item, f"{path}[{i}]")
        elif isinstance(value, dict):
            for k, item in value.items():
                walk(item, f"{path}.{k}")

    walk(root, "")
    _STALE.discard(id(root))
    if len(places) > _SWEEP_AT[0]:
        _sweep()


def place_of(model: BaseModel) -> tuple[BaseModel | None, str]:
    """The intervention a nested model was last seen in, and its path there (``(None, "")`` if none)."""
    entry = _PLACES.get(id(model))
    if entry is None or entry[0]() is not model:
        for key in list(_STALE):
            ref = _ROOTS.get(key)
            root = ref() if ref is not None else None
            if root is None:
                _STALE.discard(key)
            else:
                stamp_paths(root)
        entry = _PLACES.get(id(model))
        if entry is None or entry[0]() is not model:
            return None, ""
    root = entry[1]()
    return (root, entry[2]) if root is not None else (None, "")


def with_place(model: BaseModel, err: ModelError) -> ModelError:
    """``err`` with the nested model's path in front of each of its problems."""
    _root, path = place_of(model)
    if not path:
        return err
    return ModelError([(f"{path}.{p}" if p else path, m) for p, m in err.problems])


# ---------------------------------------------------------------- a model changed in place
def _list_item_type(annotation: Any) -> Any:
    """The item type of a list field (through ``Annotated`` and ``| None``), or None."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _list_item_type(typing.get_args(annotation)[0])
    if origin is list:
        args = typing.get_args(annotation)
        return args[0] if args else None
    if origin in (typing.Union, types.UnionType):
        for arg in typing.get_args(annotation):
            found = _list_item_type(arg)
            if found is not None:
                return found
    return None


def _base_type(annotation: Any) -> Any:
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    return annotation


@functools.cache
def _list_fields(cls: type[BaseModel]) -> tuple[tuple[str, Any], ...]:
    """``(field, item type)`` of the fields of ``cls`` that hold a model or a list of models or numbers."""
    out = []
    for name, info in cls.model_fields.items():
        item = _list_item_type(info.annotation)
        base = _base_type(item) if item is not None else None
        if (isinstance(base, type) and issubclass(base, BaseModel)) or base in (float, int):
            out.append((name, base))
        elif _model_in(info.annotation) is not None:
            out.append((name, None))
    return tuple(out)


def structure_problems(model: BaseModel, path: tuple = ()):
    """Yield ``(path, message)`` for list items of the wrong type in a model changed in place
    (``model.costs.append({...})``, ``line.amounts.append("x")``): checks pydantic cannot make,
    as it sees assignments but not changes inside a list. The path is kept as parts and
    written out only for a problem, so a large model that has none is walked quickly."""
    import math

    for name, base in _list_fields(type(model)):
        value = model.__dict__.get(name)
        if isinstance(value, BaseModel):
            yield from structure_problems(value, (*path, name))
            continue
        if not isinstance(value, list) or base is None:
            continue
        if base in (float, int):
            for i, v in enumerate(value):
                if type(v) is float:
                    if not math.isfinite(v):
                        yield _path(path, name, i), f"expected a finite number, got {v!r}"
                elif isinstance(v, bool) or not isinstance(v, (int, float)):
                    yield _path(path, name, i), f"expected a number, got {v!r}"
            continue
        for i, v in enumerate(value):
            if not isinstance(v, base):
                yield _path(path, name, i), f"expected a {base.__name__}, got {type(v).__name__}"
            else:
                yield from structure_problems(v, (*path, name, i))


def _path(parts: tuple, *more) -> str:
    """``outcomes[0].value.components[1]`` from its parts (names and list indices)."""
    out = ""
    for p in (*parts, *more):
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else p)
    return out


def mark_changed(model: BaseModel) -> None:
    """A nested model changed: its intervention's paths are walked again when next needed."""
    entry = _PLACES.get(id(model))
    if entry is not None and entry[0]() is model:
        root = entry[1]()
        if root is not None:
            _STALE.add(id(root))
