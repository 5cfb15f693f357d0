"""``marshallian policy [MODEL]``: compare industrial policies for one calibration (``docs/models.md`` §5)."""
from __future__ import annotations

from ..presentation import Column, Table, Tabular

#: Instruments compared (the library's list, :mod:`marshallian.policy.comparison`).
INSTRUMENTS = ("free-trade", "tariff", "temporary-tariff", "subsidy", "modern-subsidy",
               "coordination", "promotion")


def add_parser(sub) -> None:
    from .common import add_format_option, add_parameter_options

    p = sub.add_parser("policy", help="compare policies: equilibrium reached, wage, gap, welfare, "
                                      "Mill and Bastable tests",
                       description="Apply each instrument to South's status quo (by default its "
                                   "worst stable free-trade equilibrium), follow the Marshallian "
                                   "adjustment, and report welfare and the Mill/Bastable tests.")
    p.add_argument("model", metavar="MODEL", nargs="?", default="alternative",
                   help="standard or alternative (default: alternative)")
    add_parameter_options(p, on_error=True)
    add_format_option(p, ("table", "json", "csv", "latex"), "table")
    p.add_argument("--instruments", metavar="NAME[,NAME...]", default=None,
                   help="subset of: " + ", ".join(INSTRUMENTS) + " (default: those that exist "
                        "in the model; modern-subsidy needs a sector with two technologies)")
    p.add_argument("--sector", type=int, default=2,
                   help="good protected, subsidised or promoted (default 2)")
    p.add_argument("--tariff", type=float, default=1.0,
                   help="ad-valorem tariff rate (default 1, equal to the subsidy's)")
    p.add_argument("--subsidy", type=float, default=1.0,
                   help="ad-valorem production subsidy rate (default 1, equal to the tariff's)")
    p.add_argument("--duration", type=float, default=20.0,
                   help="length of temporary policies (default 20)")
    p.add_argument("--discount", type=float, default=0.05,
                   help="discount rate rho > 0 of the Bastable test (default 0.05)")
    p.add_argument("--speed", type=float, default=1.0,
                   help="adjustment speed kappa > 0 (default 1)")
    p.add_argument("--sigma", type=float, default=None,
                   help="CES elasticity of substitution (default: Cobb-Douglas)")
    p.add_argument("--status-quo", type=int, default=None,
                   help="index of the starting free-trade equilibrium, by descending welfare "
                        "(default: the worst stable one)")
    p.set_defaults(run=run)


def compare(model, params, instruments, sector, tariff_rate, subsidy_rate, duration, rho,
            kappa, sigma=None, status_quo=None) -> dict:
    """The comparison behind ``marshallian policy`` (one calibration), as a dict
    (:func:`marshallian.policy.comparison.compare_instruments`)."""
    from ..policy.comparison import compare_instruments

    return compare_instruments(model, params, instruments, sector=sector,
                               tariff_rate=tariff_rate, subsidy_rate=subsidy_rate,
                               duration=duration, rho=rho, kappa=kappa, sigma=sigma,
                               status_quo=status_quo).to_dict()


def _validate(args, model):
    from ..errors import InvalidParameterError, Violation
    from ..policy.adjustment import check_positive
    from ..policy.comparison import available_instruments
    from ..policy.instruments import check_rate

    if args.sector not in model.sectors:
        raise InvalidParameterError(Violation("--sector", args.sector,
                                              f"must be one of {', '.join(map(str, model.sectors))}"))
    avail = available_instruments(model, args.sector)
    if args.instruments is None:
        names = list(avail)
    else:
        names = [x.strip() for x in args.instruments.split(",") if x.strip()]
        if not names:
            raise InvalidParameterError(Violation("--instruments", args.instruments,
                                                  "must list instruments"))
    for n in names:
        if n not in INSTRUMENTS:
            raise InvalidParameterError(Violation("--instruments", n,
                                                  f"unknown instrument; must be one of {', '.join(INSTRUMENTS)}"))
        if n not in avail:
            raise InvalidParameterError(Violation(
                "--instruments", n, f"does not exist in the {model.name} model for sector "
                f"{args.sector}; available: {', '.join(avail)}"))
    check_rate("--tariff", args.tariff)
    check_rate("--subsidy", args.subsidy)
    check_positive("--duration", args.duration)
    check_positive("--discount", args.discount)
    check_positive("--speed", args.speed)
    if args.sigma is not None:
        check_positive("--sigma", args.sigma)
    return names


