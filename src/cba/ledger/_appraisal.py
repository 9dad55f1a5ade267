"""The appraisal: one entry point, one result object.

:func:`appraise` runs the engine for an intervention and returns an
:class:`Appraisal`. Its metrics, agency table and yearly table are aggregations
of the engine's totals by agency, value type and year; the tidy ledger, one row
per line, agency, value type and year, is built from the same flows when a view,
table or export first asks for it, and sums to the same totals (a property test
ties the two). pandas is imported only then.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import numpy as np

import cba.engine._finite as finite
from cba._version import __version__
from cba.core._accessors import accessor
from cba.core._errors import CBAError, naming
from cba.core._files import write_file
from cba.core._limits import check_export_rows
from cba.core._numbers import guard
from cba.core._plain import plain
from cba.engine._compiled import FISCAL, CompiledModel, compile_model
from cba.engine._evaluate import Flows, Totals, evaluate, reduce_flows
from cba.engine._loading import load_intervention
from cba.engine._metrics import AGENCY_METRIC_NAMES, METRIC_NAMES, SAVING_METRIC_NAMES, compute
from cba.ledger._groups import by_group, central_government_share
from cba.model._agencies import display_name
from cba.model._intervention import Intervention

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd
    from matplotlib.figure import Figure

    from cba.model._deal_terms import Partnership
    from cba.model._value_for_money import ValueForMoneyBands
    from cba.partnership._results import PartnershipResult


class Appraisal:
    """The result of appraising one intervention.

    Attributes
    ----------
    intervention : Intervention
        The input, as validated.
    compiled : CompiledModel
        The arrays the engine ran on.
    flows : Flows
        The engine's yearly flows by cost line and value component (one draw).
    totals : Totals
        The flows summed by agency, value type and year: what the metrics, the
        agency table and the yearly table are computed from.
    ledger : pandas.DataFrame
        One row per (source line, agency, value type, cashable, transfer, year);
        built on first use.
    metrics : dict of str to float or None
        The results of the method spec, section 5, then ``pv_cost_reduction`` and
        ``pv_cost_avoidance`` when the model classes savings.
    value_for_money : str or None
        The category of the benefit-cost ratio (e.g. ``high``; see
        :class:`~cba.model._value_for_money.ValueForMoneyBands`).
    warnings : list of str
        What must be read beside the results (possible double counting); shown
        in every output, and an error with ``cba appraise --strict``.

    Examples
    --------
    >>> import cba
    >>> a = cba.appraise(cba.Intervention.from_yaml('''
    ... name: Tiny
    ... price_base: 2024/25
    ... horizon: 2
    ... costs: [{name: Staff, agency: local_authority, amounts: [1000]}]
    ... outcomes:
    ...   - {name: Fewer call-outs, cohort: 10, success: 0.5,
    ...      value: {components: [{type: fiscal, agency: police, amount: 300}]}}
    ... '''))
    >>> a.metrics["pv_fiscal"], a.metrics["financial_roi"]
    (1500.0, 1.5)
    >>> a.by_agency()[["agency", "pv_costs", "pv_fiscal", "net"]]
                agency  pv_costs  pv_fiscal    net
    0  local_authority    1000.0        0.0 -1000.0
    1           police       0.0     1500.0  1500.0
    """

    def __init__(self, intervention: Intervention, compiled: CompiledModel, ledger: pd.DataFrame | None = None,
                 source: str | None = None, source_sha256: str | None = None, *,
                 flows: Flows | None = None) -> None:
        self.intervention = intervention
        self.compiled = compiled
        self.source = source
        self.source_sha256 = source_sha256
        self.run_at = datetime.now(UTC).isoformat(timespec="seconds")
        if flows is not None:
            self.__dict__["flows"] = flows
        if ledger is not None:
            # the appraisal of a ledger given ready-made: its results are that ledger's sums
            from cba.ledger._ledger import totals_from_ledger

            self.__dict__["ledger"] = ledger
            self.__dict__["totals"] = totals_from_ledger(ledger, compiled.agencies, compiled.horizon,
                                                         compiled.params["discount_factors"], model=compiled)
        metrics, agency = compute(self.totals)
        self._metric_arrays = metrics
        self._agency_arrays = agency
        names = METRIC_NAMES + tuple(k for k in SAVING_METRIC_NAMES if k in metrics)
        self.metrics: dict[str, float | None] = {k: plain(metrics[k][0]) for k in names}
        self.warnings: list[str] = list(compiled.warnings)

    @property
    def value_for_money(self) -> str | None:
        """The value for money category of the ratio the model's ``value_for_money`` bands
        name (e.g. ``high``); None when the model asks for no category (the default) or
        the ratio is none. In the JSON results it is ``metrics.value_for_money``. Read it
        with its basis, :meth:`ValueForMoneyBands.label`: a category is not a verdict."""
        bands = self.value_for_money_bands
        return None if bands is None else bands.category(self.metrics[bands.metric])

    @property
    def value_for_money_bands(self) -> ValueForMoneyBands | None:
        """The bands that put a ratio in a value for money category, or None: the model's
        ``value_for_money``, given where the guidance applies them (DfT's for transport)."""
        return self.intervention.value_for_money

    # ---- the engine's results, each computed once
    @cached_property
    def flows(self) -> Flows:
        """The engine's flows of the appraisal (:func:`cba.engine._evaluate.evaluate`, one draw)."""
        return evaluate(self.compiled)

    @cached_property
    def totals(self) -> Totals:
        """The flows summed by agency, value type and year (:func:`cba.engine._evaluate.reduce_flows`)."""
        return reduce_flows(self.compiled, self.flows)

    @cached_property
    def ledger(self) -> pd.DataFrame:
        """The tidy ledger (:func:`cba.ledger._ledger.build_ledger`), built on first use."""
        from cba.ledger._ledger import build_ledger

        return build_ledger(self.compiled, self.flows)

    # ---- views: aggregations of the totals
    def by_agency(self) -> pd.DataFrame:
        """Who pays and who saves: one row per agency (present values, pounds).

        Columns: ``agency``, ``agency_name``, ``pv_costs``, ``pv_fiscal``,
        ``pv_cashable``, ``pv_transfer``, ``net`` (fiscal minus costs),
        ``cost_share``, ``fiscal_share`` and ``roi`` (NaN where undefined).
        """
        import pandas as pd

        names = self.intervention.agency_names
        data = {"agency": list(self.compiled.agencies),
                "agency_name": [display_name(a, names) for a in self.compiled.agencies]}
        for k in AGENCY_METRIC_NAMES:
            data[k] = self._agency_arrays[k][0]
        return pd.DataFrame(data)

    def by_year(self, terms: str = "real") -> pd.DataFrame:
        """Costs and benefits by year and value type, real and discounted.

        Columns: ``year``, ``year_label``, ``discount_factor``, then ``costs``,
        ``fiscal``, ``cashable``, ``transfer``, ``economic``, ``social``,
        ``public_value`` (real, pounds), the same prefixed ``discounted_``,
        ``fiscal_net`` and ``cumulative_discounted_fiscal_net``. With ``terms="cash"``
        the undiscounted amounts are in pounds of each year, with a ``cash_factor``
        column (:func:`cba.ledger._cash.by_year_in`).
        """
        if terms != "real":
            from cba.ledger._cash import by_year_in

            return by_year_in(self, terms)
        import pandas as pd

        H = self.compiled.horizon
        t = self.totals
        df = t.discount_factors[0]
        out = pd.DataFrame({"year": np.arange(H), "year_label": list(self.compiled.year_labels),
                            "discount_factor": self.compiled.params["discount_factors"]})
        yearly = {
            "costs": t.costs[0].sum(axis=0),
            "fiscal": t.fiscal[0].sum(axis=0),
            "cashable": t.cashable[0].sum(axis=0),
            "transfer": t.transfer[0].sum(axis=0),
            "economic": t.economic[0],
            "social": t.social[0],
        }
        for name, real in yearly.items():
            out[name] = real
            out[f"discounted_{name}"] = real * df
        if t.health_discount_factors is not None:  # health values are discounted on their own schedule
            hdf = t.health_discount_factors[0]
            for name in ("economic", "social"):
                health = getattr(t, f"{name}_health")
                if health is not None:
                    out[f"discounted_{name}"] = (yearly[name] - health[0]) * df + health[0] * hdf
        out["public_value"] = out["fiscal"] - out["transfer"] + out["economic"] + out["social"]
        out["discounted_public_value"] = (out["discounted_fiscal"] - out["discounted_transfer"]
                                          + out["discounted_economic"] + out["discounted_social"])
        out["fiscal_net"] = out["fiscal"] - out["costs"]
        out["discounted_fiscal_net"] = out["discounted_fiscal"] - out["discounted_costs"]
        out["cumulative_discounted_fiscal_net"] = out["discounted_fiscal_net"].cumsum()
        return out

    def cash_ledger(self) -> pd.DataFrame:
        """The ledger with ``cash_factor`` and ``cash`` (each row's real amount in pounds of its year)."""
        from cba.ledger._cash import cash_ledger

        return cash_ledger(self)

    def check(self, tolerance: float = 1e-9) -> pd.DataFrame:
        """Rows where the agency parts do not sum to the totals (empty when consistent)."""
        import pandas as pd

        ag = self.by_agency()
        rows = []
        for col, metric in (("pv_costs", "pv_costs"), ("pv_fiscal", "pv_fiscal"), ("pv_cashable", "pv_cashable")):
            parts, total = float(ag[col].sum()), self.metrics[metric] or 0.0
            if abs(parts - total) > tolerance * max(1.0, abs(total)):
                rows.append({"metric": metric, "sum_of_agencies": parts, "total": total})
        return pd.DataFrame(rows, columns=["metric", "sum_of_agencies", "total"])

    @cached_property
    def provenance(self) -> dict[str, Any]:
        """Where the numbers come from: library, deflator, discounting, run time."""
        model = self.intervention
        deflator = self.compiled.deflator
        return {
            "library": "cba-appraisal",
            "version": __version__,
            "model_file": Path(self.source).name if self.source else None,  # the name; the hash says which
            "model_file_sha256": self.source_sha256,
            "model_sha256": hashlib.sha256(model.to_json(indent=None).encode("utf-8")).hexdigest(),
            "price_base": model.price_base,
            "horizon": model.horizon,
            "deflator": deflator.name if deflator else model.deflator,
            "deflator_vintage": deflator.vintage if deflator else None,
            "unit_cost_databases": sorted({str(c["database_version"]) for c in self.compiled.component_info
                                           if c.get("database_version")}),
            "discounting": model.discounting.describe(),
            **({"health_discounting": model.health_schedule.describe()} if self.compiled.health.any() else {}),
            "first_year_discounted": model.first_year_discounted,
            "optimism_bias_table": model.optimism_bias.name,
            "value_for_money_bands": _bands_text(self.value_for_money_bands),
            "run_at": self.run_at,
        }

    # ---- partnership: groups and deals (see cba.partnership)
    def by_group(self, grouping: str = "tier") -> pd.DataFrame:
        """Who pays and who saves by agency group (default: tier of government).

        See :func:`cba.ledger.by_group`.
        """
        return by_group(self, grouping)

    def partnership(self, terms: Partnership | dict[str, Any] | None = None) -> PartnershipResult:
        """Lay a partnership deal over this appraisal: every partner without and with the deal.

        ``terms`` is a :class:`~cba.model._deal_terms.Partnership` or a dict of its
        fields; by default the model's own ``partnership`` section (with none, the
        deal is empty and every partner stays where this appraisal puts it).
        Returns a :class:`~cba.partnership.PartnershipResult` (reached through
        :mod:`cba.core._accessors`: the deal is a layer above the appraisal).
        """
        source = getattr(self.intervention, "_source_file", None) if terms is None else None
        with naming(source):  # the deal's mistakes are the model file's
            result: PartnershipResult = accessor("appraisal.partnership")(self, terms)
        return result

    # ---- who benefits, and distributional weights (cba.ledger._accounts)
    def accounts(self, montecarlo: Any = None) -> dict[str, Any]:
        """The accounts by who benefits (taxpayers by agency, participants, others, society),
        in total and per participant, with total benefits, net cost and the benefit-cost
        ratio; with a Monte Carlo run of the same model, the chance that benefits exceed
        costs (see :func:`cba.ledger._accounts.accounts`)."""
        from cba.ledger._accounts import accounts

        return accounts(self, montecarlo)

    def distributional(self) -> dict[str, Any] | None:
        """The distributionally weighted net present value beside the unweighted one; None
        when the model has no ``distribution`` (see :func:`cba.ledger._accounts.distributional`)."""
        from cba.ledger._accounts import distributional

        return distributional(self)

    def accounts_table(self, montecarlo: Any = None) -> pd.DataFrame:
        """The accounts by who benefits as a table: one row per participant and one in total."""
        frame: pd.DataFrame = accessor("appraisal.accounts_table")(self, montecarlo)
        return frame

    def accounts_chart(self) -> Figure:
        """Cumulative discounted benefits by who benefits, and costs, over the horizon."""
        figure: Figure = accessor("appraisal.accounts_chart")(self)
        return figure

    # ---- export
    def to_dict(self) -> dict[str, Any]:
        """Plain data for other tools (``None`` for undefined results).

        The layout is published as a JSON Schema: ``cba schema --results`` or
        :func:`cba.outputs.export.results_schema`.
        """
        check_export_rows(self._export_rows(), "JSON")

        def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
            rows = cast("list[dict[str, Any]]", frame.to_dict(orient="records"))  # the columns are named by text
            return [{k: plain(v) for k, v in row.items()} for row in rows]

        return {
            "name": self.intervention.name,
            "price_base": self.intervention.price_base,
            "horizon": self.intervention.horizon,
            "metrics": {**self.metrics, "value_for_money": self.value_for_money},
            "by_agency": records(self.by_agency()),
            "by_year": records(self.by_year()),
            "assumptions": accessor("appraisal.assumptions")(self),
            "ledger": records(self.ledger),
            "provenance": self.provenance,
            "warnings": list(self.warnings),
            "accounts": _plain_tree(self.accounts()),
            **self._partnership_dict(records),
            **({"distributional": _plain_tree(d)} if (d := self.distributional()) is not None else {}),
        }

    def _export_rows(self) -> int:
        """The ledger's rows without building it: every cost line and value component, every year."""
        c = self.compiled
        return (c.n_costs + c.n_components) * c.horizon

    def _partnership_dict(self, records) -> dict[str, Any]:
        """The ``groups`` (and, with a deal, ``partnership``) parts of :meth:`to_dict`."""
        out: dict[str, Any] = {"groups": {"tier": records(self.by_group()),
                                          "central_government_share": central_government_share(self)}}
        if getattr(self.intervention, "partnership", None) is not None:
            out["partnership"] = self.partnership().to_dict()
        return out

    def to_json(self, indent: int | None = 2) -> str:
        """The appraisal as JSON text: :meth:`to_dict`, indented by ``indent`` spaces (``None``: on one line)."""
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False, allow_nan=False)

    # ---- business-case tables and exports (cba.outputs, reached through cba.core._accessors)
    def table(self, name: str) -> pd.DataFrame:
        """One business-case table by name: ``summary``, ``agencies``, ``costs``,
        ``benefits``, ``cost_lines``, ``outcomes``, ``unit_values``, ``provenance``
        or ``ledger`` (see :mod:`cba.outputs.tables`)."""
        frame: pd.DataFrame = accessor("appraisal.table")(self, name)
        return frame

    def tables(self) -> dict[str, pd.DataFrame]:
        """Every business-case table, by name (see :mod:`cba.outputs.tables`)."""
        frames: dict[str, pd.DataFrame] = accessor("appraisal.tables")(self)
        return frames

    def to_markdown(self) -> str:
        """The tables as Markdown, ready to paste into a business case."""
        return str(accessor("appraisal.markdown")(self))

    def to_csv(self) -> str:
        """The tidy ledger as CSV text."""
        return str(accessor("appraisal.csv")(self))

    def to_excel(self, path: str | Path, force: bool = False) -> Path:
        """Write an Excel workbook with one sheet per table; never over an existing
        file unless ``force``."""
        return write_file(accessor("appraisal.xlsx")(self), path, force=force)

    def to_docx(self, path: str | Path, force: bool = False) -> Path:
        """Write a Word document of the business case (the report's tables, as editable Word
        tables, and its charts); never over an existing file unless ``force``."""
        return write_file(accessor("appraisal.docx")(self), path, force=force)

    # ---- display
    def summary(self) -> str:
        """The headline results as readable text."""
        return str(accessor("appraisal.summary")(self))

    def __str__(self) -> str:
        return self.summary()

    def __repr__(self) -> str:
        m = self.metrics
        return (f"<Appraisal {self.intervention.name!r}: pv_costs={m['pv_costs']:,.2f}, "
                f"pv_fiscal={m['pv_fiscal']:,.2f}, price base {self.intervention.price_base}>")

    def _repr_html_(self) -> str:
        return str(accessor("appraisal.html")(self))

    def plot(self, kind: str = "agencies", **kwargs: Any) -> Figure:
        """A chart of the results as a matplotlib Figure (see :mod:`cba.outputs.charts`).

        ``kind`` is ``agencies`` (who pays and who saves), ``cumulative`` (with
        the payback point), ``benefits`` (by year and value type) or ``costs`` (by
        agency and year).
        """
        figure: Figure = accessor("appraisal.plot")(self, kind, **kwargs)
        return figure


