"""Catch-up paths of §4: South produces good J with one technology from t = 0.

:func:`path` is what ``marshallian paths`` computes: every sector's
:math:`a_j(t)=A_{jS}/A_{jN}` (a sector South does not produce still gains from spillovers),
the income gap, South's growth rates, the time to close any fraction of the gap, and the
first time South's configuration stops being an equilibrium along the path. Values come
from the closed forms of :mod:`marshallian.solvers.dynamics.law` (or from the integration);
the certificate is the largest relative difference between the two.

Scenario (paper §4): North has the configuration that sets world prices (by default full
clusters in every sector, so :math:`\\dot A_{jN}/A_{jN}=g` while it leads); South puts its
whole labor force :math:`L_S` in activity (J, technology), so its learning rate in J is
:math:`h_{JS}=g\\min(\\bar L_J,L_S)/\\bar L_J` with the modern technology and 0 otherwise;
initially :math:`A_{jS}/A_{jN}=a_{0j}`.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from ..._jsonable import finite_float
from ...errors import InvalidParameterError, Violation
from ...params import as_real
from ...presentation import Column, Table, Tabular
from .integration import Phase, _activity_level, _model_and_params, _setup, integrate
from .law import (
    AGREEMENT_RTOL,
    CERT_MP_DPS,
    CERT_MP_POINTS,
    CERT_ODE_EPS_TIMES_T,
    DEFAULT_POINTS,
    DEFAULT_T_MAX,
    DEVIATION_RTOL,
    LAWS,
    MAX_ODE_HORIZON,
    MAX_POINTS,
    MAX_T_MAX,
    ODE_ATOL,
    ODE_RTOL,
    TECHNOLOGIES,
    learning_rate,
    reference_relative_productivity,
    relative_productivity,
    spillover_term,
    steady_state,
    time_to_reach,
)


@dataclass(frozen=True)
class PathCertificate:
    """How a path was checked.

    Attributes
    ----------
    max_relative_difference : float or None
        :math:`\\max_{j,t}|a^{cf}_j(t)/a^{ode}_j(t)-1|` (and the same for the income gap)
        between the closed form and ``solve_ivp``; None when not computed.
    agreement_rtol : float
        The bound it must satisfy (:data:`~marshallian.solvers.dynamics.AGREEMENT_RTOL`).
    verified : bool
    reference : str
        Integrator settings.
    ode_nfev, ode_segments : int
    """

    max_relative_difference: float | None
    agreement_rtol: float
    verified: bool
    reference: str
    ode_nfev: int = 0
    ode_segments: int = 0

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class DeviationFlag:
    """First time an idle activity pays more than South's wage along the path."""

    time: float
    sector: int
    technology: str
    gain: float  # (pay - wage)/wage of that activity at `time` (refined: ~0)

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class _Spec:
    a0: np.ndarray
    d: np.ndarray
    eps: float
    h_S: np.ndarray
    law: str
    gap_constant: float  # income gap = gap_constant / a_J(t)
    J_index: int
    idle: tuple  # ((sector, tech, ratio_const, sector_index), ...)


