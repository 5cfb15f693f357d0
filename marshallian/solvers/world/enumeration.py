r"""Every two-country equilibrium by regime: the sector decomposition and the 1-D reduction.

The world equilibrium (``models.md`` §7.1; Helpman–Krugman 1985, ch. 3; Rodríguez-Clare
2007, §2 and footnote 10): North's wage is 1, South's is :math:`w`; prices :math:`p_j` and
both allocations are unknown. In each country :math:`i` every active activity pays the
wage :math:`w_i` and no idle one pays more, labor adds up, and every good's market clears.
With identical Cobb–Douglas preferences world spending on good :math:`j` is
:math:`\mu_j(L_N+wL_S)` and, since active activities pay the wage, the value of world
output of :math:`j` is :math:`L_{jN}+wL_{jS}`:

.. math::  L_{jN}+w\,L_{jS}=M_j(w)\equiv\mu_j(L_N+wL_S),\qquad j=1..J.

**Regimes.** As for the small South (:mod:`marshallian.solvers.enumeration`), every
activity of every country is idle, rising (:math:`0<L_k<\bar L_k`) or fixed (capped, or
flat without externality). Within a sector of a country, the active activities share one
*own level* :math:`E_{ji}=c_k+\alpha_k\min(\bar L_k,L_k)` (they share :math:`p_j\lambda_{ji}`
and pay the same wage), so a sector of a country is *idle*, *fixed* (:math:`E_{ji}=e` a
constant; its labor free above its lower bound) or *rising* (:math:`E_{ji}` free,
labor :math:`A E_{ji}-B`). Pay equalities give :math:`p_j=1/(\lambda_{jN}E_{jN})` where
North produces, :math:`p_j=w/(\lambda_{jS}E_{jS})` where South does, and where both do,
:math:`w=\lambda_{jS}E_{jS}/(\lambda_{jN}E_{jN})`.

**The reduction.** Given :math:`w`, each sector's market-clearing equation fixes its labor
in both countries, *sector by sector*; the conditions of sector :math:`j` (its regime
bounds, its idle activities) depend on :math:`w` and on that sector only. So:

* a sector fixed in both countries *pins* the wage: :math:`w=\lambda_{jS}e_S/(\lambda_{jN}e_N)`
  (closed form; two such sectors need a tie, a knife edge with a continuum of allocations);
* otherwise North's sector labor is a rational function
  :math:`L_{jN}(w)=n_j(w)/d_j(w)` with :math:`d_j>0` (1, :math:`w`, or
  :math:`A_N+A_S\rho_jw^2`, :math:`\rho_j=\lambda_{jN}/\lambda_{jS}`), and North's labor
  constraint :math:`\sum_jL_{jN}(w)=L_N` (South's then holds, summing the market-clearing
  equations) is the polynomial equation
  :math:`P(w)=\sum_jn_j\prod_{i\ne j}d_i-L_N\prod_id_i=0` of degree at most
  :math:`2J`. Its roots are found in closed form up to degree 2 and otherwise every one
  of them is bracketed and refined (:mod:`marshallian.solvers.world.roots`); each root is
  then checked against every inequality of the regime.

**Completeness.** Every equilibrium lies in one regime; in that regime its wage is a pin
or a root of :math:`P` (multiplying by the positive denominators loses nothing, and
:math:`P` is never identically zero: at :math:`w\to0^+` it tends to :math:`+\infty` or to
:math:`(\sum_{j\,N\text{-active}}\mu_j-1)L_N`, and when that is zero its slope is at least
:math:`L_S>0`); every positive root in the admissible wage range is found (closed forms or
monotone pieces between the critical points, see ``roots``); the wage range
:math:`[\min_j\lambda_{jS}c_{\min}/(\lambda_{jN}e_{\max}),\,
\max_j\lambda_{jS}e_{\max}/(\lambda_{jN}c_{\min})]` and the per-sector intervals used to
prune regimes are necessary conditions (widened by :data:`PRUNE_SLACK`). Visiting every
regime therefore finds every equilibrium. The same code runs on floats and, with
``exact=True``, on SymPy rationals (exact roots: rationals, surds, ``CRootOf``).
"""