def _bands_text(bands: ValueForMoneyBands | None) -> str:
    """The value for money bands in words for the provenance: whose, of which ratio, the source."""
    if bands is None:
        return "none: the model asks for no value for money category (value_for_money not given)"
    return f"{bands.label()}: {bands.describe()} ({bands.source})"
def _plain_tree(value: Any) -> Any:
    """A dict of results as plain data for JSON (NaN as None), item by item."""
    if isinstance(value, dict):
        return {k: _plain_tree(v) for k, v in value.items()}
    return plain(value)


def pv_fiscal_excluding_transfers(appraisal: Appraisal) -> float:
    """Present value of fiscal benefits that are not transfer payments (pounds).

    The fiscal part of public value: ``pv_fiscal - PV(transfer fiscal flows)``
    (method spec, section 5), summed from the flows of the fiscal components that
    are not transfers.
    """
    from cba.core._arguments import instance_argument

    instance_argument(appraisal, Appraisal, "pv_fiscal_excluding_transfers: appraisal", "an Appraisal (cba.appraise)")
    c = appraisal.compiled
    keep = (c.component_type == FISCAL) & ~c.component_transfer
    return float(np.sum(appraisal.flows.benefits[0][keep] * appraisal.flows.discount_factors[0]))


def appraise(intervention: Intervention | str | Path | dict) -> Appraisal:
    """Appraise an intervention: the one entry point.

    Parameters
    ----------
    intervention : Intervention, dict, or path to a YAML/JSON model file

    Returns
    -------
    Appraisal
    """
    source = source_sha256 = None
    if isinstance(intervention, (str, Path)):
        source = str(intervention)
        intervention = load_intervention(intervention)
        source_sha256 = intervention._source_sha256  # of the bytes read (hardening)
    elif isinstance(intervention, dict):
        intervention = Intervention.from_dict(intervention)
    elif not isinstance(intervention, Intervention):
        raise CBAError("appraise takes an Intervention, a dict or the path of a model file, "
                       f"got {type(intervention).__name__}")
    else:
        intervention.check()  # it may have been changed in place since it was built
    # errors name the model file; no overflow becomes an inf (cba.engine._finite)
    with guard(source):
        compiled = compile_model(intervention)
        flows = evaluate(compiled)
        finite.check_flows(compiled, flows)
    return Appraisal(intervention, compiled, source=source, source_sha256=source_sha256, flows=flows)
