"""Existence conditions of every equilibrium type, derived by SymPy from the primitives.

The derivation runs the *same* regime solver as the numeric enumeration
(:func:`~marshallian.solvers.enumeration.solve_regime`) on SymPy symbols: each regime's
equalities are solved in closed form, and its inequalities — the regime bounds
(:math:`0<L_k<\\bar L_k` on a rising part, :math:`L_k\\ge\\bar L_k` when capped) and the
no-deviation conditions of idle activities (:math:`p_j\\varphi_k(0)\\le w`) — become the
condition. World prices come from North's default equilibrium (the paper's: a full
cluster in every sector that can have one, §2–§3), itself derived by the same solver.

Each inequality is normalised (denominators cleared, positive factors removed), checked
against the model's assumptions (positivity, :math:`0<\\beta<1`, :math:`\\theta_j>1`,
:math:`\\varepsilon>g`) to drop tautologies and discard impossible types, and written with
:math:`\\theta_j` isolated where it appears (as in the paper's CA, P and (*)).

Nothing is typed in from the paper: tests compare these derived conditions with the
paper's, symbolically and on random draws.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

import sympy as sp

from .._frozen import frozen
from ..results import Stability
from .enumeration import FIXED, IDLE, RISING, Unsupported, regimes, solve_regime


class SymbolicArith:
    """Arithmetic on SymPy expressions: ties are decided structurally (generic parameters).

    With ``implicit_roots`` the positive root of a quadratic pay equation ``P(E) = w`` is
    kept as a fresh symbol (recorded in ``roots``) instead of a square-root formula, so the
    regime's conditions can be stated by where that root lies (see
    :func:`_root_located_condition`).
    """

    exact = True
    symbolic = True
    filtered = False
    pay_rtol = 0
    labor_atol = 0

    def __init__(self, implicit_roots: bool = False):
        self.implicit_roots = implicit_roots
        self.roots: list[tuple] = []

    def invert_pay(self, q2, q1, w):
        if not self.implicit_roots:
            return (-q1 + sp.sqrt(q1 * q1 + 4 * q2 * w)) / (2 * q2)
        E = sp.Symbol(f"E{len(self.roots)}_", positive=True)
        self.roots.append((E, q2, q1, w))
        return E

    @staticmethod
    def sqrt(x):
        return sp.sqrt(x)

    def solve_variable(self, econ, variable):
        return None

    @staticmethod
    def tie(a, b) -> bool:
        return sp.cancel(sp.sympify(a) - b) == 0

    @staticmethod
    def labor_less(a, b, strict) -> bool:
        """Decided only where SymPy can tell the sign of ``a - b`` for every parameter."""
        d = sp.cancel(sp.sympify(a) - b)
        if d.is_zero:
            return not strict
        if d.is_negative:
            return True
        if d.is_positive:
            return False
        raise Unsupported("a labor comparison whose sign depends on the parameters")


# --------------------------------------------------------------------------- assumptions
def _assumption_substitution(model):
    """Substitution to fresh positive symbols under which every model rule is automatic.

    ``beta = b/(1+b)`` (so 0<beta<1), ``Lbar_j = (1 + d_j - beta)/alpha`` (so theta_j > 1),
    ``theta = 1 + alpha*Lbar`` is automatic in §2, ``eps = g + e`` (so eps > g).
    """
    names = set(model.parameter_names)
    sym = {n: s for n, s in zip(model.parameter_names, model.symbols)}
    sub = {}
    if "beta" in names:
        b = sp.Symbol("b_", positive=True)
        beta = b / (1 + b)
        sub[sym["beta"]] = beta
        for j in model.sectors:
            if f"Lbar_{j}" in names:
                d = sp.Symbol(f"d_{j}", positive=True)
                sub[sym[f"Lbar_{j}"]] = (1 + d - beta) / sym["alpha"]
    if "eps" in names:
        sub[sym["eps"]] = sym["g"] + sp.Symbol("e_", positive=True)
    if "a_hat" in model.definitions:
        sub[sp.Symbol("a_hat", positive=True)] = 1 / (1 + sp.Symbol("h_", positive=True))
    return sub


def _display_substitution(model):
    """Lbar_j -> (theta_j - beta)/alpha: shows conditions in the paper's theta_j."""
    names = set(model.parameter_names)
    sym = {n: s for n, s in zip(model.parameter_names, model.symbols)}
    sub, defs = {}, {}
    for name, expr in model.definitions.items():
        t = sp.Symbol(name, positive=True)
        defs[t] = expr
        if name == "theta" and "Lbar" in names:
            sub[sym["Lbar"]] = (t - 1) / sym["alpha"]
        elif name.startswith("theta_") and f"Lbar_{name[6:]}" in names:
            sub[sym[f"Lbar_{name[6:]}"]] = (t - sym["beta"]) / sym["alpha"]
        elif name == "a_hat":
            sub[sym["g"]] = sym["eps"] * (1 - t)
    return sub, defs


