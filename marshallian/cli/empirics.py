"""``marshallian empirics lq|ks|probit|simulate``: agglomeration and export entry (seed 004).

Data: a firm-year panel (CSV or Parquet, ``--data FILE``); without ``--data`` the commands
use the package's synthetic panel (:func:`marshallian.empirics.simulate_panel`, seed 0).
Bad input (a missing column, a non-numeric value, an unknown ownership label, duplicate
firm-years, ...) exits with code 2 and one line naming the column, the value and the line.
"""

from __future__ import annotations

import sys

from .._jsonable import json_safe

#: Firms per year of the default synthetic panel (seed 0): 160,000 firm-years.
DEFAULT_FIRMS = 20_000


def add_parser(sub) -> None:
    from .common import add_format_option, command_parser

    p = command_parser(
        sub,
        "empirics",
        None,
        "agglomeration and export entry from firm-level data (seed 004)",
        "Location quotients, Kolmogorov-Smirnov dominance tests (Table 2) and the "
        "fixed-effect probit of export entry with marginal effects (Tables 3-7) "
        "on a firm-year panel; 'simulate' writes the synthetic panel.",
    )
    s = p.add_subparsers(dest="task", metavar="TASK", parser_class=type(p))
    s.required = True

    def data_option(q):
        q.add_argument(
            "--data",
            metavar="FILE",
            help="firm-year panel (.csv or .parquet); default: the synthetic panel",
        )

    q = command_parser(s, "lq", run, "location quotients (eq. 1) by year x region x industry")
    data_option(q)
    q.add_argument("--region", default="county", help="region column (default county)")
    add_format_option(q, ("json", "csv"), "csv")

    q = command_parser(
        s,
        "ks",
        run,
        "Table 2: KS tests between exporters and non-exporters "
        "in and out of agglomerations, per year",
    )
    data_option(q)
    q.add_argument(
        "--region",
        default="county",
        help="region of the LQ defining agglomeration (default county)",
    )
    q.add_argument(
        "--level",
        type=float,
        default=None,
        help="significance level of the verdicts (default 0.05)",
    )
    add_format_option(q, ("table", "json", "csv", "latex"), "table")

    q = command_parser(
        s, "probit", run, "Tables 3-7: fixed-effect probit of export status with marginal effects"
    )
    data_option(q)
    q.add_argument(
        "--x",
        metavar="V1,V2,...",
        default=None,
        help="regressors (default: export_lag,tfp_lag,ln_employment_lag,"
        "ln_wage_lag,agg1_1,agg1_2 as Table 3 [1])",
    )
    q.add_argument(
        "--fe",
        metavar="C1,C2,...",
        default=None,
        help="fixed-effect columns (default: year,industry,province)",
    )
    q.add_argument(
        "--cluster",
        metavar="COL",
        default=None,
        help="cluster-robust standard errors by this column (e.g. firm)",
    )
    q.add_argument(
        "--sample",
        metavar="COL=VALUE",
        action="append",
        default=[],
        help="estimate on a subsample (repeatable), e.g. ownership=foreign",
    )
    q.add_argument(
        "--at-extremes",
        action="store_true",
        help="Table 7: marginal effects with one regressor at its min/max",
    )
    add_format_option(q, ("table", "json", "latex", "csv"), "table")

    q = command_parser(
        s, "simulate", run, "write the synthetic panel (export-entry model with known truth)"
    )
    q.add_argument("--out", metavar="FILE", required=True, help="output .csv or .parquet")
    q.add_argument(
        "--firms",
        type=int,
        default=DEFAULT_FIRMS,
        help=f"firms alive each year (default {DEFAULT_FIRMS})",
    )
    q.add_argument("--years", type=int, default=8, help="recorded years (default 8)")
    q.add_argument("--first-year", type=int, default=2000, help="first year (default 2000)")
    q.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    q.add_argument(
        "--format",
        choices=("table", "json"),
        default="table",
        help="summary format (default: table)",
    )


def _list(option: str, text):
    from ..errors import InvalidParameterError, Violation

    if text is None:
        return None
    items = [t.strip() for t in text.split(",")]
    if not text.strip() or any(not t for t in items):
        raise InvalidParameterError(
            Violation(option, text, "must be a comma-separated list of column names")
        )
    return items


def _samples(items) -> dict | None:
    from ..errors import InvalidParameterError, Violation

    out = {}
    for text in items:
        col, sep, value = text.partition("=")
        if not sep or not col.strip() or not value.strip():
            raise InvalidParameterError(Violation("--sample", text, "must be COL=VALUE"))
        out[col.strip()] = value.strip()
    return out or None


