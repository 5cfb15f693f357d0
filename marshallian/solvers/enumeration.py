"""Exact, complete enumeration of a small open economy's equilibria by regime.

``docs/models.md`` §2: an equilibrium is an allocation :math:`L_k\\ge0`,
:math:`\\sum_k L_k=L_S`, and a wage :math:`w>0` with :math:`p_j\\varphi_k(L_k)=w` for every
active activity and :math:`p_j\\varphi_k(0)\\le w` for every idle one.

Because :math:`\\varphi_k` is piecewise linear (times a sector factor that is affine in the
sector's learning labor in §4), every equilibrium lies in one *regime*: each activity is
idle, *rising* (:math:`0<L_k<\\bar L_k`) or *fixed* (capped, :math:`L_k\\ge\\bar L_k`, or flat
when it has no externality). Inside a regime the conditions are solved in closed form:

* active activities of one sector share an *own level* :math:`E_j=c_k+\\alpha_k L_k`
  (the sector factor and price are common to them);
* a sector with a fixed activity has a constant pay :math:`W_j=p_j\\lambda_j s_j E_j`;
* a sector with only rising activities has pay :math:`P_j(E)=p_j\\lambda_j(u_j+v_jE)E`
  (linear when :math:`v_j=0`) and labor :math:`N_j(E)=A_jE-B_j`, both increasing in E,
  so the labor-market equation in :math:`w` is strictly increasing: at most one root.

So the enumeration is exact (closed forms, a unique root of a monotone function) and
complete (every regime is visited). Knife edges (ties between fixed pays, or an idle
activity paying exactly the wage) are returned as degenerate; a continuum is returned with
its vertices, never as one arbitrary point.

The same code runs on floats (with :class:`~marshallian.tolerances.Tolerances`), on exact
SymPy rationals (``exact=True``), and on SymPy symbols (to derive conditions, see
:mod:`marshallian.solvers.conditions`).
"""

from __future__ import annotations

import functools
import itertools
import math
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any, NamedTuple, Protocol


class ActivityState(IntEnum):
    """What an activity does in a regime (an ``int``: 0, 1, 2).

    ``IDLE``: no labor; ``RISING``: :math:`0<L_k<\\bar L_k`, on the rising part of its
    externality; ``FIXED``: capped (:math:`L_k\\ge\\bar L_k`) or flat (no externality).
    """

    IDLE = 0
    RISING = 1
    FIXED = 2

    @property
    def label(self) -> str:
        return self.name.lower()


IDLE, RISING, FIXED = ActivityState.IDLE, ActivityState.RISING, ActivityState.FIXED
STATE_NAMES = {s: s.label for s in ActivityState}

#: A regime: one :class:`ActivityState` per activity, in the model's activity order.
Regime = tuple[ActivityState, ...]


class RisingSector(NamedTuple):
    """An active sector whose active activities are all on the rising part of their
    externality: labor :math:`N_j(E)=AE-B` and pay :math:`P_j(E)=q_2E^2+q_1E` in its own
    level :math:`E`."""

    sector: int  #: position of the sector in the economy's sector tuples
    A: Any  #: :math:`\\sum_k 1/\\alpha_k`
    B: Any  #: :math:`\\sum_k c_k/\\alpha_k`
    q2: Any
    q1: Any
    rising: list  #: the rising activities (indices)


class RegimeArithmetic(Protocol):
    """What :func:`solve_regime` needs from a number system (floats, filtered floats,
    rationals, SymPy symbols)."""

    exact: bool
    symbolic: bool
    filtered: bool

    def sqrt(self, x: Any) -> Any: ...

    def solve_variable(self, econ: Any, variable: list) -> Any:
        """None, or ``(levels, wage, method)`` replacing the solution of a regime whose
        active sectors all rise (e.g. the batch derivation keeps the wage symbolic)."""
        ...

    def invert_pay(self, q2: Any, q1: Any, w: Any) -> Any:
        """The positive root :math:`E` of :math:`q_2E^2+q_1E=w` (:math:`q_2>0`)."""
        ...

    def tie(self, a: Any, b: Any) -> bool: ...

    def labor_less(self, a: Any, b: Any, strict: bool) -> bool: ...


