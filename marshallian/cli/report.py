"""``marshallian report --out DIR``: the main job (equilibria, conditions, claims, figures).

Writes ``DIR/report.md`` (Markdown with LaTeX), ``DIR/results.json`` and ``DIR/figures/``
from the default calibrations; prints a short summary and the report's path. Exit 0 when
every section was produced or is reported unavailable (a part of the package not
installed), 1 when a section failed unexpectedly (the report still says which), 2 for
bad input (nothing written).
"""
from __future__ import annotations


def add_parser(sub) -> None:
    p = sub.add_parser("report", help="one Markdown report: conditions, equilibria, claims, figures",
                       description="Write report.md, results.json and figures/ for the default "
                                   "calibration of every model.")
    p.add_argument("--out", metavar="DIR", required=True, help="output folder (created if missing)")
    p.add_argument("--draws", metavar="N", type=_positive_int, default=None,
                   help="random parameter draws per claim (default: 20)")
    p.add_argument("--seed", metavar="S", type=int, default=0, help="seed of the claims' draws")
    p.add_argument("--figure-format", metavar="FMT[,FMT]", default="png,pdf",
                   help="figure formats among png, pdf, svg (default: png,pdf; png always)")
    p.add_argument("--serial", action="store_true",
                   help="compute everything in this process (no worker processes)")
    p.add_argument("--quiet", "-q", action="store_true", help="print only the report's path")
    p.set_defaults(run=run)


def _positive_int(text):
    from .figures import _bad
    try:
        v = int(text)
    except ValueError:
        raise _bad("--draws", text, "must be an integer >= 1") from None
    if v < 1:
        raise _bad("--draws", text, "must be an integer >= 1")
    return v


def run(args) -> int:
    import sys

    import matplotlib
    matplotlib.use("Agg")

    from ..report import REPORT_DRAWS, build_report
    from .common import check_writable_dir
    from .figures import parse_formats

    out = check_writable_dir("--out", args.out)
    formats = parse_formats(args.figure_format)
    say = (lambda s: None) if args.quiet else (lambda s: print(f"  {s}", file=sys.stderr))
    res = build_report(out, draws=args.draws or REPORT_DRAWS, seed=args.seed, formats=formats,
                       workers=not args.serial, progress=say)
    if args.quiet:
        print(res.report)
    else:
        print(res.summary())
    for e in res.errors:
        print(f"marshallian: error in {e}", file=sys.stderr)
    return 0 if res.ok else 1
