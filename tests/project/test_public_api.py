"""The public API: the API reference names only what exists, documents every public
name, and every public function, class and method has a docstring and type annotations.

The public API (``docs/api.md``, "What is public") is ``cba.__all__`` and the
``__all__`` of the packages in :data:`PACKAGES`; a module whose name starts with an
underscore is internal. The reference documents objects with mkdocstrings entries,
``::: dotted.name``, optionally with an explicit ``options: members:`` list.
"""

from __future__ import annotations

import dataclasses
import functools
import importlib
import inspect
import re
import textwrap
from collections.abc import Callable, Iterator
from typing import Any

import pydantic
import pytest
import yaml

from ..conftest import REPO

API_PAGE = REPO / "docs" / "api.md"

#: The packages whose ``__all__`` is public, in the order of their layers.
PACKAGES = (
    "cba",
    "cba.core",
    "cba.method",
    "cba.model",
    "cba.unit_costs",
    "cba.engine",
    "cba.ledger",
    "cba.partnership",
    "cba.uncertainty",
    "cba.portfolios",
    "cba.outputs.tables",
    "cba.outputs.charts",
    "cba.outputs.report",
    "cba.outputs.export",
)

ENTRY = re.compile(r"^:::\s*(\S+)\s*$")


# ---------------------------------------------------------------- reading the API page
@dataclasses.dataclass(frozen=True)
class Entry:
    """One ``::: path`` of the API page, with its explicit ``members:`` list if any."""

    path: str
    line: int
    members: tuple[str, ...] | None      # None: no explicit list (mkdocstrings' own choice)


def entries(markdown: str) -> list[Entry]:
    """Every mkdocstrings entry of a Markdown page and the YAML options indented under it."""
    lines = markdown.splitlines()
    found: list[Entry] = []
    for i, line in enumerate(lines):
        m = ENTRY.match(line)
        if not m:
            continue
        block: list[str] = []
        for following in lines[i + 1:]:
            if following.strip() and not following[0].isspace():
                break
            block.append(following)
        options = yaml.safe_load(textwrap.dedent("\n".join(block))) or {}
        members = (options.get("options") or {}).get("members")
        if members is None or members is True:
            listed = None
        elif members is False:
            listed = ()
        else:
            assert isinstance(members, list), f"docs/api.md:{i + 1}: members must be a list, got {members!r}"
            listed = tuple(str(name) for name in members)
        found.append(Entry(m.group(1), i + 1, listed))
    return found