from __future__ import annotations

import functools
import itertools
import math
from dataclasses import dataclass, field
from typing import Any

from ..enumeration import FIXED, IDLE, RISING
from .roots import add, mul, real_roots, real_roots_exact

#: Regimes are pruned with necessary wage intervals widened by this relative amount (the
#: final checks use the tolerances of :mod:`marshallian.tolerances`).
PRUNE_SLACK = 1e-5

N, S = 0, 1


@dataclass(frozen=True)
class SectorState:
    r"""One sector of one country in one regime, with what its equations give.

    Attributes
    ----------
    acts : tuple of int
        Model activity indices of the sector.
    states : tuple of int
        IDLE / RISING / FIXED per activity of ``acts``.
    kind : int
        IDLE (no active activity), FIXED (some activity fixed: own level ``level``) or
        RISING (only rising activities: labor ``A*E - B``, ``E`` in ``(E_lo, E_hi)``).
    level : number
        The own level of a fixed sector.
    A, B : number
        Rising sector: labor :math:`\sum_k (E-c_k)/\alpha_k = AE-B`.
    companions : tuple
        Fixed sector: labor of its rising activities (per ``acts``, 0 elsewhere).
    R0 : number
        Their sum.
    lower : tuple
        Fixed sector: lower bound of each fixed activity (its cap, or 0 when flat).
    weak : tuple
        Fixed sector: idle activities of the sector paying exactly the wage.
    tie : bool
        Fixed sector with several fixed activities (their levels tie: a knife edge).
    entry : number
        Largest level among the sector's activities (an entrant's productivity factor).
    E_lo, E_hi : float
        Rising sector: bounds of ``E`` (floats, for pruning only).
    """

    acts: tuple
    states: tuple
    kind: int
    level: Any = None
    A: Any = None
    B: Any = None
    companions: tuple = ()
    R0: Any = 0
    lower: tuple = ()
    weak: tuple = ()
    tie: bool = False
    entry: Any = None
    E_lo: float = 0.0
    E_hi: float = math.inf
    idle_levels: tuple = ()


@dataclass(frozen=True)
class SectorPair:
    """Sector ``j`` in one regime of both countries: its pin or its rational function."""

    j: int  # position of the sector
    north: SectorState
    south: SectorState
    pin: Any = None  # the wage it pins (fixed in both countries), else None
    num: tuple = (0,)  # L_jN(w) = num(w) / den(w)
    den: tuple = (1,)
    lo: float = 0.0  # necessary wage interval (floats, pruning)
    hi: float = math.inf
    min_labor: tuple = (0.0, 0.0)  # lower bounds of the sector's labor (N, S), floats


@dataclass
class WorldCandidate:
    """A solution of one regime's equations that passed every inequality."""

    pairs: tuple
    wage: Any
    prices: list  # per sector position
    labor: tuple  # (north labor per activity, south labor per activity)
    vertices: list = field(default_factory=list)  # [(north, south)] for a continuum
    weak: list = field(default_factory=list)  # (country, activity)
    tie: bool = False
    method: str = "closed form"

    @functools.cached_property
    def regime(self) -> tuple:
        """Per country, the state of every activity (model order)."""
        K = sum(len(p.north.acts) for p in self.pairs)
        north, south = [IDLE] * K, [IDLE] * K
        for p in self.pairs:
            for k, st in zip(p.north.acts, p.north.states):
                north[k] = st
            for k, st in zip(p.south.acts, p.south.states):
                south[k] = st
        return tuple(north), tuple(south)


