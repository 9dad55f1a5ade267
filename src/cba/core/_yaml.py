"""A strict, bounded YAML reader built on the parser's events (see :func:`cba.core._files.parse_data`).

PyYAML's ``safe_load`` keeps the last of two equal keys, expands aliases without
limit downstream (a "billion laughs" becomes billions of values once validated),
builds recursive structures and recurses once per nesting level. This reader takes
the parser's event stream (libyaml's when installed) and builds plain data in one
loop, without recursion: it refuses duplicate keys with their lines, counts every
value with each alias counted in full, bounds nesting depth and integer length,
refuses recursive aliases and any tag but the standard scalar, list and mapping
ones. Scalars are resolved and constructed exactly as ``safe_load`` does.
"""

from __future__ import annotations

from typing import Any

import yaml

import cba.core._limits as limits
from cba.core._errors import CBAError, format_path

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_SCALARS = {"tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
            "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null", "tag:yaml.org,2002:timestamp"}
_SEQ, _MAP, _MERGE, _INT = ("tag:yaml.org,2002:seq", "tag:yaml.org,2002:map", "tag:yaml.org,2002:merge",
                            "tag:yaml.org,2002:int")


class _Frame:
    """An open list or mapping."""

    __slots__ = ("anchor", "is_map", "key", "key_line", "keys", "line", "merges", "size", "value")

    def __init__(self, is_map: bool, anchor: str | None, line: int | None) -> None:
        self.is_map = is_map
        self.value: Any = {} if is_map else []
        self.anchor, self.line, self.size = anchor, line, 1
        self.key: Any = _NO_KEY
        self.key_line = line
        self.keys: dict = {}
        self.merges: list = []


_NO_KEY = object()
_MERGE_KEY = object()


def _prefix(where: str, line: int | None) -> str:
    parts = [p for p in (where, f"line {line}" if line is not None else "") if p]
    return ", ".join(parts) + ": " if parts else ""


