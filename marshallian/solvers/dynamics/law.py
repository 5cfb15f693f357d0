"""§4 law of motion of :math:`A_{jit}` and the closed-form paths of :math:`a=A_S/A_N`.

See :mod:`marshallian.solvers.dynamics` for the theory (Rodríguez-Clare 2007, §4): the two
pieces of the law of motion (logistic below 1, linear above, with ``law="min"``) are solved
by SymPy's ``dsolve`` (:func:`closed_form_expressions`), compiled once and evaluated
vectorized (:func:`relative_productivity`, :func:`time_to_reach`, :func:`steady_state`).
"""

from __future__ import annotations

import functools

import numpy as np

from ...errors import InvalidParameterError, SolverError, Violation
from ...tolerances import PAY_RTOL

#: The public names (re-exported by :mod:`marshallian.solvers.dynamics`).
__all__ = [
    "AGREEMENT_RTOL",
    "CERT_MP_DPS",
    "CERT_MP_POINTS",
    "CERT_ODE_EPS_TIMES_T",
    "DEFAULT_POINTS",
    "DEFAULT_T_MAX",
    "DEVIATION_RTOL",
    "KINK_ATOL",
    "LAWS",
    "MAX_ODE_HORIZON",
    "MAX_POINTS",
    "MAX_T_MAX",
    "ODE_ATOL",
    "ODE_RTOL",
    "TECHNOLOGIES",
    "closed_form_expressions",
    "derive_closed_forms",
    "law_of_motion",
    "learning_rate",
    "reference_relative_productivity",
    "relative_productivity",
    "spillover_term",
    "steady_state",
    "time_to_reach",
]

#: The operator in :math:`a_{jit}`: ``"min"`` (correct) or ``"max"`` (the paper's typo).
LAWS = ("min", "max")
#: Technologies a South path can use.
TECHNOLOGIES = ("modern", "backward")
#: ``solve_ivp`` relative and absolute tolerances (on :math:`\\log A`).
ODE_RTOL = 1e-12
ODE_ATOL = 1e-13
#: Closed form and integration must agree to this relative difference (certificate).
AGREEMENT_RTOL = 1e-8
#: Default horizon and number of time points of :func:`path`.
DEFAULT_T_MAX = 200.0
DEFAULT_POINTS = 201
#: Largest number of time points accepted.
MAX_POINTS = 1_000_000
#: Largest horizon of :func:`~marshallian.solvers.dynamics.path` (closed form): any later
#: time is indistinguishable from the limit in floats for every admissible rate.
MAX_T_MAX = 1e12
#: Largest horizon of an integration (:func:`~marshallian.solvers.dynamics.integrate`,
#: ``path(method="ode")``): its work grows with the horizon.
MAX_ODE_HORIZON = 1e5
#: The certificate integrates the full system only while :math:`\varepsilon t` is at most
#: this (``log A`` grows by at most about this much, so the integrator's relative error on
#: :math:`a=e^{\log A_S-\log A_N}` stays near ``ODE_RTOL`` times it); beyond, the closed
#: form is checked against a 40-digit mpmath evaluation of the same SymPy solution.
CERT_ODE_EPS_TIMES_T = 40.0
#: Most time points checked against mpmath beyond the integrated stretch (evenly chosen,
#: the last one included): the certificate's work is bounded whatever the horizon.
CERT_MP_POINTS = 200
#: mpmath working precision (decimal digits) of the reference.
CERT_MP_DPS = 40
#: An idle activity's deviation is profitable when its pay exceeds the wage by more than
#: this relative margin (the core's pay tie tolerance).
DEVIATION_RTOL = PAY_RTOL
#: |log A_S - log A_N| below this counts as sitting on the kink A_S = A_N.
KINK_ATOL = 1e-12


