"""``marshallian policy [MODEL]``: compare industrial policies for one calibration (``docs/models.md`` §5)."""
from __future__ import annotations

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
    add_parameter_options(p)
    add_format_option(p, ("table", "json"), "table")
    p.add_argument("--instruments", metavar="NAME[,NAME...]", default=",".join(INSTRUMENTS),
                   help="subset of: " + ", ".join(INSTRUMENTS))
    p.add_argument("--sector", type=int, default=2,
                   help="good protected, subsidised or promoted (default 2)")
    p.add_argument("--tariff", type=float, default=1.0, help="ad-valorem tariff rate (default 1)")
    p.add_argument("--subsidy", type=float, default=0.5,
                   help="ad-valorem production subsidy rate (default 0.5)")
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


def _row(name, pe, mill=None, bastable=None, extra=None):
    d = {"instrument": name, "equilibrium": None if pe is None else pe.label,
         "position": None if pe is None else pe.position,
         "wage": None if pe is None else pe.wage,
         "income_gap": None if pe is None else pe.income_gap,
         "utility": None if pe is None else pe.welfare.utility,
         "real_income": None if pe is None else pe.welfare.real_income,
         "mill": mill, "bastable": bastable}
    d.update(extra or {})
    return d


def compare(model, params, instruments, sector, tariff_rate, subsidy_rate, duration, rho,
            kappa, sigma=None, status_quo=None) -> dict:
    """The comparison behind ``marshallian policy`` (one calibration), as a dict."""
    import math

    from ..policy.adjustment import run_policy, status_quo_equilibrium
    from ..policy.coordination import coordination, promote_cluster
    from ..policy.instruments import subsidy, tariff
    from ..policy.welfare import preferences

    prefs = preferences(model, params, sigma=sigma)
    sq = status_quo_equilibrium(model, params, status_quo, prefs=prefs)
    rows = []
    common = dict(status_quo=sq, kappa=kappa, rho=rho, prefs=prefs)
    ext = [a for a in model.activities if a.sector == sector and a.has_externality]
    for name in instruments:
        if name == "free-trade":
            rows.append(_row(name, sq))
        elif name in ("tariff", "temporary-tariff"):
            dur = math.inf if name == "tariff" else duration
            r = run_policy(model, params, tariff(sector, tariff_rate), duration=dur, **common)
            rows.append(_row(name, r.reached, r.mill, r.bastable,
                              {"gains": r.gains, "costs": r.costs, "rate": tariff_rate,
                               "duration": None if math.isinf(dur) else dur, "notes": list(r.notes)}))
        elif name in ("subsidy", "modern-subsidy"):
            if name == "subsidy":
                pol = subsidy(sector, subsidy_rate)
            else:
                if not ext:
                    rows.append(_row(name, None, extra={"notes": ["no externality activity"]}))
                    continue
                pol = subsidy(sector, subsidy_rate, ext[0].technology)
            r = run_policy(model, params, pol, duration=duration, **common)
            rows.append(_row(name, r.reached, r.mill, r.bastable,
                              {"gains": r.gains, "costs": r.costs, "rate": subsidy_rate,
                               "duration": duration, "notes": list(r.notes)}))
        elif name == "coordination":
            c = coordination(model, params, status_quo=sq, kappa=kappa, rho=rho, prefs=prefs)
            r = c.run
            rows.append(_row(name, r.reached if r else c.target,
                              r.mill if r else None, r.bastable if r else None,
                              {"target": c.target.label, "critical_mass": c.critical_mass,
                               "min_subsidy": c.min_subsidy, "reaches_target": c.reaches_target,
                               "gains": r.gains if r else None, "costs": r.costs if r else None}))
        elif name == "promotion":
            pr = promote_cluster(model, params, sector, status_quo=sq, prefs=prefs)
            rows.append(_row(name, pr.equilibrium, (not pr.distorted) if pr.equilibrium else None,
                              None, {"subsidy_needed": pr.subsidy, "distorted": pr.distorted,
                                     "welfare_change": pr.welfare_change}))
    return _finite({"model": model.name, "params": params.as_dict(),
                    "preferences": prefs.to_dict(), "status_quo": sq.label, "sector": sector,
                    "discount": rho, "speed": kappa, "rows": rows})