@dataclass(frozen=True)
class Path(Tabular):
    """A §4 path: relative productivities, income gap, growth, with a certificate.

    Attributes
    ----------
    sector, technology : int, str
        South's activity (all its labor) from t = 0.
    t : ndarray
    relative_productivity : dict
        Sector -> :math:`A_{jS}/A_{jN}` on ``t``.
    income_gap : ndarray
        :math:`1/w_S(t)`, :math:`w_S=\\lambda_{JS}q\\,a_J(t)/\\varphi_{JN}` (module docstring).
    growth_rate : dict
        Sector -> :math:`\\dot A_{jS}/A_{jS}` (above g while a cluster catches up).
    north_growth_rate : dict
        Sector -> :math:`\\dot A_{jN}/A_{jN}`.
    limit_relative_productivity : dict
        Sector -> :math:`\\lim_{t\\to\\infty}a_j(t)`.
    limit_income_gap : float
    deviation : DeviationFlag or None
        The first time a deviation to an idle activity becomes profitable, or None.
    max_deviation_gain : ndarray
        :math:`\\max_k(\\text{pay}_k-w)/w` over idle activities, on ``t``.
    method : str
        ``"closed form"`` or ``"solve_ivp"`` (where the reported numbers come from).
    law : str
    certificate : PathCertificate
    params : Parameters
    """

    sector: int
    technology: str
    t: np.ndarray
    relative_productivity: dict
    income_gap: np.ndarray
    growth_rate: dict
    north_growth_rate: dict
    limit_relative_productivity: dict
    limit_income_gap: float
    deviation: DeviationFlag | None
    max_deviation_gain: np.ndarray
    method: str
    law: str
    certificate: PathCertificate
    params: Any
    _spec: Any = field(repr=False, compare=False, default=None)  # a _Spec
    close: float = 0.5

    def closing(self, fraction: float) -> Path:
        """The same path, reporting the time to close ``fraction`` of the income gap (in
        its printed summary and ``to_dict()["time_to_close"]``)."""
        self.time_to_close(fraction)  # validates
        return dataclasses.replace(self, close=float(fraction))

    # ------------------------------------------------------------------ questions
    def time_to_close(
        self, fraction: float = 0.5, measure: str = "income_gap", sector: int | None = None
    ) -> float:
        """Time until ``fraction`` of the initial distance to the limit is closed.

        Parameters
        ----------
        fraction : float in (0, 1]
            0.5: half the gap (1 is reached only asymptotically: inf).
        measure : {"income_gap", "relative_productivity"}
            ``income_gap``: :math:`G(t)=G_0-f(G_0-G_\\infty)`; ``relative_productivity``:
            :math:`a_j(t)=a_{0j}+f(a_{j\\infty}-a_{0j})` for ``sector`` (default J).

        Returns
        -------
        float
            Closed form (exact inverse of the path); 0 when there is no gap to close.
        """
        try:
            fraction = as_real("fraction", fraction)
        except InvalidParameterError:
            raise InvalidParameterError(
                Violation("fraction", fraction, "must be in (0, 1]")
            ) from None
        if not 0 < fraction <= 1:
            raise InvalidParameterError(Violation("fraction", fraction, "must be in (0, 1]"))
        if measure not in ("income_gap", "relative_productivity"):
            raise InvalidParameterError(
                Violation("measure", measure, "must be 'income_gap' or 'relative_productivity'")
            )
        sp = self._spec
        sector = self.sector if sector is None else sector
        if sector not in self.relative_productivity:
            raise InvalidParameterError(
                Violation("sector", sector, f"must be one of {list(self.relative_productivity)}")
            )
        i = list(self.relative_productivity).index(sector)
        if measure == "income_gap":
            i = sp.J_index
        a0 = float(sp.a0[i])
        a_inf = float(self.limit_relative_productivity[list(self.relative_productivity)[i]])
        if math.isclose(a0, a_inf, rel_tol=1e-12):
            return 0.0
        if fraction == 1:
            return math.inf
        if measure == "income_gap":
            G0, Ginf = sp.gap_constant / a0, sp.gap_constant / a_inf
            target = sp.gap_constant / (G0 - fraction * (G0 - Ginf))
        else:
            target = a0 + fraction * (a_inf - a0)
        return float(time_to_reach(a0, sp.d[i], sp.eps, target, sp.law))

    # ------------------------------------------------------------------ output
    def to_dict(self) -> dict:
        def arr(x):
            return [finite_float(v) for v in np.asarray(x, float).tolist()]

        half = self.time_to_close(0.5)
        close = self.time_to_close(self.close)
        return {
            "model": getattr(self.params, "model", "dynamic"),
            "params": self.params.as_dict(),
            "sector": self.sector,
            "technology": self.technology,
            "law": self.law,
            "method": self.method,
            "t": arr(self.t),
            "relative_productivity": {
                str(j): arr(v) for j, v in self.relative_productivity.items()
            },
            "income_gap": arr(self.income_gap),
            "growth_rate": {str(j): arr(v) for j, v in self.growth_rate.items()},
            "north_growth_rate": {str(j): arr(v) for j, v in self.north_growth_rate.items()},
            "max_deviation_gain": arr(self.max_deviation_gain),
            "limit": {
                "relative_productivity": {
                    str(j): finite_float(v) for j, v in self.limit_relative_productivity.items()
                },
                "income_gap": finite_float(self.limit_income_gap),
            },
            "time_to_close_half_gap": finite_float(half),
            "time_to_close": {"fraction": self.close, "time": finite_float(close)},
            "equilibrium_lost": self.deviation.to_dict() if self.deviation else None,
            "certificate": self.certificate.to_dict(),
        }

    def to_csv(self) -> str:
        """Columns ``t, a_j..., income_gap, growth_j...`` (one row per time point; the
        compact series, without the parameter columns of :meth:`records`)."""
        sectors = list(self.relative_productivity)
        head = (
            ["t"] + [f"a_{j}" for j in sectors] + ["income_gap"] + [f"growth_{j}" for j in sectors]
        )
        cols = (
            [self.t]
            + [self.relative_productivity[j] for j in sectors]
            + [self.income_gap]
            + [self.growth_rate[j] for j in sectors]
        )
        rows = [",".join(head)]
        for r in np.column_stack(cols):
            rows.append(",".join(repr(float(x)) for x in r))
        return "\n".join(rows) + "\n"

    def _table(self) -> Table:
        """Data: one row per time point (t, a_j, income gap, growth rates, max deviation
        gain), with the parameters as columns."""
        sectors = list(self.relative_productivity)
        columns = (
            [Column("t")]
            + [Column(f"a_{j}") for j in sectors]
            + [Column("income_gap")]
            + [Column(f"growth_{j}") for j in sectors]
            + [Column(f"north_growth_{j}") for j in sectors]
            + [Column("max_deviation_gain")]
        )
        data = {
            "t": self.t,
            "income_gap": self.income_gap,
            "max_deviation_gain": self.max_deviation_gain,
        }
        for j in sectors:
            data[f"a_{j}"] = self.relative_productivity[j]
            data[f"growth_{j}"] = self.growth_rate[j]
            data[f"north_growth_{j}"] = self.north_growth_rate[j]
        names = [c.name for c in columns]
        arrays = [np.asarray(data[n], float).tolist() for n in names]
        rows = [dict(zip(names, vals)) for vals in zip(*arrays)]
        return Table(
            tuple(columns),
            rows,
            params=self.params.as_dict(),
            context={
                "model": getattr(self.params, "model", "dynamic"),
                "sector": self.sector,
                "technology": self.technology,
                "law": self.law,
            },
        )

    def _display_table(self) -> Table:
        """Printed: one row per sector (a(0), a(t_max), limit, growth(0)) and notes."""
        tc = self.time_to_close(self.close)
        notes = [
            (
                f"income gap: {self.income_gap[0]:.6g} at t=0, {self.income_gap[-1]:.6g} "
                f"at t={self.t[-1]:g}, limit {self.limit_income_gap:.6g}"
            )
        ]
        if tc == 0:
            notes.append("no income gap to close: it starts at its limit")
        else:  # one line: the fraction asked for (default one half)
            half = " (half of the gap)" if self.close == 0.5 else ""
            notes.append(
                f"time to close {self.close:g} of the income gap{half} toward its "
                "limit: " + (f"t={tc:.6g}" if math.isfinite(tc) else "never")
            )
        if self.deviation is None:
            notes.append("South's configuration stays an equilibrium on the whole path")
        else:
            dv = self.deviation
            notes.append(
                f"South's configuration stops being an equilibrium at t={dv.time:.6g} "
                f"({dv.sector}:{dv.technology} pays more)"
            )
        c = self.certificate
        if c.max_relative_difference is not None:
            notes.append(
                f"certificate: closed form vs solve_ivp max relative difference "
                f"{c.max_relative_difference:.2e} (bound {c.agreement_rtol:g}): "
                f"{'verified' if c.verified else 'NOT VERIFIED'}"
            )
        columns = (
            Column("sector", fmt=""),
            Column("a0", "a(0)", "$a(0)$"),
            Column("a_end", "a(t_max)", "$a(t_{\\max})$"),
            Column("limit", "limit", "$a(\\infty)$"),
            Column("growth0", "growth(0)", "growth(0)"),
        )
        rows = [
            {
                "sector": j,
                "a0": a[0],
                "a_end": a[-1],
                "limit": self.limit_relative_productivity[j],
                "growth0": self.growth_rate[j][0],
            }
            for j, a in self.relative_productivity.items()
        ]
        title = (
            (
                f"§4 path: South in {self.sector}:{self.technology} from t=0 "
                f"(law {self.law}; values from {self.method})"
            ),
        )
        return Table(columns, rows, title, tuple(notes))


