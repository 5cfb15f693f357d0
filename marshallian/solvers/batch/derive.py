"""Every regime's closed form, derived once by the enumeration's own regime solver.

The batch engine does not type a formula in: it runs
:func:`~marshallian.solvers.enumeration.solve_regime` on SymPy symbols — the model's
parameters, and South's world prices :math:`p_j` as symbols of their own (they are chosen
per case from North's equilibria, see :func:`north_plans`) — and records, for each regime,
what the numeric enumeration would compute and decide:

* the allocation :math:`L_k`, the wage :math:`w` and the sector factors :math:`s_j`;
* every float decision the enumeration takes on them: the regime bounds (``labor_less``),
  the idle activities' pays against the wage (``compare_pay``) and the pay ties a regime
  needs (``tie``: a knife edge by construction).

A regime whose wage is the root of a monotone function (§4: two rising-only sectors with
quadratic pays) keeps the wage as a symbol ``w_`` and carries the coefficients the root
finder needs (``variable``).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import sympy as sp

from ..conditions import SymbolicArith
from ..enumeration import FIXED, Regime, regimes, solve_regime

#: The symbol standing for a wage found numerically (monotone regimes of §4).
WAGE_SYMBOL = sp.Symbol("w_", positive=True)


class _RecordingArith(SymbolicArith):
    """Symbolic arithmetic that records the pay ties a regime needs instead of deciding
    them (a tie between non-identical expressions holds only on a knife edge), and keeps
    the wage of a monotone regime symbolic."""

    def __init__(self):
        super().__init__(implicit_roots=False)
        self.ties: list = []
        self.variable: tuple = ()

    def tie(self, a, b) -> bool:  # type: ignore[override]
        if sp.cancel(sp.sympify(a) - b) != 0:
            self.ties.append((sp.sympify(a), sp.sympify(b)))
        return True

    @staticmethod
    def labor_less(a, b, strict) -> bool:
        # Only reached in the continuum branch, i.e. under a recorded tie: such regimes
        # are handed to the per-case solver, so the answer here never reaches a result.
        return False

    def solve_variable(self, econ, variable):
        self.variable = tuple((A, B, q2, q1) for (_, A, B, q2, q1, _) in variable)
        levels = {v[0]: self.invert_pay(v[3], v[4], WAGE_SYMBOL) for v in variable}
        return levels, WAGE_SYMBOL, "monotone bisection"


@dataclass(frozen=True)
class RegimePlan:
    """One regime of one economy, as closed forms in the parameters, prices and ``w_``.

    Attributes
    ----------
    regime : tuple of int
        State of every activity (idle, rising, fixed).
    labor, factor : tuple of sympy.Expr
        :math:`L_k` per activity and :math:`s_j` per sector.
    wage : sympy.Expr
    labor_tests : tuple of (lhs, rhs, strict)
        ``lhs < rhs`` (strict) or ``lhs <= rhs``, decided with the labor tolerance.
    pay_tests : tuple of (pay, wage)
        An idle activity's pay must not exceed the wage (a tie makes it weak).
    ties : tuple of (a, b)
        Pays or levels that must tie: the regime exists only on a knife edge.
    variable : tuple of (A, B, q2, q1)
        Non-empty for a monotone regime: per rising-only sector, labor
        :math:`A_jE_j-B_j` and pay :math:`q_2E^2+q_1E`.
    knife : bool
        The regime is an equilibrium only at a knife edge (ties or a continuum).
    method : str
    """

    regime: tuple
    labor: tuple
    wage: object
    factor: tuple
    labor_tests: tuple
    pay_tests: tuple
    ties: tuple
    variable: tuple
    knife: bool
    method: str

    @property
    def expressions(self) -> list:
        """Every expression the batch evaluates, in a fixed order (see :func:`layout`)."""
        out = list(self.labor) + [self.wage] + list(self.factor)
        for lhs, rhs, _ in self.labor_tests:
            out += [lhs, rhs]
        for pay, w in self.pay_tests:
            out += [pay, w]
        for a, b in self.ties:
            out += [a, b]
        for v in self.variable:
            out += list(v)
        return [sp.sympify(e) for e in out]


def price_symbols(model) -> tuple:
    """South's world prices as symbols ``p_1, ..., p_J`` (the batch's second argument)."""
    return tuple(sp.Symbol(f"p_{j}", positive=True) for j in model.sectors)


def _plan(econ, regime) -> RegimePlan | None:
    arith = _RecordingArith()
    cand = solve_regime(econ, regime, arith)
    if cand is None:
        return None
    return RegimePlan(
        regime=tuple(regime),
        labor=tuple(sp.sympify(x) for x in cand.labor),
        wage=sp.sympify(cand.wage),
        factor=tuple(sp.sympify(f) for f in cand.sector_factor),
        labor_tests=tuple(
            (sp.sympify(a), sp.sympify(b), bool(s)) for a, b, s in cand.regime_constraints
        ),
        pay_tests=tuple((sp.sympify(p), sp.sympify(w)) for _, p, w in cand.idle_constraints),
        ties=tuple(arith.ties),
        variable=arith.variable,
        knife=bool(arith.ties or cand.continuum),
        method=cand.method,
    )


def _cached(kind, model, build):
    """``build()`` through the on-disk cache (:mod:`marshallian.cache`), as field trees."""
    import dataclasses

    from ...cache import cached, decode_value, encode_value

    def encode(items):
        def one(x):
            return {
                f.name: one(getattr(x, f.name))
                if dataclasses.is_dataclass(getattr(x, f.name))
                else encode_value(getattr(x, f.name))
                for f in dataclasses.fields(x)
            }

        return [
            [one(x) for x in group] if isinstance(group, tuple) else one(group) for group in items
        ]

    def plan(d):
        return RegimePlan(**{k: decode_value(v) for k, v in d.items()})

    def decode(payload):
        if kind == "south":
            return tuple(plan(d) for d in payload)
        return tuple(
            tuple(
                NorthOption(
                    plan(o["plan"]),
                    *(decode_value(o[k]) for k in ("configuration", "stable", "full_cluster")),
                )
                for o in group
            )
            for group in payload
        )

    return cached(f"plans-{kind}", model, build, encode, decode)


@functools.lru_cache(maxsize=16)
def south_plans(model) -> tuple:
    """A :class:`RegimePlan` for every regime of South, in the enumeration's order."""
    return _cached("south", model, lambda: _south_plans(model))