def _has_radical(expr) -> bool:
    return any(p.exp.is_Rational and not p.exp.is_Integer for p in expr.atoms(sp.Pow))


def _coefficient_sign(expr) -> int | None:
    """+1 / -1 if ``expr`` (a rational function of positive symbols) has a provable sign
    because every coefficient of its expanded numerator, and of its denominator, shares one
    sign; 0 if it is zero; None if undecided. Much cheaper than ``factor``."""
    num, den = sp.fraction(sp.cancel(sp.together(expr)))
    signs = []
    for part in (num, den):
        coeffs = [t.as_coeff_Mul()[0] for t in sp.Add.make_args(sp.expand(part))]
        if part == 0:
            return 0
        if all(c > 0 for c in coeffs):
            signs.append(1)
        elif all(c < 0 for c in coeffs):
            signs.append(-1)
        else:
            return None
    return signs[0] * signs[1]


def _strip_positive(expr):
    """Remove factors that are positive under the symbols' assumptions."""
    expr = sp.factor_terms(expr)
    factors = expr.args if expr.is_Mul else (expr,)
    keep = [f for f in factors if not f.is_positive]
    return sp.Mul(*keep)


def normalise(lhs, rhs, strict: bool, model, check_assumptions: bool = True):
    """Normalised form of ``lhs < rhs`` (strict) or ``lhs <= rhs``.

    ``check_assumptions=False`` skips the test against the model's assumptions (costly
    on long polynomials; it only ever drops a redundant conjunct or an impossible type).

    Returns
    -------
    True, False or sympy.Rel
        True if implied by the model's assumptions, False if contradicted by them.
    """
    rel = sp.Lt if strict else sp.Le
    lhs, rhs = sp.sympify(lhs), sp.sympify(rhs)
    if _has_radical(lhs) or _has_radical(rhs):
        # closed forms with square roots (quadratic regimes of §4): exact but left
        # unsimplified, since normalising them costs far more than it clarifies
        sub, _ = _display_substitution(model)
        return rel(lhs.subs(sub), rhs.subs(sub))
    diff = sp.together(rhs - lhs)
    if diff == 0:
        return not strict
    sign = (
        _coefficient_sign(diff.subs(_assumption_substitution(model))) if check_assumptions else None
    )
    if sign == 1 or (sign == 0 and not strict):
        return True
    if sign == -1 or (sign == 0 and strict):
        return False
    sub, _ = _display_substitution(model)
    num, den = sp.fraction(sp.together(diff.subs(sub)))
    if not den.is_positive:
        num = num * den  # same sign as num/den
    num = sp.expand(_strip_positive(sp.expand(num)))
    if num.is_positive or (not strict and num.is_nonnegative):
        return True
    pos = sp.Add(*[t for t in sp.Add.make_args(num) if not t.could_extract_minus_sign()])
    neg = -sp.Add(*[t for t in sp.Add.make_args(num) if t.could_extract_minus_sign()])
    if (pos.is_Mul or pos.is_Symbol or pos.is_Pow) and (
        neg.is_Mul or neg.is_Symbol or neg.is_Pow or neg.is_Number
    ):
        ratio = sp.powsimp(neg / pos)  # ratio < 1
        thetas = [s for s in ratio.free_symbols if s.name.startswith("theta")]
        if len(thetas) == 1:
            t = thetas[0]
            e = sp.degree(ratio.as_numer_denom()[1], t) - sp.degree(ratio.as_numer_denom()[0], t)
            if e == 1:  # ratio = rest / t  ->  rest < t
                return rel(sp.factor(ratio * t), t)
            if e == -1:  # ratio = rest * t ->  t < 1/rest
                return rel(t, sp.factor(t / ratio))
    return rel(neg, pos)


def _sign_under_assumptions(expr, model):
    expr = sp.sympify(expr).subs(_defs_to_primitives(model)).subs(_assumption_substitution(model))
    return _coefficient_sign(expr)


def _defs_to_primitives(model):
    out = {sp.Symbol(n, positive=True): e for n, e in model.definitions.items()}
    out.update(ratio_definitions(model))
    return out


def _implies(a, b, model) -> bool:
    """Whether relation ``a`` implies ``b`` because b's sides are looser (b.lhs <= a.lhs and
    a.rhs <= b.rhs under the model's assumptions; strictly somewhere if only b is strict)."""
    a, b = _as_less(a), _as_less(b)
    if any(_has_radical(x) for x in (a.lhs, a.rhs, b.lhs, b.rhs)):
        return False
    # only pairs sharing a side are compared (cheap, and catches the usual redundancy:
    # an idle modern technology paying beta times its backward twin)
    if a.rhs == b.rhs:
        d1, d2 = _sign_under_assumptions(a.lhs - b.lhs, model), 0
    elif a.lhs == b.lhs:
        d1, d2 = 0, _sign_under_assumptions(b.rhs - a.rhs, model)
    else:
        return False
    if d1 not in (0, 1) or d2 not in (0, 1):
        return False
    if isinstance(b, sp.StrictLessThan) and not isinstance(a, sp.StrictLessThan):
        return d1 == 1 or d2 == 1
    return True