# =========================================================================== closed forms
@functools.cache
def closed_form_expressions() -> dict:
    """SymPy solutions of the two pieces of the law of motion of :math:`a=A_S/A_N`.

    Derived by :func:`derive_closed_forms` once, then kept in the on-disk cache of
    derivations (:func:`marshallian.cache.cached_derivation`, keyed by this module's
    source and SymPy's version; ``MARSHALLIAN_NO_CACHE=1`` derives afresh): a new
    interpreter spares ``dsolve``'s second or so.

    Returns
    -------
    dict
        As :func:`derive_closed_forms`.

    Examples
    --------
    >>> from marshallian.solvers.dynamics import closed_form_expressions
    >>> closed_form_expressions()["linear_z_at"]
    (a1*k - eps)/(a0*k - eps)
    """
    from ...cache import cached_derivation

    return cached_derivation("law-of-motion", ("solvers/dynamics/law.py",), derive_closed_forms)


def derive_closed_forms() -> dict:
    """SymPy solutions of the two pieces of the law of motion of :math:`a=A_S/A_N`.

    Derived with :func:`sympy.dsolve` (never typed in): the logistic piece
    :math:`\\dot a=a(r-\\varepsilon a)` and the linear piece :math:`\\dot a=\\varepsilon-ka`,
    each with :math:`a(0)=a_0`, rewritten in :math:`z=e^{-rt}` (resp. :math:`e^{-kt}`) so
    that evaluation never overflows; plus the inverses :math:`z(a_1)` (time to reach
    :math:`a_1` is :math:`-\\ln z/r`).

    Returns
    -------
    dict
        ``symbols`` (t, a0, a1, eps, r, k, z) and the expressions ``logistic``,
        ``logistic_z_at``, ``linear``, ``linear_z_at``.
    """
    import sympy as sp

    t = sp.Symbol("t", nonnegative=True)
    a0, a1, eps, r, k = sp.symbols("a0 a1 eps r k", positive=True)
    z = sp.Symbol("z", positive=True)
    a = sp.Function("a")
    # logistic piece, a Bernoulli equation: general solution, then C1 from a(0) = a0
    gen = sp.dsolve(sp.Eq(a(t).diff(t), a(t) * (r - eps * a(t))), a(t), hint="Bernoulli").rhs
    C1 = next(s for s in gen.free_symbols if s.name == "C1")
    c0 = sp.solve(sp.Eq(gen.subs(t, 0), a0), C1)
    if len(c0) != 1:  # pragma: no cover - guards a SymPy behaviour change
        raise SolverError(f"closed form: expected one constant for the logistic piece, got {c0}")
    logistic = sp.factor(
        sp.cancel(sp.expand_power_exp(gen.subs(C1, c0[0])).subs(sp.exp(r * t), 1 / z))
    )
    if logistic.has(t):  # pragma: no cover
        raise SolverError(f"closed form: could not write the logistic piece in z: {logistic}")
    # linear piece
    lin = sp.dsolve(
        sp.Eq(a(t).diff(t), eps - k * a(t)), a(t), ics={a(0): a0}, hint="1st_linear"
    ).rhs
    linear = sp.expand(lin).subs(sp.exp(-k * t), z)
    out = {
        "symbols": {"t": t, "a0": a0, "a1": a1, "eps": eps, "r": r, "k": k, "z": z},
        "logistic": logistic,
        "linear": linear,
    }
    for name, expr in (("logistic", logistic), ("linear", linear)):
        sols = sp.solve(sp.Eq(expr, a1), z)
        if len(sols) != 1:  # pragma: no cover - guards a SymPy behaviour change
            raise SolverError(f"closed form: expected one inverse of the {name} piece, got {sols}")
        out[f"{name}_z_at"] = sp.factor(sols[0])
    for name in ("logistic", "linear"):
        check = sp.simplify(out[name].subs(z, out[f"{name}_z_at"]) - a1)
        if check != 0:  # pragma: no cover
            raise SolverError(f"closed form: inverse of the {name} piece does not check")
    return out


