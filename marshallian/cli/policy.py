"""``marshallian policy [MODEL]``: compare industrial policies for one calibration (``docs/models.md`` §5)."""

from __future__ import annotations

from ..policy import INSTRUMENTS
from .common import add_format_option, add_parameter_options, ascii_float, ascii_int, command_parser


def add_parser(sub) -> None:
    p = command_parser(
        sub,
        "policy",
        run,
        "compare policies: equilibrium reached, wage, gap, welfare, Mill and Bastable tests",
        "Apply each instrument to South's status quo (by default its "
        "worst stable free-trade equilibrium), follow the Marshallian "
        "adjustment, and report welfare and the Mill/Bastable tests.",
    )
    p.add_argument(
        "model",
        metavar="MODEL",
        nargs="?",
        default="alternative",
        help="standard or alternative (default: alternative)",
    )
    add_parameter_options(p, on_error=True)
    add_format_option(p, ("table", "json", "csv", "latex"), "table")
    p.add_argument(
        "--instruments",
        metavar="NAME[,NAME...]",
        default=None,
        help="subset of: " + ", ".join(INSTRUMENTS) + " (default: those that exist "
        "in the model; modern-subsidy needs a sector with two technologies)",
    )
    p.add_argument(
        "--sector",
        type=ascii_int,
        default=2,
        help="good protected, subsidised or promoted (default 2)",
    )
    p.add_argument(
        "--tariff",
        type=ascii_float,
        default=1.0,
        help="ad-valorem tariff rate (default 1, equal to the subsidy's)",
    )
    p.add_argument(
        "--subsidy",
        type=ascii_float,
        default=1.0,
        help="ad-valorem production subsidy rate (default 1, equal to the tariff's)",
    )
    p.add_argument(
        "--duration",
        type=ascii_float,
        default=20.0,
        help="length of temporary policies (default 20)",
    )
    p.add_argument(
        "--discount",
        type=ascii_float,
        default=0.05,
        help="discount rate rho > 0 of the Bastable test (default 0.05)",
    )
    p.add_argument(
        "--speed", type=ascii_float, default=1.0, help="adjustment speed kappa > 0 (default 1)"
    )
    p.add_argument(
        "--sigma",
        type=ascii_float,
        default=None,
        help="CES elasticity of substitution (default: Cobb-Douglas)",
    )
    p.add_argument(
        "--status-quo",
        type=ascii_int,
        default=None,
        help="index of the starting free-trade equilibrium, by descending welfare "
        "(default: the worst stable one)",
    )


def _validate(args, model):
    from ..errors import InvalidParameterError, Violation
    from ..policy.comparison import available_instruments, check_instruments
    from ..policy.instruments import check_positive, check_rate

    if args.sector not in model.sectors:
        raise InvalidParameterError(
            Violation(
                "--sector", args.sector, f"must be one of {', '.join(map(str, model.sectors))}"
            )
        )
    if args.instruments is None:
        names = list(available_instruments(model, args.sector))
    else:
        names = [x.strip() for x in args.instruments.split(",") if x.strip()]
        if not names:
            raise InvalidParameterError(
                Violation("--instruments", args.instruments, "must list instruments")
            )
        check_instruments(model, names, args.sector, "--instruments")
    check_rate("--tariff", args.tariff)
    check_rate("--subsidy", args.subsidy)
    check_positive("--duration", args.duration)
    check_positive("--discount", args.discount)
    check_positive("--speed", args.speed)
    if args.sigma is not None:
        check_positive("--sigma", args.sigma)
    return names


def run(args) -> int:
    from ..models.schema import get_schema
    from .common import check_model_name, read_cases, report_skipped
    from .output import emit

    # validated against the model's parameter schema: no SymPy before the input is good
    model = get_schema(check_model_name(args.model, ("standard", "alternative")))
    names = _validate(args, model)
    batch = read_cases(model, args)
    report_skipped(batch)

    def results():
        import sys

        from ..policy.comparison import compare_instruments
        from ..solvers import north_premise

        for case, p in batch.cases:
            premise = north_premise(model, p)
            if premise is not None:  # one line: the prices rest on another North
                print(
                    f"marshallian: warning: {f'case {case}: ' if batch.batch else ''}{premise}",
                    file=sys.stderr,
                )
            yield (
                case,
                compare_instruments(
                    model,
                    p,
                    names,
                    sector=args.sector,
                    tariff_rate=args.tariff,
                    subsidy_rate=args.subsidy,
                    duration=args.duration,
                    rho=args.discount,
                    kappa=args.speed,
                    sigma=args.sigma,
                    status_quo=args.status_quo,
                ),
            )

    emit(results(), args.format, batch.batch)
    return 0