# =========================================================================== validation
def _check_options(model, sector, technology, t_max, points, law, method) -> float:
    """Validate the options of :func:`path` (all violations at once); return ``t_max``."""
    bad = []
    t_max_given = t_max
    if (
        isinstance(sector, bool)
        or not isinstance(sector, (int, np.integer))
        or int(sector) not in model.sectors
    ):
        bad.append(
            Violation("sector", sector, f"must be one of {', '.join(map(str, model.sectors))}")
        )
    if technology not in TECHNOLOGIES:
        bad.append(Violation("technology", technology, "must be modern or backward"))
    try:
        t_max = as_real("t_max", t_max)
    except InvalidParameterError:
        t_max = math.nan
    if not math.isfinite(t_max) or not t_max > 0:
        bad.append(Violation("t_max", t_max_given, "must be a finite number > 0"))
    elif t_max > MAX_T_MAX:
        bad.append(
            Violation(
                "t_max",
                t_max,
                f"must be at most {MAX_T_MAX:g} (the largest "
                "horizon: later times equal the limit in floats)",
            )
        )
    elif method == "ode" and t_max > MAX_ODE_HORIZON:
        bad.append(
            Violation(
                "t_max",
                t_max,
                f"must be at most {MAX_ODE_HORIZON:g} with "
                "method='ode' (the largest integrated horizon)",
            )
        )
    if (
        isinstance(points, bool)
        or not isinstance(points, (int, np.integer))
        or not 2 <= points <= MAX_POINTS
    ):
        bad.append(Violation("points", points, f"must be an integer in [2, {MAX_POINTS}]"))
    if law not in LAWS:
        bad.append(Violation("law", law, "must be 'min' or 'max' (the paper's typo)"))
    if method not in ("closed_form", "ode"):
        bad.append(Violation("method", method, "must be 'closed_form' or 'ode'"))
    if bad:
        raise InvalidParameterError(bad)
    return t_max


