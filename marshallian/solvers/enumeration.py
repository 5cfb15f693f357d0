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
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from enum import IntEnum
from typing import TYPE_CHECKING, Any, Literal, NamedTuple, Protocol, TypeAlias, cast, overload

from ..results import Stability
from ..tolerances import Tolerances

if TYPE_CHECKING:
    from .filtered import FilteredArith

#: A number of the arithmetic in use: float, :class:`~marshallian.solvers.filtered.Approx`,
#: a SymPy rational, algebraic number or expression.
Value: TypeAlias = Any


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
        """``"idle"``, ``"rising"`` or ``"fixed"`` (as the certificate's regime text)."""
        return self.name.lower()


IDLE, RISING, FIXED = ActivityState.IDLE, ActivityState.RISING, ActivityState.FIXED
STATE_NAMES = {s: s.label for s in ActivityState}


class ActivityLike(Protocol):
    """What a regime reads of an activity (:class:`~marshallian.models.base.Activity`)."""

    @property
    def sector(self) -> int: ...

    @property
    def technology(self) -> str: ...

    @property
    def label(self) -> str: ...

    @property
    def has_externality(self) -> bool: ...


#: Per sector: ``"full"`` (an externality activity capped), ``"partial"`` (one on its
#: rising part) or ``"none"``: :attr:`marshallian.results.Equilibrium.clusters`.
ClusterState = Literal["full", "partial", "none"]


