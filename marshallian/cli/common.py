"""Shared command-line plumbing: parameter loading, output formats, atomic writes."""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from .._files import atomic_write  # noqa: F401  (re-exported for the commands)
from ..errors import InvalidParameterError, Violation


def add_parameter_options(p) -> None:
    """``--params FILE`` and repeatable ``--set NAME=VALUE`` (interface.md)."""
    p.add_argument("--params", metavar="FILE",
                   help="JSON object, JSON array of objects (a batch) or TOML table of numbers")
    p.add_argument("--set", metavar="NAME=VALUE", action="append", default=[],
                   help="override one parameter (repeatable)")


def add_format_option(p, choices, default) -> None:
    p.add_argument("--format", choices=choices, default=default,
                   help=f"output format (default: {default})")


def add_cache_option(p) -> None:
    """``--no-cache``: derive conditions and compile kernels afresh (see
    :mod:`marshallian.cache`)."""
    p.add_argument("--no-cache", action="store_true",
                   help="ignore and do not write the on-disk cache of derived conditions")


def apply_cache_option(args) -> None:
    """Honour ``--no-cache`` in this process and in the workers it starts."""
    if getattr(args, "no_cache", False):
        os.environ["MARSHALLIAN_NO_CACHE"] = "1"


def check_model_name(name: str, allowed=None) -> str:
    from ..models import MODEL_NAMES

    allowed = allowed or MODEL_NAMES
    if name not in allowed:
        raise InvalidParameterError(Violation("MODEL", name, f"must be one of {', '.join(allowed)}"))
    return name


def load_cases(model, args) -> tuple[list, bool]:
    """Validated Parameters for every case; (cases, is_batch).

    Every case is validated before anything is computed or written; the first invalid
    case raises :class:`InvalidParameterError` naming its position in the batch.
    """
    from ..params import parse_assignment, read_parameter_file

    overrides = {}
    for text in args.set:
        name, value = parse_assignment(text)
        overrides[name] = value
    batch = False
    cases = [{}]
    if args.params:
        cases = read_parameter_file(args.params)
        raw = Path(args.params).read_text(encoding="utf-8").lstrip()
        batch = raw.startswith("[")
    out = []
    for i, case in enumerate(cases):
        merged = dict(case)
        merged.update(overrides)
        try:
            out.append(model.params(merged))
        except InvalidParameterError as exc:
            if batch:
                raise InvalidParameterError(
                    [Violation(f"case {i}: {v.name}", v.value, v.rule) for v in exc.violations]
                ) from None
            raise
    return out, batch


def emit_json(obj, stream=None) -> None:
    stream = stream or sys.stdout
    json.dump(obj, stream, indent=2, allow_nan=False)
    stream.write("\n")


def check_writable_dir(name: str, path) -> Path:
    """Validate an output directory (created if missing) before any work is done."""
    p = Path(path)
    if p.exists() and not p.is_dir():
        raise InvalidParameterError(Violation(name, str(path), "must be a directory"))
    parent = p if p.exists() else next((q for q in p.parents if q.exists()), Path("."))
    if not os.access(parent, os.W_OK):
        raise InvalidParameterError(Violation(name, str(path), "must be writable"))
    return p
