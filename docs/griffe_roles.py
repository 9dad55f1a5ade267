"""A griffe extension for the API reference: the docstrings' reStructuredText bits as Markdown.

The docstrings are numpydoc, written to read well as plain text and in Sphinx. The
API reference (mkdocstrings) reads them as Markdown, where Sphinx roles, citations,
simple tables and ``::`` would show raw. Before rendering, this extension rewrites,
in every docstring of the ``cba`` package:

- a role such as ``:func:`cba.engine._evaluate.evaluate``` (``:class:``, ``:mod:``, ``:meth:``,
  ``:attr:``, ``:data:``; ``~`` shows the last name only; a name without its module is
  looked up from where the docstring is) as a cross-reference to the object's entry
  in the reference, or as code when the reference has no entry for it;
- a simple table (rows between lines of ``=``) as a Markdown table;
- a citation ``.. [1] ...`` and its use ``[1]_`` as ``[1]``;
- a paragraph ending in ``::`` (a literal block follows) as ending in ``:``;

and gives a module attribute documented by ``#:`` comments above it (Sphinx's
convention) those comments as its docstring, so that the reference lists it.

Configured in ``mkdocs.yml`` (``extensions: [docs/griffe_roles.py]``); nothing here is
part of the library.
"""

from __future__ import annotations

import re
from html import escape

import griffe

ROLE = re.compile(r":(?:py:)?(func|class|mod|meth|attr|data|obj|exc):`(~?)([^`]+)`")
CITATION = re.compile(r"^(\s*)\.\. \[(\w+)\]\s+", re.M)
CITED = re.compile(r"\[(\w+)\]_")
RULE = re.compile(r"^(\s*)(=+)((?:\s+=+)+)\s*$")


def _resolve(root: griffe.Module, obj: griffe.Object, target: str) -> str | None:
    """The full path of the object ``target`` names, seen from ``obj``, or None."""
    target = target.strip().lstrip(".")
    module = obj if obj.is_module else obj.module
    scopes = [target]
    here = obj if (obj.is_class or obj.is_module) else obj.parent
    while here is not None:
        scopes.append(f"{here.path}.{target}")
        here = here.parent
    scopes.append(f"{module.path}.{target}")
    for path in scopes:
        if path == root.path or not path.startswith(root.path + "."):
            continue
        try:
            found = root[path[len(root.path) + 1:]]
        except (KeyError, ValueError, griffe.AliasResolutionError, griffe.CyclicAliasError):
            continue
        try:
            return found.final_target.path if found.is_alias else found.path
        except (griffe.AliasResolutionError, griffe.CyclicAliasError):
            return found.path
    return None


def _roles(text: str, root: griffe.Module, obj: griffe.Object) -> str:
    def replace(m: re.Match) -> str:
        short, target = m.group(2) == "~", m.group(3)
        shown = target.strip().lstrip(".").split(".")[-1] if short else target.strip().lstrip(".")
        code = f"<code>{escape(shown)}</code>"
        path = _resolve(root, obj, target)
        if path is None:
            return code
        return f'<autoref identifier="{escape(path)}" optional>{code}</autoref>'

    return ROLE.sub(replace, text)


def _tables(text: str) -> str:
    """Simple reStructuredText tables (with or without a heading row) as Markdown tables.

    A row whose first cell is empty continues the row above it.
    """
    lines = text.split("\n")
    out: list[str] = []
    i = 0
    while i < len(lines):
        m = RULE.match(lines[i])
        if not m:
            out.append(lines[i])
            i += 1
            continue
        indent = m.group(1)
        spans = [(s.start(), s.end()) for s in re.finditer(r"=+", lines[i])]

        def cells(line: str, spans: list[tuple[int, int]] = spans) -> list[str]:
            cut = [line[a:(spans[k + 1][0] if k + 1 < len(spans) else len(line))] for k, (a, _b) in enumerate(spans)]
            return [c.strip().replace("|", "\\|") for c in cut]

        head: list[list[str]] = []
        rows: list[list[str]] = []
        j, closed = i + 1, False
        while j < len(lines):
            if RULE.match(lines[j]):
                if j + 1 >= len(lines) or not lines[j + 1].strip():
                    closed = True
                    break
                head, rows = rows, []       # the rule under a heading row
            elif lines[j].strip():
                row = cells(lines[j])
                if rows and not row[0]:
                    rows[-1] = [f"{a} {b}".strip() for a, b in zip(rows[-1], row)]
                else:
                    rows.append(row)
            j += 1
        if not closed or not rows:
            out.append(lines[i])
            i += 1
            continue
        heading = head[0] if head else [""] * len(spans)
        out += ["", indent + "| " + " | ".join(heading) + " |", indent + "|" + "|".join(" --- " for _ in spans) + "|"]
        out += [indent + "| " + " | ".join(r) + " |" for r in rows]
        out.append("")
        i = j + 1
    return "\n".join(out)


def _literal(text: str) -> str:
    return re.sub(r"(\S)::$", r"\1:", text, flags=re.M)


def markdown(text: str, root: griffe.Module, obj: griffe.Object) -> str:
    """A docstring's text with its reStructuredText bits as Markdown (see the module docstring)."""
    text = _roles(text, root, obj)
    text = _tables(text)
    text = CITATION.sub(lambda m: f"{m.group(1)}[{m.group(2)}] ", text)
    text = CITED.sub(lambda m: f"[{m.group(1)}]", text)
    return _literal(text)


def _comment_above(obj: griffe.Object) -> str:
    """The ``#:`` comment lines right above an attribute's assignment, as text."""
    try:
        lines = obj.module.lines
    except Exception:
        return ""
    found: list[str] = []
    i = (obj.lineno or 0) - 2
    while 0 <= i < len(lines) and lines[i].strip().startswith("#:"):
        found.insert(0, lines[i].strip()[2:].strip())
        i -= 1
    return " ".join(found)


class RolesAsMarkdown(griffe.Extension):
    """Rewrite the docstrings of the ``cba`` package once it is loaded."""

    def on_package(self, *, pkg: griffe.Module, **kwargs) -> None:
        if pkg.name != "cba":
            return
        seen: set[int] = set()

        def walk(obj: griffe.Object) -> None:
            if id(obj) in seen:
                return
            seen.add(id(obj))
            if obj.docstring is None and obj.is_attribute:
                comment = _comment_above(obj)
                if comment:
                    obj.docstring = griffe.Docstring(comment, parent=obj)
            if obj.docstring is not None:
                obj.docstring.value = markdown(obj.docstring.value, pkg, obj)
            for member in obj.members.values():
                if not member.is_alias:
                    walk(member)

        walk(pkg)
