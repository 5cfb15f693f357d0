"""``marshallian report --out DIR [--params FILE] [--set NAME=VALUE]...``: the main job.

Writes ``DIR/report.md`` (Markdown with LaTeX: calibration, conditions, equilibria,
policy, claims, figures), ``DIR/results.json`` (with the parameters used) and
``DIR/figures/`` at the default calibration or the user's (each value applies to every
model it is a parameter of); prints a short summary and the report's path. Exit 0 when
every section was produced, 1 when one failed (the report still says which), 2 for bad
input (nothing written).
"""

from __future__ import annotations


def add_parser(sub) -> None:
    from .figures import add_calibration_options

    p = sub.add_parser(
        "report",
        help="one Markdown report: conditions, equilibria, policy, claims, figures",
        description="Write report.md, results.json and figures/ at the default "
        "calibration or at --params/--set (each value applies to "
        "every model it is a parameter of).",
    )
    p.add_argument("--out", metavar="DIR", required=True, help="output folder (created if missing)")
    add_calibration_options(p)
    p.add_argument(
        "--draws", metavar="N", default=None, help="random parameter draws per claim (default: 20)"
    )
    p.add_argument("--seed", metavar="S", default="0", help="seed of the claims' draws")
    p.add_argument(
        "--figure-format",
        metavar="FMT[,FMT]",
        default="png,pdf",
        help="figure formats among png, pdf, svg (default: png,pdf; png always)",
    )
    p.add_argument(
        "--grid",
        metavar="NX,NY",
        default=None,
        help="region-map grid: points along comparative advantage and along theta "
        "(default: 600,400)",
    )
    p.add_argument(
        "--serial",
        action="store_true",
        help="compute everything in this process (no worker processes)",
    )
    p.add_argument("--quiet", "-q", action="store_true", help="print only the report's path")
    from .common import add_cache_option

    add_cache_option(p)
    p.set_defaults(run=run)


def _int_option(name, text, low):
    from .figures import _bad

    try:
        v = int(text)
    except (TypeError, ValueError):
        raise _bad(name, text, f"must be an integer >= {low}") from None
    if v < low:
        raise _bad(name, text, f"must be an integer >= {low}")
    return v


def parse_grid(text):
    """``"72,48"`` -> ``(72, 48)``; each at least 2, at most 2000."""
    if text is None:
        return None
    from .figures import _bad

    parts = text.split(",")
    try:
        grid = tuple(int(x) for x in parts)
    except ValueError:
        grid = ()
    if len(grid) != 2 or not all(2 <= g <= 2000 for g in grid):
        raise _bad("--grid", text, "must be NX,NY with integers in [2, 2000]")
    return grid


def run(args) -> int:
    import sys

    from .._files import check_output_folder
    from .common import apply_cache_option
    from .figures import calibration_from_args, parse_formats

    apply_cache_option(args)
    # every option is validated before matplotlib, SymPy and the report load
    out = check_output_folder("--out", args.out)
    formats = parse_formats(args.figure_format)
    grid = parse_grid(args.grid)
    draws = None if args.draws is None else _int_option("--draws", args.draws, 1)
    seed = _int_option("--seed", args.seed, 0)
    cal = calibration_from_args(args)

    import os

    # matplotlib draws with Agg here and in the report's worker (which inherits the
    # environment); set before matplotlib is imported, so the worker is started without
    # waiting for that import
    os.environ["MPLBACKEND"] = "Agg"

    from ..report import REPORT_DRAWS, build_report

    draws = REPORT_DRAWS if draws is None else draws
    say = (lambda s: None) if args.quiet else (lambda s: print(f"  {s}", file=sys.stderr))
    res = build_report(
        out,
        cal,
        draws=draws,
        seed=seed,
        formats=formats,
        grid=grid,
        workers=not args.serial,
        progress=say,
    )
    if args.quiet:
        print(res.report)
    else:
        print(res.summary())
    for e in res.errors:
        print(f"marshallian: error in {e}", file=sys.stderr)
    return 0 if res.ok else 1