class WorldData:
    """Numbers of one model at one parameter point, arranged for the world enumeration.

    Built from the model's public :meth:`~marshallian.models.base.Model.structure`
    (floats) or :meth:`~marshallian.models.base.Model.exact_structure` (rationals).
    """

    def __init__(self, model, structure, arith_n, arith_s):
        self.model = model
        self.st = structure
        self.arith = (arith_n, arith_s)
        self.exact = bool(arith_n.exact)
        self.sectors = tuple(model.sectors)
        self.K = len(model.activities)
        self.acts_of = tuple(
            tuple(k for k, a in enumerate(model.activities) if a.sector == j) for j in self.sectors
        )
        self.sector_pos = {j: i for i, j in enumerate(self.sectors)}
        self.level = structure.level
        self.slope = structure.slope
        self.cap = structure.cap
        self.lam = (structure.lam_N, structure.lam_S)
        self.mu = structure.mu
        self.labor = (structure.L_N, structure.L_S)
        #: Regimes whose equations were solved (after pruning), for the record.
        self.regimes_solved = 0

    def has_slope(self, k) -> bool:
        return bool(self.slope[k] != 0)

    # ------------------------------------------------------------------ sector states
    def sector_states(self, jpos: int, country: int) -> list:
        """Every state of sector ``jpos`` in ``country`` that its own equations allow."""
        arith = self.arith[country]
        acts = self.acts_of[jpos]
        choices = [(IDLE, RISING, FIXED) if self.has_slope(k) else (IDLE, FIXED) for k in acts]
        entry = max(self.level[k] for k in acts)
        out = []
        for states in itertools.product(*choices):
            fixed = [k for k, s in zip(acts, states) if s == FIXED]
            rising = [k for k, s in zip(acts, states) if s == RISING]
            idle = [k for k, s in zip(acts, states) if s == IDLE]
            if not fixed and not rising:
                out.append(SectorState(acts, states, IDLE, entry=entry))
                continue
            if fixed:
                levels = [
                    self.level[k] + (self.slope[k] * self.cap[k] if self.has_slope(k) else 0)
                    for k in fixed
                ]
                e = levels[0]
                if any(not arith.tie(x, e) for x in levels[1:]):
                    continue
                comp = []
                ok = True
                for k in acts:
                    if k in rising:
                        lab = (e - self.level[k]) / self.slope[k]
                        if not (
                            arith.labor_less(0, lab, True)
                            and arith.labor_less(lab, self.cap[k], True)
                        ):
                            ok = False
                        comp.append(lab)
                    else:
                        comp.append(0)
                if not ok:
                    continue
                weak = []
                for k in idle:
                    c = arith.compare_pay(self.level[k], e)
                    if c > 0:
                        ok = False
                    elif c == 0:
                        weak.append(k)
                if not ok:
                    continue
                lower = tuple((self.cap[k] if self.has_slope(k) else 0) for k in fixed)
                R0 = sum(comp[1:], comp[0])
                out.append(
                    SectorState(
                        acts,
                        states,
                        FIXED,
                        level=e,
                        companions=tuple(comp),
                        R0=R0,
                        lower=lower,
                        weak=tuple(weak),
                        tie=len(fixed) > 1,
                        entry=entry,
                    )
                )
                continue
            A = sum(1 / self.slope[k] for k in rising)
            B = sum(self.level[k] / self.slope[k] for k in rising)
            E_lo = max(float(self.level[k]) for k in rising)
            E_hi = min(float(self.level[k] + self.slope[k] * self.cap[k]) for k in rising)
            idle_levels = tuple(self.level[k] for k in idle)
            E_lo = max([E_lo] + [float(c) for c in idle_levels])
            if E_lo >= E_hi * (1 + PRUNE_SLACK):
                continue
            out.append(
                SectorState(
                    acts,
                    states,
                    RISING,
                    A=A,
                    B=B,
                    E_lo=E_lo,
                    E_hi=E_hi,
                    entry=entry,
                    idle_levels=idle_levels,
                )
            )
        return out

    # ------------------------------------------------------------------ sector pairs
    def sector_pairs(self, jpos: int) -> list:
        """Every (North state, South state) of sector ``jpos`` with its pin or L_jN(w)."""
        north = self.sector_states(jpos, N)
        south = self.sector_states(jpos, S)
        lamN, lamS = self.lam[N][jpos], self.lam[S][jpos]
        mu = self.mu[jpos]
        LN, LS = self.labor
        rho = lamN / lamS
        r = float(rho)
        fmu, fLN, fLS = float(mu), float(LN), float(LS)
        inf = math.inf
        out = []
        for sn, ss in itertools.product(north, south):
            kinds = (sn.kind, ss.kind)
            if kinds == (IDLE, IDLE):
                continue  # mu_j > 0: some country must produce good j
            lo, hi = 0.0, inf
            pin = None
            num: tuple = (0,)
            den: tuple = (1,)
            # labor feasibility: a country alone supplies the whole market
            if ss.kind == IDLE:
                hi = fLN * (1 - fmu) / (fmu * fLS) if fmu < 1 else inf
            if sn.kind == IDLE:
                lo = fmu * fLN / ((1 - fmu) * fLS) if fmu < 1 else inf
            if kinds == (FIXED, FIXED):
                pin = ss.level / (rho * sn.level)
                lo, hi = max(lo, float(pin)), min(hi, float(pin))
            elif kinds == (FIXED, RISING):
                k = rho * sn.level
                num = (mu * LN, mu * LS + ss.B, -ss.A * k)
                lo, hi = max(lo, ss.E_lo / float(k)), min(hi, ss.E_hi / float(k))
            elif kinds == (RISING, FIXED):
                kappa = ss.level / rho
                num, den = (sn.A * kappa, -sn.B), (0, 1)
                lo = max(lo, float(kappa) / sn.E_hi)
                hi = min(hi, float(kappa) / sn.E_lo if sn.E_lo > 0 else inf)
            elif kinds == (RISING, RISING):
                num = (sn.A * mu * LN, sn.A * (mu * LS + ss.B), -sn.B * ss.A * rho)
                den = (sn.A, 0, ss.A * rho)
                lo = max(lo, ss.E_lo / (r * sn.E_hi))
                hi = min(hi, ss.E_hi / (r * sn.E_lo) if sn.E_lo > 0 else inf)
            elif kinds == (FIXED, IDLE):
                num = (mu * LN, mu * LS)
                lo = max(lo, float(ss.entry) / (r * float(sn.level)))
            elif kinds == (RISING, IDLE):
                num = (mu * LN, mu * LS)
                lo = max(lo, float(ss.entry) / (r * sn.E_hi))
                A, B = float(sn.A), float(sn.B)
                lo = max(lo, ((A * sn.E_lo - B) / fmu - fLN) / fLS)
                hi = min(hi, ((A * sn.E_hi - B) / fmu - fLN) / fLS)
            elif kinds == (IDLE, FIXED):
                hi = min(hi, float(ss.level) / (r * float(sn.entry)))
            elif kinds == (IDLE, RISING):
                hi = min(hi, ss.E_hi / (r * float(sn.entry)))
                A, B = float(ss.A), float(ss.B)
                # L_jS = mu (L_N / w + L_S) in (A E_lo - B, A E_hi - B)
                top = (A * ss.E_hi - B) / fmu - fLS
                bot = (A * ss.E_lo - B) / fmu - fLS
                if top > 0:
                    lo = max(lo, fLN / top)
                else:
                    continue
                if bot > 0:
                    hi = min(hi, fLN / bot)
            if lo > hi * (1 + 2 * PRUNE_SLACK):
                continue
            out.append(
                SectorPair(
                    jpos,
                    sn,
                    ss,
                    pin,
                    tuple(num),
                    tuple(den),
                    lo,
                    hi,
                    (_min_labor(sn), _min_labor(ss)),
                )
            )
        return out

    def wage_bounds(self) -> tuple:
        """Necessary range of the relative wage (see the module docstring)."""
        lo, hi = math.inf, 0.0
        for jpos, acts in enumerate(self.acts_of):
            c = min(float(self.level[k]) for k in acts)
            e = max(
                float(self.level[k] + (self.slope[k] * self.cap[k] if self.has_slope(k) else 0))
                for k in acts
            )
            ratio = float(self.lam[S][jpos]) / float(self.lam[N][jpos])
            lo = min(lo, ratio * c / e)
            hi = max(hi, ratio * e / c if c > 0 else math.inf)
        return lo, hi

    # ------------------------------------------------------------------ enumeration
    def enumerate(self) -> list:
        """Every equilibrium, as :class:`WorldCandidate` objects."""
        per_sector = [self.sector_pairs(j) for j in range(len(self.sectors))]
        W_lo, W_hi = self.wage_bounds()
        found: list = []
        J = len(per_sector)

        cap_n = float(self.labor[N]) * (1 + PRUNE_SLACK)
        cap_s = float(self.labor[S]) * (1 + PRUNE_SLACK)

        def visit(jpos, chosen, lo, hi, used_n, used_s):
            if jpos == J:
                if not any(p.north.kind != IDLE for p in chosen):
                    return
                if not any(p.south.kind != IDLE for p in chosen):
                    return
                self._solve_regime(tuple(chosen), lo, hi, found)
                return
            for p in per_sector[jpos]:
                nlo, nhi = max(lo, p.lo), min(hi, p.hi)
                if nlo > nhi * (1 + 2 * PRUNE_SLACK):
                    continue
                un, us = used_n + p.min_labor[0], used_s + p.min_labor[1]
                if un > cap_n or us > cap_s:
                    continue
                chosen.append(p)
                visit(jpos + 1, chosen, nlo, nhi, un, us)
                chosen.pop()

        visit(0, [], W_lo, W_hi, 0.0, 0.0)
        return found

    def _solve_regime(self, pairs, lo, hi, found) -> None:
        self.regimes_solved += 1
        pins = [p for p in pairs if p.pin is not None]
        if pins:
            w = pins[0].pin
            for p in pins[1:]:
                if not self.arith[S].tie(p.pin, w):
                    return
            cand = self._evaluate(pairs, w, pins, "closed form")
            if cand is not None:
                found.append(cand)
            return
        num, den = [-self.labor[N]], [1]
        for p in pairs:
            if p.den == (1,):
                num = add(num, mul(list(p.num), den))
            else:
                num = add(mul(num, list(p.den)), mul(list(p.num), den))
                den = mul(den, list(p.den))
        a, b = lo * (1 - PRUNE_SLACK), hi * (1 + PRUNE_SLACK)
        deg = _degree(num)
        if not math.isfinite(b):  # (a model with a zero level) Cauchy's bound on the roots
            top = float(num[deg]) if deg > 0 else 1.0
            b = 1 + max((abs(float(c) / top) for c in num[:deg]), default=0.0)
        if self.exact:
            import sympy as sp

            roots = real_roots_exact(num, sp.Rational(a), sp.Rational(b))
            method = "exact roots" if deg > 2 else "closed form"
        else:
            roots = real_roots(num, a, b)
            method = f"bracketed roots of a degree-{deg} polynomial" if deg > 2 else "closed form"
        for w in roots:
            if not (w > 0):
                continue
            cand = self._evaluate(pairs, w, [], method)
            if cand is not None:
                found.append(cand)

    # ------------------------------------------------------------------ one candidate
    def _evaluate(self, pairs, w, pins, method):
        """Sector quantities at wage ``w``; None unless every inequality holds."""
        LN, LS = self.labor
        an, as_ = self.arith
        J = len(self.sectors)
        prices: list = [None] * J
        sector_labor: list = [[None, None] for _ in range(J)]
        weak: list = []
        E: list = [[None, None] for _ in range(J)]
        for p in pairs:
            j = p.j
            lamN, lamS = self.lam[N][j], self.lam[S][j]
            rho = lamN / lamS
            M = self.mu[j] * (LN + w * LS)
            sn, ss = p.north, p.south
            kinds = (sn.kind, ss.kind)
            if kinds == (FIXED, FIXED):
                E[j] = [sn.level, ss.level]
            elif kinds == (FIXED, RISING):
                En, Es = sn.level, rho * sn.level * w
                Ls = ss.A * Es - ss.B
                sector_labor[j] = [M - w * Ls, Ls]
                E[j] = [En, Es]
            elif kinds == (RISING, FIXED):
                Es = ss.level
                En = Es / (rho * w)
                Ln = sn.A * En - sn.B
                sector_labor[j] = [Ln, (M - Ln) / w]
                E[j] = [En, Es]
            elif kinds == (RISING, RISING):
                En = (M + sn.B + ss.B * w) / (sn.A + ss.A * rho * w * w)
                Es = rho * w * En
                sector_labor[j] = [sn.A * En - sn.B, ss.A * Es - ss.B]
                E[j] = [En, Es]
            elif kinds == (FIXED, IDLE):
                sector_labor[j] = [M, 0]
                E[j] = [sn.level, None]
            elif kinds == (RISING, IDLE):
                sector_labor[j] = [M, 0]
                E[j] = [(M + sn.B) / sn.A, None]
            elif kinds == (IDLE, FIXED):
                sector_labor[j] = [0, M / w]
                E[j] = [None, ss.level]
            else:  # (IDLE, RISING)
                Ls = M / w
                sector_labor[j] = [0, Ls]
                E[j] = [None, (Ls + ss.B) / ss.A]
            En, Es = E[j]
            prices[j] = 1 / (lamN * En) if En is not None else w / (lamS * Es)
            # an idle sector: an entrant gets no externality (spec §2)
            for c, s, lam, wage in ((N, sn, lamN, 1), (S, ss, lamS, w)):
                if s.kind == IDLE:
                    arith = self.arith[c]
                    cmp = arith.compare_pay(prices[j] * lam * s.entry, wage)
                    if cmp > 0:
                        return None
                    if cmp == 0:
                        weak.extend((c, k) for k in s.acts if arith.tie(self.level[k], s.entry))
                elif s.kind == RISING:
                    e = E[j][c]
                    for k, st in zip(s.acts, s.states):
                        if st == IDLE:
                            cmp = self.arith[c].compare_pay(self.level[k], e)
                            if cmp > 0:
                                return None
                            if cmp == 0:
                                weak.append((c, k))
                else:
                    weak.extend((c, k) for k in s.weak)
        # the sectors fixed in both countries share what is left of North's labor
        ff = [p for p in pairs if p.pin is not None]
        splits: list = [None]
        if ff:
            rest = LN - sum(sector_labor[p.j][N] for p in pairs if p.pin is None)
            bounds = []
            for p in ff:
                M = self.mu[p.j] * (LN + w * LS)
                low_n = p.north.R0 + sum(p.north.lower)
                low_s = p.south.R0 + sum(p.south.lower)
                bounds.append((low_n, M - w * low_s, M))
            if len(ff) == 1:
                splits = [(rest,)]
            else:
                splits = _box_simplex_vertices([(b[0], b[1]) for b in bounds], rest, an)
                if not splits:
                    return None
        allocations = []
        for split in splits:
            if split is not None:
                for p, x, b in zip(ff, split, bounds):
                    sector_labor[p.j] = [x, (b[2] - x) / w]
            alloc = self._allocate(pairs, E, sector_labor, strict=len(splits) == 1)
            if alloc is None:
                return None
            allocations.extend(alloc)
        if not allocations:
            return None
        tie = bool(len(ff) > 1 or any(p.north.tie or p.south.tie for p in pairs))
        # distinct vertices (a knife edge may collapse a polytope to a point)
        vertices: list = []
        for v in allocations:
            if not any(_close(v, u, an, as_) for u in vertices):
                vertices.append(v)
        if len(vertices) == 1:
            labor = vertices[0]
            if tie and self._flat_at_zero(pairs, labor):
                return None  # reported in the regime where that activity is idle (weak)
            vertices = []
        else:
            n = len(vertices)
            labor = tuple(
                tuple(sum(v[c][k] for v in vertices) / n for k in range(self.K)) for c in (N, S)
            )
        if not (w > 0):
            return None
        return WorldCandidate(pairs, w, prices, labor, vertices, sorted(set(weak)), tie, method)

    def _flat_at_zero(self, pairs, labor) -> bool:
        for p in pairs:
            for c, s in ((N, p.north), (S, p.south)):
                for k, st in zip(s.acts, s.states):
                    if (
                        st == FIXED
                        and not self.has_slope(k)
                        and self.arith[c].labor_less(labor[c][k], 0, False)
                    ):
                        return True
        return False

    def _allocate(self, pairs, E, sector_labor, strict=True):
        """Activity labor of both countries from the sector labor; None if a bound fails.

        A fixed sector with several (tied) fixed activities splits its labor in a
        continuum: its vertices are returned (one activity takes what the others leave
        above their lower bounds). ``strict=False`` (vertices of a continuum) accepts a
        flat activity at zero labor, the closure of the continuum.
        """
        per_country = []
        for c in (N, S):
            arith = self.arith[c]
            base = [0] * self.K
            options = []  # per multi-fixed sector: list of partial allocations
            for p in pairs:
                s = p.north if c == N else p.south
                L = sector_labor[p.j][c]
                if s.kind == IDLE:
                    continue
                if s.kind == RISING:
                    e = E[p.j][c]
                    for k, st in zip(s.acts, s.states):
                        if st == RISING:
                            lab = (e - self.level[k]) / self.slope[k]
                            if not (
                                arith.labor_less(0, lab, True)
                                and arith.labor_less(lab, self.cap[k], True)
                            ):
                                return None
                            base[k] = lab
                    continue
                for k, x in zip(s.acts, s.companions):
                    base[k] = x
                fixed = [k for k, st in zip(s.acts, s.states) if st == FIXED]
                free = L - s.R0
                if len(fixed) == 1:
                    k = fixed[0]
                    ok = (
                        arith.labor_less(self.cap[k], free, False)
                        if self.has_slope(k)
                        else arith.labor_less(0, free, strict)
                    )
                    if not ok:
                        return None
                    base[k] = free
                    continue
                total_lower = sum(s.lower)
                if not arith.labor_less(total_lower, free, False):
                    return None
                split = []
                for i, k in enumerate(fixed):
                    part = {kk: lw for kk, lw in zip(fixed, s.lower)}
                    part[k] = free - (total_lower - s.lower[i])
                    split.append(part)
                options.append(split)
            if options:
                allocs = []
                for combo in itertools.product(*options):
                    lab = list(base)
                    for part in combo:
                        for k, x in part.items():
                            lab[k] = x
                    allocs.append(tuple(lab))
                per_country.append(allocs)
            else:
                per_country.append([tuple(base)])
        return [(n_, s_) for n_ in per_country[0] for s_ in per_country[1]]


