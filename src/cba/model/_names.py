"""Names are identities: one spelling per agency, cost line and outcome.

Tables show names, deals refer to lines by name and partners are shown by their
agency's name. Two names that a reader cannot tell apart would show as two rows
with the same name, or let a deal pick the wrong line. So:

- :func:`control_problem`: a name may hold no control character or line break
  (:data:`cba.core._escaping.CONTROLS`: a terminal escape code would move the
  cursor, a line break would forge a row);
- :func:`name_key`: names that differ only by case, by surrounding or repeated
  spaces, by Unicode compatibility forms (NFKC: ``ﬁ`` and ``fi``, full-width
  letters) or by invisible format characters are the same name;
- :func:`skeleton`: beyond that, a name in which Cyrillic or Greek letters stand in
  for Latin ones that look the same (``DWР`` with a Cyrillic ``Р``) is the same
  name as the Latin one;
- :func:`mixed_script`: a word that mixes Latin with Cyrillic or Greek letters is
  refused on its own (a simple confusable check in the spirit of Unicode Technical
  Standard #39, "Unicode Security Mechanisms", mixed-script detection).

:func:`clashes` applies the last three to a list of names and yields each pair of
different spellings of one name, for :meth:`cba.model._intervention.Intervention.problems`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator

from cba.core._errors import shown
from cba.core._escaping import CONTROLS

#: Cyrillic and Greek letters (after case folding) that look like a Latin letter.
LOOK_ALIKES = str.maketrans({
    # Cyrillic
    "а": "a", "в": "b", "е": "e", "ё": "e", "һ": "h", "н": "h", "і": "i", "ї": "i", "ј": "j", "к": "k",
    "м": "m", "о": "o", "р": "p", "с": "c", "ѕ": "s", "т": "t", "у": "y", "х": "x", "ԁ": "d", "ԛ": "q",
    "ԝ": "w", "ӏ": "l",
    # Greek
    "α": "a", "β": "b", "ε": "e", "ζ": "z", "η": "h", "ι": "i", "κ": "k", "μ": "m", "ν": "n", "ο": "o",
    "ρ": "p", "τ": "t", "υ": "y", "χ": "x", "ϲ": "c", "ϳ": "j",
})


def control_problem(text: str) -> str | None:
    """What is wrong with a name holding a control character or line break, else None.

    >>> control_problem("Key workers") is None, control_problem("Key\\nworkers")
    (True, "holds a line break or control character ('\\\\n', at position 4); names are one line of text")
    """
    m = CONTROLS.search(text)
    if m is None:
        return None
    return (f"holds a line break or control character ({m.group()!r}, at position {m.start() + 1}); "
            "names are one line of text")


def name_key(text: str) -> str:
    """The name as compared: NFKC, case folded, spaces collapsed, format characters dropped.

    >>> name_key("  Key   Workers ") == name_key("key workers") == name_key("ＫＥＹ workers")
    True
    """
    if text.isascii():  # the usual case, and quick: NFKC leaves ASCII as it is
        return " ".join(text.lower().split())
    text = unicodedata.normalize("NFKC", text).casefold()
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    return " ".join(text.split())


def skeleton(text: str) -> str:
    """:func:`name_key` with Cyrillic and Greek look-alikes read as Latin letters.

    >>> skeleton("DWР") == skeleton("dwp")   # a Cyrillic Р
    True
    """
    key = name_key(text)
    return key if key.isascii() else key.translate(LOOK_ALIKES)


_WORD = re.compile(r"[^\W\d_]+")


def _script(ch: str) -> str | None:
    name = unicodedata.name(ch, "")
    for script in ("LATIN", "CYRILLIC", "GREEK"):
        if name.startswith(script):
            return script
    return None


def mixed_script(text: str) -> str | None:
    """The first word that mixes Latin with Cyrillic or Greek letters, else None.

    >>> mixed_script("DWР savings"), mixed_script("β-blocker prescriptions")
    ('DWР', None)
    """
    if text.isascii():
        return None
    for m in _WORD.finditer(text):
        word = m.group()
        if word.isascii():
            continue
        scripts = {s for s in map(_script, word) if s is not None}
        if len(scripts) > 1:
            return word
    return None


def clashes(names: Iterable[tuple[str, str]]) -> Iterator[tuple[str, str]]:
    """Yield ``(path, message)`` for names that are different spellings of one name.

    Parameters
    ----------
    names : iterable of (path, name)
        Each name with its field path. The same spelling twice is not a clash here
        (two lines may share a name; a deal that refers to it is refused elsewhere).

    Examples
    --------
    >>> [path for path, _ in clashes([("costs[0].name", "Staff"), ("costs[1].name", "staff ")])]
    ['costs[1].name']
    """
    first: dict[str, tuple[str, str]] = {}
    for path, name in names:
        if name.isascii():  # the usual case, kept quick for models of many lines
            key = " ".join(name.lower().split())
        else:
            word = mixed_script(name)
            if word is not None:
                yield path, (f"{shown(name)} mixes Latin with Cyrillic or Greek letters in the word {shown(word)}; "
                             "write it in one script")
            key = skeleton(name)
        seen = first.get(key)
        if seen is None:
            first[key] = (path, name)
        elif seen[1] != name:
            yield path, (f"{shown(name)} and {shown(seen[1])} ({seen[0]}) differ only by case, spaces, Unicode form "
                         "or look-alike letters; give them one spelling, or names that differ clearly")


__all__ = ["LOOK_ALIKES", "clashes", "control_problem", "mixed_script", "name_key", "skeleton"]
