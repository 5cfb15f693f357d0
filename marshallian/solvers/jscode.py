"""The regime solver compiled to JavaScript (the in-page solver of ``marshallian explore``).

Nothing model-specific is written by hand in JavaScript. For every regime of a model (each
activity idle, rising or fixed, as in :mod:`marshallian.solvers.enumeration`) the *same*
regime solver, :func:`~marshallian.solvers.enumeration.solve_regime`, runs on SymPy
symbols — parameters and world prices :math:`p_j` — and gives the regime's closed forms:
the wage, the labor of every activity, the vertices of a continuum, and the regime's
inequalities (labor bounds, idle activities paying at most the wage) and required pay ties.
Each is printed by SymPy's JavaScript printer (:func:`sympy.printing.jscode.jscode`).

Decisions that the float solver takes at run time are *deferred* here, not taken on
symbols: every tie between fixed pays is recorded (checked in the page with the package's
relative tolerance), and a continuum is always kept with its vertices (the page collapses
it to one point exactly where the float solver does). The page's generic runtime
(``runtime.js``) then mirrors :func:`~marshallian.solvers.enumeration.check_candidate`
and :func:`~marshallian.solvers.equilibrium.build_equilibrium`: the same tolerances
(:mod:`marshallian.tolerances`), the same regime order, flags, stability and sort.

North's equilibria (footnote 13) are generated the same way, sector by sector, so the
world prices follow the user's parameters exactly as :func:`marshallian.solve` does. The
certificate's pay functions come from the model's SymPy productivity (with its ``Min``),
as in :mod:`marshallian.solvers.verify`; the derived existence conditions of
:func:`~marshallian.solvers.conditions.derive_conditions` are printed too, to be evaluated
and shown beside their text.
"""

from __future__ import annotations

import json
import re

import sympy as sp

from ..models import get_model
from ..tolerances import DEFAULT_TOLERANCES
from .conditions import SymbolicArith, derive_conditions
from .enumeration import FIXED, IDLE, RISING, regimes, solve_regime
from .equilibrium import economy
from .verify import _pay_expressions


class DeferredArith(SymbolicArith):
    """Symbolic arithmetic that defers every numeric decision to the page.

    ``tie`` always succeeds (the solver records the pair in ``Candidate.ties``, which the
    page checks with the pay tolerance); ``labor_less`` — only used by the solver to see
    whether a continuum shrinks to one point — always fails, so the continuum's vertices
    are kept and the page decides.
    """

    @staticmethod
    def tie(a, b) -> bool:
        return True

    @staticmethod
    def labor_less(a, b, strict) -> bool:
        return False


def js(expr) -> str:
    """One SymPy expression (or boolean) as a parenthesised JavaScript expression.

    Examples
    --------
    >>> import sympy as sp
    >>> L, Lbar, alpha, beta = sp.symbols("L Lbar alpha beta", positive=True)
    >>> js(beta + alpha * sp.Min(Lbar, L))
    '(alpha*Math.min(L, Lbar) + beta)'
    """
    expr = sp.sympify(expr)
    if expr is sp.true:
        return "true"
    if expr is sp.false:
        return "false"
    if expr is sp.oo:
        return "Infinity"
    if expr.has(sp.zoo, sp.nan):
        raise ValueError(f"expression has no finite JavaScript value: {expr}")
    return "(" + sp.jscode(expr) + ")"


def _unpack(names, source: str) -> str:
    return "".join(f"const {n} = {source}[{i}]; " for i, n in enumerate(names))


def _candidate_function(model, cand, price_names) -> str:
    """``function(v, p)`` returning the regime's closed forms (see module docstring)."""
    head = _unpack(model.parameter_names, "v") + _unpack(price_names, "p")
    labor = "[" + ", ".join(js(x) for x in cand.labor) + "]"
    ties = "[" + ", ".join(f"[{js(a)}, {js(b)}]" for a, b in cand.ties) + "]"
    rc = (
        "["
        + ", ".join(f"[{js(a)}, {js(b)}, {1 if s else 0}]" for a, b, s in cand.regime_constraints)
        + "]"
    )
    idle = (
        "[" + ", ".join(f"[{k}, {js(pay)}, {js(w)}]" for k, pay, w in cand.idle_constraints) + "]"
    )
    cont = "[" + ", ".join("[" + ", ".join(js(x) for x in vx) + "]" for vx in cand.continuum) + "]"
    return (
        f"function (v, p) {{ {head}return {{w: {js(cand.wage)}, L: {labor}, ties: {ties}, "
        f"rc: {rc}, idle: {idle}, cont: {cont}}}; }}"
    )


