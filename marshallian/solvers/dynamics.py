"""§4 dynamics: the law of motion of :math:`A_{jit}`, closed-form paths and their integration.

The law of motion (Rodríguez-Clare 2007, §4; ``docs/models.md`` §4)
-------------------------------------------------------------------
For country :math:`i` (other country :math:`k`) and sector :math:`j`,

.. math::

    \\frac{\\dot A_{jit}}{A_{jit}} = \\frac{g}{\\bar L_j}\\min(\\bar L_j, L_{jiM})
        + \\varepsilon\\,(1-a_{jit}), \\qquad a_{jit}=\\min\\{A_{jit}/A_{jkt},\\,1\\},
    \\qquad \\varepsilon>g>0 .

The first term is learning by doing (modern labor :math:`L_{jiM}` only); the second is
international spillovers: the follower (:math:`a<1`) grows faster the further behind it
is ("benefits of backwardness"), the leader gets nothing (:math:`a=1`).

**The typo.** The paper prints :math:`a_{jit}=\\max\\{A_{jit}/A_{jkt},1\\}`. With ``max``
the follower has :math:`a=1` and gets no spillover at all, while the leader has
:math:`a>1` and a *negative* spillover :math:`\\varepsilon(1-a)<0`: knowledge would flow
out of the leader and lower its growth, and its productivity would *fall* outright when
:math:`A_{jN}/A_{jS}>1+g/\\varepsilon`. That contradicts the paper's own text just above
(:math:`\\dot A_{jSt}=\\varepsilon(1-a_{jSt})A_{jSt}` with :math:`a_{jSt}=A_{jSt}/A_{jNt}<1`,
steady state :math:`g=\\varepsilon(1-\\hat a)`), so the intended operator is ``min``. This
module uses ``min``; ``law="max"`` exists only to demonstrate what the printed formula
would do (claim D6).

Relative productivity
---------------------
With :math:`h_{ji}=(g/\\bar L_j)\\min(\\bar L_j,L_{jiM})` and the learning deficit
:math:`d_j=h_{jN}-h_{jS}`, :math:`a=A_{jS}/A_{jN}` obeys (law ``min``)

.. math::

    a\\le1:\\ \\dot a = a\\,(r-\\varepsilon a),\\ r=\\varepsilon-d \\quad\\text{(logistic)};
    \\qquad a\\ge1:\\ \\dot a=\\varepsilon-k\\,a,\\ k=\\varepsilon+d \\quad\\text{(linear)},

and with ``max`` the two pieces swap sides of 1. Both are solved by SymPy's ``dsolve``
(:func:`closed_form_expressions`), compiled once with ``lambdify`` and evaluated
vectorized (:func:`relative_productivity`); a path that crosses :math:`a=1` is glued at
the crossing time, itself a closed form. Steady states: without a South cluster
(:math:`d=g`) :math:`\\hat a=1-g/\\varepsilon`; with a partial one
:math:`1-(g/\\varepsilon)(1-m/\\bar L_j)`; with a full one :math:`a\\to1`.

The general path (:func:`integrate`) integrates the full two-country system in
:math:`\\log A_{jit}` (both countries, every sector) with :func:`scipy.integrate.solve_ivp`
under a piecewise-constant labor :class:`Phase` schedule, restarting at each phase start
and at each crossing of :math:`A_{jS}=A_{jN}` (where the law has a kink).

Income gap along a path: world prices are North's,
:math:`p_{jt}=1/(\\varphi_{jN}A_{jNt})` (:math:`\\varphi_{jN}=\\lambda_{jN}\\theta_j` with
North's full clusters), North's wage is 1, so South's wage when all its labor is in
activity :math:`(J,t)` is :math:`w_S=p_{Jt}\\lambda_{JS}A_{JSt}q_t=\\lambda_{JS}q_t
a_J(t)/\\varphi_{JN}` (:math:`q_t=\\theta_J` modern full cluster, 1 backward) and the gap
is :math:`1/w_S`: it tends to :math:`\\lambda_{JN}/\\lambda_{JS}` with a full modern
cluster and to :math:`(\\theta_J/\\hat a)(\\lambda_{JN}/\\lambda_{JS})` backward.
"""
from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from collections.abc import Mapping

