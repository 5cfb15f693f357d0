"""``marshallian claims``: every claim of ``docs/models.md`` §6 checked (exit 0 only if all hold)."""

from __future__ import annotations


def add_parser(sub) -> None:
    from .common import add_format_option, ascii_int, command_parser

    p = command_parser(
        sub,
        "claims",
        run,
        "check every claim of the paper numerically",
        "Run the registry of the paper's claims (S1-S7, A1-A9, D1-D6) "
        "over seeded random parameter draws. Exit 0 only if all hold.",
    )
    p.add_argument(
        "--draws",
        type=ascii_int,
        default=None,
        help="random parameter draws per claim (default: registry default)",
    )
    p.add_argument("--seed", type=ascii_int, default=0, help="seed of the draws (default 0)")
    p.add_argument("--only", metavar="ID[,ID...]", help="comma-separated claim ids, e.g. S1,A3")
    add_format_option(p, ("table", "json", "csv"), "table")


def run(args) -> int:
    from ..claims import DEFAULT_DRAWS, load, run_claims
    from ..errors import InvalidParameterError, Violation
    from .common import emit_json

    draws = DEFAULT_DRAWS if args.draws is None else args.draws
    if draws < 1:
        raise InvalidParameterError(Violation("--draws", draws, "must be an integer >= 1"))
    ids = None
    if args.only is not None:
        ids = [x.strip() for x in args.only.split(",") if x.strip()]
        if not ids:
            raise InvalidParameterError(Violation("--only", args.only, "must list claim ids"))
        reg = load()
        for i in ids:
            if i not in reg:
                raise InvalidParameterError(
                    Violation("--only", i, f"must be one of {', '.join(reg)}")
                )
    results = run_claims(ids, draws=draws, seed=args.seed)
    if args.format == "csv":  # one row per claim
        import sys

        from ..results import ClaimTable

        sys.stdout.write(ClaimTable(results, seed=args.seed, draws=draws).to_csv())
    elif args.format == "json":
        emit_json(
            {
                "seed": args.seed,
                "draws": draws,
                "all_hold": all(r.holds for r in results),
                "claims": [r.to_dict() for r in results],
            }
        )
    else:
        print(f"{'id':<4} {'result':<7} {'draws':>6}  statement")
        for r in results:
            st = r.statement if len(r.statement) <= 90 else r.statement[:87] + "..."
            print(f"{r.id:<4} {'holds' if r.holds else 'FAILS':<7} {r.draws:>6}  {st}")
            if r.notes:
                print(f"{'':<19}note: {r.notes}")
            if not r.holds:
                print(
                    f"{'':<19}{len(r.counterexamples)} counterexample(s), first: "
                    f"{r.counterexamples[0] if r.counterexamples else '-'}"
                )
        n_ok = sum(r.holds for r in results)
        print(f"{n_ok}/{len(results)} claims hold (seed {args.seed}, {draws} draws each)")
    return 0 if all(r.holds for r in results) else 1
