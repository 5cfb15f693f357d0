"""Cluster promotion: coordination without distortion, and price-distorting promotion.

Paper §3.1: the best policy is to move the economy to a better equilibrium *at world
prices* (coordination), ideally the cluster in the sector of strongest comparative
advantage; promoting a cluster where (*) fails needs distorted prices and lowers welfare.

Definitions used here (``docs/models.md`` §5):

* **Critical mass**: the labor of the promoted activity (the target's modern/externality
  activity) in the interior unstable equilibrium that separates the status quo from the
  target — the one whose active activities are among those of the two and in which the
  promoted activity is on its rising part. In §3, from no cluster to a cluster in the
  same sector it is :math:`(1-\\beta)/\\alpha`.
* **Smallest temporary subsidy**: the infimum of the ad-valorem subsidies :math:`s` to the
  promoted activity k such that the status quo stops being an equilibrium:
  :math:`s^*=w_0/\\pi_k(0)-1`, where :math:`w_0` is the status quo wage and
  :math:`\\pi_k(0)` what an entrant to k earns there at world prices. Any :math:`s>s^*`
  makes entry into k profitable; the plan applies :math:`(1+s^*)(1+m)-1` (margin
  :math:`m`, default :data:`SUBSIDY_MARGIN`) until the adjustment of
  :mod:`~marshallian.policy.adjustment` settles, removes it, and reports whether the
  economy then settles in the target (``reaches_target``) — it may not, e.g. when the
  subsidy carries labor into another equilibrium.
* **Price-distorting promotion** of a cluster in sector j: the smallest subsidy to the
  whole sector j for which full specialization in j with a full cluster is an
  equilibrium (no idle activity pays more), :math:`s=\\max_k\\pi_k/\\pi_{jM}-1` at that
  allocation; zero when it is already an equilibrium at world prices (then only
  coordination is needed). Consumers face world prices, so welfare is that of the
  allocation valued at world prices.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..errors import InvalidParameterError, Violation
from ..presentation import Column, Table, Tabular
from .adjustment import (DEFAULT_KAPPA, DEFAULT_RHO, Evaluator, PolicyRun, run_policy,
                         status_quo_equilibrium)
from .instruments import FREE_TRADE, Policy, _world, policy_equilibria
from .welfare import preferences

#: Relative margin above the smallest destabilising subsidy.
SUBSIDY_MARGIN = 1e-3


def _active(model, pe, Ls):
    return {(a.sector, a.technology) for a in model.activities
            if pe.equilibrium.labor(a.sector, a.technology) > 1e-9 * Ls}


@dataclass(frozen=True)
class CoordinationPlan(Tabular):
    """Moving South from the status quo to a target equilibrium at world prices.

    Attributes
    ----------
    status_quo, target : PolicyEquilibrium
    activity : tuple
        (sector, technology) promoted (the target's cluster activity).
    critical_mass : float or None
        Labor of ``activity`` in the separating interior equilibrium (None if none).
    threshold : PolicyEquilibrium or None
        That interior (unstable) equilibrium.
    min_subsidy : float
        Infimum of destabilising subsidies to ``activity`` (see module notes).
    run : PolicyRun or None
        The temporary subsidy applied and removed.
    reaches_target : bool
    welfare_gain : float
        Utility of the target minus that of the status quo.
    crossing_time : float or None
        First time (under the subsidy) at which the promoted activity's labor exceeds the
        critical mass (informative: the subsidy is kept until the adjustment settles).
    """

    status_quo: object
    target: object
    activity: tuple | None
    critical_mass: float | None
    threshold: object
    min_subsidy: float
    run: PolicyRun | None
    reaches_target: bool
    welfare_gain: float
    crossing_time: float | None = None

    def to_dict(self) -> dict:
        return {"status_quo": self.status_quo.label, "target": self.target.label,
                "crossing_time": self.crossing_time,
                "activity": None if self.activity is None else f"{self.activity[0]}:{self.activity[1]}",
                "critical_mass": self.critical_mass,
                "threshold": None if self.threshold is None else self.threshold.label,
                "min_subsidy": self.min_subsidy, "reaches_target": self.reaches_target,
                "welfare_gain": self.welfare_gain,
                "run": None if self.run is None else self.run.to_dict()}

    def _table(self) -> Table:
        """One row: status quo, target, promoted activity, critical mass, smallest subsidy."""
        d = self.to_dict()
        row = {k: d[k] for k in ("status_quo", "target", "activity", "critical_mass",
                                 "threshold", "min_subsidy", "reaches_target", "welfare_gain",
                                 "crossing_time")}
        return Table(tuple(Column(k) for k in row), [row])

    def _display_table(self) -> Table:
        act = "-" if self.activity is None else f"{self.activity[0]}:{self.activity[1]}"
        cm = "none" if self.critical_mass is None else f"{self.critical_mass:.6g}"
        line = (f"coordination [{self.status_quo.label}] -> [{self.target.label}]: promote {act}, "
                f"critical mass {cm}, smallest subsidy {self.min_subsidy:.6g}, "
                f"reaches target: {self.reaches_target}, welfare gain {self.welfare_gain:.6g}"
                + ("" if self.crossing_time is None else
                   f", critical mass passed at t={self.crossing_time:.4g}"))
        return Table((), (), (line,))


def coordination(model, params=None, *, target=None, status_quo=None, kappa=DEFAULT_KAPPA,
                 rho=DEFAULT_RHO, prefs=None, north=None, margin=SUBSIDY_MARGIN) -> CoordinationPlan:
    """Critical mass and smallest temporary subsidy carrying South to ``target``.

    Parameters
    ----------
    target : None, int or PolicyEquilibrium
        Default: the best stable free-trade equilibrium; an int indexes the free-trade
        equilibria sorted by descending welfare.
    status_quo : see :func:`~marshallian.policy.adjustment.status_quo_equilibrium`
    """
    from ..solvers import resolve_model, resolve_params

    model = resolve_model(model)
    params = resolve_params(model, params)
    prefs = prefs or preferences(model, params)
    Ls = float(params["L_S"])
    free = policy_equilibria(model, params, FREE_TRADE, prefs=prefs, north=north)
    sq = status_quo_equilibrium(model, params, status_quo, prefs=prefs, north=north)
    if target is None:
        tg = max(free.stable, key=lambda e: e.welfare.utility)
    elif isinstance(target, int) and not isinstance(target, bool):
        if not 0 <= target < len(free):
            raise InvalidParameterError(Violation("target", target,
                                                  f"must be an index in [0, {len(free) - 1}]"))
        tg = free[target]
    else:
        tg = target
    gain = tg.welfare.utility - sq.welfare.utility
    new = _active(model, tg, Ls) - _active(model, sq, Ls)
    ext = [k for k in new if model.activities[model.activity_index(*k)].has_externality]
    if not ext:
        return CoordinationPlan(sq, tg, None, None, None, 0.0, None, tg.label == sq.label, gain)
    act = sorted(ext)[0]
    union = _active(model, tg, Ls) | _active(model, sq, Ls)
    thresholds = [e for e in free.equilibria if e.equilibrium.interior
                  and _active(model, e, Ls) <= union
                  and any(a.state == "rising" and (a.sector, a.technology) == act
                          for a in e.equilibrium.activities)]
    thr = min(thresholds, key=lambda e: e.equilibrium.labor(*act)) if thresholds else None
    cm = thr.equilibrium.labor(*act) if thr is not None else None
    world = _world(model, params, north)
    L0 = np.array([sq.equilibrium.labor(a.sector, a.technology) for a in model.activities])
    pays = Evaluator(model, params, FREE_TRADE, prefs, world).state(L0)[0]
    k = model.activity_index(*act)
    s_min = max(sq.wage / float(pays[k]) - 1.0, 0.0)
    rate = (1 + s_min) * (1 + margin) - 1
    run = run_policy(model, params, Policy(subsidy={act: rate}, name=f"subsidy {act[0]}:{act[1]}"),
                     duration=None, status_quo=sq, kappa=kappa, rho=rho, prefs=prefs, north=north)
    reaches = run.reached is not None and run.reached.label == tg.label
    crossing = None
    if cm is not None:
        ph = run.phases[0]
        above = np.nonzero(ph.labor[:, k] > cm)[0]
        crossing = float(ph.t[above[0]]) if above.size else None
    return CoordinationPlan(sq, tg, act, cm, thr, float(s_min), run, bool(reaches), float(gain),
                            crossing)


@dataclass(frozen=True)
class Promotion:
    """Price-distorting promotion of a full cluster in one sector (§3.1, claim A8).

    Attributes
    ----------
    sector : int
    subsidy : float
        Smallest sector subsidy making the cluster an equilibrium (0: none needed).
    distorted : bool
        ``subsidy > 0``.
    equilibrium : PolicyEquilibrium or None
        The promoted equilibrium under that subsidy (None if the cluster is infeasible,
        e.g. :math:`L_S<\\bar L_j`).
    status_quo : PolicyEquilibrium
    welfare_change : float
        Utility of the promoted equilibrium minus that of the status quo.
    """

    sector: int
    subsidy: float
    distorted: bool
    equilibrium: object
    status_quo: object
    welfare_change: float

    def to_dict(self) -> dict:
        return {"sector": self.sector, "subsidy": self.subsidy, "distorted": self.distorted,
                "equilibrium": None if self.equilibrium is None else self.equilibrium.to_dict(),
                "status_quo": self.status_quo.label, "welfare_change": self.welfare_change}


def promote_cluster(model, params=None, sector: int = 2, *, status_quo=None, prefs=None,
                    north=None, margin=SUBSIDY_MARGIN) -> Promotion:
    """Smallest sector-``sector`` subsidy making specialization there with a full cluster
    an equilibrium, and the welfare it yields (see module notes)."""
    from ..solvers import resolve_model, resolve_params

    model = resolve_model(model)
    params = resolve_params(model, params)
    if sector not in model.sectors:
        raise InvalidParameterError(Violation("sector", sector, f"must be one of {model.sectors}"))
    prefs = prefs or preferences(model, params)
    sq = status_quo_equilibrium(model, params, status_quo, prefs=prefs, north=north)
    ext = [k for k, a in enumerate(model.activities) if a.sector == sector and a.has_externality]
    if not ext:
        raise InvalidParameterError(Violation("sector", sector, "has no externality activity"))
    k = ext[0]
    st = model.structure(params)
    Ls = float(params["L_S"])
    if Ls < float(st.cap[k]):
        return Promotion(sector, math.nan, True, None, sq, math.nan)
    world = _world(model, params, north)
    L = np.zeros(len(model.activities))
    L[k] = Ls
    pays = Evaluator(model, params, FREE_TRADE, prefs, world).state(L)[0]
    others = [float(pays[i]) for i, a in enumerate(model.activities) if a.sector != sector]
    s = max(max(others, default=0.0) / float(pays[k]) - 1.0, 0.0)
    rate = (1 + s) * (1 + margin) - 1 if s > 0 else 0.0
    out = policy_equilibria(model, params, Policy(subsidy={sector: rate}), prefs=prefs, north=north)
    label = f"{sector}:{model.activities[k].technology}"
    match = [e for e in out.equilibria if e.label == label]
    eq = match[0] if match else None
    change = (eq.welfare.utility - sq.welfare.utility) if eq is not None else math.nan
    return Promotion(sector, float(s), s > 0, eq, sq, float(change))