class Arithmetic(RegimeArithmetic, Protocol):
    """A number system that also decides a candidate's inequalities
    (:func:`check_candidate`)."""

    def compare_pay(self, a: Any, b: Any) -> int: ...

    def to_float(self, x: Any) -> float: ...

    def positive(self, x: Any) -> bool: ...


def closed_form_root(q2: Any, q1: Any, w: Any, sqrt) -> Any:
    """:math:`(-q_1+\\sqrt{q_1^2+4q_2w})/(2q_2)`: the positive root of :math:`q_2E^2+q_1E=w`."""
    return (-q1 + sqrt(q1 * q1 + 4 * q2 * w)) / (2 * q2)


@dataclass(frozen=True)
class Economy:
    """What the enumeration needs: one country facing given prices.

    All sequences are tuples; activity-indexed ones are aligned with ``sector_of``.

    Attributes
    ----------
    sector_of : tuple of int
        Position (0-based) of each activity's sector in the sector tuples.
    level, slope, cap : tuple
        :math:`c_k`, :math:`\\alpha_k`, :math:`\\bar L_k` (``inf`` when slope is 0).
    learner : tuple of int
        Per sector, the index of its learning activity or -1.
    price, lam, sigma0, sigma1 : tuple
        Per sector: price :math:`p_j`, productivity :math:`\\lambda_j`, sector-factor
        coefficients (:math:`s_j=\\sigma_0+\\sigma_1\\min(\\bar L_j,m_j)`).
    labor : number
        Labor endowment.
    """

    sector_of: tuple
    level: tuple
    slope: tuple
    cap: tuple
    learner: tuple
    price: tuple
    lam: tuple
    sigma0: tuple
    sigma1: tuple
    labor: Any

    @property
    def n_activities(self) -> int:
        return len(self.sector_of)

    def has_slope(self, k) -> bool:
        s = self.slope[k]
        return bool(s != 0)


@dataclass
class Candidate:
    """A solution of one regime's equations, before its inequalities are checked."""

    regime: Regime
    labor: list  # per activity (representative point)
    wage: Any
    sector_factor: list  # s_j per sector
    regime_constraints: list  # (lhs, rhs, strict): lhs < rhs (strict) or lhs <= rhs
    idle_constraints: list  # (k, pay_k, wage): pay_k <= wage
    ties: list = field(default_factory=list)  # (a, b) that had to be equal
    continuum: list = field(default_factory=list)  # vertices (labor lists) if a continuum
    method: str = "closed form"


class Unsupported(Exception):
    """A regime whose closed form this arithmetic cannot produce (symbolic nonlinear).

    ``variable`` holds the rising-only sectors ``(j, A, B, q2, q1, rising)`` so that the
    condition derivation can characterise the regime another way.
    """

    def __init__(self, message, variable=()):
        super().__init__(message)
        self.variable = tuple(variable)


# --------------------------------------------------------------------------- arithmetic
class FloatArith:
    """Float arithmetic with relative tolerances (see :mod:`marshallian.tolerances`)."""

    exact = False
    symbolic = False
    filtered = False

    def __init__(self, tol, labor_scale):
        self.pay_rtol = tol.pay_rtol
        self.labor_atol = tol.labor_rtol * float(labor_scale)

    sqrt = staticmethod(math.sqrt)

    def invert_pay(self, q2, q1, w):
        return closed_form_root(q2, q1, w, self.sqrt)

    def solve_variable(self, econ, variable):
        return None

    def tie(self, a, b) -> bool:
        return abs(a - b) <= self.pay_rtol * max(abs(a), abs(b))

    def compare_pay(self, a, b) -> int:
        """-1 if a < b clearly, 0 if tied, +1 if a > b clearly."""
        if self.tie(a, b):
            return 0
        return -1 if a < b else 1

    def labor_less(self, a, b, strict) -> bool:
        """a < b (strict: by more than the labor tolerance) or a <= b (within it)."""
        return a < b - self.labor_atol if strict else a <= b + self.labor_atol

    def to_float(self, x) -> float:
        return float(x)

    def positive(self, x) -> bool:
        return bool(x > 0) if self.exact else float(x) > 0


