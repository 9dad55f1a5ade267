"""The agencies that bear costs and bank savings.

The canonical ids follow the partners of a local public-service business case in
the GM method: the council, the NHS, the Department for Work and Pensions, HM
Revenue and Customs, the police, the wider criminal justice system, fire and
rescue, schools and education, housing providers, and everything else. Models may
declare further agencies with lower-case slug ids.
"""

from __future__ import annotations

import re

#: Canonical agency id -> display name.
CANONICAL_AGENCIES: dict[str, str] = {
    "local_authority": "Local authority",
    "nhs": "NHS",
    "dwp": "DWP",
    "hmrc": "HMRC",
    "police": "Police",
    "criminal_justice": "Criminal justice system",
    "fire": "Fire and rescue",
    "education": "Education",
    "housing": "Housing",
    "other": "Other",
}

SLUG = re.compile(r"^[a-z][a-z0-9_]*$")


def display_name(agency_id: str, extra: dict[str, str] | None = None) -> str:
    """Display name of an agency id (declared names win over canonical ones).

    >>> display_name("dwp")
    'DWP'
    >>> display_name("youth_offending")
    'Youth offending'
    """
    from cba.core._arguments import kind_of, text_argument
    from cba.core._errors import CBAError

    text_argument(agency_id, "display_name: agency_id")
    if extra is not None and not isinstance(extra, dict):
        raise CBAError(f"display_name: extra: expected a mapping of agency ids to names, got {kind_of(extra)}")
    if extra and agency_id in extra:
        return extra[agency_id]
    if agency_id in CANONICAL_AGENCIES:
        return CANONICAL_AGENCIES[agency_id]
    return agency_id.replace("_", " ").capitalize()
