"""Grid axes of a sweep: ``NAME=START:STOP:N`` and ``NAME=log:START:STOP:N`` (numbers only)."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..errors import InvalidParameterError, Violation

#: Most values on one axis (its values are held in memory, 8 bytes each): a grid's size
#: is the product of its axes, so large sweeps use several axes, not one huge one.
MAX_AXIS_POINTS = 10_000_000


@dataclass(frozen=True)
class Axis:
    """One grid axis: a parameter and its values (linear or log spaced).

    Examples
    --------
    >>> from marshallian.sweep import make_axis
    >>> axis = make_axis("lam_2S", 0.5, 2.0, 4)
    >>> axis.name, axis.values.tolist(), axis.log
    ('lam_2S', [0.5, 1.0, 1.5, 2.0], False)
    """

    name: str
    values: np.ndarray
    spec: str = ""
    log: bool = False

    def __len__(self):
        return len(self.values)


def make_axis(name: str, start, stop, num, log: bool = False, *, spec: str | None = None) -> Axis:
    """A validated axis of ``num`` values from ``start`` to ``stop`` (both included).

    Raises
    ------
    InvalidParameterError
        Non-finite ends, ``num < 1``, an inverted (``start > stop``) or empty
        (``start == stop`` with ``num > 1``) range, or a log range through zero.

    Examples
    --------
    >>> from marshallian.sweep.axes import make_axis
    >>> make_axis("beta", 0.2, 0.8, 4).values.tolist()
    [0.2, 0.4, 0.6000000000000001, 0.8]
    """
    kind = "log:" if log else ""
    spec = spec or f"{name}={kind}{start}:{stop}:{num}"
    try:
        start, stop = float(start), float(stop)
    except (TypeError, ValueError):
        raise InvalidParameterError(Violation(name, spec, "range ends must be numbers")) from None
    if (
        isinstance(num, bool)
        or not isinstance(num, (int, np.integer))
        and not (isinstance(num, float) and num.is_integer())
    ):
        raise InvalidParameterError(
            Violation(name, spec, "the number of points must be an integer")
        )
    num = int(num)
    if not (math.isfinite(start) and math.isfinite(stop)):
        raise InvalidParameterError(Violation(name, spec, "range ends must be finite"))
    if num < 1:
        raise InvalidParameterError(Violation(name, spec, "an axis needs at least one point"))
    if num > MAX_AXIS_POINTS:
        raise InvalidParameterError(
            Violation(
                name, spec, f"an axis holds at most {MAX_AXIS_POINTS:,} points (use several axes)"
            )
        )
    if start > stop:
        raise InvalidParameterError(Violation(name, spec, "inverted range: START must be <= STOP"))
    if start == stop and num > 1:
        raise InvalidParameterError(
            Violation(name, spec, "empty range: START == STOP with more than one point")
        )
    if log:
        if start <= 0 or stop <= 0:
            raise InvalidParameterError(
                Violation(name, spec, "a log range must not reach or cross zero")
            )
        values = np.geomspace(start, stop, num)
    else:
        values = np.linspace(start, stop, num)
    if num > 1:  # exact end points (geomspace/linspace may round the last one)
        values[0], values[-1] = start, stop
    return Axis(name, values, spec, log)


def parse_axis(text: str) -> Axis:
    """Parse ``NAME=START:STOP:N`` or ``NAME=log:START:STOP:N`` (numbers only, never code).

    Examples
    --------
    >>> from marshallian.sweep.axes import parse_axis
    >>> axis = parse_axis("lam_1S=log:0.5:2:3")
    >>> axis.name, axis.values.round(6).tolist()
    ('lam_1S', [0.5, 1.0, 2.0])
    >>> parse_axis("lam_1S=0.5:2")
    Traceback (most recent call last):
    ...
    marshallian.errors.InvalidParameterError: lam_1S...must be NAME=START:STOP:N or NAME=log:START:STOP:N
    """
    name, eq, rest = text.partition("=")
    name = name.strip()
    if not eq or not name:
        raise InvalidParameterError(
            Violation("--axis", text, "must be NAME=START:STOP:N or NAME=log:START:STOP:N")
        )
    parts = [p.strip() for p in rest.split(":")]
    log = bool(parts) and parts[0].lower() == "log"
    if log:
        parts = parts[1:]
    if len(parts) != 3:
        raise InvalidParameterError(
            Violation(name, text, "must be NAME=START:STOP:N or NAME=log:START:STOP:N")
        )
    from ..params import parse_integer, parse_number

    start, stop = parse_number(parts[0]), parse_number(parts[1])
    if start is None or stop is None:
        raise InvalidParameterError(
            Violation(name, text, "range ends must be finite numbers (ASCII decimal notation)")
        )
    num = parse_integer(parts[2])
    if num is None:
        raise InvalidParameterError(
            Violation(name, text, "the number of points must be an integer (ASCII digits)")
        )
    return make_axis(name, start, stop, num, log, spec=text.strip())


def _as_axis(name, spec) -> Axis:
    if isinstance(spec, Axis):
        if spec.name != name:
            raise InvalidParameterError(Violation(name, spec.name, "axis keyed by another name"))
        return spec
    if isinstance(spec, str):
        return parse_axis(f"{name}={spec}")
    if isinstance(spec, tuple) and len(spec) in (3, 4) and not isinstance(spec[0], str):
        return make_axis(name, *spec)
    if isinstance(spec, tuple) and len(spec) == 4 and spec[0] == "log":
        return make_axis(name, *spec[1:], log=True)
    try:
        values = np.asarray(spec, dtype=float)
    except (TypeError, ValueError):
        raise InvalidParameterError(Violation(name, spec, "axis values must be numbers")) from None
    if values.ndim != 1 or values.size < 1:
        raise InvalidParameterError(
            Violation(name, f"shape {values.shape}", "axis values must be a non-empty 1-D sequence")
        )
    if not np.all(np.isfinite(values)):
        raise InvalidParameterError(Violation(name, "non-finite", "axis values must be finite"))
    return Axis(name, values.copy(), f"{name}=<{values.size} values>")
