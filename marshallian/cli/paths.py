"""``marshallian paths``: §4 catch-up paths (``docs/commands.md``).

``marshallian paths [--params FILE] [--set ...] --sector J --technology modern|backward
[--t-max T] [--points N] [--format json|csv|table]``: South produces good J with the given
technology from t = 0 (all its labor); every sector's A_jS/A_jN, the income gap and
South's growth rates over time, from the SymPy-derived closed forms, certified against
``solve_ivp``.
"""

from __future__ import annotations


def add_parser(sub) -> None:
    from .common import add_format_option, add_parameter_options, command_parser

    p = command_parser(
        sub,
        "paths",
        run,
        "§4 paths: relative productivity and income gap over time",
        "Relative productivities A_jS/A_jN of every sector and the "
        "income gap over time when South produces good J with the "
        "given technology from t=0 (Rodriguez-Clare 2007, §4).",
    )
    add_parameter_options(p, on_error=True)
    p.add_argument("--sector", metavar="J", required=True, help="good South produces")
    p.add_argument("--technology", metavar="TECH", required=True, help="modern or backward")
    p.add_argument("--t-max", metavar="T", default=None, help="horizon (default 200)")
    p.add_argument(
        "--points",
        metavar="N",
        default=None,
        help="number of evenly spaced time points (default 201)",
    )
    p.add_argument(
        "--law",
        metavar="min|max",
        default="min",
        help="min (the model) or max (the paper's printed typo, demonstration only)",
    )
    p.add_argument(
        "--method",
        metavar="closed_form|ode",
        default="closed_form",
        help="where reported values come from (the other one certifies them)",
    )
    p.add_argument(
        "--close",
        metavar="F",
        default="0.5",
        help="report the time to close this fraction of the income gap (default 0.5)",
    )
    p.add_argument(
        "--north",
        metavar="J=CONFIG[,J=CONFIG]",
        help="North's equilibrium setting prices and North's learning, e.g. "
        "1=cluster,2=backward (default: the paper's, full clusters)",
    )
    add_format_option(p, ("table", "json", "csv"), "table")


#: The defaults and choices of :func:`marshallian.solvers.dynamics.path` (which validates
#: them again), here so that bad options are rejected before NumPy and SymPy load.
DEFAULT_T_MAX, DEFAULT_POINTS, MAX_POINTS = 200.0, 201, 1_000_000
CHOICES = {
    "technology": ("modern", "backward"),
    "law": ("min", "max"),
    "method": ("closed_form", "ode"),
}


def _int(name, text):
    from ..errors import InvalidParameterError, Violation
    from ..params import parse_integer

    value = parse_integer(text) if isinstance(text, str) else None
    if value is None:
        raise InvalidParameterError(Violation(name, text, "must be an integer (ASCII digits)"))
    return value


def _float(name, text, rule):
    from ..errors import InvalidParameterError, Violation
    from ..params import parse_number

    v = parse_number(text) if isinstance(text, str) else None
    if v is None:
        raise InvalidParameterError(Violation(name, text, rule))
    return v


def run(args) -> int:
    from ..errors import InvalidParameterError, Violation
    from ..models.schema import get_schema
    from .common import read_cases, report_skipped
    from .output import emit
    from .solve import parse_north

    # validated against the model's parameter schema: no SymPy/NumPy before the input is good
    model = get_schema("dynamic")
    from ..params import parse_integer

    sector = parse_integer(args.sector)
    if sector is None:
        raise InvalidParameterError(
            Violation("sector", args.sector, f"must be one of {', '.join(map(str, model.sectors))}")
        )
    t_max = (
        DEFAULT_T_MAX
        if args.t_max is None
        else _float("t-max", args.t_max, "must be a finite number > 0")
    )
    if not t_max > 0:
        raise InvalidParameterError(Violation("t-max", args.t_max, "must be a finite number > 0"))
    points = DEFAULT_POINTS if args.points is None else _int("points", args.points)
    if not 2 <= points <= MAX_POINTS:
        raise InvalidParameterError(
            Violation("points", args.points, f"must be an integer in [2, {MAX_POINTS}]")
        )
    if sector not in model.sectors:
        raise InvalidParameterError(
            Violation("sector", args.sector, f"must be one of {', '.join(map(str, model.sectors))}")
        )
    for name, allowed in CHOICES.items():
        if getattr(args, name) not in allowed:
            raise InvalidParameterError(
                Violation(name, getattr(args, name), f"must be one of {', '.join(allowed)}")
            )
    close = _float("close", args.close, "must be a number in (0, 1]")
    if not 0 < close <= 1:
        raise InvalidParameterError(Violation("close", args.close, "must be a number in (0, 1]"))
    north = parse_north(args.north)
    batch = read_cases(model, args)
    report_skipped(batch)
    # every case and option is validated before anything is computed

    def results():
        from ..solvers.dynamics import path

        for case, p in batch.cases:
            yield (
                case,
                path(
                    p,
                    sector=sector,
                    technology=args.technology,
                    t_max=t_max,
                    points=points,
                    law=args.law,
                    method=args.method,
                    north=north,
                ).closing(close),
            )

    # one time-to-close line, for the fraction asked (the path's own summary)
    emit(results(), args.format, batch.batch, doc=lambda r: r.to_dict(), text=lambda r: r.summary())
    return 0
