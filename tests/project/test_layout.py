"""The shape of the package: few modules at the top, small modules, no import cycles.

The import contract (``lint-imports``, run by CI) keeps the layers one-way and
sibling packages acyclic. These tests add what it does not see: every import
statement in ``src/cba``, at module level or inside a function (but not under
``TYPE_CHECKING``), counted module by module, including a package's ``__init__``
and its own modules, must form a graph without a cycle.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from ..conftest import REPO

SRC = REPO / "src"
PACKAGE = SRC / "cba"
#: A module of about 500 lines is the most the project keeps (CONTRIBUTING.md).
MOST_LINES = 510


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in PACKAGE.rglob("*.py")}


def imported(name: str, path: Path) -> set[str]:
    """The cba modules ``name`` imports anywhere in its code, except under ``TYPE_CHECKING``."""
    is_package = path.name == "__init__.py"
    found: set[str] = set()

    def target(node: ast.Import | ast.ImportFrom) -> list[str]:
        if isinstance(node, ast.Import):
            return [a.name for a in node.names]
        base = name.split(".") if is_package else name.split(".")[:-1]
        if node.level:
            base = base[: len(base) - (node.level - 1)]
            prefix = ".".join([*base, *([node.module] if node.module else [])])
        else:
            prefix = node.module or ""
        return [f"{prefix}.{a.name}" if f"{prefix}.{a.name}" in MODULES else prefix for a in node.names]

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            for t in target(node):
                while t and t not in MODULES:
                    t = t.rpartition(".")[0]
                if t and t != name:
                    found.add(t)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(ast.parse(path.read_text(encoding="utf-8")))
    return found


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def connect(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph[v]:
            if w not in index:
                connect(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            connect(v)
    return found


def test_the_module_graph_has_no_cycle():
    graph = {name: imported(name, path) for name, path in MODULES.items()}
    assert cycles(graph) == []


def test_the_cycle_finder_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_a_function_level_import_counts_and_a_type_checking_one_does_not():
    wiring = imported("cba.ledger._appraisal", PACKAGE / "ledger" / "_appraisal.py")
    assert "cba.engine._evaluate" in wiring                       # module level
    assert "cba.ledger._ledger" in wiring                         # inside a method
    assert "cba.partnership._results" not in wiring               # under TYPE_CHECKING only


def test_at_most_five_modules_at_the_top():
    top = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert len(top) <= 5, top


@pytest.mark.parametrize("name", sorted(MODULES))
def test_every_module_is_small(name):
    lines = MODULES[name].read_text(encoding="utf-8").count("\n")
    assert lines <= MOST_LINES, f"{name}: {lines} lines"


@pytest.mark.parametrize("package", sorted(n for n, p in MODULES.items() if p.name == "__init__.py"))
def test_every_package_says_what_lives_there(package):
    doc = ast.get_docstring(ast.parse(MODULES[package].read_text(encoding="utf-8")))
    assert doc and len(doc.splitlines()) >= 2, package