# =========================================================================== the path
def path(
    params=None,
    *,
    sector: int,
    technology: str,
    t_max: float = DEFAULT_T_MAX,
    points: int = DEFAULT_POINTS,
    law: str = "min",
    method: str = "closed_form",
    certify: bool = True,
    model="dynamic",
    north=None,
) -> Path:
    """The §4 path when South produces good ``sector`` with ``technology`` from t = 0.

    Parameters
    ----------
    params : mapping or Parameters, optional
        Dynamic-model parameters (``a0_j`` initial relative productivities).
    sector : int
    technology : {"modern", "backward"}
    t_max : float > 0
    points : int >= 2
        Evenly spaced time points on [0, t_max].
    law : {"min", "max"}
        ``"max"``: the paper's printed typo (demonstration only).
    method : {"closed_form", "ode"}
        Where the reported numbers come from.
    certify : bool
        Also compute the other one and record the largest relative difference.
    north : None, int or dict
        North's equilibrium (see ``select_north``); default full clusters.

    Returns
    -------
    Path

    Raises
    ------
    InvalidParameterError
        Bad parameters (e.g. eps <= g, a0 <= 0) or options, all listed.

    Examples
    --------
    South clusters in good 1 (§4): its relative productivity rises to North's and the income
    gap closes, from 1/0.6 at t = 0 to the limit 1:

    >>> import marshallian as m
    >>> p = m.path(sector=1, technology="modern", t_max=200, points=5)
    >>> p.income_gap.round(4).tolist()
    [1.6667, 1.0547, 1.0045, 1.0004, 1.0]
    >>> p.limit_income_gap, p.certificate.verified
    (1.0, True)
    """
    model, params = _model_and_params(model, params)
    t_max = _check_options(model, sector, technology, t_max, points, law, method)
    sector = int(sector)
    setup = _setup(model, params, north)
    sectors = setup.sectors
    J_index = sectors.index(sector)
    L_S, g, eps = setup.L_S, setup.g, setup.eps
    Lbar = np.array([setup.Lbar[j] for j in sectors])
    m_S = np.array([L_S if (j == sector and technology == "modern") else 0.0 for j in sectors])
    m_N = np.array([setup.north_modern[j] for j in sectors])
    h_S = learning_rate(g, Lbar, m_S)
    h_N = learning_rate(g, Lbar, m_N)
    d = h_N - h_S
    a0 = np.array([setup.a0[j] for j in sectors])
    t = np.linspace(0.0, float(t_max), int(points))

    a_cf = relative_productivity(a0[:, None], d[:, None], eps, t[None, :], law)
    q = _activity_level(setup, sector, technology, L_S)
    gap_const = setup.north_productivity[sector] / (setup.lam_S[sector] * q)
    schedule = [Phase(0.0, {(sector, technology): L_S})]
    ode = None
    if method == "ode":
        ode = integrate(params, schedule, t, model=model, law=law, north=north)
        a = np.vstack([ode.relative_productivity[j] for j in sectors])
    else:
        a = a_cf
    gap = gap_const / a[J_index]
    if certify:
        cert = _certificate(
            params, schedule, t, a_cf, gap_const, J_index, a0, d, eps, law, model, north, ode
        )
    else:
        cert = PathCertificate(None, AGREEMENT_RTOL, True, "closed form only (not checked)")
    growth_S = h_S[:, None] + spillover_term(a, eps, law)
    with np.errstate(divide="ignore"):
        growth_N = h_N[:, None] + spillover_term(1.0 / a, eps, law)
    limits = steady_state(d, eps, law)

    # idle activities: pay_k / w = [lam_jS c_k a_j / phi_jN] / [lam_JS q a_J / phi_JN]
    idle = []
    for j, tech, level, _slope, _cap in setup.activities:
        if (j, tech) == (sector, technology):
            continue
        const = (setup.lam_S[j] * level / setup.north_productivity[j]) * gap_const
        idle.append((j, tech, const, sectors.index(j)))
    spec = _Spec(a0, d, eps, h_S, law, gap_const, J_index, tuple(idle))
    gains = (
        np.vstack([c * a[i] / a[J_index] for (_, _, c, i) in idle]) - 1.0
        if idle
        else np.full((1, t.size), -np.inf)
    )
    deviation = _first_deviation(spec, t, gains)
    return Path(
        sector=sector,
        technology=technology,
        t=t,
        relative_productivity={j: a[i] for i, j in enumerate(sectors)},
        income_gap=gap,
        growth_rate={j: growth_S[i] for i, j in enumerate(sectors)},
        north_growth_rate={j: growth_N[i] for i, j in enumerate(sectors)},
        limit_relative_productivity={j: float(limits[i]) for i, j in enumerate(sectors)},
        limit_income_gap=float(gap_const / limits[J_index]),
        deviation=deviation,
        max_deviation_gain=np.max(gains, axis=0),
        method="closed form" if method == "closed_form" else "solve_ivp",
        law=law,
        certificate=cert,
        params=params,
        _spec=spec,
    )