def _regime_entries(model, econ, activity_index, price_names) -> list:
    """JS object literals, one per regime of ``econ`` that has a closed form."""
    slopes = tuple(econ.has_slope(k) for k in range(econ.n_activities))
    out = []
    for regime in regimes(slopes):
        cand = solve_regime(econ, regime, DeferredArith())
        if cand is None:
            continue
        fixed = [k for k, s in enumerate(regime) if s == FIXED]
        flat_fixed = any(not econ.has_slope(k) for k in fixed) if len(fixed) > 1 else False
        out.append(
            "{" + f"regime: {json.dumps(list(regime))}, "
            f"activities: {json.dumps([activity_index[k] for k in range(len(regime))])}, "
            f"fixed: {json.dumps(fixed)}, flatFixed: {json.dumps(flat_fixed)}, "
            f"method: {json.dumps(cand.method)}, "
            f"f: {_candidate_function(model, cand, price_names)}" + "}"
        )
    return out


def _structure(model):
    return model._pack(model.structure_expressions())


def _north_sectors(model) -> list:
    """Per sector: North's closed economy at price 1 with labor mu_j L_N (footnote 13)."""
    st = _structure(model)
    out = []
    for i, j in enumerate(model.sectors):
        labor = st.mu[i] * st.L_N
        econ = economy(model, st, {j: sp.Integer(1)}, sectors=(j,), country="N", labor=labor)
        index = [k for k, a in enumerate(model.activities) if a.sector == j]
        entries = _regime_entries(model, econ, index, ())
        out.append(
            "{" + f"sector: {j}, labor: function (v) {{ {_unpack(model.parameter_names, 'v')}"
            f"return {js(labor)}; }}, regimes: [" + ",\n    ".join(entries) + "]}"
        )
    return out


def _south(model) -> str:
    st = _structure(model)
    price_names = tuple(f"p_{j}" for j in model.sectors)
    prices = {j: sp.Symbol(n, positive=True) for j, n in zip(model.sectors, price_names)}
    econ = economy(model, st, prices)
    entries = _regime_entries(model, econ, list(range(len(model.activities))), price_names)
    return "[" + ",\n    ".join(entries) + "]"


def _pay_function(model) -> str:
    """Pay of every activity at prices and labor: the certificate's SymPy expressions
    (:mod:`marshallian.solvers.verify`, the model's productivity with its ``Min``)."""
    syms, prices, labor, pays = _pay_expressions(model)
    head = (
        _unpack([s.name for s in syms], "v")
        + _unpack([str(p) for p in prices], "p")
        + _unpack([str(x) for x in labor], "L")
    )
    return f"function (v, p, L) {{ {head}return [" + ", ".join(js(e) for e in pays) + "]; }"


_NAME_HTML = (
    (re.compile(r"\blam_(\d+)([SN])\b"), r"λ<sub>\1\2</sub>"),
    (re.compile(r"\btheta_(\d+)\b"), r"θ<sub>\1</sub>"),
    (re.compile(r"\btheta\b"), "θ"),
    (re.compile(r"\bLbar_(\d+)\b"), r"L̄<sub>\1</sub>"),
    (re.compile(r"\bLbar\b"), "L̄"),
    (re.compile(r"\bL_([SN])\b"), r"L<sub>\1</sub>"),
    (re.compile(r"\bmu_(\d+)\b"), r"μ<sub>\1</sub>"),
    (re.compile(r"\balpha\b"), "α"),
    (re.compile(r"\bbeta\b"), "β"),
)


def condition_html(expr) -> str:
    """A derived condition as one line of HTML in the paper's symbols (λ, θ, L̄, α, β)."""
    import html

    parts = sp.And.make_args(expr) if isinstance(expr, sp.And) else (expr,)
    out = []
    for rel in parts:
        text = html.escape(sp.sstr(rel, order="none"))
        for pattern, repl in _NAME_HTML:
            text = pattern.sub(repl, text)
        text = text.replace("**", "^").replace("*", "·").replace("&lt;=", "≤")
        text = text.replace("&gt;=", "≥")
        out.append(text)
    return " and ".join(out)


def _conditions(model) -> str:
    entries = []
    for c in derive_conditions(model.name):  # by name: the cache the CLI and report share
        if c.condition is None:
            holds, text = "null", c.note
        else:
            prim = c.primitive_condition()
            holds = f"function (v) {{ {_unpack(model.parameter_names, 'v')}return {js(prim)}; }}"
            text = condition_html(c.condition)
        wage = "" if c.wage is None else "w = " + condition_html(c.wage)
        entries.append(
            "{" + f"activities: {json.dumps([list(a) for a in c.activities])}, "
            f"states: {json.dumps(list(c.states))}, stable: {json.dumps(c.stable)}, "
            f"html: {json.dumps(text)}, wage: {json.dumps(wage)}, "
            f"premise: {json.dumps(c.premise)}, holds: {holds}" + "}"
        )
    return "[" + ",\n    ".join(entries) + "]"