def _as_less(r):
    """``r`` as ``lhs < rhs`` or ``lhs <= rhs`` (``x > b`` becomes ``b < x``)."""
    if isinstance(r, sp.StrictGreaterThan):
        return sp.Lt(r.rhs, r.lhs, evaluate=False)
    if isinstance(r, sp.GreaterThan):
        return sp.Le(r.rhs, r.lhs, evaluate=False)
    return r


def _prune(rels, model) -> list:
    """Drop duplicated relations and those implied by another one."""
    out = []
    for r in rels:
        if r not in out:
            out.append(r)
    keep = []
    for i, r in enumerate(out):
        if not any(
            j != i and _implies(o, r, model) and not (_implies(r, o, model) and j > i)
            for j, o in enumerate(out)
        ):
            keep.append(r)
    return keep


# --------------------------------------------------------------------------- paper's ratios
#: Symbols a condition is preferably solved for, in this order (the paper's statements
#: isolate the comparative-advantage ratio, then θ_j, then the South's size).
_ISOLATE_FIRST = ("x", "theta", "theta_1", "theta_2", "a_hat", "L_S")
#: Relations longer than this (SymPy operation count) are left as derived: rewriting them
#: would cost seconds and not make them readable (the §4 quadratic regimes).
_REWRITE_MAX_OPS = 60


def ratio_definitions(model) -> dict:
    r"""The comparative-advantage ratio of a two-sector model as a definition.

    :math:`x=(\lambda_{1S}/\lambda_{1N})/(\lambda_{2S}/\lambda_{2N})` (the paper's
    condition (*) is :math:`x<\theta_1`); empty when the model has no such pair of
    sectors.
    """
    names = set(model.parameter_names)
    need = {"lam_1S", "lam_1N", "lam_2S", "lam_2N"}
    if tuple(model.sectors) != (1, 2) or not need <= names:
        return {}
    sym = {n: sp.Symbol(n, positive=True) for n in need}
    return {
        sp.Symbol("x", positive=True): sym["lam_1S"]
        * sym["lam_2N"]
        / (sym["lam_1N"] * sym["lam_2S"])
    }


def _paper_substitutions(model):
    """(to ratios, to primitives): primitive -> ratio substitutions for display, and every
    display symbol (θ_j, â, x) -> its expression in primitives."""
    display, _ = _display_substitution(model)
    to_prim = _defs_to_primitives(model)
    for x, expr in ratio_definitions(model).items():
        lam = sp.Symbol("lam_1S", positive=True)
        display[lam] = sp.solve(sp.Eq(x, expr), lam)[0]
    return display, to_prim


def _provable_sign(expr, model, to_prim) -> int | None:
    """+1/-1 when ``expr`` (in primitives or display symbols) has a sign under the model's
    assumptions, 0 if it is zero, None if undecided."""
    expr = sp.sympify(expr)
    if expr.is_positive:  # every symbol is positive: sums of products are
        return 1
    if expr.is_negative:
        return -1
    return _coefficient_sign(expr.subs(to_prim).subs(_assumption_substitution(model)))


def _isolated(g, strict, model, to_prim):
    """``g > 0`` (``>= 0``) solved for the first symbol of :data:`_ISOLATE_FIRST` in which
    ``g`` is linear with a coefficient of provable sign (a list of at most one relation)."""
    names = {s.name: s for s in g.free_symbols}
    for s in (names[n] for n in _ISOLATE_FIRST if n in names):
        poly = sp.Poly(g, s) if g.is_polynomial(s) else None
        if poly is None or poly.degree() != 1:
            continue
        a, b = poly.coeff_monomial(s), poly.coeff_monomial(1)
        sign = _provable_sign(a, model, to_prim)
        if sign not in (1, -1):
            continue
        bound = sp.factor(sp.cancel(-b / a))
        if sign == 1:  # a s + b > 0  <=>  s > -b/a
            return [(sp.Gt if strict else sp.Ge)(s, bound)]
        return [(sp.Lt if strict else sp.Le)(s, bound)]
    return []


