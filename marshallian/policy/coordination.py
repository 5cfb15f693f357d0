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
from ..presentation import Table, Tabular, line_table, record_table
from .adjustment import (
    DEFAULT_KAPPA,
    DEFAULT_RHO,
    Evaluator,
    PolicyRun,
    run_policy,
    status_quo_equilibrium,
)
from .instruments import FREE_TRADE, Policy, PolicyEquilibrium, _world, policy_equilibria
from .welfare import preferences

#: Relative margin above the smallest destabilising subsidy.
SUBSIDY_MARGIN = 1e-3


def _active(model, pe, Ls):
    return {
        (a.sector, a.technology)
        for a in model.activities
        if pe.equilibrium.labor(a.sector, a.technology) > 1e-9 * Ls
    }


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

    status_quo: PolicyEquilibrium
    target: PolicyEquilibrium
    activity: tuple | None
    critical_mass: float | None
    threshold: PolicyEquilibrium | None
    min_subsidy: float
    run: PolicyRun | None
    reaches_target: bool
    welfare_gain: float
    crossing_time: float | None = None

    def to_dict(self) -> dict:
        return {
            "status_quo": self.status_quo.label,
            "target": self.target.label,
            "crossing_time": self.crossing_time,
            "activity": None if self.activity is None else f"{self.activity[0]}:{self.activity[1]}",
            "critical_mass": self.critical_mass,
            "threshold": None if self.threshold is None else self.threshold.label,
            "min_subsidy": self.min_subsidy,
            "reaches_target": self.reaches_target,
            "welfare_gain": self.welfare_gain,
            "run": None if self.run is None else self.run.to_dict(),
        }

    def _table(self) -> Table:
        """One row: status quo, target, promoted activity, critical mass, smallest subsidy."""
        return record_table(
            self.to_dict(),
            (
                "status_quo",
                "target",
                "activity",
                "critical_mass",
                "threshold",
                "min_subsidy",
                "reaches_target",
                "welfare_gain",
                "crossing_time",
            ),
        )

    def _display_table(self) -> Table:
        act = "-" if self.activity is None else f"{self.activity[0]}:{self.activity[1]}"
        cm = "none" if self.critical_mass is None else f"{self.critical_mass:.6g}"
        line = (
            f"coordination [{self.status_quo.label}] -> [{self.target.label}]: promote {act}, "
            f"critical mass {cm}, smallest subsidy {self.min_subsidy:.6g}, "
            f"reaches target: {self.reaches_target}, welfare gain {self.welfare_gain:.6g}"
            + (
                ""
                if self.crossing_time is None
                else f", critical mass passed at t={self.crossing_time:.4g}"
            )
        )
        return line_table(line)


def _label_of(target) -> str | None:
    """The equilibrium label named by ``target`` (a label, an Equilibrium or a
    PolicyEquilibrium), or None if it names none."""
    if isinstance(target, str):
        return " + ".join(part.strip() for part in target.split("+"))
    label = getattr(target, "label", None)
    return label if isinstance(label, str) else None


def find_equilibrium(outcome, target, name="target"):
    """The equilibrium of ``outcome`` named by ``target``.

    Parameters
    ----------
    outcome : PolicyOutcome
        Equilibria sorted by descending welfare.
    target : int, str, Equilibrium or PolicyEquilibrium
        An index into ``outcome``; a label such as ``"2:modern"`` or
        ``"1:backward + 1:modern[rising]"``; or an equilibrium (matched by its label).
        When several equilibria share a label the best (by welfare) is returned.

    Raises
    ------
    InvalidParameterError
        When no equilibrium of ``outcome`` is named by ``target`` (the message lists them).
    """
    if isinstance(target, int) and not isinstance(target, bool):
        if not 0 <= target < len(outcome):
            raise InvalidParameterError(
                Violation(name, target, f"must be an index in [0, {len(outcome) - 1}]")
            )
        return outcome[target]
    label = _label_of(target)
    if label is None:
        raise InvalidParameterError(
            Violation(
                name,
                type(target).__name__,
                "must be an index, an equilibrium label such as '2:modern', or an equilibrium",
            )
        )
    for e in outcome.equilibria:  # sorted by descending welfare: the best first
        if e.label == label:
            return e
    raise InvalidParameterError(
        Violation(
            name,
            label,
            "is not a free-trade equilibrium; "
            "available: " + ", ".join(dict.fromkeys(e.label for e in outcome.equilibria)),
        )
    )


