"""Scalar helpers of the compiled batch kernel (one case at a time).

This file is not imported by the package: its text is the head of every generated kernel
module (:mod:`~marshallian.solvers.batch.compiled`), where each function is compiled by
Numba. Each helper does, for one case, what
:class:`~marshallian.solvers.batch.engine.BatchKernels` does on arrays of cases, with the
same outcome where a value is not finite (NaN propagates through maxima as in NumPy), so
that both engines hand the same cases to the per-case solver. (Each regime's decisions
are generated with its closed forms: :func:`~marshallian.solvers.batch.compiled.
_regime_function`.)
"""

import math

import numpy as np

REJECT = 0
ACCEPT = 1
UNDECIDED = 2

# Set by the generated module (from :mod:`~marshallian.solvers.batch.engine`):
KNIFE_FACTOR = ROUNDING_RTOL = ORDER_RTOL = BISECTION_RTOL = math.nan
BISECTION_STEPS = 0


def _nanmax(a, b):
    """``numpy.maximum`` of two floats (NaN wins)."""
    if math.isnan(a) or math.isnan(b):
        return math.nan
    return a if a >= b else b


def _invert(q2, q1, w):
    return (
        (-q1 + math.sqrt(q1 * q1 + 4 * q2 * w)) / (2 * q2)
        if q1 * q1 + 4 * q2 * w >= 0
        else math.nan
    )


def _excess(coef, n_var, L_S, w):
    total = 0.0
    for s in range(n_var):
        A = coef[4 * s]
        B = coef[4 * s + 1]
        total += A * _invert(coef[4 * s + 2], coef[4 * s + 3], w) - B
    return total - L_S


def _bisect(coef, n_var, L_S):
    """The wage of a monotone regime (§4): ``BatchKernels._bisect`` for one case
    (``coef``: per rising-only sector, ``A, B, q2, q1``)."""
    steps = BISECTION_STEPS
    rtol = BISECTION_RTOL
    lo = 0.0
    hi = -math.inf
    for s in range(n_var):
        A = coef[4 * s]
        B = coef[4 * s + 1]
        x = (L_S + B) / A
        hi = _nanmax(hi, coef[4 * s + 2] * x**2 + coef[4 * s + 3] * x)
    for _ in range(2100):  # doubling until the root is bracketed
        if not (_excess(coef, n_var, L_S, hi) < 0):
            break
        hi = hi * 2.0
    for _ in range(steps):
        mid = 0.5 * (lo + hi)
        if _excess(coef, n_var, L_S, mid) < 0:
            lo = mid
        else:
            hi = mid
        if hi - lo <= rtol * hi:
            break
    return 0.5 * (lo + hi)


def _order(gap, label_order, slots, pos, gs, order_rtol):
    """Regimes of one case in ``solve``'s order (``BatchKernels._order``): ``slots[:c]``
    holds the ``c`` accepted regimes (finite gap) by income gap, near-equal gaps by
    label.

    Only the finite gaps are sorted: in ``BatchKernels._order`` the others sort after
    them and never swap (a swap needs a finite later gap), so the first ``c`` places,
    and each pass of the transposition over them, are the same (the same cap on passes).
    """
    R = gap.shape[0]
    c = 0
    for q in range(R):  # stable insertion sort by gap, in label order
        g = gap[label_order[q]]
        if not math.isfinite(g):
            continue
        t = c
        while t > 0 and gs[t - 1] > g:
            gs[t] = gs[t - 1]
            pos[t] = pos[t - 1]
            t -= 1
        gs[t] = g
        pos[t] = q
        c += 1
    for _ in range(R):  # odd-even transposition: near-equal gaps in label order
        moved = False
        for parity in range(2):
            for k in range(parity, c - 1, 2):
                if gs[k + 1] <= gs[k] * (1 + order_rtol) and pos[k + 1] < pos[k]:
                    moved = True
                    gs[k], gs[k + 1] = gs[k + 1], gs[k]
                    pos[k], pos[k + 1] = pos[k + 1], pos[k]
        if not moved:
            break
    for q in range(c):
        slots[q] = label_order[pos[q]]
    return c


def _grow(a, cap):
    out = np.empty((cap,) + a.shape[1:], a.dtype)
    out[: a.shape[0]] = a
    return out


def _grow_along(a, cap):
    """``_grow`` of a (values x rows) array: room for ``cap`` rows."""
    out = np.empty((a.shape[0], cap), a.dtype)
    out[:, : a.shape[1]] = a
    return out