def _check_data_path(path):
    from pathlib import Path

    from ..errors import InvalidParameterError, Violation

    if path is None:
        return None
    p = Path(path)
    if not p.is_file():
        raise InvalidParameterError(Violation("--data", path, "file not found"))
    name = p.name.lower()
    if not name.endswith(
        (".csv", ".csv.gz", ".csv.bz2", ".csv.zip", ".csv.xz", ".txt", ".parquet", ".pq")
    ):
        raise InvalidParameterError(Violation("--data", path, "must be a .csv or .parquet file"))
    return p


def _panel(path):
    from ..empirics import read_panel, simulate_panel

    if path is None:
        return read_panel(simulate_panel(DEFAULT_FIRMS, seed=0))
    return read_panel(path)


def run(args) -> int:
    from ..errors import InvalidParameterError, Violation

    task = args.task
    if task == "simulate":
        return _simulate(args)
    path = _check_data_path(args.data)
    if task == "lq":
        panel = _panel(path)
        from ..empirics import location_quotients

        table = location_quotients(panel, region=args.region)
        table = table[["year", "region", "industry", "output", "lq", "agglomerated"]]
        if args.format == "json":
            from .common import emit_json

            emit_json(json_safe(table.to_dict("records")))
        else:
            table.to_csv(sys.stdout, index=False)
        return 0
    if task == "ks":
        level = 0.05 if args.level is None else args.level
        if not 0 < level < 1:
            raise InvalidParameterError(Violation("--level", level, "must be in (0, 1)"))
        panel = _panel(path)
        from ..empirics.ks import ks_table

        tab = ks_table(panel, region=args.region, level=level)
        if args.format == "json":
            from .common import emit_json

            emit_json(json_safe(tab.to_records()))
        elif args.format == "csv":
            tab.frame.to_csv(sys.stdout, index=False)
        elif args.format == "latex":
            sys.stdout.write(tab.to_latex())
        else:
            print(tab)
        return 0
    if task == "probit":
        from ..empirics.probit import DEFAULT_FE, DEFAULT_X

        x = _list("--x", args.x) or list(DEFAULT_X)
        fe_text = args.fe
        fe = (
            []
            if fe_text is not None and fe_text.strip().lower() == "none"
            else (_list("--fe", fe_text) or list(DEFAULT_FE))
        )
        sample = _samples(args.sample)
        panel = _panel(path)
        from ..empirics.probit import probit, regression_table

        res = probit(panel, x, fe, cluster=args.cluster, sample=sample)
        if args.format == "json":
            from .common import emit_json

            emit_json(res.to_dict(at_extremes=args.at_extremes))
        elif args.format == "latex":
            sys.stdout.write(regression_table([res]))
            if args.at_extremes:
                sys.stdout.write(res.extremes_frame().to_latex(float_format="%.3g"))
        elif args.format == "csv":
            sys.stdout.write(regression_table([res], fmt="csv"))
        else:
            print(res)
            if args.at_extremes:
                print(
                    "\nTable 7: marginal effect of the row regressor when the column "
                    "regressor is at its min / max, others at their means"
                )
                print(res.extremes_frame().to_string(float_format=lambda v: f"{v:.3g}"))
        return 0
    raise InvalidParameterError(Violation("TASK", task, "must be lq, ks, probit or simulate"))


def _simulate(args) -> int:
    from pathlib import Path

    from ..errors import InvalidParameterError, Violation

    out = Path(args.out)
    name = out.name.lower()
    if not name.endswith((".csv", ".parquet", ".pq")):
        raise InvalidParameterError(Violation("--out", args.out, "must end in .csv or .parquet"))
    from .._files import check_output_file

    check_output_file("--out", args.out)
    from ..empirics import simulate_panel

    sim = simulate_panel(args.firms, seed=args.seed, years=args.years, first_year=args.first_year)
    from .._files import atomic_write

    frame = sim.panel
    if name.endswith(".csv"):
        atomic_write(out, lambda fh: frame.to_csv(fh, index=False, encoding="utf-8"))
    else:
        atomic_write(out, lambda fh: frame.to_parquet(fh, index=False))
    if args.format == "json":
        from .common import emit_json

        emit_json(
            {
                "out": str(out),
                "rows": len(frame),
                "firms": int(frame["firm"].nunique()),
                "seed": sim.seed,
                "export_share": float((frame["exports"] > 0).mean()),
                "coefficients": sim.coefficients,
                "intercept": sim.intercept,
                "correct_x": list(sim.correct_x),
                "correct_fe": list(sim.correct_fe),
            }
        )
    else:
        print(f"{sim}\nwrote {out}")
    return 0