@functools.cache
def _compiled():
    """The closed forms lambdified once for NumPy, argument order fixed."""
    import sympy as sp

    ex = closed_form_expressions()
    s = ex["symbols"]
    mobius = {}
    for name, rate in (("logistic", s["r"]), ("linear", s["k"])):
        # each piece is a Moebius map of z: (c0 + c1 z)/(e0 + e1 z); its coefficients,
        # read off the dsolve result, give a fast evaluation with one exp per point
        num, den = sp.fraction(sp.together(ex[name]))
        pn, pd = sp.Poly(num, s["z"]), sp.Poly(den, s["z"])
        if pn.degree() > 1 or pd.degree() > 1:  # pragma: no cover
            raise SolverError(f"closed form: the {name} piece is not a Moebius map of z")
        coeffs = [
            pn.coeff_monomial(1),
            pn.coeff_monomial(s["z"]),
            pd.coeff_monomial(1),
            pd.coeff_monomial(s["z"]),
        ]
        mobius[name] = sp.lambdify((s["a0"], rate, s["eps"]), coeffs, "numpy")
    return {
        "logistic_mobius": mobius["logistic"],
        "linear_mobius": mobius["linear"],
        **_lambdified_pieces("numpy"),
    }


def _lambdified_pieces(module: str) -> dict:
    """The dsolve pieces and their inverses (``*_z_at``), lambdified for ``module``
    (``"numpy"``, or ``"mpmath"`` for the certificate's reference) in a fixed order."""
    import sympy as sp

    ex = closed_form_expressions()
    s = ex["symbols"]
    return {
        "logistic": sp.lambdify((s["a0"], s["r"], s["eps"], s["z"]), ex["logistic"], module),
        "logistic_z_at": sp.lambdify(
            (s["a0"], s["a1"], s["r"], s["eps"]), ex["logistic_z_at"], module
        ),
        "linear": sp.lambdify((s["a0"], s["k"], s["eps"], s["z"]), ex["linear"], module),
        "linear_z_at": sp.lambdify((s["a0"], s["a1"], s["k"], s["eps"]), ex["linear_z_at"], module),
    }


def _check_law(law):
    if law not in LAWS:
        raise InvalidParameterError(
            Violation(
                "law",
                law,
                "must be 'min' (the model) or 'max' (the paper's typo, for demonstration)",
            )
        )


def _pieces(a0, d, eps, law):
    """Broadcast inputs; which piece applies first; rates r, k (all arrays)."""
    a0, d, eps = np.broadcast_arrays(*(np.asarray(x, dtype=float) for x in (a0, d, eps)))
    bad = []
    if not np.all((a0 > 0) & np.isfinite(a0)):
        bad.append(Violation("a0", "array", "must be finite and > 0"))
    if not np.all((eps > 0) & np.isfinite(eps)):
        bad.append(Violation("eps", "array", "must be finite and > 0"))
    if not np.all(np.abs(d) < eps):
        bad.append(Violation("d", "array", "learning deficit must satisfy |d| < eps"))
    if bad:
        raise InvalidParameterError(bad)
    r, k = eps - d, eps + d
    # side of 1 the path starts on (at a0 == 1: the side it moves to; d == 0 stays at 1)
    lower = (a0 < 1) | ((a0 == 1) & (d >= 0))
    # min: logistic below 1, linear above; max: the other way round
    logistic_first = lower if law == "min" else ~lower
    return a0, d, eps, r, k, lower, logistic_first


def _piece(a0, r, k, eps, tau, logistic):
    """Value of one piece at elapsed time tau >= 0 (arrays broadcast).

    Coefficients are computed on the parameters' shape; the (parameters x times) work is
    one ``exp`` and a Moebius map, in place.
    """
    f = _compiled()
    with np.errstate(all="ignore"):
        cl = f["logistic_mobius"](a0, r, eps)
        ck = f["linear_mobius"](a0, k, eps)
        c0, c1, e0, e1 = (np.where(logistic, x, y) for x, y in zip(cl, ck))
        rate = np.where(logistic, r, k)
        z = np.asarray(np.multiply(-rate, tau), dtype=float)
        np.exp(z, out=z)
        den = e1 * z
        den += e0
        z *= c1
        z += c0
        z /= den
    return z


