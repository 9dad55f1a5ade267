"""From the workbook's agency names to the canonical agencies.

The GMCA Unit Cost Database names the agency that bears a fiscal cost (or makes the
fiscal saving) in two columns, "Level 1" and "Level 2", as free text ("Local
Authority" / "Social Services", "DWP" / "JCP", "Criminal Justice System" / "Prison").
An appraisal needs one of the canonical agency ids of :mod:`cba.model._agencies`. The rule:

1. The level-1 name decides (level 2 names a part of it, or a second agency that
   shares the cost: "Police" / "Local authority" is a police cost).
2. Where level 1 is an umbrella ("Multiple") or blank, the level-2 name decides;
   where that is also an umbrella or blank, the agency is ``other``.
3. "Criminal Justice System" with level 2 "Police" is ``police`` (the police are
   a canonical agency of their own).

Names match case-insensitively with runs of spaces collapsed, so "Local authority",
"Local Authority" and "local  authority" are the same name. The original names are
kept alongside the canonical id wherever a unit cost is shown.

"HM Treasury" maps to ``hmrc``: in the workbook it names Exchequer tax receipts
(the fiscal values of the qualification entries E&S5.0 to E&S13.0), which HMRC
collects. A name the table does not know maps to ``other`` and is reported as a
data note by the reader.
"""

from __future__ import annotations

import re

#: Workbook agency name (normalised: lower case, single spaces) -> canonical id.
AGENCY_NAMES: dict[str, str] = {
    # councils and their services
    "local authority": "local_authority",
    "council": "local_authority",
    "social services": "local_authority",
    "children's services": "local_authority",
    "adult services": "local_authority",
    "housing services": "local_authority",
    "environmental services": "local_authority",
    "community safety partnership": "local_authority",
    "daat (drug & alcohol action teams)": "local_authority",
    # health
    "nhs": "nhs",
    "acute trust / hospital": "nhs",
    "clinical commissioning group": "nhs",
    "primary care trust / clinical commissioning group": "nhs",
    "primary care trust": "nhs",
    "community health provider": "nhs",
    "mental health trust": "nhs",
    "gp": "nhs",
    # work and pensions
    "dwp": "dwp",
    "department for work and pensions": "dwp",
    "jcp": "dwp",
    "jobcentre plus": "dwp",
    "benefits": "dwp",
    # tax
    "hmrc": "hmrc",
    "hm revenue and customs": "hmrc",
    "hm treasury": "hmrc",
    # police
    "police": "police",
    # criminal justice
    "criminal justice system": "criminal_justice",
    "ministry of justice": "criminal_justice",
    "court": "criminal_justice",
    "courts": "criminal_justice",
    "legal aid": "criminal_justice",
    "prison": "criminal_justice",
    "probation": "criminal_justice",
    "prison / young offenders institute": "criminal_justice",
    "young offenders institute": "criminal_justice",
    "youth offending team": "criminal_justice",
    "cafcass": "criminal_justice",
    # fire
    "fire service": "fire",
    "fire and rescue": "fire",
    "fire": "fire",
    # education
    "department for education": "education",
    "educational establishment": "education",
    "education services": "education",
    "schools": "education",
    "school": "education",
    "college": "education",
    "connexions service": "education",
    # housing providers
    "rsl": "housing",
    "registered social landlord": "housing",
    "registered provider": "housing",
    "housing association": "housing",
    # everything else
    "multiple": "other",
    "vcs": "other",
    "private sector": "other",
    "society / economic": "other",
    "victim services": "other",
    "other": "other",
}

#: Names that stand for several agencies: the other level decides.
UMBRELLA_NAMES = frozenset({"multiple"})

#: Placeholders the workbook uses for "no name".
_BLANK = frozenset({"", "-", "n/a", "none"})

_SPACES = re.compile(r"\s+")


def normalise_name(name: str | None) -> str:
    """Lower-case an agency name and collapse its spaces (blank for placeholders).

    >>> normalise_name("  Local  Authority ")
    'local authority'
    >>> normalise_name("-")
    ''
    """
    from cba.core._arguments import text_argument

    if name is not None:
        text_argument(name, "normalise_name: name")
    if name is None:
        return ""
    text = _SPACES.sub(" ", str(name).replace("\xa0", " ")).strip().lower()
    return "" if text in _BLANK else text


def is_known(name: str | None) -> bool:
    """Whether a workbook agency name is in :data:`AGENCY_NAMES` (blank counts as known).

    >>> is_known("Criminal Justice System"), is_known("Mars Agency")
    (True, False)
    """
    key = normalise_name(name)
    return key == "" or key in AGENCY_NAMES


def canonical_agency(level_1: str | None, level_2: str | None = None) -> str | None:
    """The canonical agency id for a workbook's level-1 and level-2 agency names.

    Parameters
    ----------
    level_1, level_2 : str or None
        The "Agency bearing the cost / making the fiscal saving" names, as written
        in the workbook (any case).

    Returns
    -------
    str or None
        A canonical id of :data:`cba.model._agencies.CANONICAL_AGENCIES`, or None when
        both names are blank.

    Examples
    --------
    >>> canonical_agency("Local authority")
    'local_authority'
    >>> canonical_agency("DWP", "HM Treasury")
    'dwp'
    >>> canonical_agency("Multiple", "DWP")
    'dwp'
    >>> canonical_agency("Criminal Justice System", "Police")
    'police'
    >>> canonical_agency("Criminal Justice System", "Prison")
    'criminal_justice'
    >>> canonical_agency("RSL"), canonical_agency("Multiple", "Multiple")
    ('housing', 'other')
    >>> canonical_agency(None, None) is None
    True
    """
    from cba.core._arguments import text_argument

    if level_1 is not None:
        text_argument(level_1, "canonical_agency: level_1")
    if level_2 is not None:
        text_argument(level_2, "canonical_agency: level_2")
    one, two = normalise_name(level_1), normalise_name(level_2)
    if not one and not two:
        return None
    if one == "criminal justice system" and two == "police":
        return "police"
    if one and one not in UMBRELLA_NAMES:
        return AGENCY_NAMES.get(one, "other")
    if two and two not in UMBRELLA_NAMES:
        return AGENCY_NAMES.get(two, "other")
    return "other"