def _finite(obj):
    """JSON-safe copy: non-finite floats become None."""
    import math

    if isinstance(obj, dict):
        return {k: _finite(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_finite(v) for v in obj]
    if isinstance(obj, float) and not math.isfinite(obj):
        return None
    return obj


def _validate(args, model):
    from ..errors import InvalidParameterError, Violation
    from ..policy.adjustment import check_positive
    from ..policy.instruments import check_rate

    names = [x.strip() for x in args.instruments.split(",") if x.strip()]
    if not names:
        raise InvalidParameterError(Violation("--instruments", args.instruments, "must list instruments"))
    for n in names:
        if n not in INSTRUMENTS:
            raise InvalidParameterError(Violation("--instruments", n,
                                                  f"unknown instrument; must be one of {', '.join(INSTRUMENTS)}"))
    check_rate("--tariff", args.tariff)
    check_rate("--subsidy", args.subsidy)
    check_positive("--duration", args.duration)
    check_positive("--discount", args.discount)
    check_positive("--speed", args.speed)
    if args.sigma is not None:
        check_positive("--sigma", args.sigma)
    if args.sector not in model.sectors:
        raise InvalidParameterError(Violation("--sector", args.sector,
                                              f"must be one of {', '.join(map(str, model.sectors))}"))
    return names


def _fmt(x, spec=".5g"):
    if x is None:
        return "-"
    if isinstance(x, bool):
        return "pass" if x else "fail"
    return format(x, spec)


def run(args) -> int:
    from ..models import get_model
    from .common import check_model_name, emit_json, load_cases

    model = get_model(check_model_name(args.model, ("standard", "alternative")))
    names = _validate(args, model)
    cases, batch = load_cases(model, args)
    docs = [compare(model, p, names, args.sector, args.tariff, args.subsidy, args.duration,
                    args.discount, args.speed, args.sigma, args.status_quo) for p in cases]
    if args.format == "json":
        emit_json(docs if batch else docs[0])
        return 0
    blocks = []
    for d in docs:
        lines = [f"Model: {d['model']}   status quo: {d['status_quo']}   sector: {d['sector']}   "
                 f"rho={d['discount']:g} kappa={d['speed']:g}   preferences: "
                 f"{d['preferences']['kind']}",
                 f"{'instrument':<17} {'equilibrium reached':<32} {'wage':>8} {'gap':>8} "
                 f"{'utility':>9} {'real inc.':>9} {'Mill':>5} {'Bastable':>8}"]
        for r in d["rows"]:
            lines.append(f"{r['instrument']:<17} {(r['equilibrium'] or '-')[:32]:<32} "
                         f"{_fmt(r['wage']):>8} {_fmt(r['income_gap']):>8} {_fmt(r['utility']):>9} "
                         f"{_fmt(r['real_income']):>9} {_fmt(r['mill']):>5} {_fmt(r['bastable']):>8}")
            if r["instrument"] == "coordination":
                lines.append(f"{'':<17} target {r['target']}, critical mass "
                             f"{_fmt(r['critical_mass'])}, smallest subsidy {_fmt(r['min_subsidy'])}, "
                             f"reaches target: {r['reaches_target']}")
            if r["instrument"] == "promotion":
                lines.append(f"{'':<17} subsidy needed {_fmt(r['subsidy_needed'])} "
                             f"(price distortion: {r['distorted']})")
        lines.append("gap = North's income per worker / South's; Mill: protected activity "
                     "survives at world prices; Bastable: discounted gains >= costs")
        blocks.append("\n".join(lines))
    print("\n\n".join(blocks))
    return 0
