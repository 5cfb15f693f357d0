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
    from ..models import get_model
    from .common import check_model_name, read_cases, report_skipped
    from .output import emit

    model = get_model(check_model_name(args.model))
    north = parse_north(args.north)
    batch = read_cases(model, args)
    report_skipped(batch)
    emit(solve_cases(model, batch.cases, north=north, exact=args.exact), args.format,
         batch.batch)
    return 0


def solve_cases(model, cases, north=None, exact=False):
    """``(case, Solution)`` for every ``(case, Parameters)``, lazily, in order: the batch
    loop of ``solve`` (a vectorized engine can replace it with the same output)."""
    import warnings

    from ..errors import DegenerateEquilibriumWarning
    from ..solvers.equilibrium import solve

    for case, params in cases:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DegenerateEquilibriumWarning)
            sol = solve(model, params, north=north, exact=exact)
        yield case, sol