def resolve(dotted: str) -> Any:
    """The object a dotted path names: the longest importable module, then attributes."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:cut]))
        except ModuleNotFoundError:
            continue
        for name in parts[cut:]:
            obj = getattr(obj, name)
        return obj
    raise ModuleNotFoundError(dotted)


def documented_paths(page: list[Entry]) -> list[str]:
    """Every dotted path the page documents: the entries and their listed members.

    A module entry without a ``members:`` list documents its ``__all__``.
    """
    paths: list[str] = []
    for entry in page:
        paths.append(entry.path)
        members = entry.members
        if members is None:
            obj = resolve(entry.path)
            members = tuple(getattr(obj, "__all__", ())) if inspect.ismodule(obj) else ()
        paths += [f"{entry.path}.{name}" for name in members]
    return paths


@pytest.fixture(scope="module")
def page() -> list[Entry]:
    return entries(API_PAGE.read_text(encoding="utf-8"))


# ---------------------------------------------------------------- the public names
def public_names() -> Iterator[tuple[str, Any]]:
    """(``package.name``, object) for every name in a public ``__all__``."""
    for package in PACKAGES:
        module = importlib.import_module(package)
        for name in module.__all__:
            yield f"{package}.{name}", getattr(module, name)


def is_ours(obj: Any) -> bool:
    return (getattr(obj, "__module__", None) or "").split(".")[0] == "cba"


def unwrap(value: Any) -> Callable[..., Any] | None:
    """The function behind a class attribute (method, static or class method, property), or None."""
    if isinstance(value, (staticmethod, classmethod)):
        return value.__func__
    if isinstance(value, property):
        return value.fget
    if isinstance(value, functools.cached_property):
        return value.func
    if inspect.isroutine(value):
        return value
    return None


@dataclasses.dataclass(frozen=True)
class Public:
    """A public function, class, method or property: where it is public, the function
    whose signature it has (a property's getter) and what ``inspect.getdoc`` finds."""

    path: str
    obj: Any
    doc: str | None


def public_methods(cls: type) -> Iterator[tuple[str, Callable[..., Any], str | None]]:
    """(name, function, docstring) of each public method and property of ``cls``, its
    own or inherited from a class of ``cba``; dunder methods, the methods of other
    libraries' base classes (pydantic's ``BaseModel``, ``Exception``, ``tuple``) and the
    methods pydantic generates are left out. A method that overrides a documented one
    has that one's docstring (``inspect.getdoc``)."""
    seen: set[str] = set()
    for klass in cls.__mro__:
        for name, value in vars(klass).items():
            if name in seen:
                continue
            seen.add(name)
            if name.startswith("_") or not is_ours(klass):
                continue
            func = unwrap(value)
            if func is None or not is_ours(inspect.unwrap(func)):
                continue                    # a field, a constant, or generated by pydantic
            accessed = value if isinstance(value, (property, functools.cached_property)) else getattr(cls, name)
            yield name, func, inspect.getdoc(accessed)


def public_callables() -> list[Public]:
    """Every public function, class and method, each once (under its first public path)."""
    out: list[Public] = []
    seen: set[int] = set()

    def add(path: str, obj: Any, doc: str | None) -> None:
        if id(obj) not in seen:
            seen.add(id(obj))
            out.append(Public(path, obj, doc))

    for path, obj in public_names():
        if inspect.isclass(obj):
            own = vars(obj).get("__doc__")
            add(path, obj, None if generated_doc(obj) else own)
            for name, method, doc in public_methods(obj):
                add(f"{path}.{name}", method, doc)
        elif inspect.isroutine(obj):
            add(path, obj, inspect.getdoc(obj))
    return out


def generated_doc(cls: type) -> bool:
    """Whether a class's docstring is the one ``dataclass`` or ``namedtuple`` writes."""
    doc = cls.__doc__ or ""
    if dataclasses.is_dataclass(cls):
        try:
            return doc == cls.__name__ + str(inspect.signature(cls)).replace(" -> None", "")
        except (TypeError, ValueError):
            return False
    fields = getattr(cls, "_fields", None)
    return isinstance(fields, tuple) and doc == f"{cls.__name__}({', '.join(fields)})"


def where(path: str, obj: Any) -> str:
    """``path``, and where the object is written when that is elsewhere (a base class)."""
    func = inspect.unwrap(obj)
    defined = f"{getattr(func, '__module__', '?')}.{getattr(func, '__qualname__', '?')}"
    return path if defined.split(".")[-2:] == path.split(".")[-2:] else f"{path} (written as {defined})"


def missing_annotations(func: Callable[..., Any], *, returns: bool = True) -> list[str]:
    """The parameters of ``func`` without an annotation, and ``return`` if it has none."""
    try:
        signature = inspect.signature(func)
    except (TypeError, ValueError) as exc:
        return [f"no signature ({exc})"]
    missing = []
    for i, parameter in enumerate(signature.parameters.values()):
        if i == 0 and parameter.name in ("self", "cls"):
            continue
        if parameter.kind in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD):
            continue
        if parameter.annotation is inspect.Parameter.empty:
            missing.append(parameter.name)
    if returns and signature.return_annotation is inspect.Signature.empty:
        missing.append("return")
    return missing


def own_init(cls: type) -> Callable[..., Any] | None:
    """The ``__init__`` written in ``cba`` for ``cls``, or None: pydantic models and
    dataclasses (their fields are annotated; pydantic and ``@dataclass`` write the
    ``__init__``), and classes whose ``__init__`` is another library's (named tuples,
    exceptions)."""
    if issubclass(cls, pydantic.BaseModel) or dataclasses.is_dataclass(cls):
        return None
    for klass in cls.__mro__:
        if "__init__" in vars(klass):
            init = vars(klass)["__init__"]
            return init if is_ours(klass) and inspect.isfunction(init) else None
    return None


# ---------------------------------------------------------------- (a) the page names what exists
def test_the_api_page_has_a_section_for_every_public_package(page):
    paths = [entry.path for entry in page]
    missing = [p for p in PACKAGES if not any(path == p or path.startswith(p + ".") for path in paths)]
    assert not missing, f"packages with no entry in docs/api.md: {missing}"


def test_every_entry_and_member_of_the_api_page_resolves(page):
    unresolved = []
    for entry in page:
        try:
            obj = resolve(entry.path)
        except (ImportError, AttributeError) as exc:
            unresolved.append(f"docs/api.md:{entry.line}: ::: {entry.path} ({exc})")
            continue
        for name in entry.members or ():
            if not hasattr(obj, name):
                unresolved.append(f"docs/api.md:{entry.line}: {entry.path}.{name} (a member)")
    assert not unresolved, "the API reference names objects that do not exist:\n" + "\n".join(unresolved)


