"""``cba partnership MODEL``: a partnership deal, partner by partner, without and with the deal.

Examples::

    cba partnership examples/partnership/back_to_work/model.yaml
    cba partnership examples/partnership/back_to_work/model.yaml --solve gain-share --from dwp --to local_authority
    cba partnership MODEL.yaml --solve fair-shares
    cba partnership MODEL.yaml --solve price --outcome "Into work" --payee provider --payer local_authority
    cba partnership MODEL.yaml --spec uncertainty.yaml --draws 10000 --seed 1
    cba partnership PROGRAMME.yaml -f json -o deal.json
    cba partnership examples/partnership/back_to_work/model.yaml -o deal.docx
"""

from __future__ import annotations

from cba.cli._io import add_output_arguments, check_outputs, check_warnings, model_inputs, output_format, write_output
from cba.core._errors import CBAError, in_file
from cba.outputs.export._formats import check_output

FORMATS = ("table", "markdown", "json", "csv", "xlsx", "docx")
SOLVE = ("fair-shares", "gain-share", "price", "any-split")


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "partnership", help="a partnership deal: who funds what, who pays whom, each partner without and with the deal",
        description="Appraise a model (or a programme of models) and lay its partnership deal over it: for every "
                    "partner, what it bears without the deal and funds with it, what it banks, pays and receives, "
                    "its net position, return, break-even year and peak deficit without the deal and with the deal; "
                    "the terms in words; and the flows between partners. "
                    "--solve answers a board's questions; --spec adds each partner's chance of losing money.")
    p.add_argument("model", help="model or programme file (YAML or JSON)")
    p.add_argument("--format", "-f", choices=FORMATS, default=None,
                   help="output format (default: from the -o file's suffix, else table)")
    p.add_argument("--solve", choices=SOLVE,
                   help="fair-shares: costs in proportion to savings; gain-share: the smallest share of --from "
                        "partners' savings that brings --to to break even; price: the break-even price per "
                        "--outcome for --payee; any-split: whether any split leaves every partner ahead")
    p.add_argument("--from", dest="sources", action="append", metavar="PARTNER",
                   help="gain-share: a partner that passes on savings (repeatable)")
    p.add_argument("--to", metavar="PARTNER", help="gain-share: the partner brought to break even")
    p.add_argument("--target", type=float, default=0.0,
                   help="net position to reach instead of break-even (pounds, present value)")
    p.add_argument("--basis", help="gain-share (a new agreement): cashable, fiscal (default) or "
                                   "fiscal_excluding_transfers; "
                                   "fair-shares: fiscal (default) or cashable; price: gross (default) or net")
    p.add_argument("--outcome", metavar="NAME", help="price: the outcome paid for")
    p.add_argument("--payee", metavar="PARTNER", help="price: the partner paid for outcomes")
    p.add_argument("--payer", metavar="PARTNER", help="price: the partner that pays (needed for a new agreement)")
    p.add_argument("--spec", "-s", metavar="FILE",
                   help="uncertainty file with a 'distributions' section: add each partner's chance of losing money; "
                        "with --solve, the risk is the solved deal's: a term the solver sets (a gain-share "
                        "rate, a price) is held at its solved value, and the output says so")
    p.add_argument("--draws", "-n", type=int, help="Monte Carlo draws with --spec (default: the file's, else 10,000)")
    p.add_argument("--seed", type=int, help="random seed with --spec (default: the file's, else a new one)")
    p.add_argument("--terms", choices=("real", "cash"), default="real",
                   help="real (default): money at the price base; cash: add each partner's money and the "
                        "payments between partners by year in pounds of each year (table, markdown, json, csv, "
                        "xlsx)")
    p.add_argument("--strict", action="store_true",
                   help="treat warnings (possible double counting) as errors: exit status 2, no output")
    add_output_arguments(p)
    p.set_defaults(func=run)


def _solve(args, appraisal):
    import cba.partnership._solvers as solvers

    name = args.solve
    if name == "gain-share":
        if not args.sources or not args.to:
            raise CBAError("--solve gain-share needs --from PARTNER (one or more) and --to PARTNER")
        return solvers.gain_share(appraisal, args.sources, args.to, target=args.target, basis=args.basis)
    if name == "fair-shares":
        return solvers.fair_shares(appraisal, basis=args.basis or "fiscal")
    if args.basis is not None and name == "any-split":
        raise CBAError("--basis: any-split counts fiscal savings; --basis is for fair-shares, gain-share and price")
    if name == "price":
        if not args.outcome or not args.payee:
            raise CBAError("--solve price needs --outcome NAME and --payee PARTNER (and --payer for a new agreement)")
        return solvers.break_even_price(appraisal, args.outcome, args.payee, payer=args.payer, target=args.target,
                                        basis=args.basis)
    return solvers.any_split(appraisal)