class ExactArith(FloatArith):
    """Exact arithmetic on SymPy rationals/algebraic numbers: ties decided exactly."""

    exact = True

    def __init__(self):
        import sympy as sp

        self._sp = sp
        self.pay_rtol = 0
        self.labor_atol = 0

    def sqrt(self, x):
        return self._sp.sqrt(x)

    def _sign(self, x) -> int:
        # rationals compare directly; algebraic numbers (square roots in §4) are
        # simplified first so that an exact zero is recognised as such
        x = self._sp.sympify(x)
        if not x.is_Rational:
            x = self._sp.simplify(x)
        if x == 0:
            return 0
        return 1 if x > 0 else -1

    def tie(self, a, b) -> bool:
        return self._sign(self._sp.sympify(a) - b) == 0

    def compare_pay(self, a, b) -> int:
        return self._sign(self._sp.sympify(a) - b)

    def labor_less(self, a, b, strict) -> bool:
        if b == self._sp.oo:
            return True
        s = self._sign(self._sp.sympify(a) - b)
        return s < 0 if strict else s <= 0


# --------------------------------------------------------------------------- regimes
@functools.lru_cache(maxsize=64)
def regimes(slopes: tuple) -> tuple[Regime, ...]:
    """Every regime for activities with (True) or without (False) an externality slope."""
    choices = [(IDLE, RISING, FIXED) if s else (IDLE, FIXED) for s in slopes]
    return tuple(r for r in itertools.product(*choices) if any(r))


