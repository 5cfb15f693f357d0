"""``marshallian solve MODEL``: every equilibrium of South (``docs/commands.md``)."""
from __future__ import annotations


def add_parser(sub) -> None:
    from .common import add_format_option, add_parameter_options

    p = sub.add_parser("solve", help="every equilibrium of South, with wage, income gap, stability",
                       description="Enumerate every equilibrium (stable or not) of the small South.")
    p.add_argument("model", metavar="MODEL", help="standard, alternative or dynamic")
    add_parameter_options(p)
    add_format_option(p, ("table", "json", "latex"), "table")
    p.add_argument("--exact", action="store_true",
                   help="rerun the enumeration in exact rational arithmetic")
    p.add_argument("--north", metavar="J=CONFIG[,J=CONFIG]",
                   help="North's equilibrium setting world prices, e.g. 1=cluster,2=backward "
                        "(default: the paper's, full clusters)")
    p.add_argument("--world", action="store_true",
                   help="the two-country equilibrium (standard, alternative): prices and the "
                        "relative wage solved for, every equilibrium listed")
    p.set_defaults(run=run)


def parse_north(text):
    from ..errors import InvalidParameterError, Violation

    if text is None:
        return None
    out = {}
    for part in text.split(","):
        j, _, c = part.partition("=")
        if not j.strip().isdigit() or c.strip() not in ("cluster", "backward", "mixed"):
            raise InvalidParameterError(Violation("--north", text,
                                                  "must be J=cluster|backward|mixed[,J=...]"))
        out[int(j)] = c.strip()
    return out


def run(args) -> int:
    if getattr(args, "world", False):
        from .world import run_world
        return run_world(args)
    import warnings

    from ..errors import DegenerateEquilibriumWarning
    from ..models import get_model
    from ..solvers.equilibrium import solve
    from .common import check_model_name, emit_json, load_cases

    model = get_model(check_model_name(args.model))
    cases, batch = load_cases(model, args)
    north = parse_north(args.north)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegenerateEquilibriumWarning)
        results = [solve(model, p, north=north, exact=args.exact) for p in cases]
    if args.format == "json":
        docs = [r.to_dict() for r in results]
        emit_json(docs if batch else docs[0])
    elif args.format == "latex":
        from ..report_format import solution_latex
        print("\n\n".join(solution_latex(r) for r in results))
    else:
        print("\n\n".join(r.summary() for r in results))
    return 0