import numpy as np

from ..errors import InvalidParameterError, SolverError, Violation
from ..tolerances import PAY_RTOL

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
#: An idle activity's deviation is profitable when its pay exceeds the wage by more than
#: this relative margin (the core's pay tie tolerance).
DEVIATION_RTOL = PAY_RTOL
#: |log A_S - log A_N| below this counts as sitting on the kink A_S = A_N.
KINK_ATOL = 1e-12


# =========================================================================== closed forms
@functools.lru_cache(maxsize=None)
def closed_form_expressions() -> dict:
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
    logistic = sp.factor(sp.cancel(sp.expand_power_exp(gen.subs(C1, c0[0]))
                                   .subs(sp.exp(r * t), 1 / z)))
    if logistic.has(t):  # pragma: no cover
        raise SolverError(f"closed form: could not write the logistic piece in z: {logistic}")
    # linear piece
    lin = sp.dsolve(sp.Eq(a(t).diff(t), eps - k * a(t)), a(t), ics={a(0): a0},
                    hint="1st_linear").rhs
    linear = sp.expand(lin).subs(sp.exp(-k * t), z)
    out = {"symbols": {"t": t, "a0": a0, "a1": a1, "eps": eps, "r": r, "k": k, "z": z},
           "logistic": logistic, "linear": linear}
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


@functools.lru_cache(maxsize=None)
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
        coeffs = [pn.coeff_monomial(1), pn.coeff_monomial(s["z"]),
                  pd.coeff_monomial(1), pd.coeff_monomial(s["z"])]
        mobius[name] = sp.lambdify((s["a0"], rate, s["eps"]), coeffs, "numpy")
    return {
        "logistic_mobius": mobius["logistic"], "linear_mobius": mobius["linear"],
        "logistic": sp.lambdify((s["a0"], s["r"], s["eps"], s["z"]), ex["logistic"], "numpy"),
        "logistic_z_at": sp.lambdify((s["a0"], s["a1"], s["r"], s["eps"]),
                                     ex["logistic_z_at"], "numpy"),
        "linear": sp.lambdify((s["a0"], s["k"], s["eps"], s["z"]), ex["linear"], "numpy"),
        "linear_z_at": sp.lambdify((s["a0"], s["a1"], s["k"], s["eps"]),
                                   ex["linear_z_at"], "numpy"),
    }


def _check_law(law):
    if law not in LAWS:
        raise InvalidParameterError(Violation("law", law, "must be 'min' (the model) or 'max' "
                                                          "(the paper's typo, for demonstration)"))


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


# =========================================================================== schedules
@dataclass(frozen=True)
class Phase:
    """One piece of a piecewise-constant labor allocation, from ``start`` on.

    Parameters
    ----------
    start : float
        Time at which the allocation starts (the first phase starts at 0).
    south : mapping
        ``{(sector, technology): labor}``: South's allocation (labor adds to at most L_S;
        unlisted activities are idle).
    north : mapping or None
        ``{sector: modern labor}`` of North; None: North's equilibrium that sets world
        prices (:func:`~marshallian.solvers.equilibrium.select_north`, by default full
        clusters everywhere).
    """

    start: float
    south: Mapping
    north: Mapping | None = None


def _model_and_params(model, params):
    from .equilibrium import resolve_model, resolve_params

    model = resolve_model(model)
    if model.name != "dynamic" and not model.name.startswith("dynamic"):
        raise InvalidParameterError(Violation("model", model.name, "must be a §4 dynamic model"))
    return model, resolve_params(model, params)