@dataclass(frozen=True, slots=True, order=True, repr=False)
class Regime(Sequence[ActivityState]):
    """A regime: one :class:`ActivityState` per activity, in the model's activity order.

    Every equilibrium lies in one regime (``docs/models.md`` §2): each activity idle,
    on the rising part of its externality, or fixed (capped, or flat without one). A
    regime is an immutable sequence of states (``regime[k]``, ``len``, iteration), hashable
    and ordered as the tuple of its states, so regimes sort and key dictionaries as
    tuples do. It knows what a result reads off it: its label, the certificate's regime
    text, the clusters per sector, and the one Marshallian stability rule
    (:meth:`stability`; paper §2).

    Parameters
    ----------
    states : sequence of ActivityState or int
        Per activity: ``IDLE`` (0), ``RISING`` (1) or ``FIXED`` (2).

    Examples
    --------
    A full cluster in good 1 beside a modern sector 2 on the rising part of its
    externality (§3's alternative model: activities 1:backward, 1:modern, 2:backward,
    2:modern) is a critical mass, hence unstable:

    >>> import marshallian as m
    >>> from marshallian.solvers.enumeration import FIXED, IDLE, RISING, Regime
    >>> acts = m.get_model("alternative").activities
    >>> r = Regime((IDLE, FIXED, IDLE, RISING))
    >>> r
    Regime((IDLE, FIXED, IDLE, RISING))
    >>> r[1] is FIXED, len(r), r.active
    (True, 4, (1, 3))
    >>> r.label(acts)
    '1:modern + 2:modern[rising]'
    >>> r.text(acts)
    '1:backward=idle, 1:modern=fixed, 2:backward=idle, 2:modern=rising'
    >>> r.clusters(acts)
    {1: 'full', 2: 'partial'}
    >>> r.stability().value
    'unstable'
    >>> Regime((IDLE, FIXED, IDLE, IDLE)).stability().value
    'stable'
    >>> Regime((IDLE, FIXED, IDLE, IDLE)) < r       # ordered as the tuples of states
    True
    """

    states: tuple[ActivityState, ...]

    def __post_init__(self) -> None:
        states = self.states
        if not (type(states) is tuple and all(type(s) is ActivityState for s in states)):
            object.__setattr__(self, "states", tuple(ActivityState(s) for s in states))

    # ------------------------------------------------------------------ sequence
    @overload
    def __getitem__(self, k: int) -> ActivityState: ...

    @overload
    def __getitem__(self, k: slice) -> tuple[ActivityState, ...]: ...

    def __getitem__(self, k: int | slice) -> ActivityState | tuple[ActivityState, ...]:
        return self.states[k]

    def __len__(self) -> int:
        return len(self.states)

    def __iter__(self) -> Iterator[ActivityState]:
        return iter(self.states)

    def __contains__(self, state: object) -> bool:
        return state in self.states

    def __repr__(self) -> str:
        inner = ", ".join(s.name for s in self.states)
        return f"Regime(({inner}{',' if len(self.states) == 1 else ''}))"

    # ------------------------------------------------------------------ views
    @property
    def active(self) -> tuple[int, ...]:
        """Indices of the active (rising or fixed) activities."""
        return tuple(k for k, s in enumerate(self.states) if s != IDLE)

    @property
    def rising(self) -> tuple[int, ...]:
        """Indices of the activities on the rising part of their externality."""
        return tuple(k for k, s in enumerate(self.states) if s == RISING)

    @property
    def fixed(self) -> tuple[int, ...]:
        """Indices of the fixed (capped or flat) activities."""
        return tuple(k for k, s in enumerate(self.states) if s == FIXED)

    @property
    def interior(self) -> bool:
        """Two or more active activities, one of them rising (a critical mass)."""
        states = self.states
        return RISING in states and len(states) - states.count(IDLE) >= 2

    def by_sector(self, sector_of: Sequence[int], n_sectors: int) -> tuple[tuple[int, ...], ...]:
        """Per sector (position 0 … ``n_sectors``-1), its active activities.

        ``sector_of[k]`` is the position of activity k's sector (as
        :attr:`Economy.sector_of`).
        """
        out: list[list[int]] = [[] for _ in range(n_sectors)]
        for k, s in enumerate(self.states):
            if s:  # not IDLE
                out[sector_of[k]].append(k)
        return tuple(map(tuple, out))

    def activity_state(self, k: int, has_externality: bool) -> str:
        """What activity k does, as :attr:`marshallian.results.ActivityLabor.state` reads:
        ``"rising"``, ``"capped"`` (fixed, with an externality), ``"flat"`` (fixed,
        without one) or ``"idle"``."""
        s = self.states[k]
        if s == IDLE:
            return "idle"
        if s == RISING:
            return "rising"
        return "capped" if has_externality else "flat"

    def label(self, activities: Sequence[ActivityLike]) -> str:
        """``'1:modern + 2:modern[rising]'``: :attr:`marshallian.results.Equilibrium.label`
        of a non-degenerate equilibrium in this regime (its active activities)."""
        return " + ".join(
            f"{a.sector}:{a.technology}" + ("[rising]" if s == RISING else "")
            for s, a in zip(self.states, activities)
            if s != IDLE
        )

    def text(self, activities: Sequence[ActivityLike]) -> str:
        """``'1:backward=idle, 1:modern=fixed, …'``: every activity's state, as the
        certificate's ``regime`` (:attr:`marshallian.results.Certificate.regime`) reads."""
        return ", ".join(f"{a.label}={s.label}" for s, a in zip(self.states, activities))

    def configuration(self, activities: Sequence[ActivityLike]) -> str:
        """A one-sector regime as North's configuration (footnote 13): ``"cluster"`` (its
        one active activity has an externality), ``"backward"`` (it has none) or
        ``"mixed"`` (two or more active activities)."""
        active = self.active
        if len(active) == 1:
            return "cluster" if activities[active[0]].has_externality else "backward"
        return "mixed"

    def clusters(
        self, activities: Sequence[ActivityLike], sectors: Sequence[int] | None = None
    ) -> dict[int, ClusterState]:
        """Per sector: ``"full"`` when an externality activity is fixed (capped),
        ``"partial"`` when one is rising, else ``"none"``
        (:attr:`marshallian.results.Equilibrium.clusters`).

        ``sectors`` gives the keys and their order (default: the activities' sectors in
        order of first appearance, i.e. a model's sector order).
        """
        if sectors is None:
            sectors = tuple(dict.fromkeys(a.sector for a in activities))
        out: dict[int, ClusterState] = {j: "none" for j in sectors}
        for s, a in zip(self.states, activities):
            if not a.has_externality or s == IDLE:
                continue
            if s == FIXED:
                out[a.sector] = "full"
            elif out[a.sector] != "full":
                out[a.sector] = "partial"
        return out

    # ------------------------------------------------------------------ stability
    def stability(
        self,
        rises_on_entry: Sequence[bool] | None = None,
        *,
        weak: Sequence[int] = (),
        continuum: bool = False,
        tied: bool = False,
    ) -> Stability:
        """The one Marshallian stability rule (paper §2; :mod:`~marshallian.solvers.stability`)
        for an equilibrium found in this regime.

        Parameters
        ----------
        rises_on_entry : sequence of bool, optional
            Per activity: whether its pay rises with its own labor (it has an
            externality). Needed only for weak equilibria.
        weak : sequence of int
            Idle activities paying exactly the wage.
        continuum : bool
            Fixed activities tie in pay and labor can split between them in a continuum.
        tied : bool
            A tie between fixed pays was needed (without a continuum: one point pinned
            by caps).

        Returns
        -------
        Stability
            Unstable: a critical mass (two or more active activities, one rising), a
            tie pinned by caps, or a weak equilibrium where an entrant raises the tied
            activity's pay (or beside a rising activity). Neutral: a continuum, or a weak
            equilibrium whose tied idle activities are flat and whose active ones are
            fixed. Stable otherwise.

        Examples
        --------
        >>> from marshallian.solvers.enumeration import FIXED, IDLE, RISING, Regime
        >>> Regime((FIXED, RISING, IDLE, IDLE)).stability().value      # a critical mass
        'unstable'
        >>> Regime((FIXED, FIXED)).stability(continuum=True, tied=True).value
        'neutral'
        >>> Regime((IDLE, FIXED)).stability((False, True), weak=(0,)).value
        'neutral'
        >>> Regime((FIXED, IDLE)).stability((False, True), weak=(1,)).value
        'unstable'
        """
        if self.interior:  # a critical mass
            return Stability.UNSTABLE
        if tied and not continuum:
            return Stability.UNSTABLE
        if weak:
            if RISING in self.states:
                return Stability.UNSTABLE
            if rises_on_entry is None:
                raise ValueError("rises_on_entry is needed to classify a weak equilibrium")
            if any(rises_on_entry[k] for k in weak):
                return Stability.UNSTABLE
            return Stability.NEUTRAL
        if continuum:
            return Stability.NEUTRAL
        return Stability.STABLE


