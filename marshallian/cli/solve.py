"""``marshallian solve MODEL``: every equilibrium of South (``docs/commands.md``)."""
from __future__ import annotations


def add_parser(sub) -> None:
    from .common import add_format_option, add_parameter_options

    p = sub.add_parser("solve", help="every equilibrium of South, with wage, income gap, stability",
                       description="Enumerate every equilibrium (stable or not) of the small South.")
    p.add_argument("model", metavar="MODEL", help="standard, alternative or dynamic")
    add_parameter_options(p, on_error=True)
    add_format_option(p, ("table", "json", "csv", "latex"), "table")
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
    from ..models.schema import get_schema
    from .common import check_model_name, read_cases, report_skipped
    from .output import emit

    # validated against the model's parameter schema: no SymPy before the input is good
    model = get_schema(check_model_name(args.model))
    north = parse_north(args.north)
    batch = read_cases(model, args)
    report_skipped(batch)
    emit(solve_cases(model, batch.cases, north=north, exact=args.exact, batch=batch.batch),
         args.format, batch.batch)
    return 0


def solve_cases(model, cases, north=None, exact=False, batch=True):
    """``(case, Solution)`` for every ``(case, Parameters)``, lazily, in order: the batch
    loop of ``solve`` (a vectorized engine can replace it with the same output)."""
    import sys
    import warnings

    from ..errors import DegenerateEquilibriumWarning, NorthPremiseWarning
    from ..solvers.equilibrium import solve

    for case, params in cases:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DegenerateEquilibriumWarning)
            warnings.simplefilter("ignore", NorthPremiseWarning)
            sol = solve(model, params, north=north, exact=exact)
        for w in sol.warnings:       # one line on stderr per case (the results carry it too)
            print(f"marshallian: warning: {f'case {case}: ' if batch else ''}{w}",
                  file=sys.stderr)
        yield case, sol
