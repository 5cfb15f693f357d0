"""``marshallian sweep MODEL``: region maps over parameter grids or point files (``docs/models.md`` §7)."""

from __future__ import annotations

from .common import add_format_option, add_parameter_options, ascii_float, ascii_int, command_parser


def add_parser(sub) -> None:
    p = command_parser(
        sub,
        "sweep",
        run,
        "which equilibria exist where: region maps over parameter grids",
        "Evaluate the derived existence condition of every equilibrium type over "
        "a grid (--axis, one per dimension) or a file of points (--points). "
        "Points within --rtol of a boundary are flagged, not guessed.",
        model="standard, alternative or dynamic",
    )
    p.add_argument(
        "--axis",
        metavar="NAME=START:STOP:N",
        action="append",
        default=[],
        help="grid axis (repeatable): N values from START to STOP, or "
        "NAME=log:START:STOP:N for log spacing",
    )
    p.add_argument(
        "--points",
        metavar="FILE",
        help="points instead of a grid: CSV with a header of parameter names, "
        ".npz of 1-D arrays, or JSON/TOML array of objects",
    )
    add_parameter_options(p)
    p.add_argument(
        "--out", metavar="FILE", help="write the result (.npz; .parquet if pyarrow is installed)"
    )
    add_format_option(p, ("table", "json", "csv"), "table")
    p.add_argument(
        "--rtol",
        type=ascii_float,
        default=None,
        help="boundary tolerance on an inequality's relative margin "
        "(default marshallian.sweep.BOUNDARY_RTOL)",
    )
    p.add_argument(
        "--backend",
        choices=("auto", "numpy", "numba"),
        default="auto",
        help="kernel: chunked NumPy, or a compiled Numba loop (auto: Numba for large "
        "sweeps when installed)",
    )
    p.add_argument(
        "--threads", type=ascii_int, default=1, help="threads of the Numba loop (default 1)"
    )
    p.add_argument(
        "--progress",
        action="store_true",
        help="progress bar on stderr (default: only on a terminal, long sweeps)",
    )
    from .common import add_cache_option

    add_cache_option(p)


def run(args) -> int:
    from .. import sweep as sw
    from ..errors import InvalidParameterError, Violation
    from ..models import get_model
    from ..models.schema import get_schema
    from .common import apply_cache_option, check_model_name, emit_json, load_cases

    apply_cache_option(args)
    # validated against the parameter schema: SymPy loads only once the input is good
    model = get_schema(check_model_name(args.model))
    if bool(args.axis) == bool(args.points):
        raise InvalidParameterError(
            Violation("--axis/--points", None, "give one or more --axis, or one --points file")
        )
    out = sw.check_output_path(args.out) if args.out else None
    axes = {}
    for text in args.axis:
        ax = sw.parse_axis(text)
        if ax.name in axes:
            raise InvalidParameterError(Violation(ax.name, text, "axis given twice"))
        axes[ax.name] = ax
    aliases = {a.name: a for a in getattr(model, "aliases", ())}
    for name in axes:
        if name in aliases:
            a = aliases[name]
            raise InvalidParameterError(
                Violation(
                    name,
                    "axis",
                    f"is not a sweep axis; sweep {a.target} "
                    f"({name} = {a.level or 1} + alpha*{a.target}) or fix {name} with --set",
                )
            )
    unknown = [n for n in axes if n not in model.parameter_names]
    if unknown:
        raise InvalidParameterError(
            Violation(
                unknown[0],
                "axis",
                f"unknown parameter for model '{model.name}' "
                f"(known: {', '.join(model.parameter_names)})",
            )
        )
    points = sw.load_points(args.points) if args.points else None
    cases, batch = load_cases(model, args)
    if batch:
        raise InvalidParameterError(
            Violation(
                "--params", args.params, "sweep takes one object of fixed values, not a batch"
            )
        )
    fixed = {k: v for k, v in cases[0].items() if k not in axes and k not in (points or {})}
    rtol = sw.BOUNDARY_RTOL if args.rtol is None else args.rtol
    import math

    if axes:
        n = math.prod(len(ax) for ax in axes.values())
    else:
        assert points is not None  # one of --axis / --points is required (checked above)
        n = len(next(iter(points.values())))
    # above the in-memory limit the result is streamed to --out block by block (flat memory)
    stream = out is not None and n > sw.MAX_IN_MEMORY_POINTS
    if stream and args.format == "csv":
        raise InvalidParameterError(
            Violation(
                "--format",
                "csv",
                f"per-point CSV is limited to "
                f"{sw.MAX_IN_MEMORY_POINTS:,} points; the "
                f"{n:,} points go to --out",
            )
        )
    import signal

    def stop(signum, frame):  # SIGTERM: unwind, so a streamed file's temporaries go
        raise SystemExit(128 + signum)

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        result = sw.sweep(
            get_model(model.name),
            axes or None,
            fixed,
            points=points,
            rtol=rtol,
            backend=args.backend,
            progress=True if args.progress else None,
            threads=args.threads,
            out=out if stream else None,
        )
    finally:
        signal.signal(signal.SIGTERM, previous)
    if out is not None and not stream:
        result.save(out)
    if args.format == "csv":
        import sys

        result.write_csv(sys.stdout)  # one row per point, streamed
    elif args.format == "json":
        doc = result.to_dict()
        if out is not None:
            doc["output"] = str(out)
        if points is not None and not stream:  # per-point answers (bounded by the file cap)
            doc["per_point"] = [
                {
                    "point": r["point"],
                    **{k: r[k] for k in points},
                    "applies": r["applies"],
                    "exists": [t for t in result.types if r[f"exists:{t}"]],
                    "undecided": [t for t in result.types if r[f"undecided:{t}"]],
                }
                for r in result.iter_point_records()
            ]
        emit_json(doc)
    else:
        print(result.summary())
        if out is not None:
            print(f"wrote {out}")
    return 0
