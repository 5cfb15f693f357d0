"""``marshallian explore --out FILE.html [--model standard|alternative]`` (interface.md).

Writes one self-contained HTML page (inline JavaScript and CSS, nothing loaded from the
network) to explore the §2 and §3 models in a browser: see :mod:`marshallian.explore`.
"""

from __future__ import annotations


def add_parser(sub) -> None:
    from .common import add_cache_option, command_parser

    p = command_parser(
        sub,
        "explore",
        run,
        "write an interactive explorer page (one HTML file)",
        "One self-contained HTML page with controls for every "
        "parameter, the PPF, the equilibria, the region map and "
        "the derived conditions; solves in the browser, offline.",
    )
    p.add_argument("--out", metavar="FILE.html", help="the page to write (required)")
    p.add_argument(
        "--model",
        default="standard",
        metavar="MODEL",
        help="model shown first: standard or alternative (default: standard)",
    )
    add_cache_option(p)


def run(args) -> int:

    from ..errors import InvalidParameterError, Violation
    from ..explore import EXPLORE_MODELS

    if not args.out:
        raise InvalidParameterError(
            Violation("--out", None, "is required (the HTML file to write)")
        )
    if args.model not in EXPLORE_MODELS:
        raise InvalidParameterError(
            Violation("--model", args.model, f"must be one of {', '.join(EXPLORE_MODELS)}")
        )
    from .._files import check_output_file

    out = check_output_file("--out", args.out)
    from ..explore import write_page
    from .common import apply_cache_option

    apply_cache_option(args)
    path = write_page(out, args.model)
    print(f"explorer written to {path} (open it in a browser; it works offline)")
    return 0
