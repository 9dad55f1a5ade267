"""Rich displays of results in Jupyter notebooks: labelled HTML tables.

Each result object's ``_repr_html_`` calls :func:`html`, which finds the display for
the object's type here: an option comparison, a partnership deal and a solver's
answer, and the uncertainty results (scenarios, one-way sensitivity, switching
values, Monte Carlo). The tables are those of the command line
(:mod:`cba.outputs.tables._uncertainty`, :mod:`cba.outputs.tables._deal`), rendered by
:func:`cba.outputs._format.render_table_html`, so that a notebook reads like the
terminal: metric labels, units, the price base, and what a ``none`` means.

Examples
--------
>>> import cba
>>> c = cba.compare(["examples/options/single_intake.yaml", "examples/options/two_intakes.yaml"])
>>> page = c._repr_html_()
>>> "<table" in page and "Who pays and who saves under Key workers: two intakes" in page
True
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape
from typing import TYPE_CHECKING, Any

import pandas as pd

from cba.outputs._format import render_table_html

if TYPE_CHECKING:  # pragma: no cover
    from cba.ledger._compare import Comparison

#: The style of a result's block: tables left-aligned, a little space between them.
STYLE = ("<style>.cba-result table{margin:0 0 1em 0}.cba-result caption{caption-side:top;padding:.3em 0;"
         "text-align:left}.cba-result td,.cba-result th{padding:.15em .6em;vertical-align:bottom}"
         ".cba-result th{text-align:left}</style>")


def block(title: str, lines: Iterable[str] = (), tables: Iterable[pd.DataFrame] = ()) -> str:
    """A result as HTML: a bold title, lines of text under it, then labelled tables."""
    head = f"<p><strong>{escape(title)}</strong>" + "".join(f"<br>{escape(x)}" for x in lines if x) + "</p>"
    return (f"<div class='cba-result'>{STYLE}{head}" + "".join(render_table_html(t) for t in tables)
            + "</div>")


# ---------------------------------------------------------------- options and deals
def comparison_html(comparison: Comparison) -> str:
    """Options side by side, against the reference, and who pays and who saves under each."""
    from cba.outputs.tables._comparison import agency_blocks, heading

    t = comparison.tables()
    return block("Options compared", [heading(comparison)],
                 [t["side_by_side"], t["incremental"], *agency_blocks(comparison)])


def partnership_html(result: Any) -> str:
    """A partnership deal: each partner without and with it, its terms, the flows, each partner by year."""
    model = result.appraisal.intervention
    from cba.outputs._format import units_text
    from cba.outputs.tables._deal import position_sentences

    lines = [f"Price base {model.price_base}, horizon {model.horizon} years, discounting: "
             f"{model.discounting.describe()}. {units_text(model.price_base)}",
             *(f"Warning: {w}" for w in getattr(result.appraisal, "warnings", [])),
             *([] if result.terms.is_empty else position_sentences(result))]
    return block(result.name, lines, result.tables.values())


def solution_html(solution: Any) -> str:
    """A solver's answer: the question in words, whether it has one, the answer, the shares, and the terms
    it set (marked in the deal's terms table) when the solver kept the appraisal it answers."""
    from cba.model._agencies import display_name
    from cba.outputs.tables._terms import question, terms_table

    frame = pd.DataFrame({"item": ["Question", "Has an answer", "Answer", "Method"],
                          "value": [question(solution), "yes" if solution.feasible else "no", solution.message,
                                    solution.method]})
    frame.attrs.update(title="The answer", kinds={"item": "text", "value": "text"},
                       labels={"item": "Item", "value": "Value"})
    tables = [frame]
    appraisal = getattr(solution, "appraisal", None)
    names = None if appraisal is None else appraisal.intervention.agency_names
    shares = (solution.details or {}).get("shares")
    if isinstance(shares, dict) and shares:
        t = pd.DataFrame({"partner": [display_name(p, names) for p in shares],
                          "share": [float(v) for v in shares.values()]})
        t.attrs.update(title="Shares by partner", kinds={"partner": "text", "share": "rate"},
                       labels={"partner": "Partner", "share": "Share"})
        tables.append(t)
    lines = []
    if solution.terms is None:
        lines.append("No terms are set: the question has no answer.")
    elif appraisal is not None:
        terms = terms_table(solution.result(appraisal), solution)
        lines += ["The terms it sets:", *terms.loc[terms["solved"].astype(bool), "sentence"]]
        tables.append(terms)
    return block(f"Question: {question(solution)}", lines, tables)


# ---------------------------------------------------------------- uncertainty
def scenarios_html(result: Any, model: Any = None) -> str:
    from cba.outputs.tables._uncertainty import scenario_tables

    return block("Scenarios", ["Each scenario's results, the model as given as 'base'."],
                 scenario_tables(result, model).values())


def sensitivity_html(result: Any, model: Any = None) -> str:
    from cba.outputs.tables._uncertainty import sensitivity_tables

    return block("One-way sensitivity", ["Each parameter moved to its low and high value in turn, everything "
                                         "else as modelled; largest swing first."],
                 sensitivity_tables(result, model).values())


def switching_html(values: Any, model: Any = None) -> str:
    """One switching value, or a list of them."""
    from cba.outputs.tables._uncertainty import switching_tables

    values = [values] if hasattr(values, "metric_range") else list(values)
    return block("Switching values", ["The value of each parameter at which a result crosses its threshold, "
                                      "everything else as modelled."], switching_tables(values, model).values())


def montecarlo_html(result: Any) -> str:
    from cba.outputs.tables._uncertainty import montecarlo_tables

    return block("Monte Carlo", [f"{result.draws:,} draws of {len(result.parameters)} parameter(s); seed "
                                 f"{result.seed} (seed scheme {result.seed_scheme}) repeats the run."],
                 montecarlo_tables(result).values())


def switching_frame_html(frame: pd.DataFrame) -> str:
    """A table of switching values (columns of :func:`cba.uncertainty.switching_values`) as HTML."""
    from cba.outputs._format import fmt
    from cba.outputs._labels import metric_kind, metric_label
    from cba.outputs.tables._frame import _table

    tables = []
    for metric, rows in frame.groupby("metric", sort=False):
        kind = metric_kind(str(metric))
        label = metric_label(str(metric))
        shown = pd.DataFrame({"label": rows["label"].to_numpy(),
                              "base": ["" if pd.isna(x) else f"{x:.6g}" for x in rows["base"]],
                              "value": ["none" if pd.isna(x) else f"{x:.6g}" for x in rows["value"]]})
        notes = [{"label": "none", "kind": "text",
                  "value": str(m).replace(str(metric), label).replace(str(p), str(lab))}
                 for m, p, lab, found in zip(rows["message"], rows["parameter"], rows["label"], rows["found"])
                 if not found]
        threshold = fmt(float(rows["threshold"].iloc[0]), kind)
        t = _table(shown, f"Where {label} reaches {threshold}", kinds={c: "text" for c in shown.columns},
                   labels={"label": "Parameter", "base": "Value in the model", "value": "Switching value"},
                   notes=notes)
        t.attrs["none_note"] = ""
        tables.append(t)
    return block("Switching values", ["The value of each parameter at which a result crosses its threshold, "
                                      "everything else as modelled."], tables)


# ---------------------------------------------------------------- dispatch
def html(obj: Any) -> str:
    """The rich display of a result object (see the module docstring)."""
    name = type(obj).__name__
    displays = {"Comparison": comparison_html, "PartnershipResult": partnership_html, "Solution": solution_html,
                "ScenarioResult": scenarios_html, "SensitivityResult": sensitivity_html,
                "SwitchingValue": switching_html, "MonteCarloResult": montecarlo_html}
    if isinstance(obj, pd.DataFrame) and "message" in obj.columns and "metric" in obj.columns:
        return switching_frame_html(obj)
    return displays[name](obj)