def _min_labor(s: SectorState) -> float:
    """A lower bound of a sector's labor in one country (float, for pruning)."""
    if s.kind == FIXED:
        return float(s.R0) + sum(float(x) for x in s.lower)
    if s.kind == RISING:
        return max(0.0, float(s.A) * s.E_lo - float(s.B))
    return 0.0


def _degree(poly) -> int:
    d = len(poly) - 1
    while d > 0 and poly[d] == 0:
        d -= 1
    return d


def _close(u, v, an, as_) -> bool:
    return all(an.labor_less(abs(a - b), 0, False) for a, b in zip(u[0], v[0])) and all(
        as_.labor_less(abs(a - b), 0, False) for a, b in zip(u[1], v[1])
    )


def _box_simplex_vertices(bounds, total, arith) -> list:
    """Vertices of :math:`\\{x: l_i\\le x_i\\le u_i, \\sum x_i = T\\}` (empty list if empty).

    Every vertex has all coordinates but one at a bound; that one is ``T`` minus the rest.
    """
    n = len(bounds)
    out: list = []
    for free in range(n):
        others = [i for i in range(n) if i != free]
        for choice in itertools.product((0, 1), repeat=len(others)):
            x: list = [None] * n
            for i, c in zip(others, choice):
                x[i] = bounds[i][c]
            x[free] = total - sum(x[i] for i in others)
            lo, hi = bounds[free]
            inside = (
                arith.labor_less(lo, x[free], False)
                and arith.labor_less(x[free], hi, False)
                and arith.labor_less(lo, hi, False)
            )
            if inside and not any(
                all(arith.labor_less(abs(a - b), 0, False) for a, b in zip(x, y)) for y in out
            ):
                out.append(tuple(x))
    return out


__all__ = ["PRUNE_SLACK", "SectorPair", "SectorState", "WorldCandidate", "WorldData"]
