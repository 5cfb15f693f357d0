"""``marshallian figures --out DIR [--params FILE] [--set NAME=VALUE]...``: every figure of
the package, PNG and PDF (or SVG), at the default calibration or the user's.

Exit 0 when every figure was written, 1 when one failed, 2 for bad input (nothing written).
"""

from __future__ import annotations


def add_parser(sub) -> None:
    from .common import command_parser

    p = command_parser(
        sub,
        "figures",
        run,
        "write every figure (PNG and PDF) to a folder",
        "Fig. 1 of the paper, income gaps, region maps, catch-up "
        "paths and welfare against the tariff, at the default "
        "calibration or at --params/--set (each value applies to "
        "every model it is a parameter of).",
    )
    add_calibration_options(p)
    p.add_argument("--out", metavar="DIR", help="output folder (created if missing; required)")
    p.add_argument(
        "--format",
        metavar="FMT[,FMT]",
        default="png,pdf",
        help="formats among png, pdf, svg (default: png,pdf)",
    )
    p.add_argument(
        "--only",
        metavar="NAME",
        action="append",
        default=None,
        help="write only this figure (repeatable); see --list",
    )
    p.add_argument("--list", action="store_true", help="list the figures and exit")


def add_calibration_options(p) -> None:
    """``--params FILE`` and ``--set NAME=VALUE`` of the multi-model commands."""
    p.add_argument(
        "--params",
        metavar="FILE",
        help="JSON object or TOML table of numbers: the calibration (one case)",
    )
    p.add_argument(
        "--set",
        metavar="NAME=VALUE",
        action="append",
        default=[],
        help="set one parameter of every model it belongs to (repeatable)",
    )


def calibration_from_args(args):
    """The validated :class:`~marshallian.calibration.Calibration` of ``--params``/``--set``
    (``--set`` wins); a batch file, an unknown name or a broken rule is bad input."""
    from ..calibration import calibrate
    from ..params import parse_assignment, read_parameter_file

    overrides: dict = {}
    if args.params is not None:  # --params "" is an error, not "no file"
        cases = read_parameter_file(args.params)
        if len(cases) != 1:
            raise _bad(
                "--params", args.params, f"must hold one calibration, not a batch of {len(cases)}"
            )
        overrides.update(cases[0])
    for text in args.set:
        name, value = parse_assignment(text)
        overrides[name] = value
    return calibrate(overrides)


def _bad(name, value, rule):
    from ..errors import InvalidParameterError, Violation

    return InvalidParameterError(Violation(name, value, rule))


def parse_formats(text: str) -> tuple:
    """``"png,pdf"`` -> ``("png", "pdf")``, each checked against the known formats."""
    from ..figures import FORMATS

    fmts = tuple(dict.fromkeys(f.strip().lower() for f in text.split(",") if f.strip()))
    bad = [f for f in fmts if f not in FORMATS]
    if not fmts or bad:
        raise _bad("--format", text, f"must be a comma-separated list of {', '.join(FORMATS)}")
    return fmts


def run(args) -> int:
    import sys

    from .._files import check_output_folder
    from ..figures import FIGURES

    if args.list:
        for spec in FIGURES.values():
            print(f"{spec.name:<20} {spec.title}")
        return 0
    if not args.out:
        raise _bad("--out", None, "is required (the folder to write the figures to)")
    out = check_output_folder("--out", args.out)
    formats = parse_formats(args.format)
    if args.only:
        unknown = [n for n in args.only if n not in FIGURES]
        if unknown:
            raise _bad("--only", unknown[0], f"must be one of {', '.join(FIGURES)}")
    cal = calibration_from_args(args)

    import matplotlib

    matplotlib.use("Agg")
    from .._staging import staged_folder
    from ..figures import FORMATS, write_figures

    # built beside --out and swapped in only when no figure failed: the folder keeps the
    # previous run's files until a new run is whole (figures not redrawn are kept)
    names = list(args.only) if args.only else list(FIGURES)
    owned = {f"{n}.{fmt}" for n in names for fmt in FORMATS}
    with staged_folder(out, owned=owned) as stage:
        records = write_figures(
            stage.path, args.only, formats=formats, context={"calibration": cal}
        )
        failed = any(r.status == "error" for r in records)
        if failed:
            stage.discard()
        else:
            stage.commit()
    for r in records:
        if r.status == "ok" and not failed:
            print(f"{r.name:<20} " + " ".join(str(stage.final(f)) for f in r.files))
        elif r.status == "ok":
            print(f"{r.name:<20} drawn, not written (another figure failed)", file=sys.stderr)
        else:
            print(f"{r.name:<20} not available: {r.reason}", file=sys.stderr)
    ok = sum(1 for r in records if r.status == "ok")
    print(f"{ok}/{len(records)} figures written to {out} ({cal.describe()})")
    return 1 if failed else 0