def paper_form(rel, model):
    """``rel`` restated in the paper's ratios: x, θ_j, â, L_S against L̄_j.

    The relation's two sides are written in primitives, then rewritten with the ratios of
    :func:`_paper_substitutions` and, alternatively, with L̄_j kept; the difference is
    cleared of denominators and positive factors (under the model's assumptions) and solved
    for one symbol where it is linear in it. The shortest equivalent form is returned (a
    relation, or True/False when the assumptions decide it). Every step is an equivalence
    under the assumptions; ``tests/test_conditions.py`` checks the result against the
    derived form on random points.
    """
    if rel in (sp.true, sp.false) or not isinstance(rel, sp.core.relational.Relational):
        return rel
    strict = isinstance(rel, (sp.StrictLessThan, sp.StrictGreaterThan))
    if isinstance(rel, (sp.GreaterThan, sp.StrictGreaterThan)):
        rel = (sp.Lt if strict else sp.Le)(rel.rhs, rel.lhs)
    if sp.count_ops(rel) > _REWRITE_MAX_OPS or _has_radical(rel.lhs) or _has_radical(rel.rhs):
        return rel
    display, to_prim = _paper_substitutions(model)
    diff = sp.sympify(rel.rhs - rel.lhs).subs(to_prim)  # > 0 (or >= 0), primitives
    keep_lbar = {k: v for k, v in display.items() if k.name == "lam_1S" or k.name == "g"}
    candidates = [rel]
    ways = (display, keep_lbar) if any(v.name == "L_S" for v in diff.free_symbols) else (display,)
    for sub in ways:
        num, den = sp.fraction(sp.cancel(sp.together(diff.subs(sub))))
        den_sign = _provable_sign(den, model, to_prim)
        if den_sign not in (1, -1):
            continue
        g = sp.factor(num * den_sign)
        factors = sp.Mul.make_args(g)
        g = sp.Mul(*[f for f in factors if not f.is_positive])
        sign = _provable_sign(g, model, to_prim)
        if sign == 1 or (sign == 0 and not strict):
            return sp.true
        if sign == -1 or (sign == 0 and strict):
            return sp.false
        g = sp.expand(g)
        found = _isolated(g, strict, model, to_prim)
        if not found:
            pos = sp.Add(*[t for t in sp.Add.make_args(g) if not t.could_extract_minus_sign()])
            found = [(sp.Lt if strict else sp.Le)(pos - g, pos)]
        candidates += found
    return min(candidates, key=lambda r: (sp.count_ops(r), len(r.free_symbols)))


def _paper_condition(cond, model):
    """An existence condition with each relation in :func:`paper_form`."""
    if cond is None or cond in (sp.true, sp.false):
        return cond
    parts = [paper_form(r, model) for r in sp.And.make_args(cond)]
    if any(p is sp.false for p in parts):
        return sp.false
    rels = _prune([p for p in parts if p is not sp.true], model)
    return sp.And(*rels) if rels else sp.true


def _used_definitions(model, *exprs) -> dict:
    """Definitions (θ_j, â, x) of the symbols that appear in ``exprs``."""
    _, defs = _display_substitution(model)
    defs = dict(defs)
    defs.update(ratio_definitions(model))
    free = set().union(*(sp.sympify(e).free_symbols for e in exprs if e is not None))
    return {t: e for t, e in defs.items() if t in free}


# --------------------------------------------------------------------------- entries
@dataclass(frozen=True)
class ConditionEntry:
    """The existence condition of one equilibrium type (a regime).

    Attributes
    ----------
    activities : tuple of (int, str)
        Active activities (sector, technology).
    states : tuple of str
        For each active activity: ``"rising"``, ``"capped"`` or ``"flat"``.
    stable : bool
        Whether equilibria of this type are stable where they exist strictly (no rising
        activity beside another active one).
    condition : sympy.Boolean or None
        True exactly where the type is an equilibrium (non-strict idle inequalities:
        weak equilibria included), in parameter symbols and ``theta`` definitions; None
        when no closed form was derived (see ``note``).
    wage : sympy.Expr or None
        South's wage in this type, in closed form.
    definitions : dict
        ``theta_j`` symbols used in ``condition`` -> their expression in primitives.
    premise : str
        What the prices assume (North's configuration).
    note : str
    symbols : tuple
        The model's parameter symbols, in their fixed order.
    derived : sympy.Boolean or None
        The condition as derived, before :func:`paper_form` restated it in the paper's
        ratios (the two are equivalent under the model's assumptions; tests check it).
    """

    model: str
    activities: tuple
    states: tuple
    stable: bool
    condition: object
    wage: object
    definitions: dict = field(default_factory=dict)
    premise: str = ""
    note: str = ""
    symbols: tuple = ()
    derived: object = None

    def __post_init__(self):
        # entries are cached and shared by every caller: read-only
        object.__setattr__(self, "definitions", frozen(self.definitions))

    @property
    def label(self) -> str:
        return " + ".join(
            f"{j}:{t}" + ("[rising]" if s == "rising" else "")
            for (j, t), s in zip(self.activities, self.states)
        )

    @functools.cached_property
    def evaluator(self):
        """Compiled ``f(params_tuple) -> bool`` (the model's fixed parameter order)."""
        cond = self.primitive_condition()
        if cond is None:
            raise ValueError(f"{self.label}: no closed-form condition ({self.note})")
        return sp.lambdify([self.symbols], cond, modules="math")

    def primitive_condition(self):
        """The condition with ``theta`` symbols replaced by their definitions."""
        if self.condition is None or self.condition in (sp.true, sp.false):
            return self.condition
        return sp.sympify(self.condition).subs(self.definitions)

    def text(self) -> str:
        cond = (
            "no closed form (" + self.note + ")" if self.condition is None else str(self.condition)
        )
        return f"{self.label}  [{'stable' if self.stable else 'unstable'}]\n    exists iff {cond}"

    def latex(self) -> str:
        if self.condition is None:
            return r"\text{no closed form}"
        return to_latex(self.condition)

    def to_dict(self) -> dict:
        return {
            "activities": [[j, t] for j, t in self.activities],
            "states": list(self.states),
            "stable": self.stable,
            "condition": None if self.condition is None else sympify_string(self.condition),
            "latex": self.latex(),
            "wage": None if self.wage is None else sympify_string(self.wage),
            "definitions": {str(k): sympify_string(v) for k, v in self.definitions.items()},
            "premise": self.premise,
            "note": self.note,
        }