@dataclass(frozen=True)
class _Setup:
    """Numbers a path needs (one model, one parameter point)."""

    sectors: tuple
    g: float
    eps: float
    L_S: float
    Lbar: dict
    a0: dict
    lam_S: dict
    north_productivity: dict     # phi_jN: North's productivity (price = 1/(phi_jN A_jN))
    north_modern: dict
    activities: tuple            # ((sector, technology, level, slope, cap), ...)


def _setup(model, params, north=None) -> _Setup:
    from .equilibrium import select_north

    st = model.structure(params)
    n = select_north(model, params, north)
    sectors = tuple(model.sectors)
    acts = tuple((a.sector, a.technology, float(st.level[k]), float(st.slope[k]),
                  float(st.cap[k])) for k, a in enumerate(model.activities))
    return _Setup(
        sectors=sectors, g=float(params["g"]), eps=float(params["eps"]),
        L_S=float(params["L_S"]),
        Lbar={j: float(params[f"Lbar_{j}"]) for j in sectors},
        a0={j: float(params[f"a0_{j}"]) for j in sectors},
        lam_S={j: float(st.lam_S[i]) for i, j in enumerate(sectors)},
        north_productivity={j: float(n.productivity[j]) for j in sectors},
        north_modern={j: float(n.labor[j].get("modern", 0.0)) for j in sectors},
        activities=acts)


def _activity_level(setup, sector, technology, labor):
    for j, tech, level, slope, cap in setup.activities:
        if j == sector and tech == technology:
            return level + (slope * min(cap, labor) if slope else 0.0)
    raise KeyError((sector, technology))


def _validate_schedule(model, setup, schedule):
    if not schedule:
        raise InvalidParameterError(Violation("schedule", schedule, "must hold at least one Phase"))
    known = {(j, tech) for j, tech, *_ in setup.activities}
    out = []
    prev = None
    for i, ph in enumerate(schedule):
        if not isinstance(ph, Phase):
            raise InvalidParameterError(Violation(f"schedule[{i}]", ph, "must be a Phase"))
        if not (isinstance(ph.start, (int, float)) and math.isfinite(ph.start)):
            raise InvalidParameterError(Violation(f"schedule[{i}].start", ph.start, "must be finite"))
        if i == 0 and ph.start != 0:
            raise InvalidParameterError(Violation("schedule[0].start", ph.start, "must be 0"))
        if prev is not None and not ph.start > prev:
            raise InvalidParameterError(Violation(f"schedule[{i}].start", ph.start,
                                                  "must be after the previous phase's start"))
        prev = ph.start
        total = 0.0
        if not isinstance(ph.south, Mapping):
            raise InvalidParameterError(Violation(f"schedule[{i}].south", ph.south,
                                                  "must be a mapping {(sector, technology): labor}"))
        for key, lab in ph.south.items():
            if not isinstance(key, tuple) or key not in known:
                raise InvalidParameterError(Violation(f"schedule[{i}].south", key,
                                                      f"unknown activity (known: {sorted(known)})"))
            if not (isinstance(lab, (int, float)) and math.isfinite(lab) and lab >= 0):
                raise InvalidParameterError(Violation(f"schedule[{i}].south[{key}]", lab,
                                                      "must be a finite number >= 0"))
            total += lab
        if total > setup.L_S * (1 + 1e-12):
            raise InvalidParameterError(Violation(f"schedule[{i}].south", total,
                                                  f"labor must add to at most L_S={setup.L_S}"))
        north = setup.north_modern if ph.north is None else dict(ph.north)
        for j in setup.sectors:
            v = north.get(j, 0.0)
            if not (isinstance(v, (int, float)) and math.isfinite(v) and v >= 0):
                raise InvalidParameterError(Violation(f"schedule[{i}].north[{j}]", v,
                                                      "must be a finite number >= 0"))
        out.append((float(ph.start), {tuple(k): float(v) for k, v in ph.south.items()},
                    {j: float(north.get(j, 0.0)) for j in setup.sectors}))
    return out


