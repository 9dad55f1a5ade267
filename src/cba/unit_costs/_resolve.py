"""Valuing an outcome by unit-cost code.

An outcome may say ``value: {unit_cost: E&E1.0}`` instead of giving components.
:func:`resolve_unit_value` turns the code into value components before the
engine runs:

* **fiscal**, by agency: from the constituents where they split the headline's
  fiscal value (E&E1.0 -> DWP 9,234 from E&E1.0.1, a transfer payment, and NHS
  566 from E&E1.0.2), otherwise one component for the entry's own agency;
* **economic** and **social**: the entry's own values;

each at its own price year, which the engine uplifts to the appraisal's price
base with the intervention's ``deflator`` (default: the HM Treasury series). A
price year outside that series is an error that suggests a series covering it.

Every component carries its provenance: ``unit_cost`` (the code asked for),
``label`` (the row the number came from, e.g. ``E&E1.0.1``), ``database`` (title
and version) and ``source``. The cashable share is left unset: it is 0 unless the
outcome's ``cashable`` gives one, overall or per agency. ``exclude`` drops
components by value type, agency or row code.

Which data resolve codes is set on the intervention::

    unit_costs:
      database: gmca_v1_4        # or the path of a tidy CSV (e.g. an imported v3.0)
      supplementary: true        # add cba's supplementary figures
      local: [our_costs.csv]     # our own unit costs; they win on the same code

Paths are relative to the model file. :func:`~cba.unit_costs._components.components_for`,
the components of one entry, is defined in :mod:`cba.unit_costs._components`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, cast

import cba.method._deflators as deflators
from cba.core._errors import CBAError
from cba.unit_costs._components import components_for
from cba.unit_costs._database import UnitCostDatabase
from cba.unit_costs._datasets import combined
from cba.unit_costs._shipped import DATASETS

if TYPE_CHECKING:  # pragma: no cover
    from cba.model._intervention import Intervention
    from cba.model._lines import UnitValue, ValueComponent


def database_for(intervention: Intervention) -> UnitCostDatabase:
    """The unit cost data an intervention's ``unit_costs`` settings select."""
    from cba.core._arguments import instance_argument
    from cba.model._intervention import Intervention

    instance_argument(intervention, Intervention, "database_for: intervention", "an Intervention")
    settings = getattr(intervention, "unit_costs", None)
    base = getattr(intervention, "_base_dir", None)

    def where(p: str) -> str:
        path = Path(p)
        return str(path if path.is_absolute() or base is None else Path(base) / path)

    if settings is None:
        return combined()
    database = settings.database
    if database not in DATASETS:
        database = where(database)
    extra = {a.id for a in getattr(intervention, "agencies", [])}
    return combined(database, use_supplementary=settings.supplementary,
                    local=[where(p) for p in settings.local], agency_ids=extra)


def resolve_unit_value(value: UnitValue, intervention: Intervention) -> list[ValueComponent]:
    """Value components for ``value.unit_cost`` in an intervention (called by the engine).

    Parameters
    ----------
    value : UnitValue
        With ``unit_cost`` set to a code.
    intervention : Intervention
        Its ``unit_costs`` settings choose the data, its ``deflator`` must cover
        every price year, and its agencies must include every fiscal agency.

    Returns
    -------
    list of ValueComponent
        Amounts at their own price years (the engine uplifts them).

    Raises
    ------
    CBAError
        Unknown code (with suggestions), unusable entry, or a price year outside
        the intervention's deflator series.

    Examples
    --------
    >>> from cba import Intervention, UnitValue
    >>> model = Intervention.from_dict({"name": "x", "price_base": "2024/25", "outcomes": []})
    >>> comps = resolve_unit_value(UnitValue(unit_cost="CR1.0"), model)
    >>> [(c.type, c.agency, c.amount, c.price_year, c.database) for c in comps]
    [('fiscal', 'police', 500.0, '2002/03', 'GMCA Unit Cost Database v1.4')]
    """
    from cba.core._arguments import instance_argument
    from cba.model._intervention import Intervention
    from cba.model._lines import UnitValue

    instance_argument(value, UnitValue, "resolve_unit_value: value", "a UnitValue")
    instance_argument(intervention, Intervention, "resolve_unit_value: intervention", "an Intervention")
    db = database_for(intervention)
    cost = db.lookup(cast(str, value.unit_cost))  # a value with a code: see Parameters
    comps = components_for(cost, db, agency_names=intervention.agency_names)
    series = deflators.get(intervention.deflator)
    for c in comps:
        if c.price_year not in series.index:
            others = [n for n in deflators.available() if n != series.name]
            covering = []
            for n in others:
                try:
                    d = deflators.get(n)
                except CBAError:
                    continue
                if c.price_year in d.index:
                    covering.append(f"{n} ({d.first_year} to {d.last_year})")
            hint = f"; series covering it: {', '.join(covering)}" if covering else ""
            raise CBAError(f"the {c.type} value of {c.label} is at {c.price_year} prices, outside the deflator "
                           f"series {series.name!r} ({series.first_year} to {series.last_year}); choose a series "
                           f"with `deflator:` that covers it and the price base{hint}, or give the value as "
                           "components")
    return comps