def solve_regime(econ: Economy, regime: Regime, arith: RegimeArithmetic) -> Candidate | None:
    """Solve the equalities of one regime in closed form.

    Returns
    -------
    Candidate or None
        None when the regime has no solution (e.g. fixed pays that do not tie). The
        candidate's inequalities (regime bounds, idle activities) are not yet checked:
        see :func:`check_candidate`.
    """
    K = econ.n_activities
    nsec = len(econ.price)
    by_sector: list[list[int]] = [[] for _ in range(nsec)]
    for k in range(K):
        if regime[k] != IDLE:
            by_sector[econ.sector_of[k]].append(k)
    labor: list[Any] = [0] * K
    factor: list[Any] = [None] * nsec
    fixed_pay = []  # (sector, W_j)
    variable = []  # (sector, A, B, q2, q1, rising list, learner-rising?)
    fixed_acts = []
    ties = []
    for j, acts in enumerate(by_sector):
        if not acts:
            continue
        fixed = [k for k in acts if regime[k] == FIXED]
        rising = [k for k in acts if regime[k] == RISING]
        base = econ.price[j] * econ.lam[j]
        lrn = econ.learner[j]
        if fixed:
            fixed_levels = [
                econ.level[k]
                + (econ.slope[k] * econ.cap[k] if regime[k] == FIXED and econ.has_slope(k) else 0)
                for k in fixed
            ]
            E = fixed_levels[0]
            for e in fixed_levels[1:]:
                if not arith.tie(e, E):
                    return None
                ties.append((e, E))
            for k in rising:
                labor[k] = (E - econ.level[k]) / econ.slope[k]
            if lrn < 0 or regime[lrn] == IDLE:
                s = econ.sigma0[j]
            elif regime[lrn] == RISING:
                s = econ.sigma0[j] + econ.sigma1[j] * labor[lrn]
            else:
                s = econ.sigma0[j] + econ.sigma1[j] * econ.cap[lrn]
            factor[j] = s
            fixed_pay.append((j, base * s * E))
            fixed_acts.extend(fixed)
        else:
            A = sum(1 / econ.slope[k] for k in rising)
            B = sum(econ.level[k] / econ.slope[k] for k in rising)
            if lrn >= 0 and regime[lrn] == RISING:
                # s = sigma0 + sigma1*(E - c_l)/alpha_l = u + v E
                v = econ.sigma1[j] / econ.slope[lrn]
                u = econ.sigma0[j] - v * econ.level[lrn]
            else:
                u, v = econ.sigma0[j], 0
            variable.append(RisingSector(j, A, B, base * v, base * u, rising))

    # wage
    method = "closed form"
    if fixed_pay:
        w = fixed_pay[0][1]
        for _, W in fixed_pay[1:]:
            if not arith.tie(W, w):
                return None
            ties.append((W, w))
        levels: dict | None = {v.sector: _invert_pay(v.q2, v.q1, w, arith) for v in variable}
    else:
        levels, w, method = _solve_all_variable(econ, variable, arith)
    if levels is None:
        return None
    excess = {}
    if not fixed_pay and not arith.symbolic:
        excess = _excess_levels(econ, variable)
    for sec in variable:
        j, E = sec.sector, levels[sec.sector]
        for k in sec.rising:
            if j in excess:
                # E - c_k from the excess of the sector's reference activity: no
                # cancellation when E is close to c_k (tiny alpha*L beside a large level)
                r, D = excess[j]
                labor[k] = (D + (econ.level[r] - econ.level[k])) / econ.slope[k]
            else:
                labor[k] = (E - econ.level[k]) / econ.slope[k]
        factor[j] = (sec.q2 * E + sec.q1) / (econ.price[j] * econ.lam[j])

    # fixed activities absorb the remaining labor
    rising_total = sum(labor[k] for k in range(K) if regime[k] == RISING)
    remainder = econ.labor - rising_total
    lower = {k: (econ.cap[k] if econ.has_slope(k) else 0) for k in fixed_acts}
    regime_constraints = []
    continuum = []
    if len(fixed_acts) == 1:
        (k,) = fixed_acts
        labor[k] = remainder
    elif len(fixed_acts) > 1:
        total_lower = sum(lower.values())
        regime_constraints.append((total_lower, remainder, False))
        for k in fixed_acts:
            vertex = list(labor)
            for i in fixed_acts:
                vertex[i] = lower[i]
            vertex[k] = remainder - (total_lower - lower[k])
            continuum.append(vertex)
        n = len(fixed_acts)
        for k in fixed_acts:
            labor[k] = sum(vx[k] for vx in continuum) / n
        if all(
            arith.labor_less(abs(vx[k] - labor[k]), 0, False)
            for vx in continuum
            for k in fixed_acts
        ):
            continuum = []  # the tie leaves a single point (every lower bound binds)
            if any(not econ.has_slope(k) for k in fixed_acts):
                # a flat activity then has no labor: the point is the equilibrium of the
                # regime where that activity is idle (and weak); do not report it twice
                return None
    for k in range(K):
        st = regime[k]
        if st == RISING:
            regime_constraints.append((0, labor[k], True))
            regime_constraints.append((labor[k], econ.cap[k], True))
        elif st == FIXED and len(fixed_acts) == 1:
            if econ.has_slope(k):
                regime_constraints.append((econ.cap[k], labor[k], False))
            else:
                regime_constraints.append((0, labor[k], True))
    # an inactive sector has no learning labor: its factor is sigma0 (a-hat in §4)
    factor = [econ.sigma0[j] if f is None else f for j, f in enumerate(factor)]
    idle_constraints = []
    for k in range(K):
        if regime[k] == IDLE:
            j = econ.sector_of[k]
            idle_constraints.append((k, econ.price[j] * econ.lam[j] * factor[j] * econ.level[k], w))
    return Candidate(
        regime, labor, w, factor, regime_constraints, idle_constraints, ties, continuum, method
    )


