"""Every real root of a polynomial on an interval: closed forms, else bracket and refine.

The world solver reduces each regime to one polynomial equation :math:`P(w)=0` in the
relative wage (see :mod:`marshallian.solvers.world.enumeration`). Its roots are found

* in closed form for degree 1 and 2 (the quadratic formula in its cancellation-free form);
* for degree :math:`d\\ge3` by *isolation through the derivative*: the roots of
  :math:`P'` (found recursively, down to the closed-form quadratic) split the interval
  into pieces on which :math:`P` is strictly monotone, so each piece holds at most one
  root, and it holds one exactly when :math:`P` changes sign across it. Each such root is
  bracketed by the piece's end points and refined by safeguarded regula falsi (Illinois)
  until the bracket is below :data:`ROOT_XTOL` relative. A critical point where
  :math:`|P|` is within rounding of zero and beside which :math:`P` does not change sign
  is a root of even multiplicity (a tangency): it is returned too, so knife edges are
  not lost.

No root can hide: on a monotone piece a root exists iff the end values differ in sign or
one of them vanishes. The exact variant (:func:`real_roots_exact`) uses SymPy's real-root
isolation on rational coefficients (``Poly.real_roots``: exact rationals, surds or
``CRootOf``).
"""

from __future__ import annotations

import math

#: A bracketed root is refined until the bracket is below this, relative to the root.
ROOT_XTOL = 4e-16
#: |P(c)| below this times the sum of |a_i c^i| counts as zero (a tangency).
ZERO_RTOL = 1e-12


def trim(poly: list) -> list:
    """Drop exactly-zero leading coefficients (coefficients are in ascending order)."""
    p = list(poly)
    while len(p) > 1 and p[-1] == 0:
        p.pop()
    return p


def add(a: list, b: list) -> list:
    n = max(len(a), len(b))
    return [(a[i] if i < len(a) else 0) + (b[i] if i < len(b) else 0) for i in range(n)]


def mul(a: list, b: list) -> list:
    if len(a) == 1:
        return [a[0] * x for x in b]
    if len(b) == 1:
        return [b[0] * x for x in a]
    out = [0] * (len(a) + len(b) - 1)
    for i, x in enumerate(a):
        for j, y in enumerate(b):
            out[i + j] = out[i + j] + x * y
    return out


def evaluate(poly: list, x):
    """Horner's rule."""
    acc = 0
    for c in reversed(poly):
        acc = acc * x + c
    return acc


def _scale(poly: list, x: float) -> float:
    s, xp = 0.0, 1.0
    for c in poly:
        s += abs(c) * xp
        xp *= abs(x)
    return s


def derivative(poly: list) -> list:
    return [i * poly[i] for i in range(1, len(poly))] or [0]


def _refine(poly, a, fa, b, fb) -> float:
    """The root in [a, b] where fa, fb have opposite signs (Illinois regula falsi)."""
    side = 0
    for _ in range(200):
        if b - a <= ROOT_XTOL * max(abs(a), abs(b)):
            break
        c = (a * fb - b * fa) / (fb - fa)
        if not a < c < b:  # rounding pushed it out: bisect
            c = 0.5 * (a + b)
        fc = evaluate(poly, c)
        if fc == 0:
            return c
        if (fc > 0) == (fb > 0):
            b, fb = c, fc
            if side == -1:
                fa *= 0.5
            side = -1
        else:
            a, fa = c, fc
            if side == 1:
                fb *= 0.5
            side = 1
    return 0.5 * (a + b)


def _quadratic(c0, c1, c2) -> list:
    disc = c1 * c1 - 4 * c2 * c0
    if disc < 0:
        # a double root may come out slightly negative by rounding: keep it as a tangency
        if -disc <= 4 * ZERO_RTOL * max(c1 * c1, abs(4 * c2 * c0)):
            return [-c1 / (2 * c2)]
        return []
    sq = math.sqrt(disc)
    q = -0.5 * (c1 + math.copysign(sq, c1)) if c1 != 0 else -0.5 * sq
    if q == 0:
        return [0.0]
    return sorted({q / c2, c0 / q})


def real_roots(poly: list, lo: float, hi: float) -> list:
    """Every real root of ``poly`` (ascending float coefficients) in ``[lo, hi]``, sorted.

    Raises
    ------
    ValueError
        If the polynomial is identically zero (every point is a root).
    """
    p = trim([float(c) for c in poly])
    deg = len(p) - 1
    if deg == 0:
        if p[0] == 0:
            raise ValueError("identically zero polynomial")
        return []
    if deg == 1:
        roots = [-p[0] / p[1]]
    elif deg == 2:
        roots = _quadratic(*p)
    else:
        crit = [c for c in real_roots(derivative(p), lo, hi) if lo < c < hi]
        knots = [lo] + crit + [hi]
        values = [evaluate(p, x) for x in knots]
        roots = []
        bracketed: set[int] = set()
        for i in range(len(knots) - 1):
            fa, fb = values[i], values[i + 1]
            if fa != 0 and fb != 0 and (fa > 0) != (fb > 0):
                roots.append(_refine(p, knots[i], fa, knots[i + 1], fb))
                bracketed.update((i, i + 1))
        for i, (x, v) in enumerate(zip(knots, values)):
            if v == 0:
                roots.append(x)
            elif (
                0 < i < len(knots) - 1 and i not in bracketed and abs(v) <= ZERO_RTOL * _scale(p, x)
            ):
                # a critical value within rounding of zero with no sign change beside it:
                # a root of even multiplicity (a tangency), not to be lost
                roots.append(x)
    out: list = []
    for r in sorted(r for r in roots if lo <= r <= hi):
        if not out or r - out[-1] > 8 * ROOT_XTOL * max(abs(r), 1e-300):
            out.append(r)
    return out


def real_roots_exact(poly: list, lo, hi) -> list:
    """Every real root in ``[lo, hi]`` of a polynomial with rational coefficients, exactly.

    Degree 1 and 2 roots are rationals or surds; higher degrees give SymPy ``CRootOf``
    objects (exact algebraic numbers that compare exactly with rationals).
    """
    import sympy as sp

    p = trim([sp.nsimplify(c) if not isinstance(c, sp.Basic) else c for c in poly])
    if len(p) == 1:
        if p[0] == 0:
            raise ValueError("identically zero polynomial")
        return []
    x = sp.Symbol("x")
    P = sp.Poly(list(reversed(p)), x, domain="QQ")
    roots = []
    if P.degree() <= 2:
        roots = [
            sp.nsimplify(r) if r.is_Rational else sp.radsimp(r)
            for r in sp.roots(P, filter="R", multiple=True)
        ]
    else:
        roots = P.real_roots()
    out: list = []
    for r in roots:
        if bool(r >= lo) and bool(r <= hi) and all(bool(r != s) for s in out):
            out.append(r)
    return out
