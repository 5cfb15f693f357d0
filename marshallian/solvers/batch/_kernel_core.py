"""Scalar decision helpers of the compiled batch kernel (one case at a time).

This file is not imported by the package: its text is the head of every generated kernel
module (:mod:`~marshallian.solvers.batch.compiled`), where each function is compiled by
Numba. Each helper takes, for one case, the decision that
:class:`~marshallian.solvers.batch.engine.BatchKernels` takes on arrays of cases, with the
same knife band and the same outcome where a value is not finite (NaN propagates through
maxima as in NumPy), so that both engines hand the same cases to the per-case solver.
"""

import math

import numpy as np

REJECT = 0
ACCEPT = 1
UNDECIDED = 2

# Set by the generated module (from :mod:`~marshallian.solvers.batch.engine`):
KNIFE_FACTOR = ROUNDING_RTOL = ORDER_RTOL = BISECTION_RTOL = math.nan
BISECTION_STEPS = 0


def _decide(v, meta, L_ref, labor_rtol, pay_rtol):
    """Status of one regime (REJECT/ACCEPT/UNDECIDED) from its values ``v`` (the layout of
    :attr:`RegimePlan.expressions`; ``meta``: its sizes), as ``BatchKernels._decide``."""
    K, J, n_labor, n_pay, n_tie = meta[0], meta[1], meta[2], meta[3], meta[4]
    knife = meta[5] != 0
    knife_factor = KNIFE_FACTOR
    rr = ROUNDING_RTOL
    reject = False
    undecided = False
    wage = v[K]
    bad = not math.isfinite(wage)
    for k in range(K):
        if not math.isfinite(v[k]):
            bad = True
    for j in range(J):
        if not math.isfinite(v[K + 1 + j]):
            bad = True
    undecided = undecided or bad
    if not (wage > 0) and not bad:
        reject = True
    atol = labor_rtol * L_ref
    pos = K + 1 + J
    for _ in range(n_labor):
        a = v[pos]
        b = v[pos + 1]
        pos += 2
        diff = b - a
        band = knife_factor * atol + rr * (abs(a) + abs(b) + L_ref)
        near = not (abs(diff) > band)
        undecided = undecided or near
        if not (diff > 0) and not near:
            reject = True
    for _ in range(n_pay):
        pay = v[pos]
        w = v[pos + 1]
        pos += 2
        band = (knife_factor * pay_rtol + rr) * _nanmax(abs(pay), abs(w))
        near = not (abs(w - pay) > band)
        undecided = undecided or near
        if not (pay < w) and not near:
            reject = True
    for _ in range(n_tie):
        a = v[pos]
        b = v[pos + 1]
        pos += 2
        band = (knife_factor * pay_rtol + rr) * _nanmax(abs(a), abs(b))
        near = not (abs(a - b) > band)
        undecided = undecided or near
        if not near:
            reject = True
    if reject:
        return REJECT
    if undecided or knife:
        return UNDECIDED
    return ACCEPT


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


def _bisect(v, meta, L_S):
    """The wage of a monotone regime (§4): ``BatchKernels._bisect`` for one case (the
    coefficients are ``v[meta[6]:]``)."""
    coef = v[meta[6] :]
    n_var = meta[7]
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
    label."""
    R = gap.shape[0]
    for q in range(R):  # stable insertion sort by gap, in label order
        g = gap[label_order[q]]
        t = q
        while t > 0 and gs[t - 1] > g:
            gs[t] = gs[t - 1]
            pos[t] = pos[t - 1]
            t -= 1
        gs[t] = g
        pos[t] = q
    for _ in range(R):  # odd-even transposition: near-equal gaps in label order
        moved = False
        for parity in range(2):
            for c in range(parity, R - 1, 2):
                if (
                    gs[c + 1] <= gs[c] * (1 + order_rtol)
                    and pos[c + 1] < pos[c]
                    and math.isfinite(gs[c + 1])
                ):
                    moved = True
                    gs[c], gs[c + 1] = gs[c + 1], gs[c]
                    pos[c], pos[c + 1] = pos[c + 1], pos[c]
        if not moved:
            break
    count = 0
    for q in range(R):
        slots[q] = label_order[pos[q]]
        if math.isfinite(gs[q]):
            count += 1
    return count


def _certificate(pays, wage, labor, states, L_S, labor_rtol, verify_rtol):
    """``(max_pay_residual, max_deviation_gain, labor_residual, verified)`` of one
    equilibrium (``BatchKernels._certify``)."""
    res = 0.0
    gain = -math.inf
    total = 0.0
    negative = False
    for k in range(labor.shape[0]):
        rel = (pays[k] - wage) / wage
        if states[k] != 0 and labor[k] > 0:
            res = _nanmax(res, abs(rel))
        else:
            gain = _nanmax(gain, rel)
        total += labor[k]
        if labor[k] < -labor_rtol * L_S:
            negative = True
    labres = abs(total - L_S) / L_S
    verified = res <= verify_rtol and gain <= verify_rtol and labres <= verify_rtol and not negative
    return res, gain, labres, verified


def _grow(a, cap):
    out = np.empty((cap,) + a.shape[1:], a.dtype)
    out[: a.shape[0]] = a
    return out