def _piece_time(a0, a1, r, k, eps, logistic):
    """Time for one piece to go from a0 to a1 (inf when never reached)."""
    f = _compiled()
    with np.errstate(all="ignore"):
        zl = f["logistic_z_at"](a0, a1, r, eps)
        zk = f["linear_z_at"](a0, a1, k, eps)
        tl = -np.log(zl) / r
        tk = -np.log(zk) / k
    t = np.where(logistic, tl, tk)
    t = np.where(np.isfinite(t) & (t >= 0), t, np.inf)
    return np.where(a0 == a1, 0.0, t)


def _attractor(r, k, eps, logistic):
    return np.where(logistic, r / eps, eps / k)


def _plan(a0, d, eps, law):
    """First piece, crossing time of a = 1 (inf if none), second piece."""
    _check_law(law)
    a0, d, eps, r, k, lower, first = _pieces(a0, d, eps, law)
    star = _attractor(r, k, eps, first)
    crosses = np.where(lower, star > 1, star < 1) & (a0 != 1)
    one = np.ones_like(a0)
    t1 = np.where(crosses, _piece_time(a0, one, r, k, eps, first), np.inf)
    return a0, r, k, eps, first, t1, lower


def relative_productivity(a0, d, eps, t, law: str = "min") -> np.ndarray:
    """Closed-form :math:`a(t)=A_{jS}(t)/A_{jN}(t)`, vectorized.

    Parameters
    ----------
    a0 : array_like
        :math:`a(0)>0`.
    d : array_like
        Learning deficit :math:`d=h_N-h_S` (:math:`g` for a South without a cluster facing
        a North with a full one; 0 when both have full clusters), :math:`|d|<\\varepsilon`.
    eps : array_like
        Spillover speed :math:`\\varepsilon`.
    t : array_like
        Times :math:`\\ge0`. All four broadcast together (e.g. ``a0[:, None]`` against
        ``t[None, :]`` for many paths on one grid).
    law : {"min", "max"}

    Returns
    -------
    numpy.ndarray
        :math:`a(t)`: the first piece until the path crosses 1, then the other piece
        started from 1.
    """
    a0, r, k, eps, first, t1, _ = _plan(a0, d, eps, law)
    t = np.asarray(t, dtype=float)
    out = _piece(a0, r, k, eps, t, first)
    if np.any(np.isfinite(t1)):
        with np.errstate(invalid="ignore"):
            since = np.maximum(t - t1, 0.0)
        after = _piece(np.ones_like(a0), r, k, eps, since, ~first)
        np.copyto(out, after, where=np.broadcast_to(t >= t1, out.shape))
    return out


def steady_state(d, eps, law: str = "min") -> np.ndarray:
    """Limit of :math:`a(t)` as :math:`t\\to\\infty` (independent of :math:`a_0>0`).

    ``min``: :math:`1-d/\\varepsilon` when :math:`d\\ge0` (:math:`\\hat a=1-g/\\varepsilon`
    with no South cluster, 1 with a full one), :math:`\\varepsilon/(\\varepsilon+d)` when
    South out-learns North.
    """
    _check_law(law)
    d, eps = np.broadcast_arrays(np.asarray(d, float), np.asarray(eps, float))
    logistic_side = (d >= 0) if law == "min" else (d < 0)
    return np.where(logistic_side, 1 - d / eps, eps / (eps + d))


