"""Cost codes and workbook text: normalising, keying, placing codes in the hierarchy.

Cost codes follow the GMCA Unit Cost Database: ``CR1.0`` is a headline cost,
``CR1.1`` a subsidiary cost and ``CR8.0.2`` a constituent of ``CR8.0`` (see the
workbook's Guidance sheet). Codes are matched on :func:`code_key` (spaces removed,
case folded), so ``e&e1.0`` and ``E&E 1.0`` name the same entry. Workbook text
(descriptions, sources, comments) is made one line by :func:`clean_text`.
"""

from __future__ import annotations

import re

_CODE = re.compile(r"^([A-Za-z&]+)(\d+)\.(\d+)(?:\.(\d+))?$")
_SPACES = re.compile(r"\s+")


def normalise_code(code: str) -> str:
    """A cost code without surrounding or inner spaces.

    >>> normalise_code(" CR 8.19.5 ")
    'CR8.19.5'
    """
    return _SPACES.sub("", str(code))


def code_key(code: str) -> str:
    """The key codes are matched on: spaces removed, case folded.

    >>> code_key("e&e1.0") == code_key("E&E1.0")
    True
    """
    return normalise_code(code).casefold()


def code_level(code: str) -> tuple[str, str | None]:
    """Level of a cost code in the hierarchy, and its parent code.

    Returns
    -------
    (level, parent)
        ``level`` is ``headline`` (``X.0``), ``subsidiary`` (``X.n``, n > 0),
        ``constituent`` (``X.n.m``, whose parent is ``X.n``) or ``""`` for a code
        outside the GMCA scheme.

    Examples
    --------
    >>> code_level("CR1.0"), code_level("CR1.3")
    (('headline', None), ('subsidiary', None))
    >>> code_level("E&E1.0.1")
    ('constituent', 'E&E1.0')
    >>> code_level("pssru2023-gp-incl")
    ('', None)
    """
    from cba.core._arguments import text_argument

    text_argument(code, "code_level: code")
    m = _CODE.match(normalise_code(code))
    if not m:
        return "", None
    prefix, n, sub, item = m.groups()
    if item is not None:
        return "constituent", f"{prefix}{n}.{sub}"
    return ("headline" if int(sub) == 0 else "subsidiary"), None


def code_sort_key(code: str) -> tuple:
    """Sort key putting ``CR2.0`` before ``CR10.0`` and constituents after their parent.

    >>> sorted(["CR10.0", "CR2.0.1", "CR2.0", "CR2.1"], key=code_sort_key)
    ['CR2.0', 'CR2.0.1', 'CR2.1', 'CR10.0']
    """
    m = _CODE.match(normalise_code(code))
    if not m:
        return (1, code_key(code), 0, 0, -1)
    prefix, n, sub, item = m.groups()
    return (0, prefix.upper(), int(n), int(sub), -1 if item is None else int(item))


def clean_text(value, *, prose: bool = False) -> str:
    """Workbook text as one line: non-breaking spaces to spaces, line breaks joined.

    Short fields (descriptions, units, names) join their lines with ``" / "``;
    prose (sources, comments) joins them with a space.

    >>> clean_text("Anti-social behaviour\\nwarning letter\\xa0delivered ")
    'Anti-social behaviour / warning letter delivered'
    >>> clean_text("First paragraph.\\n\\nSecond.", prose=True)
    'First paragraph. Second.'
    """
    if value is None:
        return ""
    text = str(value).replace("\xa0", " ").replace("\r\n", "\n").replace("\r", "\n")
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return (" " if prose else " / ").join(line for line in lines if line)