def latex_name(name: str) -> str:
    """LaTeX for a parameter name in the paper's notation (``lam_1S`` -> ``\\lambda_{1S}``)."""
    import re

    if m := re.fullmatch(r"lam_(\w+)", name):
        return rf"\lambda_{{{m.group(1)}}}"
    if m := re.fullmatch(r"Lbar(?:_(\w+))?", name):
        return r"\bar{L}" + (f"_{{{m.group(1)}}}" if m.group(1) else "")
    if m := re.fullmatch(r"(theta|mu|a0)_(\w+)", name):
        base = {"theta": r"\theta", "mu": r"\mu", "a0": "a_0"}[m.group(1)]
        return rf"{base}_{{{m.group(2)}}}"
    return {
        "a_hat": r"\hat{a}",
        "eps": r"\varepsilon",
        "theta": r"\theta",
        "alpha": r"\alpha",
        "beta": r"\beta",
    }.get(name, sp.latex(sp.Symbol(name)))


def to_latex(expr) -> str:
    """``sympy.latex`` with the paper's symbols."""
    names = {s: latex_name(s.name) for s in sp.sympify(expr).free_symbols}
    return sp.latex(expr, symbol_names=names)


#: Parameter names that ``sympy.sympify`` would read as functions, not symbols.
_SHADOWED = ("beta",)


def sympify_string(expr) -> str:
    """``str(expr)`` that ``sympy.sympify`` reads back to the same symbols.

    ``beta`` is SymPy's beta function under ``sympify``: it is written ``Symbol('beta')``.
    """
    import re

    text = sp.sstr(expr)
    for name in _SHADOWED:
        text = re.sub(rf"\b{name}\b", f"Symbol('{name}')", text)
    return text


def _north_prices(model):
    """World prices from North's default equilibrium, derived symbolically.

    In every sector North puts all its labor in the activity with an externality, capped
    (the paper's full cluster), or in the flat activity where the sector has no
    externality; the sector's productivity is then the wage of that one-sector economy.
    """
    from .equilibrium import economy

    st = model._pack(model.structure_expressions())
    prices, premises = {}, []
    arith = SymbolicArith()
    for i, j in enumerate(model.sectors):
        labor = st.mu[i] * st.L_N
        econ = economy(model, st, {j: sp.Integer(1)}, sectors=(j,), country="N", labor=labor)
        ext = [k for k in range(econ.n_activities) if econ.has_slope(k)]
        pick = ext[0] if ext else 0
        regime = tuple(FIXED if k == pick else IDLE for k in range(econ.n_activities))
        cand = solve_regime(econ, regime, arith)
        if cand is None:  # pragma: no cover - a single-activity regime always solves
            raise Unsupported(f"North's sector {j}: no closed form")
        prices[j] = 1 / cand.wage
        if ext:
            premises.append(f"{sp.sstr(labor)} >= {sp.sstr(econ.cap[pick])}")
    premise = (
        "North has a full cluster in every sector (" + ", ".join(premises) + ")"
        if premises
        else "North's unique equilibrium"
    )
    return prices, premise


def _located_root_conjunction(parts, lower, upper, model):
    """And of the normalised ``parts`` plus every lower bound below every upper bound (the
    root's interval is non-empty); ``false`` if any part contradicts the assumptions."""
    for lo, s1 in lower:
        for hi, s2 in upper:
            parts.append(normalise(lo, hi, s1 or s2, model))
    if any(p is False for p in parts):
        return sp.false
    rels = _prune([p for p in parts if p is not True], model)
    return sp.And(*rels) if rels else sp.true