def _field(stack: list[_Frame]) -> str:
    """The field path of the value being read (``costs[0].amounts[2]``), for messages."""
    parts: list[Any] = []
    for frame in stack:
        if not frame.is_map:
            parts.append(len(frame.value))
        elif frame.key is _NO_KEY or frame.key is _MERGE_KEY:
            break
        else:
            parts.append(_short(frame.key).strip("'") if not isinstance(frame.key, str) else frame.key[:60])
    return format_path(parts)


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def parse_yaml(text: str, where: str = "") -> Any:
    """Plain data of one YAML document (``None`` for an empty one); see :func:`cba.core._files.parse_data`."""
    max_depth, max_values, max_digits = limits.get("depth"), limits.get("values"), limits.get("integer_digits")
    loader = _LOADER(text)
    stack: list[_Frame] = []
    anchors: dict[str, tuple[Any, int]] = {}
    open_anchors: set[str] = set()
    total = 0
    documents = 0
    root: Any = None

    def fail(line: int | None, message: str) -> CBAError:
        return CBAError(f"{_prefix(where, line)}{message}")

    def count(n: int, line: int | None) -> None:
        nonlocal total
        total += n
        if total > max_values:
            raise fail(line, f"more than {max_values:,} values (each use of an alias counts in full); "
                             f"{limits.exceeded('values')}")

    def deliver(value: Any, size: int, line: int | None, is_merge_key: bool = False) -> None:
        nonlocal root
        if not stack:
            root = value
            return
        top = stack[-1]
        top.size += size
        if not top.is_map:
            top.value.append(value)
            return
        if top.key is _NO_KEY:
            if isinstance(value, (dict, list)):
                raise fail(line, "a mapping key must be a plain value, not a list or mapping")
            top.key, top.key_line = (_MERGE_KEY if is_merge_key else value), line
            return
        key, top.key = top.key, _NO_KEY
        if key is _MERGE_KEY:
            merged = value if isinstance(value, list) else [value]
            if not all(isinstance(m, dict) for m in merged):
                raise fail(top.key_line, "'<<' (merge) takes a mapping or a list of mappings")
            top.merges.extend(merged)
            return
        try:
            first = top.keys.get(key)
        except TypeError:
            raise fail(top.key_line, f"the key {_short(key)} cannot be used as a mapping key") from None
        if first is not None:
            raise fail(top.key_line, f"duplicate key {_short(key)} (first on line {first})")
        top.keys[key] = top.key_line
        top.value[key] = value

    try:
        while loader.check_event():
            event = loader.get_event()
            line = event.start_mark.line + 1 if event.start_mark is not None else None
            kind = type(event)
            if kind is yaml.ScalarEvent:
                tag = event.tag
                if tag is None or tag == "!":
                    tag = loader.resolve(yaml.ScalarNode, event.value, event.implicit)
                is_merge = tag == _MERGE and bool(stack) and stack[-1].is_map and stack[-1].key is _NO_KEY
                if is_merge:
                    value = None
                elif tag not in _SCALARS:
                    raise fail(line, f"invalid YAML: unsupported tag {tag.replace('tag:yaml.org,2002:', '!!')} "
                                     f"(for {_short(event.value)}); quote the text if it is meant as text")
                else:
                    if tag == _INT:
                        digits = len(event.value.lstrip("+-").replace("_", ""))
                        if digits > max_digits:
                            field = _field(stack)
                            raise fail(line, f"{field + ': ' if field else ''}an integer of {digits:,} digits is "
                                             f"too long; {limits.exceeded('integer_digits')}")
                    node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, style=event.style)
                    try:
                        value = loader.yaml_constructors[tag](loader, node)
                    except (ValueError, TypeError, OverflowError, yaml.YAMLError) as exc:
                        raise fail(line, f"{_short(event.value)} is not a valid {tag.rsplit(':', 1)[-1]} "
                                         f"({' '.join(str(exc).split())})") from None
                count(1, line)
                if event.anchor is not None:
                    anchors[event.anchor] = (value, 1)
                deliver(value, 1, line, is_merge)
            elif kind is yaml.SequenceStartEvent or kind is yaml.MappingStartEvent:
                is_map = kind is yaml.MappingStartEvent
                if event.tag not in (None, "!", _MAP if is_map else _SEQ):
                    raise fail(line, f"invalid YAML: unsupported tag {event.tag.replace('tag:yaml.org,2002:', '!!')}")
                if len(stack) >= max_depth:
                    raise fail(line, f"nested more than {max_depth} levels deep; {limits.exceeded('depth')}")
                count(1, line)
                if stack and stack[-1].is_map and stack[-1].key is _NO_KEY:
                    raise fail(line, "a mapping key must be a plain value, not a list or mapping")
                stack.append(_Frame(is_map, event.anchor, line))
                if event.anchor is not None:
                    open_anchors.add(event.anchor)
                    anchors.pop(event.anchor, None)
            elif kind is yaml.SequenceEndEvent or kind is yaml.MappingEndEvent:
                frame = stack.pop()
                value = frame.value
                if frame.merges:  # explicit keys win; earlier merged mappings win over later ones
                    merged: dict = {}
                    for m in reversed(frame.merges):
                        merged.update(m)
                    count(len(merged), line)
                    frame.size += len(merged)
                    merged.update(value)
                    value = merged
                if frame.anchor is not None:
                    open_anchors.discard(frame.anchor)
                    anchors[frame.anchor] = (value, frame.size)
                deliver(value, frame.size, frame.line)
            elif kind is yaml.AliasEvent:
                name = event.anchor
                if name in open_anchors:
                    raise fail(line, f"the alias *{name} refers to a list or mapping that contains it "
                                     "(a recursive structure)")
                if name not in anchors:
                    raise fail(line, f"the alias *{name} refers to no anchor &{name} before it")
                value, size = anchors[name]
                count(size, line)
                deliver(value, size, line)
            elif kind is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    raise fail(line, "expected one YAML document, found a second ('---')")
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if "maximum nesting depth" in str(exc.problem):  # libyaml's own ceiling, far above ours
            line = mark.line + 1 if mark is not None else None
            raise fail(line, f"nested more than {max_depth} levels deep; {limits.exceeded('depth')}") from None
        line = mark.line + 1 if mark is not None else None
        column = f", column {mark.column + 1}" if mark is not None else ""
        problem = " ".join(str(exc.problem or exc).split())
        context = f" ({' '.join(str(exc.context).split())})" if exc.context else ""
        raise CBAError(f"{_prefix(where, line).rstrip(': ')}{column}: invalid YAML: {problem}{context}"
                       .lstrip(": ")) from None
    except yaml.YAMLError as exc:
        raise CBAError(f"{_prefix(where, None)}invalid YAML: {' '.join(str(exc).split())}") from None
    finally:
        loader.dispose()
    return root