def time_to_reach(a0, d, eps, a1, law: str = "min") -> np.ndarray:
    """Closed-form time at which :math:`a(t)=a_1` (inf if never; 0 if :math:`a_0=a_1`).

    :math:`a(t)` is monotone, so the time is unique when it exists.
    """
    a0, r, k, eps, first, t1, lower = _plan(a0, d, eps, law)
    a0, a1 = np.broadcast_arrays(a0, np.asarray(a1, float))
    direct = _piece_time(a0, a1, r, k, eps, first)
    one = np.ones_like(a0)
    # the target lies beyond 1: reached (if ever) on the second piece, after the crossing
    beyond = np.where(lower, a1 > 1, a1 < 1)
    second = t1 + _piece_time(one, a1, r, k, eps, ~first)
    return np.where(np.isfinite(t1) & beyond, second, np.where(beyond, np.inf, direct))


def spillover_term(x, eps, law: str = "min"):
    """:math:`\\varepsilon(1-\\psi(x))` with :math:`\\psi(x)=\\min(x,1)` or :math:`\\max(x,1)`."""
    _check_law(law)
    x = np.asarray(x, dtype=float)
    psi = np.minimum(x, 1.0) if law == "min" else np.maximum(x, 1.0)
    return eps * (1.0 - psi)


def learning_rate(g, Lbar, modern_labor):
    """:math:`h=(g/\\bar L)\\min(\\bar L, L_M)`: growth from learning by doing."""
    return g * np.minimum(Lbar, modern_labor) / Lbar


def law_of_motion(A_S, A_N, modern_S, modern_N, g, eps, Lbar, law: str = "min"):
    """:math:`(\\dot A_{jS}, \\dot A_{jN})` of §4 for one sector (arrays broadcast).

    ``law="max"`` is the paper's printed typo (see the module docstring).
    """
    A_S = np.asarray(A_S, float)
    A_N = np.asarray(A_N, float)
    dS = A_S * (learning_rate(g, Lbar, modern_S) + spillover_term(A_S / A_N, eps, law))
    dN = A_N * (learning_rate(g, Lbar, modern_N) + spillover_term(A_N / A_S, eps, law))
    return dS, dN


@functools.cache
def _mp_functions():
    """The dsolve pieces and their inverses compiled for mpmath (the certificate's reference)."""
    return _lambdified_pieces("mpmath")


def reference_relative_productivity(
    a0: float, d: float, eps: float, times, law: str = "min"
) -> list:
    """:math:`a(t)` at ``times`` from the dsolve solution evaluated by mpmath at
    :data:`CERT_MP_DPS` digits (error far below a float's): the certificate's reference
    beyond the integrated stretch. Scalar ``a0``, ``d``, ``eps``; returns floats."""
    import mpmath

    f = _mp_functions()
    with mpmath.workdps(CERT_MP_DPS):
        a0m, dm, em = mpmath.mpf(float(a0)), mpmath.mpf(float(d)), mpmath.mpf(float(eps))
        r, k = em - dm, em + dm
        lower = a0m < 1 or (a0m == 1 and dm >= 0)
        first_logistic = lower if law == "min" else not lower

        def piece(start, tau, logistic):
            if logistic:
                return f["logistic"](start, r, em, mpmath.exp(-r * tau))
            return f["linear"](start, k, em, mpmath.exp(-k * tau))

        star = r / em if first_logistic else em / k
        crosses = (star > 1 if lower else star < 1) and a0m != 1
        t1 = mpmath.inf
        if crosses:
            z = (
                f["logistic_z_at"](a0m, 1, r, em)
                if first_logistic
                else f["linear_z_at"](a0m, 1, k, em)
            )
            t1 = -mpmath.log(z) / (r if first_logistic else k)
        out = []
        for t in times:
            tm = mpmath.mpf(float(t))
            if tm >= t1:
                out.append(float(piece(mpmath.mpf(1), tm - t1, not first_logistic)))
            else:
                out.append(float(piece(a0m, tm, first_logistic)))
        return out
