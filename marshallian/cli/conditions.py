"""``marshallian conditions MODEL``: derived existence condition of every equilibrium type."""

from __future__ import annotations


def add_parser(sub) -> None:
    from .common import add_cache_option, add_format_option, command_parser

    p = command_parser(
        sub,
        "conditions",
        run,
        "existence condition of every equilibrium type (derived)",
        "Existence conditions derived by SymPy from the model's "
        "primitives, at North's default (full-cluster) prices.",
        model="standard, alternative or dynamic",
    )
    add_format_option(p, ("text", "latex", "json", "csv"), "text")
    add_cache_option(p)


def run(args) -> int:
    import sys

    from ..cache import cached_output
    from .common import apply_cache_option, check_model_name

    apply_cache_option(args)
    name = check_model_name(args.model)
    sys.stdout.write(cached_output("conditions", name, args.format, lambda: _render(name, args)))
    return 0


def _render(name, args) -> str:
    """What the command prints (kept in the cache: a warm start needs no SymPy)."""
    import contextlib
    import io

    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        _print(name, args)
    return buf.getvalue()


def _print(name, args) -> None:
    from ..cache import derive_conditions
    from ..solvers.conditions import condition_P
    from .common import emit_json

    entries = derive_conditions(name)
    joint = condition_P(name)  # §2's condition (P), reported with the others
    if args.format == "json":
        emit_json([e.to_dict() for e in entries])
    elif args.format == "csv":
        import sys

        from ..results import ConditionTable

        sys.stdout.write(ConditionTable(entries).to_csv())
    elif args.format == "latex":
        from ..report_format import conditions_latex

        print(conditions_latex(entries))
        if joint is not None:
            print(f"% {joint.label} {joint.statement}\n\\[ {joint.latex()} \\]")
    else:
        if entries:
            print(f"Premise: {entries[0].premise}")
            defs = {str(k): str(v) for e in entries for k, v in e.definitions.items()}
            if defs:
                print("Definitions: " + "; ".join(f"{k} = {v}" for k, v in sorted(defs.items())))
        for e in entries:
            print(e.text())
        if joint is not None:
            print(joint.text())