def _certificate(
    params, schedule, t, a_cf, gap_const, J_index, a0, d, eps, law, model, north, ode=None
) -> PathCertificate:
    """Closed form against references whose own error is controlled, with bounded work.

    On :math:`[0, T]`, :math:`T=\\min(t_{max}, C/\\varepsilon)` (:data:`CERT_ODE_EPS_TIMES_T`),
    ``solve_ivp`` of the full two-country system in log A (where its drift stays far below
    :data:`AGREEMENT_RTOL`); beyond, at most :data:`CERT_MP_POINTS` times, the dsolve solution
    evaluated by mpmath at :data:`CERT_MP_DPS` digits. The largest relative difference of
    :math:`a_j` and of the income gap must be at most :data:`AGREEMENT_RTOL`.
    """
    T = min(float(t[-1]), CERT_ODE_EPS_TIMES_T / eps)
    near = np.nonzero(t <= T)[0]
    far = np.nonzero(t > T)[0]
    diff = 0.0
    if ode is None:
        ode = integrate(params, schedule, t[near], model=model, law=law, north=north)
        sub: slice | np.ndarray = slice(0, near.size)
    else:  # method="ode": integrated on the whole grid
        sub = near
    a_ode = np.vstack([ode.relative_productivity[j] for j in ode.relative_productivity])
    diff = max(
        float(np.max(np.abs(a_cf[:, near] / a_ode[:, sub] - 1.0))),
        float(np.max(np.abs((gap_const / a_cf[J_index, near]) / ode.income_gap[sub] - 1.0))),
    )
    reference = f"solve_ivp DOP853 on log A (rtol={ODE_RTOL:g}, atol={ODE_ATOL:g})" + (
        f" on [0, {T:.6g}]" if far.size else ""
    )
    if far.size:
        pick = far[
            np.unique(
                np.linspace(0, far.size - 1, min(far.size, CERT_MP_POINTS)).round().astype(int)
            )
        ]
        for i in range(a_cf.shape[0]):
            ref = np.array(reference_relative_productivity(a0[i], d[i], eps, t[pick], law))
            diff = max(diff, float(np.max(np.abs(a_cf[i, pick] / ref - 1.0))))
        reference += (
            f"; beyond, the dsolve solution by mpmath at {CERT_MP_DPS} digits at "
            f"{pick.size} of {far.size} times"
        )
    return PathCertificate(
        diff, AGREEMENT_RTOL, diff <= AGREEMENT_RTOL, reference, ode.nfev, ode.segments
    )