# =========================================================================== integration
@dataclass(frozen=True)
class Trajectory:
    """Output of :func:`integrate`: the two-country system on a time grid.

    Attributes
    ----------
    t : ndarray
    log_A_S, log_A_N : dict
        Sector -> :math:`\\log A_{jSt}`, :math:`\\log A_{jNt}` (:math:`A_{jN0}=1`,
        :math:`A_{jS0}=a_{0j}`).
    relative_productivity : dict
        Sector -> :math:`a_j(t)=A_{jS}/A_{jN}`.
    growth_S, growth_N : dict
        Sector -> :math:`\\dot A/A` of South and North (right-continuous at switches).
    income_gap : ndarray
        :math:`1/y_S(t)`, :math:`y_S` South's income per worker at world prices
        (:math:`\\sum_k L_k p_{jt}\\varphi_k(L_k)A_{jSt}/L_S`); with all labor in one
        activity, the inverse of its wage.
    nfev : int
        Right-hand-side evaluations of ``solve_ivp``.
    segments : int
        Integration restarts (phase starts and crossings of :math:`A_{jS}=A_{jN}`).
    """

    t: np.ndarray
    log_A_S: dict
    log_A_N: dict
    relative_productivity: dict
    growth_S: dict
    growth_N: dict
    income_gap: np.ndarray
    nfev: int
    segments: int