class RisingSector(NamedTuple):
    """An active sector whose active activities are all on the rising part of their
    externality: labor :math:`N_j(E)=AE-B` and pay :math:`P_j(E)=q_2E^2+q_1E` in its own
    level :math:`E`."""

    sector: int  #: position of the sector in the economy's sector tuples
    A: Value  #: :math:`\\sum_k 1/\\alpha_k`
    B: Value  #: :math:`\\sum_k c_k/\\alpha_k`
    q2: Value
    q1: Value
    rising: Sequence[int]  #: the rising activities (indices)


class RegimeArithmetic(Protocol):
    """What :func:`solve_regime` needs from a number system (floats, filtered floats,
    rationals, SymPy symbols)."""

    exact: bool
    symbolic: bool
    filtered: bool

    def sqrt(self, x: Value) -> Value: ...

    def solve_variable(
        self, econ: Economy, variable: Sequence[RisingSector]
    ) -> tuple[dict[int, Value], Value, str] | None:
        """None, or ``(levels, wage, method)`` replacing the solution of a regime whose
        active sectors all rise (e.g. the batch derivation keeps the wage symbolic)."""
        ...

    def invert_pay(self, q2: Value, q1: Value, w: Value) -> Value:
        """The positive root :math:`E` of :math:`q_2E^2+q_1E=w` (:math:`q_2>0`)."""
        ...

    def tie(self, a: Value, b: Value) -> bool: ...

    def labor_less(self, a: Value, b: Value, strict: bool) -> bool: ...


class Arithmetic(RegimeArithmetic, Protocol):
    """A number system that also decides a candidate's inequalities
    (:func:`check_candidate`)."""

    def compare_pay(self, a: Value, b: Value) -> int: ...

    def to_float(self, x: Value) -> float: ...

    def positive(self, x: Value) -> bool: ...


def closed_form_root(q2: Value, q1: Value, w: Value, sqrt: Callable[[Value], Value]) -> Value:
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

    sector_of: tuple[int, ...]
    level: tuple[Value, ...]
    slope: tuple[Value, ...]
    cap: tuple[Value, ...]
    learner: tuple[int, ...]
    price: tuple[Value, ...]
    lam: tuple[Value, ...]
    sigma0: tuple[Value, ...]
    sigma1: tuple[Value, ...]
    labor: Value

    @property
    def n_activities(self) -> int:
        return len(self.sector_of)

    def has_slope(self, k: int) -> bool:
        s = self.slope[k]
        return bool(s != 0)


