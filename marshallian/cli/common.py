"""Shared command-line plumbing: parameter loading, output formats, atomic writes."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field

from .._files import atomic_write  # noqa: F401  (re-exported for the commands)
from ..errors import InvalidParameterError, Violation


def command_parser(
    sub, name: str, run, help: str, description: str | None = None, *, model: str | None = None
):
    """The parser of command ``name``, opened in ``sub`` (the ``add_subparsers`` object of
    the ``marshallian`` command, or of a command with tasks): its one-line ``help``, its
    ``description``, the required ``MODEL`` argument when ``model`` gives its help, and
    ``run(args) -> int`` as what the command does (``docs/commands.md``).

    Examples
    --------
    >>> import argparse
    >>> sub = argparse.ArgumentParser(prog="marshallian").add_subparsers(dest="command")
    >>> p = command_parser(sub, "solve", print, "every equilibrium", model="standard")
    >>> args = p.parse_args(["alternative"])
    >>> args.model, args.run is print
    ('alternative', True)
    """
    p = sub.add_parser(name, help=help, description=description)
    if model is not None:
        p.add_argument("model", metavar="MODEL", help=model)
    if run is not None:
        p.set_defaults(run=run)
    return p


def add_parameter_options(p, on_error: bool = False) -> None:
    """``--params FILE`` and repeatable ``--set NAME=VALUE`` (``docs/commands.md``); with
    ``on_error``, also ``--on-error fail|skip`` for batches (``docs/parameters.md``)."""
    p.add_argument(
        "--params",
        metavar="FILE",
        help="JSON object, JSON array of objects (a batch), TOML table, or CSV "
        "(a header of parameter names, one case per row); - or /dev/stdin "
        "reads a pipe",
    )
    p.add_argument(
        "--set",
        metavar="NAME=VALUE",
        action="append",
        default=[],
        help="override one parameter (repeatable); theta, theta_J may replace Lbar, Lbar_J",
    )
    if on_error:
        p.add_argument(
            "--on-error",
            choices=("fail", "skip"),
            default="fail",
            help="a batch with invalid cases: fail (exit 2, nothing written; the "
            "default) or skip them (each reported on stderr with its row "
            "and rule) and answer the others",
        )


def ascii_float(text: str) -> float:
    """argparse ``type``: a finite number in ASCII decimal notation (not ``١``, ``inf``)."""
    import argparse

    from ..errors import echo_value
    from ..params import parse_number

    value = parse_number(text)
    if value is None:
        raise argparse.ArgumentTypeError(
            f"{echo_value(text)}: must be a finite number (ASCII decimal notation)"
        )
    return value


def ascii_int(text: str) -> int:
    """argparse ``type``: an integer in ASCII digits."""
    import argparse

    from ..errors import echo_value
    from ..params import parse_integer

    value = parse_integer(text)
    if value is None:
        raise argparse.ArgumentTypeError(f"{echo_value(text)}: must be an integer (ASCII digits)")
    return value


def add_format_option(p, choices, default) -> None:
    p.add_argument(
        "--format", choices=choices, default=default, help=f"output format (default: {default})"
    )


def add_cache_option(p) -> None:
    """``--no-cache``: derive conditions and compile kernels afresh (see
    :mod:`marshallian.cache`)."""
    p.add_argument(
        "--no-cache",
        action="store_true",
        help="ignore and do not write the on-disk cache of derived conditions",
    )


def apply_cache_option(args) -> None:
    """Honour ``--no-cache`` in this process and in the workers it starts."""
    if getattr(args, "no_cache", False):
        os.environ["MARSHALLIAN_NO_CACHE"] = "1"


def check_model_name(name: str, allowed=None) -> str:
    from ..models import MODEL_NAMES

    allowed = allowed or MODEL_NAMES
    if name not in allowed:
        raise InvalidParameterError(
            Violation("MODEL", name, f"must be one of {', '.join(allowed)}")
        )
    return name


@dataclass(frozen=True)
class CaseBatch:
    """The validated cases of one command: iterating ``cases`` gives ``(index,
    Parameters)`` in input order (built again on each iteration, so that a long batch
    never holds every case at once); ``skipped`` lists ``(index, where, violations)`` of
    invalid cases when they are skipped; ``batch`` says whether the input was a batch."""

    cases: Iterable
    batch: bool
    skipped: list = field(default_factory=list)
    source: str | None = None

    @property
    def params(self) -> list:
        return [p for _, p in self.cases]


class _ValidCases:
    """Re-iterable ``(index, Parameters)`` of the valid cases of an input."""

    def __init__(self, model, data, overrides, skip):
        self.model, self.data, self.overrides, self.skip = model, data, overrides, skip

    def __iter__(self):
        for case in self.data.cases:
            if case.index in self.skip:
                continue
            merged = dict(case.values)
            merged.update(self.overrides)
            yield case.index, self.model.params(merged)


def _prefixed(where: str, violations) -> list:
    return [
        v if v.name.startswith(where) else Violation(f"{where}: {v.name}", v.value, v.rule)
        for v in violations
    ]


def read_cases(model, args, on_error: str | None = None, data=None) -> CaseBatch:
    """Every case of ``--params`` (read once; a pipe works) with ``--set`` applied,
    validated against ``model`` before anything is computed or written.

    Every case is checked in a first pass (nothing kept but the numbers of invalid ones);
    the valid ones are built again, one at a time, when the command iterates them. With
    ``on_error="fail"`` (the default) the first invalid case raises
    :class:`InvalidParameterError` naming its case (and row); with ``"skip"`` invalid cases
    are collected in ``skipped`` and reported by :func:`report_skipped`. ``data`` is the
    input if the command has already read it (:func:`~marshallian.params.read_parameter_input`).
    """
    from ..params import parse_assignment, read_parameter_input

    on_error = on_error or getattr(args, "on_error", None) or "fail"
    overrides = {}
    for text in args.set:
        name, value = parse_assignment(text)
        overrides[name] = value
    if args.params is None:
        return CaseBatch([(0, model.params(overrides))], False)
    if data is None:
        data = read_parameter_input("/dev/stdin" if args.params == "-" else args.params)
    known = list(model.parameter_names) + list(getattr(model, "alias_names", ()))
    for c in data.columns:
        if c not in known:
            raise InvalidParameterError(
                Violation(
                    f"file {data.source!r}, row 1, column {c}",
                    c,
                    f"unknown parameter for model '{model.name}' (known: {', '.join(known)})",
                )
            )
    skipped, valid = [], 0
    for case in data.cases:
        problems = list(case.violations)
        if not problems:
            merged = dict(case.values)
            merged.update(overrides)
            try:
                model.params(merged)
                valid += 1
                continue
            except InvalidParameterError as exc:
                problems = (
                    _prefixed(case.where, exc.violations) if data.batch else list(exc.violations)
                )
        if on_error != "skip" or not data.batch:
            raise InvalidParameterError(problems)
        skipped.append((case.index, case.where, tuple(problems)))
    if not valid:
        raise InvalidParameterError(
            Violation(
                f"file {data.source!r}",
                f"{len(skipped)} cases",
                "no valid case to answer (every case skipped)",
            )
        )
    cases = _ValidCases(model, data, overrides, {i for i, _, _ in skipped})
    return CaseBatch(cases, data.batch, skipped, data.source)


def report_skipped(batch: CaseBatch, stream=None) -> None:
    """One line on stderr per skipped case: its number, where it is, the rule."""
    stream = stream or sys.stderr
    for index, _where, problems in batch.skipped:
        msg = "; ".join(str(v) for v in problems)
        stream.write(f"marshallian: skipped case {index}: {msg}\n")


def load_cases(model, args) -> tuple[list, bool]:
    """Validated Parameters for every case; (cases, is_batch).

    Every case is validated before anything is computed or written; the first invalid
    case raises :class:`InvalidParameterError` naming its position in the batch.
    """
    batch = read_cases(model, args, "fail")
    return batch.params, batch.batch


def emit_json(obj, stream=None) -> None:
    stream = stream or sys.stdout
    json.dump(obj, stream, indent=2, allow_nan=False)
    stream.write("\n")
