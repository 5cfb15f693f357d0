"""South's production possibility frontier (paper §2, Fig. 1; claim S7).

Each activity's output :math:`\\lambda_j(c_k+\\alpha_k\\min(\\bar L_k,L))L` is convex in its
labor, so with :math:`N_j` workers in sector j the sector's maximal output uses a single
technology: :math:`q_j(N)=\\max_k\\lambda_j(c_k+\\alpha_k\\min(\\bar L_k,N))N`. With two
sectors, :math:`Q_1=q_1(L_S-N_2)` and :math:`Q_2=q_2(N_2)` are monotone in :math:`N_2`, so
the curve traced by :math:`N_2\\in[0,L_S]` *is* the frontier. The marginal rate of
transformation :math:`-dQ_1/dQ_2=q_1'(L_S-N_2)/q_2'(N_2)` is computed from the
piecewise-analytic derivatives :math:`q'(N)=\\lambda(c+2\\alpha N)` on the rising part,
:math:`\\lambda\\theta` beyond the cap. ``PPF_NC`` is the frontier with :math:`\\alpha=0`
(the Ricardian line of slope :math:`\\lambda_{1S}/\\lambda_{2S}` in §2). Fig. 1: convex for
:math:`Q_2<\\lambda_{2S}\\theta\\bar L`, linear beyond; at the good-1 corner the slope
equals PPF_NC's. Models with a §4 sector factor are not supported (their sector output is
not a single-technology maximum in general).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._jsonable import finite_float
from ..errors import InvalidParameterError, Violation


@dataclass(frozen=True)
class PPF:
    """Sampled frontier.

    Attributes
    ----------
    labor_2 : ndarray
        :math:`N_2` on a uniform grid of ``n`` points in :math:`[0,L_S]`.
    Q1, Q2 : ndarray
        Frontier outputs.
    mrt : ndarray
        :math:`-dQ_1/dQ_2` at each point (the PPF's slope in absolute value).
    technology_1, technology_2 : list of str
        Technology used in each sector at each point.
    Q1_nc, Q2_nc : ndarray
        PPF_NC (no externalities) on the same labor grid.
    mrt_nc : float
        Slope of PPF_NC, :math:`\\lambda_{1S}/\\lambda_{2S}` for backward/standard techs.
    kink_Q2 : float
        :math:`Q_2` where sector 2's externality is exhausted
        (:math:`\\lambda_{2S}\\theta\\bar L` in §2), inf if never.
    """

    labor_2: np.ndarray
    Q1: np.ndarray
    Q2: np.ndarray
    mrt: np.ndarray
    technology_1: list
    technology_2: list
    Q1_nc: np.ndarray
    Q2_nc: np.ndarray
    mrt_nc: float
    kink_Q2: float

    def to_dict(self) -> dict:
        return {
            "labor_2": self.labor_2.tolist(),
            "Q1": self.Q1.tolist(),
            "Q2": self.Q2.tolist(),
            "mrt": self.mrt.tolist(),
            "Q1_nc": self.Q1_nc.tolist(),
            "Q2_nc": self.Q2_nc.tolist(),
            "mrt_nc": self.mrt_nc,
            "kink_Q2": finite_float(self.kink_Q2),
        }


def _sector_tables(model, st, j):
    i = model.sectors.index(j)
    acts = [(k, a) for k, a in enumerate(model.activities) if a.sector == j]
    return float(st.lam_S[i]), [
        (a.technology, float(st.level[k]), float(st.slope[k]), float(st.cap[k])) for k, a in acts
    ]


def _best(lam, techs, N):
    """Per labor amount: output, derivative, technology (single-technology maximum)."""
    N = np.asarray(N, dtype=float)
    outs, ders = [], []
    for _, c, a, cap in techs:
        m = np.minimum(N, cap) if a else N * 0
        outs.append(lam * (c + a * m) * N)
        ders.append(lam * np.where(N < cap, c + 2 * a * N, c + a * cap) if a else lam * c + 0 * N)
    out_arr, der_arr = np.array(outs), np.array(ders)
    pick = np.argmax(out_arr, axis=0)
    cols = np.arange(N.size)
    return out_arr[pick, cols], der_arr[pick, cols], [techs[p][0] for p in pick]


def ppf(model, params=None, n: int = 401) -> PPF:
    """South's production possibility frontier on ``n`` labor points (two-sector models).

    Theory (§2, Fig. 1): with a Marshallian externality the PPF is convex until the cluster
    is full, linear beyond.

    Parameters
    ----------
    model : str or Model
        ``"standard"``, ``"alternative"`` or any two-sector model without a sector factor.
    params : mapping or Parameters, optional
    n : int
        Number of points (>= 3).

    Examples
    --------
    >>> import marshallian as m
    >>> frontier = m.ppf("alternative")
    >>> float(frontier.Q1[0]), float(frontier.Q2[-1])   # the two intercepts
    (500.0, 560.0)
    """
    from ..solvers import resolve_model, resolve_params

    model = resolve_model(model)
    params = resolve_params(model, params)
    if isinstance(n, bool) or not isinstance(n, int) or n < 3:
        raise InvalidParameterError(Violation("n", n, "must be an integer >= 3"))
    if len(model.sectors) != 2 or model.sector_factor:
        raise InvalidParameterError(
            Violation("model", model.name, "ppf needs a two-sector model without sector factor")
        )
    st = model.structure(params)
    L = float(st.L_S)
    N2 = np.linspace(0.0, L, n)
    j1, j2 = model.sectors
    lam1, t1 = _sector_tables(model, st, j1)
    lam2, t2 = _sector_tables(model, st, j2)
    Q1, d1, tech1 = _best(lam1, t1, L - N2)
    Q2, d2, tech2 = _best(lam2, t2, N2)
    mrt = d1 / d2
    flat1 = max(c for _, c, _, _ in t1)
    flat2 = max(c for _, c, _, _ in t2)
    Q1_nc, Q2_nc = lam1 * flat1 * (L - N2), lam2 * flat2 * N2
    caps = [(c + a * cap) * cap for _, c, a, cap in t2 if a]
    kink = lam2 * max(caps) if caps else float("inf")
    return PPF(N2, Q1, Q2, mrt, tech1, tech2, Q1_nc, Q2_nc, lam1 * flat1 / (lam2 * flat2), kink)
