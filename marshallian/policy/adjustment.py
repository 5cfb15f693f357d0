"""Out-of-equilibrium adjustment, and the Mill and Bastable tests (paper §2, fn. 9).

The paper calls the Bastable test "beyond the scope" (§2): it needs a dynamic adjustment
model. This module supplies one, with these **assumptions** (reused by the policy notebook):

1. *Marshallian labor reallocation* (a pairwise-comparison, "Smith" dynamic). Workers move
   from activity l to activity k at a rate proportional to the labor in l and to the pay
   difference, relative to the average pay :math:`\\bar w=\\sum_kL_k\\pi_k/L_S`:

   .. math::

       \\dot L_k=\\frac{\\kappa}{\\bar w}\\Bigl[\\sum_l L_l(\\pi_k-\\pi_l)^+
       -L_k\\sum_l(\\pi_l-\\pi_k)^+\\Bigr],

   with :math:`\\pi_k=p_j(1+s_k)\\varphi_k(L_k)` the pay of activity k at producer prices
   (firms take the externality as given; an entrant to an idle activity earns
   :math:`\\varphi_k(0)`). Labor is conserved, stays non-negative, and idle activities that
   pay more attract entrants. Rest points are exactly the equilibria of ``docs/models.md`` §2; stable
   ones (the rule of ``docs/models.md`` §2) are asymptotically stable, interior ones (critical masses) are not.
   :math:`\\kappa>0` is the adjustment speed (per unit of time; a 10 % pay premium draws
   about :math:`0.1\\kappa` of the donor labor per unit of time).
2. *Prices during adjustment.* World prices are fixed (small South). With a tariff on good
   j, the domestic price follows South's trade position at the current outputs: import
   (:math:`p_j^*(1+\\tau)`, revenue rebated), export (:math:`p_j^*`) or self-sufficient
   (the price that clears the domestic market). Subsidies are paid at world prices and
   financed lump-sum.
3. *Welfare flow.* At each instant consumers spend national income
   :math:`I=\\sum_jp_jQ_j+R` (:math:`R` tariff revenue; subsidies net out against the
   tax) at domestic prices; the flow is the indirect utility :math:`u(t)=I/e(p)`.
4. *Bastable test.* The counterfactual is the status quo forever (utility :math:`u_0`).
   Gains :math:`G=\\int_0^\\infty e^{-\\rho t}(u-u_0)^+dt`, costs
   :math:`C=\\int_0^\\infty e^{-\\rho t}(u_0-u)^+dt` with discount rate :math:`\\rho>0`;
   the test passes iff :math:`G\\ge C` and, for a temporary policy, the Mill test passes
   (Bastable is the more stringent test, Corden 1997). Integration stops when the labor flow falls below
   :data:`CONVERGENCE_RTOL` (the economy is at a rest point); the rest of the horizon is
   added in closed form at the terminal utility.
5. *Mill test.* The protected activity (the taxed sector, or the subsidised sector or
   activity) must be active when protection ends (*established*) and still be active in
   the equilibrium the economy converges to at world prices afterwards (*survives*).
   ``reached_is_equilibrium`` reports the stricter reading: the allocation reached under
   protection is itself an equilibrium at world prices.

A permanent policy is the same process without a second phase (its Mill verdict is None:
protection never ends). Note that with this process entrants go to *every* activity that
pays more than theirs, so a high tariff can draw labor into the modern technology of the
protected good and start a cluster there; the paper's point (§3.1) that protection does not
*need* a cluster is claim A7 (a no-cluster equilibrium exists at every tariff).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from .._jsonable import json_safe
from ..errors import InvalidParameterError, Violation
from ..presentation import Table, Tabular, line_table, record_table
from .instruments import (
    FREE_TRADE,
    Policy,
    PolicyEquilibrium,
    _world,
    check_positive,
    policy_equilibria,
)
from .welfare import preferences

#: The adjustment has converged when max_k |dL_k/dt| <= CONVERGENCE_RTOL * kappa * L_S.
CONVERGENCE_RTOL = 1e-9
#: Default adjustment speed kappa.
DEFAULT_KAPPA = 1.0
#: Default discount rate rho.
DEFAULT_RHO = 0.05
#: Longest time integrated in one phase, in units of 1/kappa.
T_MAX_KAPPA = 1e5
#: A labor amount counts as positive (an activity is active) above this fraction of L_S.
ACTIVE_RTOL = 1e-6


class Evaluator:
    """Pays, prices, income and utility of South at any allocation under a policy."""

    def __init__(self, model, params, policy: Policy, prefs, world):
        from ..solvers import pay_function

        self.model, self.params, self.policy, self.prefs = model, params, policy, prefs
        self.world = dict(world)
        self.f = np.asarray(policy.factors(model), dtype=float)
        self.sec = [a.sector for a in model.activities]
        self._pay = pay_function(model)
        self._ptuple = params.as_tuple()
        self._ones = tuple(1.0 for _ in model.sectors)
        self.L = float(params["L_S"])

    def productivity(self, labor) -> np.ndarray:
        return np.asarray(
            self._pay(self._ptuple, self._ones, tuple(float(x) for x in labor)), dtype=float
        )

    def state(self, labor):
        """(pays, domestic prices, income, utility, position) at ``labor``."""
        phi = self.productivity(labor)
        Q = {j: 0.0 for j in self.model.sectors}
        for k, j in enumerate(self.sec):
            Q[j] += phi[k] * max(float(labor[k]), 0.0)
        dom = dict(self.world)
        j = self.policy.tariff_sector
        position = None
        income = None
        if j is not None:
            tau = self.policy.tariff_rate
            hi = self.world[j] * (1 + tau)
            V_star = sum(self.world[k] * Q[k] for k in Q)
            dom_hi = dict(self.world)
            dom_hi[j] = hi
            s_hi = self.prefs.shares(dom_hi)[j]
            t = tau / (1 + tau)
            I_imp = V_star / (1 - t * s_hi)
            s_lo = self.prefs.shares(self.world)[j]
            if s_hi * I_imp >= hi * Q[j]:
                position, dom, income = "import", dom_hi, I_imp
            elif s_lo * V_star <= self.world[j] * Q[j]:
                position, income = "export", V_star
            else:
                position = "self-sufficient"
                V_rest = sum(self.world[k] * Q[k] for k in Q if k != j)
                if self.prefs.sigma is None:
                    s = self.prefs.weights[j]
                    p = s * V_rest / ((1 - s) * Q[j])
                else:
                    from scipy.optimize import brentq

                    def excess(p):
                        d = dict(self.world)
                        d[j] = p
                        return self.prefs.shares(d)[j] * (V_rest + p * Q[j]) - p * Q[j]

                    p = brentq(excess, self.world[j], hi, xtol=1e-15 * hi)
                dom[j] = min(max(p, self.world[j]), hi)
                income = sum(dom[k] * Q[k] for k in Q)
        if income is None:
            income = sum(dom[k] * Q[k] for k in Q)
        pays = np.array([dom[self.sec[k]] * phi[k] for k in range(len(phi))]) * self.f
        utility = self.prefs.utility(dom, income)
        return pays, dom, income, utility, position

    def rhs(self, labor, kappa):
        L = np.maximum(np.asarray(labor, dtype=float), 0.0)
        pays, dom, income, u, _ = self.state(L)
        wbar = float(pays @ L) / max(L.sum(), 1e-300)
        D = pays[:, None] - pays[None, :]
        inflow = (np.maximum(D, 0.0) * L[None, :]).sum(axis=1)
        outflow = L * np.maximum(-D, 0.0).sum(axis=1)
        return kappa * (inflow - outflow) / wbar, u


@dataclass(frozen=True)
class AdjustmentPhase:
    """One phase of an adjustment path (under a policy, or at world prices)."""

    policy: str
    t: np.ndarray
    labor: np.ndarray  # (n_t, K)
    utility: np.ndarray
    converged: bool
    t_end: float  # time (absolute) when the phase ends


def _integrate(ev: Evaluator, L0, kappa, t0, t1, rho, u0):
    """Integrate the adjustment from absolute time t0 to t1 (inf: until converged).

    Returns the phase and (gains, costs) discounted to time 0, including, when the
    economy converged before t1, the constant flow up to t1 (or forever).
    """
    from scipy.integrate import solve_ivp

    K = len(L0)
    Ls = ev.L
    span = (t1 - t0) if math.isfinite(t1) else T_MAX_KAPPA / kappa
    thresh = CONVERGENCE_RTOL * kappa * Ls

    def f(t, y):
        dL, u = ev.rhs(y[:K], kappa)
        disc = math.exp(-rho * (t0 + t))
        return np.concatenate([dL, [disc * max(u - u0, 0.0), disc * max(u0 - u, 0.0)]])

    def settled(t, y):
        dL, _ = ev.rhs(y[:K], kappa)
        return float(np.max(np.abs(dL))) - thresh

    # solve_ivp reads its event protocol from function attributes (untyped in scipy)
    settled.terminal = True  # type: ignore[attr-defined]
    settled.direction = -1  # type: ignore[attr-defined]

    y0 = np.concatenate([np.asarray(L0, dtype=float), [0.0, 0.0]])
    dL0, _ = ev.rhs(L0, kappa)
    if float(np.max(np.abs(dL0))) <= thresh:
        ts, ys, conv, t_conv = np.array([0.0]), y0[:, None], True, 0.0
    else:
        sol = solve_ivp(
            f, (0.0, span), y0, method="LSODA", events=settled, rtol=1e-8, atol=1e-9 * Ls
        )
        ts, ys = sol.t, sol.y
        conv = sol.status == 1
        t_conv = ts[-1]
        if not conv and not math.isfinite(t1):
            conv = False
    labor = np.maximum(ys[:K].T, 0.0)
    labor *= Ls / labor.sum(axis=1, keepdims=True)
    util = np.array([ev.state(x)[3] for x in labor])
    gains, costs = float(ys[K, -1]), float(ys[K + 1, -1])
    # constant flow from the end of integration to t1 (or forever)
    end_abs = t0 + t_conv
    du = util[-1] - u0
    if math.isfinite(t1):
        tail = (math.exp(-rho * end_abs) - math.exp(-rho * t1)) / rho if end_abs < t1 else 0.0
    else:
        tail = math.exp(-rho * end_abs) / rho
    gains += max(du, 0.0) * tail
    costs += max(-du, 0.0) * tail
    t_end = t1 if math.isfinite(t1) else end_abs
    return AdjustmentPhase(ev.policy.label(), ts + t0, labor, util, bool(conv), t_end), gains, costs


@dataclass(frozen=True)
class PolicyRun(Tabular):
    """A policy applied to the status quo, the adjustment it causes, and both tests.

    Attributes
    ----------
    policy : Policy
    duration : float
        Length of protection (inf: permanent).
    status_quo : PolicyEquilibrium
        Free-trade equilibrium the economy starts from.
    phases : tuple of AdjustmentPhase
        Under the policy, then (if temporary) at world prices.
    reached : PolicyEquilibrium or None
        Equilibrium (of the policy, or of free trade after a temporary policy) closest to
        the final allocation; None if the adjustment did not converge.
    protected : str
        The protected activity (label).
    established, survives, reached_is_equilibrium : bool
        Mill test ingredients (see module notes).
    mill : bool or None
        ``established and survives`` (None for free trade and permanent policies).
    gains, costs : float
        Discounted utility gains and costs relative to the status quo.
    bastable : bool
        ``gains >= costs`` (and Mill passed, for a temporary policy).
    kappa, rho : float
    """

    policy: Policy
    duration: float
    status_quo: PolicyEquilibrium
    phases: tuple
    reached: PolicyEquilibrium | None
    protected: str
    established: bool
    survives: bool
    reached_is_equilibrium: bool
    mill: bool | None
    gains: float
    costs: float
    bastable: bool | None
    kappa: float
    rho: float
    converged: bool = True
    notes: tuple = field(default_factory=tuple)

    @property
    def net_benefit(self) -> float:
        return self.gains - self.costs

    def to_dict(self) -> dict:
        return {
            "policy": self.policy.to_dict(),
            "duration": json_safe(self.duration),
            "status_quo": self.status_quo.label,
            "reached": None if self.reached is None else self.reached.to_dict(),
            "protected": self.protected,
            "established": self.established,
            "survives": self.survives,
            "reached_is_equilibrium": self.reached_is_equilibrium,
            "mill": self.mill,
            "gains": self.gains,
            "costs": self.costs,
            "net_benefit": self.net_benefit,
            "bastable": self.bastable,
            "kappa": self.kappa,
            "rho": self.rho,
            "converged": self.converged,
            "notes": list(self.notes),
        }

    def _table(self) -> Table:
        """One row: the policy, where it leads, the Mill and Bastable tests."""
        d = self.to_dict()
        return record_table(
            d,
            (
                "protected",
                "established",
                "survives",
                "mill",
                "gains",
                "costs",
                "net_benefit",
                "bastable",
                "kappa",
                "rho",
                "converged",
            ),
            policy=self.policy.label(),
            duration=d["duration"],
            status_quo=self.status_quo.label,
            reached=self.reached.label if self.reached is not None else None,
        )

    def _display_table(self) -> Table:
        r = self.reached
        line = (
            f"{self.policy.label()} ({'permanent' if not math.isfinite(self.duration) else f'for {self.duration:g}'}) "
            f"from [{self.status_quo.label}] -> [{r.label if r else 'not converged'}]; "
            f"Mill: {self.mill}; Bastable: {self.bastable} (gains {self.gains:.6g}, "
            f"costs {self.costs:.6g}, rho={self.rho:g}, kappa={self.kappa:g})"
        )
        return line_table(line)


def _protected(model, policy: Policy):
    """(label, predicate on labor vector) of the protected activity."""
    if policy.tariff_sector is not None:
        j = policy.tariff_sector
        idx = [k for k, a in enumerate(model.activities) if a.sector == j]
        return f"sector {j}", idx
    keys = [k for k, r in policy.subsidy.items() if r > 0]
    idx = []
    for key in keys:
        if isinstance(key, tuple):
            idx.append(model.activity_index(*key))
        else:
            idx += [k for k, a in enumerate(model.activities) if a.sector == key]
    label = ", ".join(f"{k[0]}:{k[1]}" if isinstance(k, tuple) else f"sector {k}" for k in keys)
    return label or "none", sorted(set(idx))


def _closest(outcome, labor, model):
    best, dist = None, math.inf
    for e in outcome.equilibria:
        vec = [e.equilibrium.labor(a.sector, a.technology) for a in model.activities]
        d = sum(abs(x - y) for x, y in zip(vec, labor))
        if d < dist:
            best, dist = e, d
    return best, dist


def status_quo_equilibrium(model, params, status_quo=None, *, prefs=None, north=None):
    """The free-trade equilibrium a policy starts from.

    ``status_quo`` None: the worst *stable* free-trade equilibrium (the paper's starting
    point: no cluster, §3.1); an int: index into the free-trade equilibria sorted by
    descending welfare; a :class:`PolicyEquilibrium`: itself.
    """
    out = policy_equilibria(model, params, FREE_TRADE, prefs=prefs, north=north)
    if status_quo is None:
        return min(out.stable, key=lambda e: e.welfare.utility)
    if isinstance(status_quo, int) and not isinstance(status_quo, bool):
        if not 0 <= status_quo < len(out):
            raise InvalidParameterError(
                Violation("status_quo", status_quo, f"must be an index in [0, {len(out) - 1}]")
            )
        return out[status_quo]
    return status_quo


def run_policy(
    model,
    params=None,
    policy: Policy = FREE_TRADE,
    *,
    duration=math.inf,
    status_quo=None,
    kappa=DEFAULT_KAPPA,
    rho=DEFAULT_RHO,
    prefs=None,
    north=None,
) -> PolicyRun:
    """Apply ``policy`` to the status quo for ``duration`` and run the Mill/Bastable tests.

    Parameters
    ----------
    model, params
    policy : Policy
    duration : float
        Length of protection; ``math.inf`` (default) for a permanent policy. A temporary
        policy (finite duration) is removed at that time and the economy keeps adjusting at
        world prices until it settles. ``None`` means: until the adjustment under the
        policy has converged (then removed).
    status_quo : see :func:`status_quo_equilibrium`
    kappa : float
        Adjustment speed (> 0).
    rho : float
        Discount rate (> 0).
    prefs : Preferences, optional

    Returns
    -------
    PolicyRun

    Examples
    --------
    A permanent 30 % tariff on good 2 from the all-backward status quo (§4):

    >>> import marshallian as m
    >>> run = m.run_policy("alternative", None, m.tariff(2, 0.3))
    >>> run.status_quo.label, run.converged
    ('1:backward', True)
    """
    from ..solvers import certify, resolve_model, resolve_params

    model = resolve_model(model)
    params = resolve_params(model, params)
    kappa = check_positive("kappa", kappa)
    rho = check_positive("rho", rho)
    if duration is not None and (
        isinstance(duration, bool)
        or not isinstance(duration, (int, float))
        or duration <= 0
        or math.isnan(duration)
    ):
        raise InvalidParameterError(Violation("duration", duration, "must be > 0 (or inf)"))
    policy.validate_for(model)
    prefs = prefs or preferences(model, params)
    world = _world(model, params, north)
    sq = status_quo_equilibrium(model, params, status_quo, prefs=prefs, north=north)
    u0 = sq.welfare.utility
    L0 = np.array([sq.equilibrium.labor(a.sector, a.technology) for a in model.activities])
    ev = Evaluator(model, params, policy, prefs, world)
    t1 = math.inf if duration is None else float(duration)
    if duration is None:
        ph1, g1, c1 = _integrate(ev, L0, kappa, 0.0, math.inf, rho, u0)
        # protection ends when the economy has settled: no flows beyond that point
        g1 -= max(ph1.utility[-1] - u0, 0) * math.exp(-rho * ph1.t_end) / rho
        c1 -= max(u0 - ph1.utility[-1], 0) * math.exp(-rho * ph1.t_end) / rho
        t1 = ph1.t_end
    else:
        ph1, g1, c1 = _integrate(ev, L0, kappa, 0.0, t1, rho, u0)
    phases = [ph1]
    gains, costs = g1, c1
    converged = ph1.converged
    label, idx = _protected(model, policy)
    Ls = float(params["L_S"])
    after = ph1.labor[-1]
    established = any(after[k] > ACTIVE_RTOL * Ls for k in idx)
    notes = []
    permanent = not math.isfinite(t1)
    if permanent:
        final_outcome = policy_equilibria(model, params, policy, prefs=prefs, north=north)
        final = after
        survives = established
    else:
        ev0 = Evaluator(model, params, FREE_TRADE, prefs, world)
        ph2, g2, c2 = _integrate(ev0, after, kappa, t1, math.inf, rho, u0)
        phases.append(ph2)
        gains += g2
        costs += c2
        converged = ph2.converged  # a finite protection period need not settle
        final_outcome = policy_equilibria(model, params, FREE_TRADE, prefs=prefs, north=north)
        final = ph2.labor[-1]
        survives = any(final[k] > ACTIVE_RTOL * Ls for k in idx)
    reached, dist = _closest(final_outcome, final, model)
    if dist > 1e-4 * Ls:
        notes.append(f"final allocation is {dist:.3g} (L1) from the nearest equilibrium")
        if not phases[-1].converged:
            reached = None
    cert = certify(
        model,
        params,
        world,
        list(after),
        ev0_wage(ev, after, world),
        tuple(1 if x > ACTIVE_RTOL * Ls else 0 for x in after),
    )
    reached_eq = bool(cert.verified)
    if policy.is_free_trade:
        mill, bast = None, None
    elif permanent:  # Mill is about protection ending: not applicable
        mill, bast = None, bool(gains >= costs)
    else:
        mill = bool(established and survives)
        bast = bool(gains >= costs) and (mill or permanent)
    if not converged:
        notes.append("adjustment did not settle within the time limit")
    return PolicyRun(
        policy,
        math.inf if permanent else t1,
        sq,
        tuple(phases),
        reached,
        label,
        bool(established),
        bool(survives),
        reached_eq,
        mill,
        float(gains),
        float(costs),
        bast,
        kappa,
        rho,
        bool(converged),
        tuple(notes),
    )


def ev0_wage(ev, labor, world):
    """The highest pay among active activities at world prices (for the certificate)."""
    ev0 = Evaluator(ev.model, ev.params, FREE_TRADE, ev.prefs, world)
    pays = ev0.state(labor)[0]
    active = [k for k, x in enumerate(labor) if x > ACTIVE_RTOL * ev.L]
    return float(max(pays[k] for k in active))