class PolicyComparison(Tabular):
    """The instrument comparison of one calibration (the dict of :func:`compare`),
    presented: one row per instrument."""

    COLUMNS = (
        Column("instrument", "instrument"),
        Column("equilibrium", "equilibrium reached"),
        Column("wage", "wage", "$w$", fmt=".5g"),
        Column("income_gap", "gap", "gap", fmt=".5g"),
        Column("utility", "utility", "$U$", fmt=".5g"),
        Column("real_income", "real inc.", "real income", fmt=".5g"),
        Column("mill", "Mill", "Mill", text=lambda v: "pass" if v else "fail"),
        Column("bastable", "Bastable", "Bastable", text=lambda v: "pass" if v else "fail"),
        Column("gains", "gains", "gains", fmt=".4g"), Column("costs", "costs", "costs", fmt=".4g"),
        Column("note", "note (not comparable)", "note", text=lambda v: v or ""),
        Column("comparable", shown=False),
        Column("position", shown=False),
        Column("rate", shown=False), Column("duration", shown=False),
        Column("critical_mass", shown=False), Column("min_subsidy", shown=False),
        Column("reaches_target", shown=False), Column("subsidy_needed", shown=False),
        Column("distorted", shown=False), Column("welfare_change", shown=False),
    )

    def __init__(self, doc: dict):
        self.doc = doc

    def to_dict(self) -> dict:
        return self.doc

    def _table(self) -> Table:
        d = self.doc
        rows = []
        notes = []
        for r in d["rows"]:
            rows.append(r)
            if r["instrument"] == "coordination":
                notes.append(f"coordination: target {r['target']}, critical mass "
                             f"{_fmt(r['critical_mass'])}, smallest subsidy "
                             f"{_fmt(r['min_subsidy'])}, reaches target: {r['reaches_target']}")
            if r["instrument"] == "promotion":
                notes.append(f"promotion: subsidy needed {_fmt(r['subsidy_needed'])} "
                             f"(price distortion: {r['distorted']})")
        notes.append("gap = North's income per worker / South's real income per worker at world "
                     "prices (1/w under free trade); Mill: protected activity survives at world "
                     "prices; Bastable: discounted gains >= costs")
        title = ((f"Model: {d['model']}   status quo: {d['status_quo']}   sector: "
                  f"{d['sector']}   rho={d['discount']:g} kappa={d['speed']:g}   preferences: "
                  f"{d['preferences']['kind']}"),)
        context = {"model": d["model"], "status_quo": d["status_quo"], "sector": d["sector"],
                   "discount": d["discount"], "speed": d["speed"],
                   "preferences": d["preferences"]["kind"]}
        return Table(self.COLUMNS, rows, title, tuple(notes), d["params"], context)


def _fmt(x, spec=".5g"):
    if x is None:
        return "-"
    if isinstance(x, bool):
        return "pass" if x else "fail"
    return format(x, spec)


def run(args) -> int:
    from ..models import get_model
    from .common import check_model_name, read_cases, report_skipped
    from .output import emit

    model = get_model(check_model_name(args.model, ("standard", "alternative")))
    names = _validate(args, model)
    batch = read_cases(model, args)
    report_skipped(batch)

    def results():
        for case, p in batch.cases:
            yield case, PolicyComparison(compare(
                model, p, names, args.sector, args.tariff, args.subsidy, args.duration,
                args.discount, args.speed, args.sigma, args.status_quo))

    emit(results(), args.format, batch.batch)
    return 0
