"""Exceptions and warnings of the package.

Every invalid input raises :class:`InvalidParameterError` (a ``ValueError``), which
collects *all* violations found in one call so that a user fixes them in one pass.
"""

from __future__ import annotations

from dataclasses import dataclass


class MarshallianError(Exception):
    """Base class of every error raised by :mod:`marshallian`.

    Examples
    --------
    Every error the package raises can be caught with this one class:

    >>> import marshallian as m
    >>> try:
    ...     m.solve("alternative", {"beta": -1})
    ... except m.MarshallianError as err:
    ...     print(type(err).__name__)
    InvalidParameterError
    """


@dataclass(frozen=True)
class Violation:
    """One broken rule: which parameter (or file), the offending value, the rule."""

    name: str
    value: object
    rule: str

    def __str__(self) -> str:
        # Name and value may come from user input (a key in a file, a --set NAME, a cell):
        # escape everything but printable ASCII, so that the message stays on one line
        # and look-alike letters show as what they are, and cut long values.
        return f"{echo_name(self.name)}={echo_value(self.value)}: {self.rule}"


#: Echoed names and values are cut to about this many characters.
MAX_ECHO_CHARS = 80


def _cut(text: str, limit: int = MAX_ECHO_CHARS) -> str:
    if len(text) <= limit:
        return text
    return f"{text[:limit]}...[{len(text)} characters]"


def echo_name(name: object) -> str:
    """``name`` for an error message: printable ASCII, escapes otherwise, bounded length."""
    text = str(name)
    if not (text.isascii() and text.isprintable()):
        text = text[: 4 * MAX_ECHO_CHARS].encode("unicode_escape").decode("ascii")
    return _cut(text, 2 * MAX_ECHO_CHARS)


def echo_value(value: object) -> str:
    """``repr(value)`` for an error message, non-ASCII escaped (``ascii``), cut to a
    bounded length (a 100 MB value is not echoed whole)."""
    if isinstance(value, (str, bytes)) and len(value) > MAX_ECHO_CHARS:
        return ascii(value[:MAX_ECHO_CHARS]) + f"...[{len(value)} characters]"
    return _cut(ascii(value))


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
    """A computation could not be certified (e.g. a residual above tolerance).

    Examples
    --------
    >>> import marshallian as m
    >>> issubclass(m.SolverError, m.MarshallianError), issubclass(m.SolverError, RuntimeError)
    (True, True)
    """


class DegenerateEquilibriumWarning(UserWarning):
    """A knife-edge case: a continuum of equilibria or a weak (tied) equilibrium.

    Examples
    --------
    >>> import warnings
    >>> import marshallian as m
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("error", m.DegenerateEquilibriumWarning)
    ...     len(m.solve("alternative"))        # a generic calibration: no knife edge, no warning
    7
    """


class NorthPremiseWarning(UserWarning):
    """North cannot have the paper's full clusters at the given parameters.

    The paper (§2–§3) sets world prices from North with a full cluster in every sector that
    can have one, :math:`p_j^*=1/(\\theta_j\\lambda_{jN})`. When North's labor in a sector is
    below the cap (:math:`\\mu_jL_N<\\bar L_j`) that configuration is not an equilibrium; the
    package then takes prices from an equilibrium North does have (the best stable one) and
    says so (this warning, ``Solution.warnings`` and one line on the command line).

    Examples
    --------
    With ``L_N = 120`` North's sectors are below the caps, so it cannot have full clusters:

    >>> import warnings
    >>> import marshallian as m
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     sol = m.solve("alternative", {"L_N": 120})
    >>> [w.category.__name__ for w in caught]
    ['NorthPremiseWarning']
    """


class PerformanceWarning(UserWarning):
    """Compiled code could not be used, so a slower path answers (same results).

    The batch engine (:mod:`marshallian.solvers.batch`) runs a kernel compiled by Numba
    and formats CSV cells with compiled code. When Numba is installed but fails to import
    or to compile, the NumPy engine (2–10× slower) or Python's own ``repr`` answers
    instead, and this warning says so once per model and process, with the exception's
    type and message. Numba simply not installed is a documented choice, not warned about
    (with ``ENGINE = "numba"`` the batch raises instead). On the command line it is one
    line on stderr, ``marshallian: warning: ...``.

    Examples
    --------
    >>> import marshallian as m
    >>> issubclass(m.PerformanceWarning, UserWarning)
    True
    """