def _excess_levels(econ: Economy, variable: list[RisingSector]) -> dict:
    """Every sector rising only: :math:`D_j=E_j-c_{r_j}` (``r_j`` its first rising
    activity) computed without subtracting nearly equal levels.

    One sector: :math:`D=(L+\\sum_k(c_k-c_r)/\\alpha_k)/A`. Several sectors with linear pays
    (:math:`w=q_jE_j`, :math:`P_j=q_jc_{r_j}`): with :math:`\\delta=w-P_0`,
    :math:`D_j=(\\delta+P_0-P_j)/q_j` and :math:`\\sum_j[A_jD_j+\\sum_k(c_{r_j}-c_k)/\\alpha_k]=L`
    give :math:`\\delta` in closed form. Nonlinear several-sector regimes: empty (the
    levels come from a root finder).
    """
    L = econ.labor

    def offset(rising):  # sum_k (c_r - c_k)/alpha_k over the sector's rising activities
        r = rising[0]
        return sum((econ.level[r] - econ.level[k]) / econ.slope[k] for k in rising[1:])

    if len(variable) == 1:
        _, A, _, _, _, rising = variable[0]
        return {variable[0][0]: (rising[0], (L - offset(rising)) / A)}
    if not all(v.q2 == 0 for v in variable):
        return {}
    P = [v.q1 * econ.level[v.rising[0]] for v in variable]
    num = (
        L
        - sum(offset(v.rising) for v in variable)
        - sum(v.A * (P[0] - P[i]) / v.q1 for i, v in enumerate(variable))
    )
    delta = num / sum(v.A / v.q1 for v in variable)
    return {v.sector: (v.rising[0], (delta + (P[0] - P[i])) / v.q1) for i, v in enumerate(variable)}


def _invert_pay(q2, q1, w, arith):
    """The positive root E of q2 E^2 + q1 E = w (q2 >= 0, w > 0; increasing where the
    learning labor is non-negative); the arithmetic's ``invert_pay`` (which may keep it implicit)."""
    if q2 == 0:
        return w / q1
    return arith.invert_pay(q2, q1, w)


def _solve_all_variable(econ, variable, arith):
    """All active sectors have only rising activities: solve for (E_j, w)."""
    L = econ.labor
    if len(variable) == 1:
        j, A, B, q2, q1, _ = variable[0]
        E = (L + B) / A
        return {j: E}, q2 * E * E + q1 * E, "closed form"
    if all(v.q2 == 0 for v in variable):
        # linear pays: E_j = w / q1_j, sum_j (A_j E_j - B_j) = L
        w = (L + sum(v.B for v in variable)) / sum(v.A / v.q1 for v in variable)
        return {v.sector: w / v.q1 for v in variable}, w, "closed form"
    hooked = arith.solve_variable(econ, variable)
    if hooked is not None:  # e.g. the batch derivation keeps the wage a symbol
        return hooked
    if arith.symbolic:
        raise Unsupported("nonlinear regime with several rising-only sectors", variable)
    if arith.exact:
        return _solve_all_variable_exact(econ, variable)
    # sum_j N_j(E_j(w)) - L is strictly increasing in w: bracket, then bisect/secant
    # (in plain floats; a filtered arithmetic then certifies the root).
    if arith.filtered:
        fvar = [
            RisingSector(v.sector, float(v.A), float(v.B), float(v.q2), float(v.q1), v.rising)
            for v in variable
        ]
        try:
            _, w, _ = _bisect_wage(fvar, float(L), _FLOATS)
        except (OverflowError, ZeroDivisionError, ValueError) as exc:
            from .filtered import Undecided

            raise Undecided(f"wage equation out of float range: {exc}") from None

        def excess_approx(wa):
            return (
                sum(A * _invert_pay(q2, q1, wa, arith) - B for (_, A, B, q2, q1, _) in variable) - L
            )

        w = arith.certified_root(excess_approx, w)
        return (
            {v.sector: _invert_pay(v.q2, v.q1, w, arith) for v in variable},
            w,
            "monotone bisection",
        )
    return _bisect_wage(variable, L, arith)


class _PlainFloats:
    exact = False
    symbolic = False
    filtered = False
    sqrt = staticmethod(math.sqrt)

    def solve_variable(self, econ, variable):
        return None

    def invert_pay(self, q2, q1, w):
        return closed_form_root(q2, q1, w, math.sqrt)

    @staticmethod
    def tie(a, b) -> bool:
        return a == b


_FLOATS = _PlainFloats()