def _root_located_condition(model, cand, roots):
    r"""Condition of a regime whose wage ``w`` is fixed and one sector's own level ``E`` is
    the positive root of :math:`P(E)=q_2E^2+q_1E=w` (§4: a rising modern technology beside a
    fixed activity), stated without the square root.

    Every inequality of the regime is affine in ``E`` here (labor bounds; an idle activity
    of the sector pays :math:`c_k(q_2E+q_1)\le w`), i.e. ``E > b`` or ``E < b``; ``P`` is
    increasing where the learning labor is non-negative, so ``E > b`` iff :math:`P(b)<w` and
    ``E < b`` iff :math:`P(b)>w` (non-strict for weak bounds). Returns None when the regime
    is not of this form (then the square-root closed form is used).
    """
    if len(roots) != 1:
        return None
    E, q2, q1, w = roots[0]
    constraints = list(cand.regime_constraints)
    constraints += [(pay, wage, False) for _, pay, wage in cand.idle_constraints]
    parts: list = []
    lower: list = []
    upper: list = []
    for lhs, rhs, strict in constraints:
        d = sp.expand(sp.sympify(rhs) - lhs)  # must be > 0 (strict) or >= 0
        if not d.has(E):
            parts.append(normalise(lhs, rhs, strict, model))
            continue
        poly = d.as_poly(E)
        if poly is None or poly.degree() != 1:
            return None
        a, b = poly.coeff_monomial(E), poly.coeff_monomial(1)
        sign = _sign_under_assumptions(a, model)
        if sign not in (1, -1):
            return None
        bound = -b / a
        # sign of P(bound) - w is that of a**2 (P(bound) - w) = q2 b^2 - q1 a b - w a^2
        num, den = sp.fraction(sp.cancel(sp.together(q2 * b**2 - q1 * a * b - w * a**2)))
        den_sign = _coefficient_sign(den)
        if den_sign not in (1, -1):
            return None
        excess = sp.expand(num * den_sign)  # sign of P(bound) - w
        # (long polynomials: the check against the model's assumptions costs seconds and
        # would only drop a redundant conjunct, so it is skipped here)
        if sign == 1:
            lower.append((bound, strict))
            parts.append(normalise(excess, 0, strict, model, check_assumptions=False))
        else:
            upper.append((bound, strict))
            parts.append(normalise(0, excess, strict, model, check_assumptions=False))
    return _located_root_conjunction(parts, lower, upper, model)


def _monotone_condition(model, econ, regime, variable):
    r"""Existence condition of a regime where two sectors have only rising activities and a
    pay quadratic in their own level (§4), without solving the quadratic.

    With :math:`E_1` the own level of the first sector, labor pins
    :math:`E_2=(L+B_1+B_2-A_1E_1)/A_2` (decreasing in :math:`E_1`) and the equilibrium is the
    root of :math:`Q(E_1)=P_1(E_1)-P_2(E_2(E_1))`, strictly increasing wherever both modern
    labors are non-negative (each :math:`P_j` increases there). Every other condition is
    affine in :math:`E_1` (labor bounds; an idle technology of an active sector pays less iff
    its level :math:`c_k\le E_j`, the sector factor being positive), i.e. a bound
    :math:`E_1 > b` or :math:`E_1 < b`. The root lies beyond a lower bound b iff
    :math:`Q(b)<0` and below an upper one iff :math:`Q(b)>0` (non-strict for weak bounds).

    Returns None when the regime is not of this form (e.g. an idle sector, J > 2).
    """
    if len(variable) != 2:
        return None
    (j1, A1, B1, q21, q11, R1), (j2, A2, B2, q22, q12, R2) = variable
    if any(regime[k] == IDLE and econ.sector_of[k] not in (j1, j2) for k in range(len(regime))):
        return None
    E = sp.Symbol("E_", positive=True)
    level = {j1: E, j2: (econ.labor + B1 + B2 - A1 * E) / A2}
    Q = (q21 * E**2 + q11 * E) - (q22 * level[j2] ** 2 + q12 * level[j2])
    bounds = []  # (affine d(E) that must be > 0 (strict) or >= 0)
    for k in range(len(regime)):
        Ej = level[econ.sector_of[k]]
        if regime[k] == RISING:
            labor = (Ej - econ.level[k]) / econ.slope[k]
            bounds += [(labor, True), (econ.cap[k] - labor, True)]
        elif regime[k] == IDLE:
            bounds.append((Ej - econ.level[k], False))
    parts: list = []
    lower: list = []
    upper: list = []
    for d, strict in bounds:
        d = sp.expand(d)
        a, b = d.coeff(E, 1), d.coeff(E, 0)
        sign = _sign_under_assumptions(a, model) if a != 0 else 0
        if a == 0:
            parts.append(normalise(0, b, strict, model))
        elif sign in (1, -1):
            root = -b / a
            (lower if sign == 1 else upper).append((root, strict))
            q_at = sp.cancel(Q.subs(E, root))
            parts.append(
                normalise(q_at, 0, strict, model, check_assumptions=False)
                if sign == 1
                else normalise(0, q_at, strict, model, check_assumptions=False)
            )
        else:
            return None
    return _located_root_conjunction(parts, lower, upper, model)