def coordination(
    model,
    params=None,
    *,
    target=None,
    status_quo=None,
    kappa=DEFAULT_KAPPA,
    rho=DEFAULT_RHO,
    prefs=None,
    north=None,
    margin=SUBSIDY_MARGIN,
) -> CoordinationPlan:
    """Critical mass and smallest temporary subsidy carrying South to ``target``.

    Parameters
    ----------
    target : None, int, str, Equilibrium or PolicyEquilibrium
        Default: the best stable free-trade equilibrium. An int indexes the free-trade
        equilibria sorted by descending welfare; a label (``"2:modern"``) or an equilibrium
        names one of them (see :func:`find_equilibrium`).
    status_quo : see :func:`~marshallian.policy.adjustment.status_quo_equilibrium`

    Raises
    ------
    InvalidParameterError
        When ``target`` names no free-trade equilibrium.

    Examples
    --------
    >>> from marshallian.policy.coordination import coordination
    >>> plan = coordination("alternative", target="2:modern")
    >>> plan.target.label, plan.activity, round(plan.critical_mass, 6)
    ('2:modern', (2, 'modern'), 62.5)
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
    else:
        tg = find_equilibrium(free, target)
    gain = tg.welfare.utility - sq.welfare.utility
    new = _active(model, tg, Ls) - _active(model, sq, Ls)
    ext = [k for k in new if model.activities[model.activity_index(*k)].has_externality]
    if not ext:
        return CoordinationPlan(sq, tg, None, None, None, 0.0, None, tg.label == sq.label, gain)
    act = sorted(ext)[0]
    union = _active(model, tg, Ls) | _active(model, sq, Ls)
    thresholds = [
        e
        for e in free.equilibria
        if e.equilibrium.interior
        and _active(model, e, Ls) <= union
        and any(
            a.state == "rising" and (a.sector, a.technology) == act
            for a in e.equilibrium.activities
        )
    ]
    thr = min(thresholds, key=lambda e: e.equilibrium.labor(*act)) if thresholds else None
    cm = thr.equilibrium.labor(*act) if thr is not None else None
    world = _world(model, params, north)
    L0 = np.array([sq.equilibrium.labor(a.sector, a.technology) for a in model.activities])
    pays = Evaluator(model, params, FREE_TRADE, prefs, world).state(L0)[0]
    k = model.activity_index(*act)
    s_min = max(sq.wage / float(pays[k]) - 1.0, 0.0)
    rate = (1 + s_min) * (1 + margin) - 1
    run = run_policy(
        model,
        params,
        Policy(subsidy={act: rate}, name=f"subsidy {act[0]}:{act[1]}"),
        duration=None,
        status_quo=sq,
        kappa=kappa,
        rho=rho,
        prefs=prefs,
        north=north,
    )
    reaches = run.reached is not None and run.reached.label == tg.label
    crossing = None
    if cm is not None:
        ph = run.phases[0]
        above = np.nonzero(ph.labor[:, k] > cm)[0]
        crossing = float(ph.t[above[0]]) if above.size else None
    return CoordinationPlan(
        sq, tg, act, cm, thr, float(s_min), run, bool(reaches), float(gain), crossing
    )


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
    equilibrium: PolicyEquilibrium | None
    status_quo: PolicyEquilibrium
    welfare_change: float

    def to_dict(self) -> dict:
        return {
            "sector": self.sector,
            "subsidy": self.subsidy,
            "distorted": self.distorted,
            "equilibrium": None if self.equilibrium is None else self.equilibrium.to_dict(),
            "status_quo": self.status_quo.label,
            "welfare_change": self.welfare_change,
        }


def _promotion_activity(model, target) -> int:
    """Index of the one activity a promotion target specialises in."""
    label = _label_of(target)
    if label is None:
        raise InvalidParameterError(
            Violation(
                "target",
                type(target).__name__,
                "must be a label such as '2:modern' or an equilibrium",
            )
        )
    parts = [p.strip().split("[")[0] for p in label.split("+")]
    if len(parts) != 1 or ":" not in parts[0]:
        raise InvalidParameterError(
            Violation("target", label, "must be a specialization (one activity, e.g. '2:modern')")
        )
    j, tech = parts[0].split(":", 1)
    try:
        return model.activity_index(int(j), tech)
    except (KeyError, ValueError):
        raise InvalidParameterError(
            Violation(
                "target",
                label,
                "is not an activity of the model ("
                + ", ".join(a.label for a in model.activities)
                + ")",
            )
        ) from None


def promote_cluster(
    model,
    params=None,
    sector: int = 2,
    *,
    target=None,
    status_quo=None,
    prefs=None,
    north=None,
    margin=SUBSIDY_MARGIN,
) -> Promotion:
    """Smallest sector-``sector`` subsidy making specialization there with a full cluster
    an equilibrium, and the welfare it yields (see module notes).

    Parameters
    ----------
    sector : int
        The promoted sector (its externality activity), when ``target`` is None.
    target : str or Equilibrium, optional
        A specialization to promote instead, named by its label (``"2:modern"``) or an
        equilibrium with one activity; it need not be an equilibrium at world prices
        (that is the point of promotion).

    Raises
    ------
    InvalidParameterError
        For a sector or target that is not in the model.

    Examples
    --------
    >>> from marshallian.policy.coordination import promote_cluster
    >>> pr = promote_cluster("alternative", target="2:modern")
    >>> pr.sector, pr.distorted
    (2, False)
    """
    from ..solvers import resolve_model, resolve_params

    model = resolve_model(model)
    params = resolve_params(model, params)
    if target is not None:
        k = _promotion_activity(model, target)
        sector = model.activities[k].sector
    elif sector not in model.sectors:
        raise InvalidParameterError(Violation("sector", sector, f"must be one of {model.sectors}"))
    else:
        ext = [
            i for i, a in enumerate(model.activities) if a.sector == sector and a.has_externality
        ]
        if not ext:
            raise InvalidParameterError(Violation("sector", sector, "has no externality activity"))
        k = ext[0]
    prefs = prefs or preferences(model, params)
    sq = status_quo_equilibrium(model, params, status_quo, prefs=prefs, north=north)
    st = model.structure(params)
    Ls = float(params["L_S"])
    if model.activities[k].has_externality and Ls < float(st.cap[k]):
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