def _caps(model) -> str:
    """Per activity: its cap :math:`\\bar L` as a function of the parameters, or null."""
    head = _unpack(model.parameter_names, "v")
    return (
        "["
        + ", ".join(
            "null" if a.cap is None else f"function (v) {{ {head}return {js(a.cap)}; }}"
            for a in model.activities
        )
        + "]"
    )


def _condition_definitions(model) -> str:
    """``x = ...; θ1 = ...``: the names the derived conditions use, defined (HTML)."""
    defs: dict = {}
    for c in derive_conditions(model.name):
        defs.update({str(k): v for k, v in c.definitions.items()})
    return json.dumps(
        "; ".join(
            f"{condition_html(sp.Symbol(k))} = {condition_html(v)}" for k, v in sorted(defs.items())
        )
    )


def _definitions(model) -> str:
    items = []
    for name, expr in model.definitions.items():
        items.append(
            f"{name}: function (v) {{ {_unpack(model.parameter_names, 'v')}return {js(expr)}; }}"
        )
    return "{" + ", ".join(items) + "}"


def _rules(model) -> str:
    """The model's cross-parameter rules (:mod:`marshallian.models._rules`) as data for the
    page's validator, in the model's order; a rule the page does not know is an error here
    (never silently dropped)."""
    rules: list[dict] = []
    for rule in model.rules:
        kind = getattr(rule, "__qualname__", "").split(".")[0]
        if kind == "beta_in_unit_interval":
            rules.append({"kind": "beta"})
        elif kind == "theta_above_one":
            rules += [
                {"kind": "theta", "name": n} for n in model.definitions if n.startswith("theta_")
            ]
        elif kind == "shares_sum_to_one":
            rules.append(
                {
                    "kind": "shares",
                    "names": [n for n in model.parameter_names if n.startswith("mu_")],
                }
            )
        else:
            raise ValueError(f"model {model.name}: rule {kind!r} has no counterpart in the page")
    return json.dumps(rules)


def model_js(name: str) -> str:
    """The JavaScript object describing model ``name`` (data and generated functions)."""
    model = get_model(name)
    params = [
        {"name": s.name, "default": s.default, "description": s.description, "positive": s.positive}
        for s in model.parameters
    ]
    acts = [
        {"sector": a.sector, "technology": a.technology, "externality": a.has_externality}
        for a in model.activities
    ]
    # theta / theta_j given in place of Lbar / Lbar_j (the model's ParameterAlias entries)
    theta_of = {
        a.name: {"Lbar": a.target, "base": a.level, "description": a.description}
        for a in model.aliases
    }
    return (
        "{" + f"name: {json.dumps(model.name)}, description: {json.dumps(model.description)}, "
        f"params: {json.dumps(params)}, sectors: {json.dumps(list(model.sectors))}, "
        f"activities: {json.dumps(acts)}, rules: {_rules(model)}, "
        f"thetas: {json.dumps(theta_of)},\n  definitions: {_definitions(model)},\n"
        f"  north: [" + ",\n  ".join(_north_sectors(model)) + "],\n"
        f"  south: {_south(model)},\n  pays: {_pay_function(model)},\n"
        f"  caps: {_caps(model)},\n"
        f"  conditions: {_conditions(model)},\n"
        f"  conditionDefinitions: {_condition_definitions(model)}" + "}"
    )


def solver_js(models=("standard", "alternative")) -> str:
    """``const MODELS = {...}; const TOLERANCES = {...};`` for the page's runtime."""
    tol = DEFAULT_TOLERANCES
    from ..models._rules import SHARE_SUM_ATOL
    from ..params import MAX_MAGNITUDE, MIN_MAGNITUDE
    from .equilibrium import PREMISE_RTOL

    consts = {
        "premise_rtol": PREMISE_RTOL,
        "pay_rtol": tol.pay_rtol,
        "labor_rtol": tol.labor_rtol,
        "verify_rtol": tol.verify_rtol,
        "share_sum_atol": SHARE_SUM_ATOL,
        "max_magnitude": MAX_MAGNITUDE,
        "min_magnitude": MIN_MAGNITUDE,
    }
    body = ",\n".join(f"{json.dumps(n)}: {model_js(n)}" for n in models)
    return (
        f"const TOLERANCES = {json.dumps(consts)};\n"
        f"const STATE = {json.dumps({'idle': IDLE, 'rising': RISING, 'fixed': FIXED})};\n"
        f"const MODELS = {{\n{body}\n}};\n"
    )
