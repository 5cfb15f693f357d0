"""``marshallian solve standard|alternative --world``: every two-country equilibrium.

The world equilibrium of ``docs/world.md``: North is no longer the price setter, so each
equilibrium carries its own ``prices`` (North's wage is 1), South's ``activities``,
``north_activities``, ``wage`` (South's relative to North's) and ``income_gap`` = 1/wage.
"""
from __future__ import annotations

#: Models the world solver covers (the §4 steady states assume North learns at g).
WORLD_MODELS = ("standard", "alternative")


def run_world(args) -> int:
    import warnings

    from ..errors import DegenerateEquilibriumWarning, InvalidParameterError, Violation
    from ..models import get_model
    from .common import check_model_name, emit_json, load_cases

    model = get_model(check_model_name(args.model, WORLD_MODELS))
    if getattr(args, "north", None):
        raise InvalidParameterError(Violation(
            "--north", args.north, "cannot be combined with --world (North's allocation is "
                                   "solved for, not chosen)"))
    cases, batch = load_cases(model, args)
    from ..solvers.world import solve_world

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegenerateEquilibriumWarning)
        results = [solve_world(model, p, exact=getattr(args, "exact", False), warn=False)
                   for p in cases]
    if args.format == "json":
        docs = [r.to_dict() for r in results]
        emit_json(docs if batch else docs[0])
    elif args.format == "latex":
        print("\n\n".join(r.to_latex() for r in results))
    elif args.format == "csv":
        _write_csv(results)
    else:
        print("\n\n".join(r.summary() for r in results))
    return 0


def _write_csv(results) -> None:
    """One row per equilibrium, with the case number and the parameters (interface.md)."""
    import csv
    import sys

    writer = None
    for case, r in enumerate(results):
        for i, e in enumerate(r.equilibria, 1):
            row = {"case": case, **dict(r.params), "equilibrium": i, "wage": e.wage,
                   "income_gap": e.income_gap, "stable": e.stable, "stability": e.stability,
                   "degenerate": e.degenerate,
                   **{f"p_{j}": v for j, v in e.prices.items()},
                   "south": "; ".join(f"{a.sector}:{a.technology}={a.labor:.10g}"
                                      for a in e.activities),
                   "north": "; ".join(f"{a.sector}:{a.technology}={a.labor:.10g}"
                                      for a in e.north_activities)}
            if writer is None:
                writer = csv.DictWriter(sys.stdout, fieldnames=list(row), lineterminator="\n")
                writer.writeheader()
            writer.writerow(row)