@dataclass(frozen=True, eq=False)
class Candidate:
    """A solution of one regime's equations, before its inequalities are checked.

    Attributes
    ----------
    regime : Regime
    labor : tuple
        Per activity (a representative point: the mean of the vertices of a continuum).
    wage : number
    sector_factor : tuple
        :math:`s_j` per sector.
    regime_constraints : tuple of (lhs, rhs, strict)
        ``lhs < rhs`` (strict) or ``lhs <= rhs``: the regime's labor bounds.
    idle_constraints : tuple of (k, pay, wage)
        Idle activity k must not pay more than the wage.
    ties : tuple of (a, b)
        Pays or levels that had to be equal (a knife edge).
    continuum : tuple of tuple
        The vertices (labor per activity) when the regime holds a continuum, else empty.
    method : str
        How the regime was solved.
    """

    regime: Regime
    labor: tuple[Value, ...]
    wage: Value
    sector_factor: tuple[Value, ...]
    regime_constraints: tuple[tuple[Value, Value, bool], ...]
    idle_constraints: tuple[tuple[int, Value, Value], ...]
    ties: tuple[tuple[Value, Value], ...] = ()
    continuum: tuple[tuple[Value, ...], ...] = ()
    method: str = "closed form"


class Unsupported(Exception):
    """A regime whose closed form this arithmetic cannot produce (symbolic nonlinear).

    ``variable`` holds the rising-only sectors ``(j, A, B, q2, q1, rising)`` so that the
    condition derivation can characterise the regime another way.
    """

    def __init__(self, message: str, variable: Sequence[RisingSector] = ()):
        super().__init__(message)
        self.variable = tuple(variable)


# --------------------------------------------------------------------------- arithmetic
class FloatArith:
    """Float arithmetic with relative tolerances (see :mod:`marshallian.tolerances`)."""

    exact = False
    symbolic = False
    filtered = False

    def __init__(self, tol: Tolerances, labor_scale: Value):
        self.pay_rtol = tol.pay_rtol
        self.labor_atol = tol.labor_rtol * float(labor_scale)

    sqrt = staticmethod(math.sqrt)

    def invert_pay(self, q2: Value, q1: Value, w: Value) -> Value:
        return closed_form_root(q2, q1, w, self.sqrt)

    def solve_variable(
        self, econ: Economy, variable: Sequence[RisingSector]
    ) -> tuple[dict[int, Value], Value, str] | None:
        return None

    def tie(self, a: Value, b: Value) -> bool:
        return abs(a - b) <= self.pay_rtol * max(abs(a), abs(b))

    def compare_pay(self, a: Value, b: Value) -> int:
        """-1 if a < b clearly, 0 if tied, +1 if a > b clearly."""
        if self.tie(a, b):
            return 0
        return -1 if a < b else 1

    def labor_less(self, a: Value, b: Value, strict: bool) -> bool:
        """a < b (strict: by more than the labor tolerance) or a <= b (within it)."""
        return a < b - self.labor_atol if strict else a <= b + self.labor_atol

    def to_float(self, x: Value) -> float:
        return float(x)

    def positive(self, x: Value) -> bool:
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
def regimes(slopes: tuple[bool, ...]) -> tuple[Regime, ...]:
    """Every regime for activities with (True) or without (False) an externality slope,
    in a fixed order (lexicographic in the states, at least one activity active)."""
    choices = [(IDLE, RISING, FIXED) if s else (IDLE, FIXED) for s in slopes]
    return tuple(Regime(r) for r in itertools.product(*choices) if any(r))