def _south_plans(model) -> tuple:
    from ..equilibrium import economy

    st = model._pack(model.structure_expressions())
    prices = dict(zip(model.sectors, price_symbols(model)))
    econ = economy(model, st, prices)
    slopes = tuple(econ.has_slope(k) for k in range(econ.n_activities))
    return tuple(p for p in (_plan(econ, r) for r in regimes(slopes)) if p is not None)


@dataclass(frozen=True)
class NorthOption:
    """One of North's equilibria in one sector (footnote 13), as closed forms."""

    plan: RegimePlan
    configuration: str  # "cluster", "backward" or "mixed"
    stable: bool  # the one stability rule, where it exists strictly
    full_cluster: bool  # the paper's North: the externality activity capped (or none)


@functools.lru_cache(maxsize=16)
def north_plans(model) -> tuple:
    """Per sector, every regime of North's one-sector economy (its labor
    :math:`\\mu_jL_N`, price 1): the options :func:`~marshallian.solvers.equilibrium.
    select_north` chooses from."""
    return _cached("north", model, lambda: _north_plans(model))


def _north_plans(model) -> tuple:
    from ...results import Stability
    from ..equilibrium import economy

    st = model._pack(model.structure_expressions())
    out = []
    for i, j in enumerate(model.sectors):
        econ = economy(
            model, st, {j: sp.Integer(1)}, sectors=(j,), country="N", labor=st.mu[i] * st.L_N
        )
        acts = [a for a in model.activities if a.sector == j]
        ext = [k for k, a in enumerate(acts) if a.has_externality]
        slopes = tuple(econ.has_slope(k) for k in range(econ.n_activities))
        options = []
        for r in regimes(slopes):
            plan = _plan(econ, r)
            if plan is None:
                continue
            config = r.configuration(acts)
            stable = r.stability() is Stability.STABLE
            options.append(NorthOption(plan, config, stable, all(r[k] == FIXED for k in ext[:1])))
        out.append(tuple(options))
    return tuple(out)


def regime_label(model, regime) -> str:
    """``Equilibrium.label`` of a non-degenerate equilibrium in ``regime``
    (:meth:`~marshallian.solvers.enumeration.Regime.label`)."""
    return Regime(regime).label(model.activities)


def regime_name(model, regime) -> str:
    """The certificate's ``regime`` text, as :func:`build_equilibrium` writes it
    (:meth:`~marshallian.solvers.enumeration.Regime.text`)."""
    return Regime(regime).text(model.activities)


def regime_clusters(model, regime) -> tuple:
    """Per sector: ``"full"``, ``"partial"`` or ``"none"`` (as ``Equilibrium.clusters``;
    :meth:`~marshallian.solvers.enumeration.Regime.clusters`)."""
    return tuple(Regime(regime).clusters(model.activities, model.sectors).values())