def derive_conditions(model) -> tuple:
    """Existence condition of every equilibrium type of South, derived from primitives.

    Parameters
    ----------
    model : str or Model

    Returns
    -------
    tuple of ConditionEntry
        One per regime that can be an equilibrium for generic parameters, in the
        enumeration's regime order. Types that need a knife edge (a tie between two fixed
        pays) are not listed: they exist only on a measure-zero set (``solve`` reports them
        as degenerate where they occur).

    Examples
    --------
    The standard model (§2) has four equilibrium types for generic parameters:

    >>> import marshallian as m
    >>> [entry.label for entry in m.derive_conditions("standard")]
    ['2:standard[rising]', '2:standard', '1:standard', '1:standard + 2:standard[rising]']
    >>> len(m.derive_conditions("alternative"))      # §3: fifteen types
    15
    """
    from .equilibrium import resolve_model

    return _derive_conditions(resolve_model(model))


@functools.lru_cache(maxsize=16)
def _derive_conditions(model) -> tuple:
    """:func:`derive_conditions` for a resolved model (cached: entries are read-only)."""
    from .equilibrium import economy

    prices, premise = _north_prices(model)
    st = model._pack(model.structure_expressions())
    econ = economy(model, st, prices)
    sub_display, defs = _display_substitution(model)
    out = []
    slopes = tuple(econ.has_slope(k) for k in range(econ.n_activities))
    for regime in regimes(slopes):
        acts = tuple((a.sector, a.technology) for k, a in enumerate(model.activities) if regime[k])
        states = tuple(
            regime.activity_state(k, model.activities[k].has_externality) for k in regime.active
        )
        # generic stability of the type (knife edges are not listed here)
        stable = regime.stability() is Stability.STABLE
        # the entry of this type from its condition, wage, definitions used (and note)
        entry = functools.partial(
            ConditionEntry, model.name, acts, states, stable, premise=premise, symbols=model.symbols
        )

        def _closed_form_entry(derived, cond, wage_expr, entry=entry):
            """The entry of a type whose wage has a closed form (shown simplified)."""
            wage = sp.factor(sp.simplify(sp.sympify(wage_expr).subs(sub_display)))
            return entry(cond, wage, _used_definitions(model, cond, wage), derived=derived)

        arith = SymbolicArith(implicit_roots=True)
        try:
            cand = solve_regime(econ, regime, arith)
        except Unsupported as exc:
            cond = _monotone_condition(model, econ, regime, exc.variable)
            if cond is None:
                note = f"{exc}: existence decided numerically by solve"
                out.append(entry(None, None, defs, note=note))
            elif cond is not sp.false:
                derived, cond = cond, _paper_condition(cond, model)
                note = (
                    "the wage is the root of a quadratic (no closed form shown); the condition "
                    "locates that root by the signs of a monotone function at the bounds"
                )
                out.append(
                    entry(cond, None, _used_definitions(model, cond), note=note, derived=derived)
                )
            continue
        if cand is None or cand.continuum:
            continue
        if arith.roots:
            cond = _root_located_condition(model, cand, arith.roots)
            if cond is not None:
                if cond is not sp.false:
                    out.append(_closed_form_entry(cond, _paper_condition(cond, model), cand.wage))
                continue
            cand = solve_regime(econ, regime, SymbolicArith())  # square-root closed form
        if cand is None:
            continue
        parts = [normalise(lhs, rhs, strict, model) for lhs, rhs, strict in cand.regime_constraints]
        parts += [normalise(pay, w, False, model) for _, pay, w in cand.idle_constraints]
        if any(p is False for p in parts):
            continue
        rels = _prune([p for p in parts if p is not True], model)
        derived = sp.And(*rels) if rels else sp.true
        cond = _paper_condition(derived, model)
        if cond == sp.false:
            continue
        out.append(_closed_form_entry(derived, cond, cand.wage))
    return tuple(out)


def condition_holds(entry: ConditionEntry, params) -> bool | None:
    """Evaluate an entry's condition at numeric parameters (None if not derived).

    The condition is compiled once per entry (``lambdify`` over the model's parameter
    tuple); floats near a boundary are as reliable as float comparisons are.
    """
    if entry.condition is None:
        return None
    return bool(entry.evaluator(params.as_tuple()))