def solve_regime(
    econ: Economy, regime: Regime | Sequence[ActivityState], arith: RegimeArithmetic
) -> Candidate | None:
    """Solve the equalities of one regime in closed form.

    ``regime`` is a :class:`Regime` (a sequence of states is made one).

    Returns
    -------
    Candidate or None
        None when the regime has no solution (e.g. fixed pays that do not tie). The
        candidate's inequalities (regime bounds, idle activities) are not yet checked:
        see :func:`check_candidate`.
    """
    if not isinstance(regime, Regime):
        regime = Regime(tuple(regime))
    states = regime.states  # plain tuple indexing in the loops below
    K = econ.n_activities
    nsec = len(econ.price)
    labor: list[Value] = [0] * K
    factor: list[Value] = [None] * nsec
    fixed_pay: list[tuple[int, Value]] = []  # (sector, W_j)
    variable: list[RisingSector] = []
    fixed_acts: list[int] = []
    ties: list[tuple[Value, Value]] = []
    for j, acts in enumerate(regime.by_sector(econ.sector_of, nsec)):
        if not acts:
            continue
        fixed = [k for k in acts if states[k] == FIXED]
        rising = [k for k in acts if states[k] == RISING]
        base = econ.price[j] * econ.lam[j]
        lrn = econ.learner[j]
        if fixed:
            fixed_levels = [
                econ.level[k]
                + (econ.slope[k] * econ.cap[k] if states[k] == FIXED and econ.has_slope(k) else 0)
                for k in fixed
            ]
            E = fixed_levels[0]
            for e in fixed_levels[1:]:
                if not arith.tie(e, E):
                    return None
                ties.append((e, E))
            for k in rising:
                labor[k] = (E - econ.level[k]) / econ.slope[k]
            if lrn < 0 or states[lrn] == IDLE:
                s = econ.sigma0[j]
            elif states[lrn] == RISING:
                s = econ.sigma0[j] + econ.sigma1[j] * labor[lrn]
            else:
                s = econ.sigma0[j] + econ.sigma1[j] * econ.cap[lrn]
            factor[j] = s
            fixed_pay.append((j, base * s * E))
            fixed_acts.extend(fixed)
        else:
            A = sum(1 / econ.slope[k] for k in rising)
            B = sum(econ.level[k] / econ.slope[k] for k in rising)
            if lrn >= 0 and states[lrn] == RISING:
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
    rising_total = sum(labor[k] for k in range(K) if states[k] == RISING)
    remainder = econ.labor - rising_total
    lower = {k: (econ.cap[k] if econ.has_slope(k) else 0) for k in fixed_acts}
    regime_constraints: list[tuple[Value, Value, bool]] = []
    continuum: list[list[Value]] = []
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
        st = states[k]
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
    idle_constraints: list[tuple[int, Value, Value]] = []
    for k in range(K):
        if states[k] == IDLE:
            j = econ.sector_of[k]
            idle_constraints.append((k, econ.price[j] * econ.lam[j] * factor[j] * econ.level[k], w))
    return Candidate(
        regime,
        tuple(labor),
        w,
        tuple(factor),
        tuple(regime_constraints),
        tuple(idle_constraints),
        tuple(ties),
        tuple(tuple(v) for v in continuum),
        method,
    )


def _excess_levels(econ: Economy, variable: Sequence[RisingSector]) -> dict[int, tuple[int, Value]]:
    """Every sector rising only: :math:`D_j=E_j-c_{r_j}` (``r_j`` its first rising
    activity) computed without subtracting nearly equal levels.

    One sector: :math:`D=(L+\\sum_k(c_k-c_r)/\\alpha_k)/A`. Several sectors with linear pays
    (:math:`w=q_jE_j`, :math:`P_j=q_jc_{r_j}`): with :math:`\\delta=w-P_0`,
    :math:`D_j=(\\delta+P_0-P_j)/q_j` and :math:`\\sum_j[A_jD_j+\\sum_k(c_{r_j}-c_k)/\\alpha_k]=L`
    give :math:`\\delta` in closed form. Nonlinear several-sector regimes: empty (the
    levels come from a root finder).
    """
    L = econ.labor

    def offset(rising: Sequence[int]) -> Value:
        """sum_k (c_r - c_k)/alpha_k over the sector's rising activities."""
        r = rising[0]
        return sum((econ.level[r] - econ.level[k]) / econ.slope[k] for k in rising[1:])

    if len(variable) == 1:
        (v,) = variable
        return {v.sector: (v.rising[0], (L - offset(v.rising)) / v.A)}
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


class _PayInverter(Protocol):
    def invert_pay(self, q2: Value, q1: Value, w: Value) -> Value: ...


def _invert_pay(q2: Value, q1: Value, w: Value, arith: _PayInverter) -> Value:
    """The positive root E of q2 E^2 + q1 E = w (q2 >= 0, w > 0; increasing where the
    learning labor is non-negative); the arithmetic's ``invert_pay`` (which may keep it implicit)."""
    if q2 == 0:
        return w / q1
    return arith.invert_pay(q2, q1, w)


