"""§4 general paths: the two-country system in :math:`\\log A_{jit}` under a labor schedule.

:func:`integrate` integrates both countries' :math:`\\log A_{jit}` in every sector with
:func:`scipy.integrate.solve_ivp` under a piecewise-constant labor schedule (a sequence of
:class:`Phase`), restarting at each phase start and at each crossing of
:math:`A_{jS}=A_{jN}` (where the law of motion has a kink). See
:mod:`marshallian.solvers.dynamics` for the theory.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from ...errors import InvalidParameterError, SolverError, Violation
from .law import KINK_ATOL, MAX_ODE_HORIZON, ODE_ATOL, ODE_RTOL, _check_law


# =========================================================================== schedules
@dataclass(frozen=True)
class Phase:
    """One piece of a piecewise-constant labor allocation, from ``start`` on.

    Theory (§4): South learns in the activities where it works, so its productivity path
    depends on this allocation.

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

    Examples
    --------
    >>> import marshallian as m
    >>> phase = m.Phase(0.0, {(1, "modern"): 200.0})    # South's labor all in good 1's cluster
    >>> phase.start
    0.0
    """

    start: float
    south: Mapping
    north: Mapping | None = None


def _model_and_params(model, params):
    from ..equilibrium import resolve_model, resolve_params

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
    north_productivity: dict  # phi_jN: North's productivity (price = 1/(phi_jN A_jN))
    north_modern: dict
    activities: tuple  # ((sector, technology, level, slope, cap), ...)


def _setup(model, params, north=None) -> _Setup:
    from ..equilibrium import select_north

    st = model.structure(params)
    n = select_north(model, params, north)
    sectors = tuple(model.sectors)
    acts = tuple(
        (a.sector, a.technology, float(st.level[k]), float(st.slope[k]), float(st.cap[k]))
        for k, a in enumerate(model.activities)
    )
    return _Setup(
        sectors=sectors,
        g=float(params["g"]),
        eps=float(params["eps"]),
        L_S=float(params["L_S"]),
        Lbar={j: float(params[f"Lbar_{j}"]) for j in sectors},
        a0={j: float(params[f"a0_{j}"]) for j in sectors},
        lam_S={j: float(st.lam_S[i]) for i, j in enumerate(sectors)},
        north_productivity={j: float(n.productivity[j]) for j in sectors},
        north_modern={j: float(n.labor[j].get("modern", 0.0)) for j in sectors},
        activities=acts,
    )


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
            raise InvalidParameterError(
                Violation(f"schedule[{i}].start", ph.start, "must be finite")
            )
        if i == 0 and ph.start != 0:
            raise InvalidParameterError(Violation("schedule[0].start", ph.start, "must be 0"))
        if prev is not None and not ph.start > prev:
            raise InvalidParameterError(
                Violation(
                    f"schedule[{i}].start", ph.start, "must be after the previous phase's start"
                )
            )
        prev = ph.start
        total = 0.0
        if not isinstance(ph.south, Mapping):
            raise InvalidParameterError(
                Violation(
                    f"schedule[{i}].south",
                    ph.south,
                    "must be a mapping {(sector, technology): labor}",
                )
            )
        for key, lab in ph.south.items():
            if not isinstance(key, tuple) or key not in known:
                raise InvalidParameterError(
                    Violation(
                        f"schedule[{i}].south", key, f"unknown activity (known: {sorted(known)})"
                    )
                )
            if not (isinstance(lab, (int, float)) and math.isfinite(lab) and lab >= 0):
                raise InvalidParameterError(
                    Violation(f"schedule[{i}].south[{key}]", lab, "must be a finite number >= 0")
                )
            total += lab
        if total > setup.L_S * (1 + 1e-12):
            raise InvalidParameterError(
                Violation(
                    f"schedule[{i}].south", total, f"labor must add to at most L_S={setup.L_S}"
                )
            )
        north = setup.north_modern if ph.north is None else dict(ph.north)
        for j in setup.sectors:
            v = north.get(j, 0.0)
            if not (isinstance(v, (int, float)) and math.isfinite(v) and v >= 0):
                raise InvalidParameterError(
                    Violation(f"schedule[{i}].north[{j}]", v, "must be a finite number >= 0")
                )
        out.append(
            (
                float(ph.start),
                {tuple(k): float(v) for k, v in ph.south.items()},
                {j: float(north.get(j, 0.0)) for j in setup.sectors},
            )
        )
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


def integrate(
    params=None,
    schedule=None,
    t=None,
    *,
    model="dynamic",
    law: str = "min",
    rtol: float = ODE_RTOL,
    atol: float = ODE_ATOL,
    north=None,
) -> Trajectory:
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

    Examples
    --------
    All of South's labor in good 1's modern technology from t = 0 (the path of :func:`path`):

    >>> import marshallian as m
    >>> schedule = [m.Phase(0.0, {(1, "modern"): 200.0})]
    >>> traj = m.integrate(None, schedule, [0.0, 50.0, 200.0])
    >>> traj.income_gap.round(4).tolist()
    [1.6667, 1.0547, 1.0]
    """
    from scipy.integrate import solve_ivp

    _check_law(law)
    model, params = _model_and_params(model, params)
    setup = _setup(model, params, north)
    phases = _validate_schedule(model, setup, schedule)
    t = np.asarray(t, dtype=float)
    if (
        t.ndim != 1
        or t.size < 1
        or not np.all(np.isfinite(t))
        or t[0] < 0
        or np.any(np.diff(t) <= 0)
    ):
        raise InvalidParameterError(
            Violation("t", "array", "must be a finite increasing 1-d array >= 0")
        )
    if t[-1] > MAX_ODE_HORIZON:
        raise InvalidParameterError(
            Violation(
                "t",
                float(t[-1]),
                f"must end at most at {MAX_ODE_HORIZON:g} (the largest integrated horizon)",
            )
        )
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
        x = y[:J] - y[J:]  # log a_j
        gS = hS + eps * (1.0 - psi(np.exp(x), 1.0))
        gN = hN + eps * (1.0 - psi(np.exp(-x), 1.0))
        return gS, gN

    y0 = np.concatenate([np.log([setup.a0[j] for j in setup.sectors]), np.zeros(J)])
    t_end = float(t[-1])
    bounds = [p[0] for p in phases] + [max(t_end, phases[-1][0])]
    Y = np.full((2 * J, t.size), np.nan)  # every column must be filled (checked below)
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
                    continue  # starting on the kink: no crossing to find here

                def ev(_t, yy, j=j):
                    return yy[j] - yy[J + j]

                ev.terminal = True  # type: ignore[attr-defined]  # solve_ivp's event flag
                events.append(ev)
                ev_sectors.append(j)
            if t1 <= tc:  # nothing to integrate: the state at tc
                Y[:, in_phase & (t >= tc)] = y[:, None]
                break
            sol = solve_ivp(
                rhs,
                (tc, t1),
                y,
                method="DOP853",
                rtol=rtol,
                atol=atol,
                dense_output=True,
                events=events or None,
            )
            if sol.status < 0:
                raise SolverError(f"solve_ivp failed: {sol.message}")
            nfev += sol.nfev
            t_stop = float(sol.t[-1])
            mask = in_phase & (t >= tc) & (t <= t_stop)
            if mask.any():
                Y[:, mask] = sol.sol(t[mask])
            y = sol.y[:, -1].copy()
            if sol.status == 1:  # a crossing: snap onto the kink and restart
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
    return Trajectory(
        t=t,
        log_A_S={j: Y[i] for i, j in enumerate(setup.sectors)},
        log_A_N={j: Y[J + i] for i, j in enumerate(setup.sectors)},
        relative_productivity=a,
        growth_S={j: GS[i] for i, j in enumerate(setup.sectors)},
        growth_N={j: GN[i] for i, j in enumerate(setup.sectors)},
        income_gap=gap,
        nfev=nfev,
        segments=segments,
    )