def test_the_api_page_documents_no_internal_module(page):
    private = [f"docs/api.md:{e.line}: ::: {e.path}" for e in page
               if any(part.startswith("_") for part in e.path.split("."))]
    assert not private, "the API reference documents internal modules:\n" + "\n".join(private)


# ---------------------------------------------------------------- (b) every public name is documented
def test_every_public_name_resolves_and_is_documented(page):
    paths = set(documented_paths(page))
    # a class or function re-exported by several packages is documented once, under any of them
    objects = set()
    for path in paths:
        try:
            obj = resolve(path)
        except (ImportError, AttributeError):
            continue                        # reported by the test above
        if inspect.isclass(obj) or inspect.isroutine(obj):
            objects.add(id(obj))
    undocumented = []
    for package in PACKAGES:
        module = importlib.import_module(package)
        for name in module.__all__:
            path = f"{package}.{name}"
            try:
                obj = getattr(module, name)
            except AttributeError as exc:
                undocumented.append(f"{path}: does not resolve ({exc})")
                continue
            if path in paths:
                continue
            if (inspect.isclass(obj) or inspect.isroutine(obj)) and id(obj) in objects:
                continue
            undocumented.append(path)
    assert not undocumented, "public names missing from docs/api.md:\n" + "\n".join(undocumented)


# ---------------------------------------------------------------- (c) docstrings
def test_every_public_function_class_and_method_has_a_docstring():
    missing = [where(p.path, p.obj) for p in public_callables() if not (p.doc and p.doc.strip())]
    assert not missing, "public functions, classes and methods without a docstring:\n" + "\n".join(missing)


# ---------------------------------------------------------------- (d) annotations
def test_every_public_function_and_method_is_annotated():
    missing = []
    for public in public_callables():
        path, obj = public.path, public.obj
        if inspect.isclass(obj):
            init = own_init(obj)
            gaps = missing_annotations(init, returns=False) if init is not None else []
            if gaps:
                missing.append(f"{where(path + '.__init__', init)}: {', '.join(gaps)}")
            continue
        gaps = missing_annotations(obj)
        if gaps:
            missing.append(f"{where(path, obj)}: {', '.join(gaps)}")
    assert not missing, "public functions and methods without annotations:\n" + "\n".join(missing)


# ---------------------------------------------------------------- the helpers themselves
SAMPLE = """\
# Title

::: cba.ledger
    options:
      show_root_heading: false
      members:
        - by_group
        - central_government_share

::: cba.appraise

::: cba.core
    options:
      members: []
"""


def test_entries_are_read_with_their_members():
    found = entries(SAMPLE)
    assert [(e.path, e.line, e.members) for e in found] == [
        ("cba.ledger", 3, ("by_group", "central_government_share")),
        ("cba.appraise", 10, None),
        ("cba.core", 12, ()),
    ]
    assert documented_paths(found) == [
        "cba.ledger", "cba.ledger.by_group", "cba.ledger.central_government_share", "cba.appraise", "cba.core",
    ]
    assert resolve("cba.ledger.by_group") is importlib.import_module("cba.ledger._groups").by_group


def test_the_checks_catch_what_they_are_for():
    def bare(x, *args, y: int = 0, **kwargs):
        return x

    def typed(x: int, *args, **kwargs) -> int:
        """Typed."""
        return x

    assert missing_annotations(bare) == ["x", "return"]
    assert missing_annotations(typed) == []

    @dataclasses.dataclass
    class Point:
        x: int

    @dataclasses.dataclass
    class Documented:
        """A point."""

        x: int

    assert generated_doc(Point) and not generated_doc(Documented)   # @dataclass writes one for Point

    from cba.uncertainty import Distribution, Triangular

    methods = {name: (func, doc) for name, func, doc in public_methods(Triangular)}
    assert methods["ppf"][0] is vars(Triangular)["ppf"]
    assert methods["ppf"][1] == inspect.getdoc(Distribution.ppf)   # an override has its base's docstring
    assert methods["support"][0] is vars(Triangular)["support"].fget
    assert not {"__init__", "__repr__"} & set(methods)
    from cba import Intervention

    methods = {name: doc for name, _func, doc in public_methods(Intervention)}
    assert methods["from_yaml"] and "model_dump" not in methods   # pydantic's own methods are not ours
    with pytest.raises(AttributeError):
        resolve("cba.no_such_name")