def _bisect_wage(variable, L, arith):
    def excess(w):
        return sum(A * _invert_pay(q2, q1, w, arith) - B for (_, A, B, q2, q1, _) in variable) - L

    lo, hi = (
        0.0,
        max(q2 * ((L + B) / A) ** 2 + q1 * (L + B) / A for (_, A, B, q2, q1, _) in variable),
    )
    while excess(hi) < 0:
        hi *= 2.0
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        if excess(mid) < 0:
            lo = mid
        else:
            hi = mid
        if hi - lo <= 1e-16 * hi:
            break
    w = 0.5 * (lo + hi)
    return (
        {v.sector: _invert_pay(v.q2, v.q1, w, arith) for v in variable},
        w,
        "monotone bisection",
    )


def _solve_all_variable_exact(econ, variable):
    import sympy as sp

    Es = {v.sector: sp.Symbol(f"E{v.sector}", positive=True) for v in variable}
    w = sp.Symbol("w", positive=True)
    eqs = [v.q2 * Es[v.sector] ** 2 + v.q1 * Es[v.sector] - w for v in variable]
    eqs.append(sum(v.A * Es[v.sector] - v.B for v in variable) - econ.labor)
    sols = sp.solve(eqs, list(Es.values()) + [w], dict=True)
    for sol in sols:
        if all(sol[x].is_positive for x in sol):
            return {j: sol[E] for j, E in Es.items()}, sol[w], "exact algebraic"
    return None, None, None


# --------------------------------------------------------------------------- checks
@dataclass
class Checked:
    """A candidate that passed: with its status (stable / weak / continuum)."""

    candidate: Candidate
    weak: list  # idle activities paying exactly the wage
    continuum: bool
    tied: bool  # a tie among fixed pays was needed (knife edge)
    decided_exactly: bool = False  # filtered floats could not decide: exact arithmetic did


def check_candidate(cand: Candidate, arith: Arithmetic) -> Checked | None:
    """Check a candidate's inequalities; None if it is not an equilibrium."""
    if not arith.positive(cand.wage):
        return None
    for lhs, rhs, strict in cand.regime_constraints:
        if not arith.labor_less(lhs, rhs, strict):
            return None
    weak = []
    for k, pay, w in cand.idle_constraints:
        c = arith.compare_pay(pay, w)
        if c > 0:
            return None
        if c == 0:
            weak.append(k)
    return Checked(cand, weak, bool(cand.continuum), bool(cand.ties))


def enumerate_economy(econ: Economy, arith: Arithmetic, exact_fallback=None) -> list[Checked]:
    """Every equilibrium of ``econ`` as a list of :class:`Checked`, regime by regime.

    With a filtered arithmetic (:class:`~marshallian.solvers.filtered.FilteredArith`), a
    regime whose decisions are within rounding error is decided again exactly:
    ``exact_fallback()`` returns ``(exact_economy, exact_arith)`` (called at most once).
    Candidates are returned with float values (exactly decided ones too); those decided
    exactly have ``decided_exactly`` set.
    """
    from .filtered import Undecided

    slopes = tuple(econ.has_slope(k) for k in range(econ.n_activities))
    filtered = arith.filtered
    exact_pair = None
    out = []
    for regime in regimes(slopes):
        try:
            cand = solve_regime(econ, regime, arith)
            checked = None if cand is None else check_candidate(cand, arith)
        except Undecided:
            if exact_fallback is None:
                raise
            if exact_pair is None:
                exact_pair = exact_fallback()
            cand = solve_regime(exact_pair[0], regime, exact_pair[1])
            checked = None if cand is None else check_candidate(cand, exact_pair[1])
            if checked is not None:
                checked.decided_exactly = True
        if checked is not None:
            if filtered:
                _floats_in_place(checked.candidate)
            out.append(checked)
    return out


def _floats_in_place(cand: Candidate) -> None:
    """Replace a candidate's numbers (Approx or exact) by floats, for results."""
    cand.labor = [float(x) for x in cand.labor]
    cand.wage = float(cand.wage)
    cand.sector_factor = [float(x) for x in cand.sector_factor]
    cand.continuum = [[float(x) for x in v] for v in cand.continuum]
