"""Exceptions and warnings of the package.

Every invalid input raises :class:`InvalidParameterError` (a ``ValueError``), which
collects *all* violations found in one call so that a user fixes them in one pass.
"""
from __future__ import annotations

from dataclasses import dataclass


class MarshallianError(Exception):
    """Base class of every error raised by :mod:`marshallian`."""


@dataclass(frozen=True)
class Violation:
    """One broken rule: which parameter (or file), the offending value, the rule."""

    name: str
    value: object
    rule: str

    def __str__(self) -> str:
        # The name may come from user input (a key in a file, a --set NAME): escape any
        # control character so that the message stays on one line.
        name = str(self.name)
        name = name if name.isprintable() else name.encode(
            "unicode_escape").decode("ascii")
        return f"{name}={self.value!r}: {self.rule}"


class InvalidParameterError(MarshallianError, ValueError):
    """Invalid parameters or input; ``violations`` lists every broken rule.

    The message is one line: the violations joined by ``'; '``.

    Examples
    --------
    >>> import marshallian as m
    >>> try:
    ...     m.solve("alternative", {"beta": 1.5, "L_S": -1})
    ... except m.InvalidParameterError as exc:
    ...     print(sorted(v.name for v in exc.violations))
    ['L_S', 'beta']
    """

    def __init__(self, violations):
        if isinstance(violations, Violation):
            violations = [violations]
        self.violations = tuple(violations)
        super().__init__("; ".join(str(v) for v in self.violations))


class SolverError(MarshallianError, RuntimeError):
    """A computation could not be certified (e.g. a residual above tolerance)."""


class DegenerateEquilibriumWarning(UserWarning):
    """A knife-edge case: a continuum of equilibria or a weak (tied) equilibrium."""
