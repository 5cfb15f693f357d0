"""The ``marshallian`` command (contract: ``docs/commands.md``).

Exit codes: 0 success, 2 bad input (one line on stderr naming the parameter or file, the
value and the rule; nothing written), 1 anything else. Subcommands live in their own
modules and import SymPy/matplotlib lazily so that ``marshallian --help`` stays fast.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import warnings

#: subcommand -> module implementing ``add_parser(subparsers)`` and ``run(args) -> int``
COMMANDS = {
    "solve": "marshallian.cli.solve",
    "conditions": "marshallian.cli.conditions",
    "paths": "marshallian.cli.paths",
    "policy": "marshallian.cli.policy",
    "claims": "marshallian.cli.claims",
    "sweep": "marshallian.cli.sweep",
    "figures": "marshallian.cli.figures",
    "report": "marshallian.cli.report",
    "empirics": "marshallian.cli.empirics",
    "explore": "marshallian.cli.explore",
}


class UsageError(Exception):
    """Bad command-line usage: reported in one line with exit code 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one line, no usage dump
        raise UsageError(message)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="marshallian",
        description="North-South Ricardian models with Marshallian externalities "
        "(Rodriguez-Clare 2007): equilibria, conditions, dynamics, policy.",
    )
    parser.add_argument("--version", action="version", version=_version())
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for module in COMMANDS.values():
        importlib.import_module(module).add_parser(sub)
    return parser


def _version() -> str:
    try:
        from importlib.metadata import version

        return version("marshallian")
    except Exception:  # pragma: no cover - not installed
        return "unknown"


def _format_warning(previous):
    """``warnings.formatwarning`` for the commands: a
    :class:`~marshallian.errors.PerformanceWarning` (compiled code not available) as one
    line, as the commands write their notes; other warnings by ``previous``."""
    from ..errors import PerformanceWarning

    def format_warning(message, category, filename, lineno, line=None) -> str:
        if issubclass(category, PerformanceWarning):
            return f"marshallian: warning: {message}\n"
        return previous(message, category, filename, lineno, line)

    return format_warning


def main(argv=None) -> int:
    """Entry point of the ``marshallian`` command; returns the exit code."""
    from ..errors import InvalidParameterError

    try:
        parser = build_parser()
        args = parser.parse_args(argv)
        if not getattr(args, "command", None):
            parser.print_help()
            return 2
        previous = warnings.formatwarning
        warnings.formatwarning = _format_warning(previous)
        try:
            return int(args.run(args) or 0)
        finally:
            warnings.formatwarning = previous
    except UsageError as exc:  # argparse echoes user text: escape it and cut it
        from ..errors import echo_name

        print(f"marshallian: error: {echo_name(exc)}", file=sys.stderr)
        return 2
    except InvalidParameterError as exc:
        print(f"marshallian: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("marshallian: interrupted", file=sys.stderr)
        return 1
    except BrokenPipeError:
        return 1
    except Exception as exc:  # anything else is exit 1, with a short message
        from ..errors import echo_name

        print(
            f"marshallian: internal error: {type(exc).__name__}: {echo_name(exc)}", file=sys.stderr
        )
        return 1


def entry() -> None:
    code = main()
    import gc

    # the process ends here: skip the collector's last passes over objects that live
    # until exit (half a second once SymPy and matplotlib are loaded)
    gc.freeze()
    sys.exit(code)
