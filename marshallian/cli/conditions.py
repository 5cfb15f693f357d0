"""``marshallian conditions MODEL``: derived existence condition of every equilibrium type."""
from __future__ import annotations


def add_parser(sub) -> None:
    from .common import add_format_option

    p = sub.add_parser("conditions", help="existence condition of every equilibrium type (derived)",
                       description="Existence conditions derived by SymPy from the model's "
                                   "primitives, at North's default (full-cluster) prices.")
    p.add_argument("model", metavar="MODEL", help="standard, alternative or dynamic")
    add_format_option(p, ("text", "latex", "json", "csv"), "text")
    p.set_defaults(run=run)


def run(args) -> int:
    from ..solvers.conditions import derive_conditions
    from .common import check_model_name, emit_json

    entries = derive_conditions(check_model_name(args.model))
    if args.format == "json":
        emit_json([e.to_dict() for e in entries])
    elif args.format == "csv":
        import sys

        from ..results import ConditionTable
        sys.stdout.write(ConditionTable(entries).to_csv())
    elif args.format == "latex":
        from ..report_format import conditions_latex
        print(conditions_latex(entries))
    else:
        if entries:
            print(f"Premise: {entries[0].premise}")
            defs = {str(k): str(v) for e in entries for k, v in e.definitions.items()}
            if defs:
                print("Definitions: " + "; ".join(f"{k} = {v}" for k, v in sorted(defs.items())))
        for e in entries:
            print(e.text())
    return 0