def _strings(value) -> list[str]:
    """Every text inside a correlation section (pairs, a matrix's parameters, a frame's labels)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [t for k, v in value.items() for t in (*_strings(k), *_strings(v))]
    if isinstance(value, list | tuple):
        return [t for v in value for t in _strings(v)]
    return []


def _held(spec, solution) -> tuple[dict, list[str]]:
    """The spec's distributions without those of the terms the solver set, and the words for each held term.

    The risk is the solved deal's: a range the file gives for a solved term (the gain-share
    rate, the price) would replace the answer in every draw, so the term is held at its
    solved value and the output says so. A held term cannot be correlated with others.
    """
    from cba.uncertainty._parameters import canonical

    if solution is None or not solution.solved:
        return dict(spec.distributions), []
    held = [k for k in spec.distributions if solution.holds(canonical(k))]
    correlated = [t for t in _strings(spec.correlation) if solution.holds(canonical(t))]
    if correlated:
        raise CBAError(f"{spec.source}: correlation: {correlated[0]} is a term --solve {solution.question} sets "
                       f"({next(iter(solution.solved.values()))}); the risk of the solved deal holds it at that "
                       "value, so it cannot be correlated: remove it from the correlation section")
    words = [f"{solution.solved[next(p for p in solution.solved if solution.holds(canonical(k)))]} "
             f"(the range for {k} in {spec.source} is not drawn)" for k in held]
    return {k: v for k, v in spec.distributions.items() if k not in held}, words


def _risk(args, model, solution=None):
    from cba.uncertainty._deal_risk import deal_risk
    from cba.uncertainty._spec import load_spec

    spec = load_spec(args.spec)
    if not spec.distributions:
        raise CBAError(f"{spec.source}: no 'distributions' section")
    distributions, held = _held(spec, solution)
    if not distributions:
        raise CBAError(f"{spec.source}: every distribution is of a term --solve {solution.question} sets, which "
                       "the risk of the solved deal holds at its solved value: nothing is left to vary")
    draws = args.draws if args.draws is not None else (spec.draws or 10_000)
    seed = args.seed if args.seed is not None else spec.seed
    try:
        table, result = deal_risk(model, distributions, draws=draws, seed=seed, correlation=spec.correlation)
    except CBAError as exc:  # the risk analysis's mistakes are the spec file's, unless they name the model's
        if str(exc).startswith(str(args.model)):
            raise
        raise in_file(spec.source, exc) from None
    table.attrs["held"] = held
    if seed is None:
        import sys

        print(f"seed: {result.seed} (pass --seed {result.seed} to repeat this run)", file=sys.stderr)
    return table


def run(args) -> int:
    from cba.ledger._appraisal import appraise
    from cba.outputs.export._partnership import FORMAT_WRITERS

    fmt = output_format(args.output, args.format, FORMATS, inputs=[args.model, args.spec])
    if args.terms == "cash" and fmt == "docx":
        raise CBAError("--terms cash is for the table, markdown, json, csv and xlsx formats, not docx "
                       "(the Word document is the business case at the price base)")
    check_output(fmt, args.output, "deal")
    for flag in ("sources", "to", "outcome", "payee", "payer"):
        if getattr(args, flag) is not None and not args.solve:
            raise CBAError(f"--{'from' if flag == 'sources' else flag} is for --solve; add --solve")
    if (args.draws is not None or args.seed is not None) and not args.spec:
        raise CBAError("--draws and --seed are for the risk analysis: add --spec FILE")
    check_outputs([args.output], args.force, [args.model, args.spec])  # before the work, not after
    appraisal = appraise(args.model)
    check_warnings(appraisal, args.strict)
    solution = _solve(args, appraisal) if args.solve else None
    terms = solution.terms if solution is not None and solution.terms is not None else None
    result = appraisal.partnership(terms)
    model = appraisal.intervention
    if terms is not None:  # the risk of the deal the solver found
        model = model.model_copy(update={"partnership": terms})
    risk = _risk(args, model, solution) if args.spec else None
    if args.terms == "cash":
        from cba.outputs.export._cash import deal_in_cash

        output: str | bytes = deal_in_cash(result, fmt, solution=solution, risk=risk)
    else:
        output = FORMAT_WRITERS[fmt](result, solution=solution, risk=risk)
    write_output(output, args.output, args.force,
                 [args.model, args.spec, *model_inputs(appraisal.intervention)])
    return 0

