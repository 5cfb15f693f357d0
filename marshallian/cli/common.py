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
    parent = p.parent if p.exists() else next((q for q in p.parents if q.exists()), Path("."))
    if not parent.is_dir():
        raise InvalidParameterError(Violation(name, str(path), f"cannot be created: {parent} "
                                                               "is not a directory"))
    if not os.access(parent, os.W_OK) or not _can_create_in(parent) \
            or (p.exists() and not _can_create_in(p)):
        raise InvalidParameterError(Violation(name, str(path), "must be in a writable folder "
                                                               "of a regular file system"))
    return p


def _can_create_in(folder: Path) -> bool:
    """Whether a folder can be made in ``folder`` (probed, then removed): refuses /proc,
    /sys and read-only mounts even for root, before any work is done. The output is
    built beside its target, so the target's parent is probed."""
    import tempfile

    try:
        probe = tempfile.mkdtemp(prefix=".marshallian-probe-", dir=folder)
    except OSError:
        return False
    try:
        os.rmdir(probe)
    except OSError:
        pass
    return True
