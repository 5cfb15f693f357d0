"""Filtered predicates: float speed, exact answers.

The regime enumeration (:mod:`marshallian.solvers.enumeration`) decides, for every
regime, a handful of signs: is a labor amount positive, below its cap, does an idle
activity pay less than the wage, do two pays tie. In floats a sign can come out wrong when
the quantity is smaller than the rounding error accumulated in computing it (near
:math:`\\beta\\to1`, tiny :math:`\\alpha L_S`, :math:`L_S\\gg\\bar L_j`). Exact geometry
libraries solve this with *filtered predicates*, and so does this module:

* every number of the float enumeration is an :class:`Approx`: a float value together with
  a rigorous bound on its distance to the exact value of the same computation done on the
  exact inputs (the decimals the parameters are written as; see
  :func:`~marshallian.params.exact_number`);
* :class:`FilteredArith` decides a comparison in floats only when the margin exceeds the
  sum of the two error bounds; otherwise it raises :class:`Undecided`;
* the enumeration then decides *that regime* again in exact rational arithmetic
  (:class:`~marshallian.solvers.enumeration.ExactArith`).

So float mode returns the same equilibria, with the same flags (stable, weak, tie,
continuum), as ``exact=True``, at float speed except on the few regimes that sit within
rounding error of a knife edge.

Error bounds (first-order, with the unit roundoff :data:`UNIT` taken generously as
:math:`2^{-52}`): an input float :math:`x` is within :math:`u|x|` of the decimal it
prints as; :math:`x\\pm y`: :math:`e_x+e_y+u|x\\pm y|`; :math:`xy`:
:math:`|x|e_y+|y|e_x+e_xe_y+u|xy|`; :math:`x/y` (when :math:`|y|>e_y`):
:math:`(e_x+|x/y|e_y)/(|y|-e_y)+u|x/y|`; :math:`\\sqrt x`: :math:`e_x/\\sqrt x+u\\sqrt x`.
Each bound is then inflated by :data:`SAFETY` to cover the rounding of the bound itself.
World prices set by North are closed forms of a few operations on positive parameters;
they enter with a relative bound of :data:`PRICE_RELATIVE_ERROR`.
"""

from __future__ import annotations

import math
from fractions import Fraction
from numbers import Real

#: Unit roundoff, taken generously (twice the IEEE double's :math:`2^{-53}`).
UNIT = 2.0**-52
#: Every propagated bound is multiplied by this (covers the rounding of the bound itself).
SAFETY = 1.0 + 2.0**-40
#: Relative error bound of a world price computed from North's equilibrium in floats.
PRICE_RELATIVE_ERROR = 64 * UNIT
#: Smallest and largest magnitudes an :class:`Approx` may hold (normal floats with room
#: for a few products): outside them the enumeration decides exactly.
TINY = 2.0**-960
HUGE = 2.0**960
#: Relative half-widths tried when certifying the root of the monotone wage equation.
ROOT_BRACKETS = (1e-14, 1e-12, 1e-10)


class Undecided(Exception):
    """A float comparison whose margin is within its rounding-error bound."""