def _gain_at(spec, k, t):
    j, tech, const, i = spec.idle[k]
    a = relative_productivity(spec.a0, spec.d, spec.eps, t, spec.law)
    return const * a[i] / a[spec.J_index] - 1.0


def _first_deviation(spec, t, gains):
    """First time an idle activity's gain exceeds DEVIATION_RTOL, refined between grid points."""
    from scipy.optimize import brentq

    if not spec.idle:
        return None
    over = gains > DEVIATION_RTOL
    hits = [int(np.argmax(row)) if row.any() else None for row in over]
    cand = [(i, k) for k, i in enumerate(hits) if i is not None]
    if not cand:
        return None
    idx, k = min(cand)
    j, tech, _, _ = spec.idle[k]
    if idx == 0:
        return DeviationFlag(0.0, j, tech, float(gains[k, 0]))
    lo, hi = float(t[idx - 1]), float(t[idx])

    def f(s):
        return float(_gain_at(spec, k, s)) - DEVIATION_RTOL

    try:
        when = brentq(f, lo, hi, xtol=1e-12, rtol=1e-14)
    except ValueError:
        when = hi
    return DeviationFlag(float(when), j, tech, float(_gain_at(spec, k, when)))


__all__ = ["DeviationFlag", "Path", "PathCertificate", "path"]