def _solve_all_variable(
    econ: Economy, variable: Sequence[RisingSector], arith: RegimeArithmetic
) -> tuple[dict[int, Value] | None, Value, str]:
    """All active sectors have only rising activities: solve for (E_j, w)."""
    L = econ.labor
    if len(variable) == 1:
        (v,) = variable
        j, A, B, q2, q1 = v.sector, v.A, v.B, v.q2, v.q1
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
            return sum(v.A * _invert_pay(v.q2, v.q1, wa, arith) - v.B for v in variable) - L

        w = cast("FilteredArith", arith).certified_root(excess_approx, w)
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


def _bisect_wage(
    variable: Sequence[RisingSector], L: Value, arith: _PayInverter
) -> tuple[dict[int, Value], Value, str]:
    def excess(w):
        return sum(v.A * _invert_pay(v.q2, v.q1, w, arith) - v.B for v in variable) - L

    lo, hi = (
        0.0,
        max(v.q2 * ((L + v.B) / v.A) ** 2 + v.q1 * (L + v.B) / v.A for v in variable),
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


def _solve_all_variable_exact(
    econ: Economy, variable: Sequence[RisingSector]
) -> tuple[dict[int, Value] | None, Value, str]:
    import sympy as sp

    Es = {v.sector: sp.Symbol(f"E{v.sector}", positive=True) for v in variable}
    w = sp.Symbol("w", positive=True)
    eqs = [v.q2 * Es[v.sector] ** 2 + v.q1 * Es[v.sector] - w for v in variable]
    eqs.append(sum(v.A * Es[v.sector] - v.B for v in variable) - econ.labor)
    sols = sp.solve(eqs, list(Es.values()) + [w], dict=True)
    for sol in sols:
        if all(sol[x].is_positive for x in sol):
            return {j: sol[E] for j, E in Es.items()}, sol[w], "exact algebraic"
    return None, None, "exact algebraic"  # no positive solution: the regime has none


# --------------------------------------------------------------------------- checks
@dataclass(frozen=True, eq=False)
class Checked:
    """A candidate that passed its inequalities: an equilibrium, with its status.

    Attributes
    ----------
    candidate : Candidate
    weak : tuple of int
        Idle activities paying exactly the wage.
    continuum : bool
        Fixed activities tie in pay: a continuum of allocations (``candidate.continuum``).
    tied : bool
        A tie among fixed pays was needed (a knife edge).
    decided_exactly : bool
        Filtered floats could not decide the regime: exact arithmetic did.
    """

    candidate: Candidate
    weak: tuple[int, ...]
    continuum: bool
    tied: bool
    decided_exactly: bool = False

    def with_candidate(self, candidate: Candidate, decided_exactly: bool | None = None) -> Checked:
        """This checked solution with another candidate (e.g. its numbers as floats), and
        ``decided_exactly`` if given (a cheaper :func:`dataclasses.replace`)."""
        if decided_exactly is None:
            decided_exactly = self.decided_exactly
        return Checked(candidate, self.weak, self.continuum, self.tied, decided_exactly)

    def stability(self, rises_on_entry: Sequence[bool]) -> Stability:
        """:meth:`Regime.stability` of this equilibrium (its weak activities, continuum
        and ties); ``rises_on_entry[k]``: activity k has an externality."""
        return self.candidate.regime.stability(
            rises_on_entry, weak=self.weak, continuum=self.continuum, tied=self.tied
        )


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
    return Checked(cand, tuple(weak), bool(cand.continuum), bool(cand.ties))


def enumerate_economy(
    econ: Economy,
    arith: Arithmetic,
    exact_fallback: Callable[[], tuple[Economy, Arithmetic]] | None = None,
) -> list[Checked]:
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
                checked = checked.with_candidate(checked.candidate, decided_exactly=True)
        if checked is not None:
            if filtered:
                checked = checked.with_candidate(in_floats(checked.candidate))
            out.append(checked)
    return out


def in_floats(cand: Candidate, wage_scale: float = 1.0) -> Candidate:
    """The candidate with its numbers (Approx or exact) as floats, for results; its wage
    divided by ``wage_scale``."""
    return Candidate(
        cand.regime,
        tuple(float(x) for x in cand.labor),
        float(cand.wage) / wage_scale,
        tuple(float(x) for x in cand.sector_factor),
        cand.regime_constraints,
        cand.idle_constraints,
        cand.ties,
        tuple(tuple(float(x) for x in v) for v in cand.continuum),
        cand.method,
    )
