"""Named numerical tolerances.

All are *relative*, so results do not change when every productivity (or every labor
endowment) is multiplied by a constant: pay comparisons are scaled by the wage, labor
comparisons by South's labor force ``L_S``. Override per call with a
:class:`Tolerances` instance, e.g. ``solve(model, params, tol=Tolerances(pay_rtol=1e-12))``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

#: Two pays ``a`` and ``b`` count as equal (a tie, i.e. a knife edge) when
#: ``|a - b| <= PAY_RTOL * max(|a|, |b|)``.
PAY_RTOL = 1e-9
#: A labor amount counts as zero, or as equal to a cap ``Lbar``, when it is within
#: ``LABOR_RTOL * L_S`` of it.
LABOR_RTOL = 1e-9
#: A certificate passes when its relative residuals are below this.
VERIFY_RTOL = 1e-7
#: Equilibria are listed by income gap; two gaps within this relative distance count as
#: equal and are listed by label, as exactly equal gaps are. Two regimes' formulas give the
#: same wage up to the last bits, so without it float and exact arithmetic (and the batch)
#: could list tied equilibria in different orders. It orders output, it decides nothing.
ORDER_RTOL = 1e-12


@dataclass(frozen=True)
class Tolerances:
    """Tolerances used by the enumeration and by the verification of its output.

    Parameters
    ----------
    pay_rtol : float
        Relative tolerance for pay ties (default :data:`PAY_RTOL`).
    labor_rtol : float
        Tolerance for labor, relative to ``L_S`` (default :data:`LABOR_RTOL`).
    verify_rtol : float
        Largest relative residual a certificate accepts (default :data:`VERIFY_RTOL`).

    Examples
    --------
    >>> import marshallian as m
    >>> strict = m.Tolerances(pay_rtol=1e-12)
    >>> len(m.solve("alternative", tol=strict))
    7
    >>> m.Tolerances(verify_rtol=0.5)
    Traceback (most recent call last):
    ...
    marshallian.errors.InvalidParameterError: verify_rtol...must be a finite number in [0, 1e-2]
    """

    pay_rtol: float = PAY_RTOL
    labor_rtol: float = LABOR_RTOL
    verify_rtol: float = VERIFY_RTOL

    def __post_init__(self):
        from .errors import InvalidParameterError, Violation

        bad = [
            Violation(k, v, "must be a finite number in [0, 1e-2]")
            for k, v in (
                ("pay_rtol", self.pay_rtol),
                ("labor_rtol", self.labor_rtol),
                ("verify_rtol", self.verify_rtol),
            )
            if not isinstance(v, (int, float)) or not (0 <= v <= 1e-2)
        ]
        if bad:
            raise InvalidParameterError(bad)

    def replace(self, **changes) -> Tolerances:
        return replace(self, **changes)


DEFAULT_TOLERANCES = Tolerances()
#: Exact (rational) arithmetic: ties and caps are decided exactly.
EXACT_TOLERANCES = Tolerances(0.0, 0.0, 0.0)