def integrate(params=None, schedule=None, t=None, *, model="dynamic", law: str = "min",
              rtol: float = ODE_RTOL, atol: float = ODE_ATOL, north=None) -> Trajectory:
    """Integrate :math:`\\log A_{jit}` for both countries and every sector (§4, general path).

    Parameters
    ----------
    params : mapping or Parameters, optional
        Dynamic-model parameters (``a0_j`` is :math:`A_{jS0}/A_{jN0}`).
    schedule : sequence of Phase
        Piecewise-constant labor allocation (policy episodes, switches of configuration).
    t : array_like
        Increasing times >= 0 at which to report.
    law : {"min", "max"}
        ``"max"`` reproduces the paper's printed typo (demonstration only).
    north : None, int or dict
        North's equilibrium for world prices and default North labor (see ``select_north``).

    Notes
    -----
    ``solve_ivp`` (DOP853) is restarted at every phase start and at every event
    :math:`\\log A_{jS}-\\log A_{jN}=0`, where the right-hand side has a kink; its
    ``success`` flag is checked and the result is compared with the closed form in
    :func:`path` (the certificate).
    """
    from scipy.integrate import solve_ivp

    _check_law(law)
    model, params = _model_and_params(model, params)
    setup = _setup(model, params, north)
    phases = _validate_schedule(model, setup, schedule)
    t = np.asarray(t, dtype=float)
    if t.ndim != 1 or t.size < 1 or not np.all(np.isfinite(t)) or t[0] < 0 or np.any(np.diff(t) <= 0):
        raise InvalidParameterError(Violation("t", "array", "must be a finite increasing 1-d array >= 0"))
    J = len(setup.sectors)
    g, eps = setup.g, setup.eps
    Lbar = np.array([setup.Lbar[j] for j in setup.sectors])
    psi = np.minimum if law == "min" else np.maximum

    def rates(phase):
        _, south, north_lab = phase
        mS = np.array([south.get((j, "modern"), 0.0) for j in setup.sectors])
        mN = np.array([north_lab[j] for j in setup.sectors])
        return g * np.minimum(Lbar, mS) / Lbar, g * np.minimum(Lbar, mN) / Lbar

    def growth(y, hS, hN):
        x = y[:J] - y[J:]                      # log a_j
        gS = hS + eps * (1.0 - psi(np.exp(x), 1.0))
        gN = hN + eps * (1.0 - psi(np.exp(-x), 1.0))
        return gS, gN

    y0 = np.concatenate([np.log([setup.a0[j] for j in setup.sectors]), np.zeros(J)])
    t_end = float(t[-1])
    bounds = [p[0] for p in phases] + [max(t_end, phases[-1][0])]
    Y = np.full((2 * J, t.size), np.nan)      # every column must be filled (checked below)
    GS = np.full((J, t.size), np.nan)
    GN = np.full((J, t.size), np.nan)
    nfev = 0
    segments = 0
    y = y0
    for i, phase in enumerate(phases):
        t0, t1 = bounds[i], bounds[i + 1]
        if t0 > t_end:
            break
        hS, hN = rates(phase)
        last = i == len(phases) - 1
        in_phase = (t >= t0) & ((t <= t1) if last else (t < t1))

        def rhs(_t, yy, hS=hS, hN=hN):
            gS, gN = growth(yy, hS, hN)
            return np.concatenate([gS, gN])

        tc = t0
        while True:
            segments += 1
            events, ev_sectors = [], []
            for j in range(J):
                if abs(y[j] - y[J + j]) <= KINK_ATOL:
                    continue                # starting on the kink: no crossing to find here
                def ev(_t, yy, j=j):
                    return yy[j] - yy[J + j]
                ev.terminal = True
                events.append(ev)
                ev_sectors.append(j)
            if t1 <= tc:                        # nothing to integrate: the state at tc
                Y[:, in_phase & (t >= tc)] = y[:, None]
                break
            sol = solve_ivp(rhs, (tc, t1), y, method="DOP853", rtol=rtol, atol=atol,
                            dense_output=True, events=events or None)
            if sol.status < 0:
                raise SolverError(f"solve_ivp failed: {sol.message}")
            nfev += sol.nfev
            t_stop = float(sol.t[-1])
            mask = in_phase & (t >= tc) & (t <= t_stop)
            if mask.any():
                Y[:, mask] = sol.sol(t[mask])
            y = sol.y[:, -1].copy()
            if sol.status == 1:                 # a crossing: snap onto the kink and restart
                for j, te in zip(ev_sectors, sol.t_events):
                    if te.size:
                        y[j] = y[J + j]
                tc = t_stop
                continue
            break
        for col in np.nonzero(in_phase)[0]:
            gS, gN = growth(Y[:, col], hS, hN)
            GS[:, col], GN[:, col] = gS, gN
    if not np.all(np.isfinite(Y)):
        raise SolverError("integration produced non-finite values")
    a = {j: np.exp(Y[i] - Y[J + i]) for i, j in enumerate(setup.sectors)}
    # income per worker along the path
    y_S = np.zeros(t.size)
    starts = np.array([p[0] for p in phases])
    which = np.searchsorted(starts, t, side="right") - 1
    for i, (_, south, _) in enumerate(phases):
        m = which == i
        for (j, tech), lab in south.items():
            if lab <= 0:
                continue
            level = _activity_level(setup, j, tech, lab)
            y_S[m] += lab * setup.lam_S[j] * level * a[j][m] / setup.north_productivity[j]
    y_S /= setup.L_S
    with np.errstate(divide="ignore"):
        gap = np.where(y_S > 0, 1.0 / np.where(y_S > 0, y_S, 1.0), np.inf)
    return Trajectory(t=t, log_A_S={j: Y[i] for i, j in enumerate(setup.sectors)},
                      log_A_N={j: Y[J + i] for i, j in enumerate(setup.sectors)},
                      relative_productivity=a,
                      growth_S={j: GS[i] for i, j in enumerate(setup.sectors)},
                      growth_N={j: GN[i] for i, j in enumerate(setup.sectors)},
                      income_gap=gap, nfev=nfev, segments=segments)


_PATH_NAMES = ("DeviationFlag", "Path", "PathCertificate", "path")


def __getattr__(name):
    # The path API lives in dynamics_paths (which imports this module); re-exported lazily.
    if name in _PATH_NAMES:
        from . import dynamics_paths
        return getattr(dynamics_paths, name)
    raise AttributeError(name)