# --------------------------------------------------------------------------- condition (P)
@dataclass(frozen=True)
class PriceCondition:
    """Condition (P) of §2: the world prices at which both complete specializations are
    equilibria (Fig. 1), derived at symbolic prices and then at North's.

    Attributes
    ----------
    model : str
    label : str
        ``"(P)"``.
    statement : str
    condition : sympy.Boolean
        In the world relative price ``p = p_2/p_1`` (non-strict: weak equilibria included).
    at_world_prices : sympy.Boolean
        The same at North's prices, in the paper's ratios (``x``, ``theta``).
    definitions : dict
        Symbols of ``at_world_prices`` (and ``p``) -> their expression in primitives.
    """

    model: str
    label: str
    statement: str
    condition: object
    at_world_prices: object
    definitions: dict

    def text(self) -> str:
        return (
            f"{self.label}  {self.statement}\n    iff {self.condition} (p = p_2/p_1); "
            f"at North's prices: {self.at_world_prices}"
        )

    def latex(self) -> str:
        return (
            f"{to_latex(self.condition)}, \\quad \\text{{at North's prices: }} "
            f"{to_latex(self.at_world_prices)}"
        )

    def to_dict(self) -> dict:
        return {
            "label": self.label,
            "statement": self.statement,
            "condition": sympify_string(self.condition),
            "at_world_prices": sympify_string(self.at_world_prices),
            "latex": self.latex(),
            "definitions": {str(k): sympify_string(v) for k, v in self.definitions.items()},
        }


@functools.lru_cache(maxsize=4)
def condition_P(model="standard") -> PriceCondition | None:
    r"""Condition (P) of §2, derived: both complete specializations are equilibria.

    The two regimes in which South puts its whole labor force in one sector, with the
    sector's externality (if any) capped, are solved by the regime solver at symbolic world
    prices :math:`p_1, p_2`; their no-deviation conditions, in :math:`p=p_2/p_1`, give the
    paper's :math:`\lambda_{1S}/(\theta\lambda_{2S}) < p_2^*/p_1^* < \lambda_{1S}/\lambda_{2S}`
    (non-strict here). At North's prices (:math:`p_2^*/p_1^*=\lambda_{1N}/(\theta\lambda_{2N})`)
    it reads :math:`1/\theta \le x \le 1`. Returns None for other models than §2's (two
    sectors, one technology each).

    Examples
    --------
    >>> from marshallian.solvers.conditions import condition_P
    >>> print(condition_P("standard").at_world_prices)
    (x <= 1) & (x >= 1/theta)
    """
    from .equilibrium import economy, resolve_model

    model = resolve_model(model)
    if tuple(model.sectors) != (1, 2) or len(model.activities) != 2:
        return None  # the §2 structure: one technology per sector
    p1, p2, p = (sp.Symbol(n, positive=True) for n in ("p_1", "p_2", "p"))
    st = model._pack(model.structure_expressions())
    econ = economy(model, st, {1: p1, 2: p2})
    display, to_prim = _paper_substitutions(model)
    thetas = {k: v for k, v in display.items() if k.name != "lam_1S"}
    parts = []
    for j in (1, 2):
        ks = [k for k, a in enumerate(model.activities) if a.sector == j]
        ext = [k for k in ks if econ.has_slope(k)]
        pick = ext[0] if ext else ks[0]
        regime = tuple(FIXED if k == pick else IDLE for k in range(econ.n_activities))
        cand = solve_regime(econ, regime, SymbolicArith())
        if cand is None:  # a complete specialization is always a regime
            return None
        for _, pay, wage in cand.idle_constraints:
            d = sp.cancel(sp.together((sp.sympify(wage) - pay).subs(p2, p * p1)))  # >= 0
            num, den = sp.fraction(d)
            poly = sp.Poly(sp.expand(num * _provable_sign(den, model, to_prim)), p)
            a, b = poly.coeff_monomial(p), poly.coeff_monomial(1)
            if a == 0:  # a price-free part (e.g. an idle technology of the sector)
                parts.append(normalise(0, b, False, model))
                continue
            bound = sp.factor(sp.cancel((-b / a).subs(thetas)))
            parts.append(
                sp.Ge(p, bound) if _provable_sign(a, model, to_prim) == 1 else sp.Le(p, bound)
            )
    if any(q is False for q in parts):
        return None
    cond = sp.And(*[q for q in parts if q is not True])
    prices, _ = _north_prices(model)
    at_north = _paper_condition(cond.subs(p, prices[2] / prices[1]).subs(to_prim), model)
    defs = _used_definitions(model, cond, at_north)
    return PriceCondition(
        model.name,
        "(P)",
        "both complete specializations are equilibria (§2, Fig. 1)",
        cond,
        at_north,
        defs,
    )
