"""``marshallian solve standard|alternative --world``: every two-country equilibrium.

The world equilibrium of ``docs/world.md``: North is no longer the price setter, so each
equilibrium carries its own ``prices`` (North's wage is 1), South's ``activities``,
``north_activities``, ``wage`` (South's relative to North's) and ``income_gap`` = 1/wage.
Output goes through the commands' one streamed writer (:func:`marshallian.cli.output.emit`):
``table``, ``json`` (an object, or an array for a batch), ``csv`` (one row per
equilibrium, with ``case`` and the parameters) and ``latex``.
"""

from __future__ import annotations

#: Models the world solver covers (the §4 steady states assume North learns at g).
WORLD_MODELS = ("standard", "alternative")


def run_world(args) -> int:
    from ..errors import InvalidParameterError, Violation
    from ..models.schema import get_schema
    from .common import check_model_name, read_cases, report_skipped
    from .output import emit

    # validated against the parameter schema: SymPy loads only once the input is good
    model = get_schema(check_model_name(args.model, WORLD_MODELS))
    if getattr(args, "north", None):
        raise InvalidParameterError(
            Violation(
                "--north",
                args.north,
                "cannot be combined with --world (North's allocation is solved for, not chosen)",
            )
        )
    batch = read_cases(model, args)
    report_skipped(batch)
    emit(
        world_cases(model, batch.cases, exact=getattr(args, "exact", False)),
        args.format,
        batch.batch,
    )
    return 0


def world_cases(model, cases, exact=False):
    """``(case, WorldSolution)`` for every ``(case, Parameters)``, lazily, in order."""
    from ..solvers.world import solve_world

    for case, params in cases:  # warn=False: no warning on degenerate equilibria
        yield case, solve_world(model, params, exact=exact, warn=False)
