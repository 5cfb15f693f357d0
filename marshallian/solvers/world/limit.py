r"""The small-South limit: the world equilibria as :math:`L_S/L_N\to0` (``docs/world.md``).

South's labor force is held at its calibrated value and North's grows,
:math:`L_N=L_S/r`, for ratios :math:`r` from 1 down to :math:`10^{-4}`. At every ratio
:func:`small_south_limit` solves the world (:func:`~marshallian.solvers.world.solve_world`)
and compares the equilibria in which North has full clusters in every sector with the
small-South equilibria (:func:`~marshallian.solvers.equilibrium.solve`, whose world prices
are North's autarky prices):

* ``wage_distance``: the Hausdorff distance, relative, between the two sets of wages
  (``inf`` when one set is empty); it is exactly 0 once North produces every good at its
  autarky prices, which happens for every :math:`r` below a threshold;
* ``share_deviation``: :math:`\max_j|L_{jN}/L_N-\mu_j|` over those world equilibria, which
  market clearing bounds by :math:`2w\,r`: it falls at rate :math:`O(L_S/L_N)`.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..._jsonable import finite_float


@dataclass(frozen=True)
class SmallSouthLimit:
    r"""World equilibria along :math:`L_S/L_N` and their distance to the small South.

    Attributes
    ----------
    model : str
    ratios : numpy.ndarray
        :math:`L_S/L_N`, decreasing.
    worlds : tuple of WorldSolution
        One per ratio.
    small : Solution
        The small-South equilibria (independent of :math:`L_N` once North has full clusters).
    wage_distance : numpy.ndarray
        Relative Hausdorff distance between full-cluster world wages and small-South wages.
    share_deviation : numpy.ndarray
        :math:`\max_j|L_{jN}/L_N-\mu_j|` over the full-cluster world equilibria (NaN if none).
    threshold : float
        The largest ratio from which on (for it and every smaller ratio computed) the wage
        sets coincide (``wage_distance`` below ``1e-9``); NaN if they never do.

    Examples
    --------
    >>> from marshallian.solvers.world import small_south_limit
    >>> limit = small_south_limit("alternative", ratios=[1.0, 0.01])
    >>> float(limit.ratios[0]), len(limit.worlds) == len(limit.ratios)
    (1.0, True)
    """

    model: str
    ratios: np.ndarray
    worlds: tuple
    small: Any
    wage_distance: np.ndarray
    share_deviation: np.ndarray
    threshold: float

    def rate(self) -> float:
        """Slope of log(share_deviation) against log(ratio) below the threshold (about 1)."""
        ok = (
            (self.ratios <= (self.threshold if math.isfinite(self.threshold) else 0))
            & np.isfinite(self.share_deviation)
            & (self.share_deviation > 0)
        )
        if ok.sum() < 2:
            return float("nan")
        return float(np.polyfit(np.log(self.ratios[ok]), np.log(self.share_deviation[ok]), 1)[0])

    def to_dict(self) -> dict:
        return {
            "model": self.model,
            "ratios": [float(r) for r in self.ratios],
            "wages": [[e.wage for e in w] for w in self.worlds],
            "small_south_wages": [e.wage for e in self.small],
            "wage_distance": [finite_float(x) for x in self.wage_distance],
            "share_deviation": [finite_float(x) for x in self.share_deviation],
            "threshold": finite_float(self.threshold),
            "rate": finite_float(self.rate()),
        }


def _hausdorff(a, b) -> float:
    if not a or not b:
        return 0.0 if not a and not b else math.inf
    d1 = max(min(abs(x - y) / y for y in b) for x in a)
    d2 = max(min(abs(x - y) / y for x in a) for y in b)
    return max(d1, d2)


def small_south_limit(model, params=None, ratios=None) -> SmallSouthLimit:
    """World equilibria for :math:`L_N=L_S/r` over ``ratios`` (default 41 points, 1 to 1e-4).

    Parameters
    ----------
    model : str or Model
        ``"standard"`` or ``"alternative"`` (or a static model declaration).
    params : mapping, optional
        Calibration; ``L_N`` is replaced by ``L_S / r``.
    ratios : sequence of float, optional
        Values of :math:`L_S/L_N` in (0, 1e4].

    Returns
    -------
    SmallSouthLimit

    Examples
    --------
    >>> from marshallian.solvers.world import small_south_limit
    >>> limit = small_south_limit("alternative", ratios=[1.0, 0.01])
    >>> len(limit.small)        # the small-South answer: South at North's prices
    7
    """
    from ...errors import DegenerateEquilibriumWarning, InvalidParameterError, Violation
    from ..equilibrium import resolve_model, resolve_params, solve
    from . import solve_world

    model = resolve_model(model)
    base = dict(resolve_params(model, params))
    if ratios is None:
        ratios = np.logspace(0, -4, 41)
    ratios = np.asarray(ratios, float)
    if (
        ratios.ndim != 1
        or ratios.size == 0
        or not np.all(np.isfinite(ratios))
        or np.any(ratios <= 0)
    ):
        raise InvalidParameterError(
            Violation("ratios", ratios.tolist(), "must be a non-empty list of numbers > 0")
        )
    ratios = np.sort(ratios)[::-1]
    L_S = base[model.L_S.name]
    worlds, wd, sd = [], [], []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegenerateEquilibriumWarning)
        small_params = model.params({**base, model.L_N.name: L_S / ratios[-1]})
        small = solve(model, small_params, warn=False)
        for r in ratios:
            p = model.params({**base, model.L_N.name: L_S / r})
            sol = solve_world(model, p, warn=False)
            worlds.append(sol)
            full = [e for e in sol if e.north_full_clusters]
            wd.append(_hausdorff([e.wage for e in full], [e.wage for e in small]))
            L_N = p[model.L_N.name]
            dev = [
                abs(
                    sum(a.labor for a in e.north_activities if a.sector == j) / L_N
                    - p[model.mu[j].name]
                )
                for e in full
                for j in model.sectors
            ]
            sd.append(max(dev) if dev else math.nan)
    wd_arr = np.array(wd)
    threshold = math.nan
    for r, d in zip(ratios[::-1], wd_arr[::-1]):  # from the smallest ratio up
        if d <= 1e-9:
            threshold = float(r)
        else:
            break
    return SmallSouthLimit(
        model.name, ratios, tuple(worlds), small, wd_arr, np.array(sd), threshold
    )