class Approx:
    """A float ``value`` with a bound ``error`` on its distance to the exact value.

    Supports the operations the enumeration uses (``+ - * / **int``, ``sqrt``, ``abs``).
    Ordering comparisons compare values (heuristics only, e.g. inside a bisection);
    decisions go through :class:`FilteredArith`.

    >>> x = Approx(0.1) + Approx(0.2)
    >>> abs(x.value - 0.3) <= x.error
    True
    """

    __slots__ = ("error", "value")

    def __init__(self, value: float, error: float | None = None):
        v = float(value)
        if not (TINY <= abs(v) <= HUGE or v == 0 or math.isinf(v) and error == 0.0):
            # outside the normal range the relative error model does not hold
            # (underflow, overflow): let exact arithmetic decide
            raise Undecided(f"{v!r} is outside the range where float errors are bounded")
        self.value = v
        self.error = abs(v) * UNIT if error is None else float(error)
        if not self.error <= HUGE:
            raise Undecided("error bound overflow")

    # ---------------------------------------------------------------- construction
    @staticmethod
    def of(x) -> Approx:
        """Wrap an input number: error 0 when the float is exactly the decimal it prints as
        (integers, halves, ...), else ``u|x|``."""
        if isinstance(x, Approx):
            return x
        if isinstance(x, bool):
            raise TypeError("a boolean is not a number")
        if isinstance(x, int) and abs(x) <= 2**53:
            return Approx(float(x), 0.0)
        v = float(x)
        if math.isfinite(v) and Fraction(v) == Fraction(float.__repr__(v)):
            return Approx(v, 0.0)
        return Approx(v)

    @staticmethod
    def _lift(x) -> Approx:
        if isinstance(x, Approx):
            return x
        if isinstance(x, int) and abs(x) <= 2**53:
            return Approx(float(x), 0.0)
        if isinstance(x, Real):
            return Approx(float(x), 0.0)  # a constant of the algorithm (2, 4, 0.5): exact
        return NotImplemented

    # ---------------------------------------------------------------- arithmetic
    def __add__(self, other):
        o = Approx._lift(other)
        if o is NotImplemented:
            return o
        v = self.value + o.value
        return Approx(v, (self.error + o.error + UNIT * abs(v)) * SAFETY)

    __radd__ = __add__

    def __neg__(self):
        return Approx(-self.value, self.error)

    def __pos__(self):
        return self

    def __sub__(self, other):
        o = Approx._lift(other)
        if o is NotImplemented:
            return o
        v = self.value - o.value
        return Approx(v, (self.error + o.error + UNIT * abs(v)) * SAFETY)

    def __rsub__(self, other):
        o = Approx._lift(other)
        if o is NotImplemented:
            return o
        return o - self

    def __mul__(self, other):
        o = Approx._lift(other)
        if o is NotImplemented:
            return o
        v = self.value * o.value
        e = abs(self.value) * o.error + abs(o.value) * self.error + self.error * o.error
        return Approx(v, (e + UNIT * abs(v)) * SAFETY)

    __rmul__ = __mul__

    def __truediv__(self, other):
        o = Approx._lift(other)
        if o is NotImplemented:
            return o
        room = abs(o.value) - o.error
        if not room > 0:
            raise Undecided("division by a number within rounding error of 0")
        v = self.value / o.value
        e = (self.error + abs(v) * o.error) / room
        return Approx(v, (e + UNIT * abs(v)) * SAFETY)

    def __rtruediv__(self, other):
        o = Approx._lift(other)
        if o is NotImplemented:
            return o
        return o / self

    def __pow__(self, n):
        if not isinstance(n, int) or n < 0:
            return NotImplemented
        out = Approx(1.0, 0.0)
        for _ in range(n):
            out = out * self
        return out

    def sqrt(self) -> Approx:
        if self.value - self.error < 0 and self.value < 0:
            raise Undecided("square root of a negative number")
        v = math.sqrt(max(self.value, 0.0))
        e = self.error / v if v > 0 else math.sqrt(self.error)
        return Approx(v, (min(e, math.sqrt(self.error) if v == 0 else e) + UNIT * v) * SAFETY)

    def __abs__(self):
        return Approx(abs(self.value), self.error)

    # ---------------------------------------------------------------- conversions
    def __float__(self) -> float:
        return self.value

    def __eq__(self, other):
        # exact structural zero tests only (``slope != 0``, ``q2 == 0``): a value with a
        # nonzero error bound never equals anything
        o = other.value if isinstance(other, Approx) else other
        err = self.error + (other.error if isinstance(other, Approx) else 0.0)
        return err == 0 and self.value == o

    def __ne__(self, other):
        return not self.__eq__(other)

    __hash__ = None  # type: ignore[assignment]

    def __lt__(self, other):
        return self.value < float(other)

    def __le__(self, other):
        return self.value <= float(other)

    def __gt__(self, other):
        return self.value > float(other)

    def __ge__(self, other):
        return self.value >= float(other)

    def __repr__(self) -> str:
        return f"Approx({self.value!r} ± {self.error:.3g})"


def sign(x) -> int:
    """Sign of an :class:`Approx` (or plain number), or :class:`Undecided`."""
    x = Approx._lift(x)
    if x.value > x.error:
        return 1
    if x.value < -x.error:
        return -1
    if x.value == 0 and x.error == 0:
        return 0
    raise Undecided(f"sign of {x!r}")


class FilteredArith:
    """Arithmetic of the enumeration on :class:`Approx` numbers (decisions certified).

    Every comparison is decided in floats when its margin exceeds the error bounds and
    raises :class:`Undecided` otherwise; the caller then decides the regime exactly.
    """

    exact = False
    symbolic = False
    filtered = True
    pay_rtol = 0.0
    labor_atol = 0.0

    @staticmethod
    def sqrt(x):
        return Approx._lift(x).sqrt()

    def invert_pay(self, q2, q1, w):
        from .enumeration import closed_form_root

        return closed_form_root(q2, q1, w, self.sqrt)

    def solve_variable(self, econ, variable):
        return None

    def tie(self, a, b) -> bool:
        return sign(Approx._lift(a) - b) == 0

    def compare_pay(self, a, b) -> int:
        return sign(Approx._lift(a) - b)

    def labor_less(self, a, b, strict) -> bool:
        if isinstance(b, float) and math.isinf(b):
            return b > 0
        s = sign(Approx._lift(a) - b)
        return s < 0 if strict else s <= 0

    def positive(self, x) -> bool:
        return sign(x) > 0

    @staticmethod
    def to_float(x) -> float:
        return float(x)

    def certified_root(self, excess, w: float) -> Approx:
        """``w`` as an :class:`Approx` root of the increasing ``excess``, or Undecided.

        The root lies in :math:`[w(1-\\delta), w(1+\\delta)]` when ``excess`` is certainly
        negative at the left end and certainly positive at the right end.
        """
        for delta in ROOT_BRACKETS:
            lo, hi = Approx(w * (1 - delta), 0.0), Approx(w * (1 + delta), 0.0)
            try:
                if sign(excess(lo)) < 0 and sign(excess(hi)) > 0:
                    return Approx(w, w * delta * (1 + 4 * UNIT))
            except Undecided:
                continue
        raise Undecided("root of the wage equation within rounding error of a bracket")


def approx_structure(model, params):
    """The model's :class:`~marshallian.models.base.Structure` on :class:`Approx` inputs.

    The compiled structure function (``+ - * /`` of the parameters) runs on Approx
    numbers, so every coefficient carries its own rigorous error bound.
    """
    values = tuple(Approx.of(v) for v in params.as_tuple())
    out = model._structure_function(values)
    return model._pack([_wrap(v) for v in out])


def _wrap(v):
    if isinstance(v, Approx):
        return v
    if isinstance(v, float) and math.isinf(v):
        return v
    return Approx.of(v)


def approx_price(p) -> Approx:
    """A world price computed in floats, with :data:`PRICE_RELATIVE_ERROR`."""
    v = float(p)
    return Approx(v, abs(v) * PRICE_RELATIVE_ERROR)
