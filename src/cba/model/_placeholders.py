"""Placeholders a starter model still holds: text marked ``REPLACE`` by ``cba init``.

``cba init`` writes a model whose figures are the method's worked example, each marked
for replacement, and whose description and sources begin with ``REPLACE:``. YAML
comments do not survive reading the file, so the marks that can be seen in a model are
those texts: while any remains, every appraisal of the model carries a warning naming
where (:func:`placeholder_warning`), so a starter model is not mistaken for evidence.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from cba.model._intervention import Intervention

#: The word ``cba init`` puts at the start of every text to replace.
MARK = "REPLACE"
#: Fields named in the warning; the rest are counted.
SHOWN = 3


def _marked(text: str | None) -> bool:
    return isinstance(text, str) and text.lstrip().startswith(MARK)


def placeholders(model: Intervention) -> list[str]:
    """Field paths of the texts that still begin with ``REPLACE`` (description and sources).

    >>> from cba.model._intervention import Intervention
    >>> m = Intervention.model_validate({"name": "x", "price_base": "2024/25", "horizon": 1,
    ...     "description": "REPLACE: what it does", "costs": [{"name": "Staff", "agency": "nhs", "amounts": [1],
    ...     "source": "REPLACE: where it comes from"}, {"name": "Rooms", "agency": "nhs", "amounts": [1],
    ...     "source": "Council accounts 2024/25"}]})
    >>> placeholders(m)
    ['description', 'costs[0].source']
    """
    found = ["description"] if _marked(model.description) else []
    found += [f"costs[{i}].source" for i, c in enumerate(model.costs) if _marked(c.source)]
    for i, o in enumerate(model.outcomes):
        if _marked(o.source):
            found.append(f"outcomes[{i}].source")
        found += [f"outcomes[{i}].value.components[{j}].source"
                  for j, c in enumerate(o.value.components or ()) if _marked(c.source)]
    return found


def placeholder_warning(model: Intervention) -> str | None:
    """The warning for a model that still holds ``cba init`` placeholders (None when it holds none).

    >>> from cba.model._intervention import Intervention
    >>> m = Intervention.model_validate({"name": "x", "price_base": "2024/25", "horizon": 1,
    ...     "description": "REPLACE: what it does"})
    >>> print(placeholder_warning(m))  # doctest: +NORMALIZE_WHITESPACE
    the model still holds 1 placeholder from cba init (description): its figures are the
    method's worked example, not evidence; replace every figure and text marked REPLACE
    """
    found = placeholders(model)
    if not found:
        return None
    shown = ", ".join(found[:SHOWN]) + (f" and {len(found) - SHOWN} more" if len(found) > SHOWN else "")
    return (f"the model still holds {len(found)} placeholder{'s' if len(found) != 1 else ''} from cba init "
            f"({shown}): its figures are the method's worked example, not evidence; replace every figure and "
            f"text marked {MARK}")
