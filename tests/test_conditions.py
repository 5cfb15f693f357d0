"""Derived existence conditions vs the paper's CA, P, (*) and vs the numeric enumeration."""

import json

import numpy as np
import pytest
import sympy as sp

from marshallian.models import get_model
from marshallian.solvers.conditions import (
    _as_less,
    _coefficient_sign,
    condition_holds,
    condition_P,
    derive_conditions,
    ratio_definitions,
    sympify_string,
)
from marshallian.solvers.equilibrium import solve


def S(name):
    return sp.Symbol(name, positive=True)


lam_1S, lam_2S, lam_1N, lam_2N = (S(n) for n in ("lam_1S", "lam_2S", "lam_1N", "lam_2N"))


def entry(model, *acts):
    for e in derive_conditions(model):
        if tuple((j, t, s) for (j, t), s in zip(e.activities, e.states)) == acts:
            return e
    raise KeyError(acts)


def equivalent(derived, paper, model):
    """Two relations lhs < rhs are equivalent when (rhs-lhs) of one is a positive multiple
    of the other's (proved by the sign of every coefficient)."""
    derived, paper = _as_less(derived), _as_less(paper)
    x_def = ratio_definitions(get_model(model))
    ratio = sp.cancel((derived.rhs - derived.lhs).subs(x_def) / (paper.rhs - paper.lhs))
    sub = {S(n): e for n, e in get_model(model).definitions.items()}
    return _coefficient_sign(ratio.subs(sub)) == 1 or _coefficient_sign(ratio) == 1


def conjunct_with(cond, symbol_name):
    parts = cond.args if isinstance(cond, sp.And) else (cond,)
    hits = [
        p for p in parts if any(s.name.startswith("lam") or s.name == "x" for s in p.free_symbols)
    ]
    assert len(hits) == 1, cond
    return hits[0]


def test_standard_spec1_condition_is_the_papers():
    # §2: spec. in 1 is an equilibrium iff (lam_2S/lam_1S)/(lam_2N/lam_1N) < theta
    theta = S("theta")
    e = entry("standard", (1, "standard", "flat"))
    paper = sp.Le((lam_2S / lam_1S) / (lam_2N / lam_1N), theta)
    assert equivalent(e.condition, paper, "standard")
    assert e.stable


def test_standard_spec2_condition_is_CA_given_L_S_above_Lbar():
    # §2 (CA): lam_2S/lam_1S > lam_2N/lam_1N, given L_S > Lbar (footnote 7)
    e = entry("standard", (2, "standard", "capped"))
    ca = conjunct_with(e.condition, "lam")
    assert equivalent(ca, sp.Le(lam_2N / lam_1N, lam_2S / lam_1S), "standard")
    others = [p for p in e.condition.args if p is not ca]
    assert len(others) == 1 and others[0].free_symbols == {S("Lbar"), S("L_S")}


def test_alternative_spec2_cluster_condition_is_star():
    # §3 (*): (lam_1S/lam_1N)/(lam_2S/lam_2N) < theta_1
    e = entry("alternative", (2, "modern", "capped"))
    star = conjunct_with(e.condition, "lam")
    assert equivalent(
        star, sp.Le((lam_1S / lam_1N) / (lam_2S / lam_2N), S("theta_1")), "alternative"
    )
    assert sp.simplify(e.wage - lam_2S / lam_2N) == 0


def test_dynamic_spec2_cluster_condition_is_star_with_a_hat():
    # §4: (lam_1S/lam_1N)/(lam_2S/lam_2N) < theta_1/a_hat
    e = entry("dynamic", (2, "modern", "capped"))
    star = conjunct_with(e.condition, "lam")
    paper = sp.Le((lam_1S / lam_1N) / (lam_2S / lam_2N), S("theta_1") / S("a_hat"))
    assert equivalent(star, paper, "dynamic")


def test_alternative_wages_of_specialisations():
    # §3: w = lam_1S/lam_1N (1 with cluster), lam_1S/(theta_1 lam_1N) (1 without)
    assert sp.simplify(entry("alternative", (1, "modern", "capped")).wage - lam_1S / lam_1N) == 0
    assert (
        sp.simplify(
            entry("alternative", (1, "backward", "flat")).wage - lam_1S / (S("theta_1") * lam_1N)
        )
        == 0
    )


def draw(model_name, rng):
    """Random valid parameters of a model (ties have probability zero)."""
    model = get_model(model_name)
    p = {}
    for n in model.parameter_names:
        if n.startswith("lam_"):
            p[n] = float(np.exp(rng.uniform(-1.0, 1.0)))
    if model_name == "standard":
        p.update(alpha=float(rng.uniform(0.002, 0.05)), Lbar=float(rng.uniform(20, 200)))
    else:
        beta = float(rng.uniform(0.1, 0.9))
        alpha = float(rng.uniform(0.005, 0.05))
        p.update(beta=beta, alpha=alpha)
        for j in (1, 2):
            p[f"Lbar_{j}"] = float((1 - beta) / alpha * rng.uniform(1.05, 6.0))
    if model_name == "dynamic":
        g = float(rng.uniform(0.005, 0.05))
        p.update(g=g, eps=float(g * rng.uniform(1.1, 4.0)))
    p["L_S"] = float(rng.uniform(10, 400))
    p["L_N"] = 1e6
    return model.params(p)


@pytest.mark.parametrize("model_name", ["standard", "alternative", "dynamic"])
def test_conditions_agree_with_enumeration_on_random_draws(model_name):
    rng = np.random.default_rng(20071)
    entries = derive_conditions(model_name)
    for _ in range(300):
        p = draw(model_name, rng)
        found = {
            tuple((a.sector, a.technology, a.state) for a in e.activities)
            for e in solve(model_name, p, warn=False)
        }
        for e in entries:
            key = tuple((j, t, s) for (j, t), s in zip(e.activities, e.states))
            assert e.condition is not None, e.label  # every type has a derived condition
            assert condition_holds(e, p) == (key in found), (model_name, e.label, dict(p))


def test_condition_P_iff_both_specialisations():
    # §2 (P): lam_1S/(theta lam_2S) < p2*/p1* < lam_1S/lam_2S  iff both specialisations exist
    rng = np.random.default_rng(5)
    e1 = entry("standard", (1, "standard", "flat"))
    e2 = entry("standard", (2, "standard", "capped"))
    for _ in range(300):
        p = draw("standard", rng)
        theta = 1 + p["alpha"] * p["Lbar"]
        rel_price = p["lam_1N"] / (theta * p["lam_2N"])
        P = p["lam_1S"] / (theta * p["lam_2S"]) < rel_price < p["lam_1S"] / p["lam_2S"]
        both = condition_holds(e1, p) and condition_holds(e2, p)
        if p["L_S"] > p["Lbar"]:
            assert P == both


def test_condition_strings_sympify_back():
    for model in ("standard", "alternative", "dynamic"):
        for e in derive_conditions(model):
            d = json.loads(json.dumps(e.to_dict()))
            if d["condition"] is None:
                assert d["note"]
                continue
            cond = sp.sympify(d["condition"])
            defs = {sp.Symbol(k): sp.sympify(v) for k, v in d["definitions"].items()}
            names = {s.name for s in cond.subs(defs).free_symbols}
            assert names <= set(get_model(model).parameter_names)


def test_beta_is_written_so_that_sympify_reads_a_symbol():
    text = sympify_string(S("beta") + 1 < S("theta_1"))
    assert sp.sympify(text).free_symbols == {sp.Symbol("beta"), sp.Symbol("theta_1")}


# --------------------------------------------------------------------------- paper's ratios
x, theta, theta_1, a_hat = S("x"), S("theta"), S("theta_1"), S("a_hat")


@pytest.mark.parametrize(
    "model, key, printed",
    [
        # §2: spec. in 1 iff x >= 1/theta (S2); spec. in 2 iff CA x <= 1, given L_S >= Lbar
        ("standard", ((1, "standard", "flat"),), sp.Ge(x, 1 / theta)),
        ("standard", ((2, "standard", "capped"),), sp.And(sp.Ge(S("L_S"), S("Lbar")), sp.Le(x, 1))),
        # §3 (*): x < theta_1
        (
            "alternative",
            ((2, "modern", "capped"),),
            sp.And(sp.Ge(S("L_S"), S("Lbar_2")), sp.Le(x, theta_1)),
        ),
        # §4: (*) becomes x < theta_1 / a_hat
        (
            "dynamic",
            ((2, "modern", "capped"),),
            sp.And(sp.Ge(S("L_S"), S("Lbar_2")), sp.Le(x, theta_1 / a_hat)),
        ),
    ],
)
def test_conditions_print_in_the_papers_ratios(model, key, printed):
    """Derived and simplified by SymPy (nothing typed in): the paper's statements."""
    e = entry(model, *key)
    assert e.condition == printed
    assert "x" in {str(k) for k in e.definitions}


@pytest.mark.parametrize("model_name", ["standard", "alternative", "dynamic"])
def test_paper_form_is_equivalent_to_the_derived_form(model_name):
    """The restated condition and the condition as derived agree on many random points."""
    rng = np.random.default_rng(14)
    model = get_model(model_name)
    entries = [e for e in derive_conditions(model_name) if e.condition is not None]
    compiled = []
    for e in entries:
        assert e.derived is not None
        derived = e.derived.subs({S(n): v for n, v in model.definitions.items()})
        compiled.append((e, sp.lambdify([e.symbols], derived, modules="math")))
    differ = 0
    for _ in range(400):
        p = draw(model_name, rng)
        for e, f in compiled:
            differ += bool(f(p.as_tuple())) != condition_holds(e, p)
    assert differ == 0


def test_conditions_command_prints_the_ratios(capsys):
    from marshallian.cli import main

    assert main(["conditions", "alternative"]) == 0
    out = capsys.readouterr().out
    assert "x = lam_1S*lam_2N/(lam_1N*lam_2S)" in out
    assert "(L_S >= Lbar_2) & (x <= theta_1)" in out


def test_condition_P_is_derived_in_the_papers_form():
    # §2 (P): lam_1S/(theta lam_2S) < p_2*/p_1* < lam_1S/lam_2S (weak here), and at North's
    # prices p_2*/p_1* = lam_1N/(theta lam_2N) it reads 1/theta <= x <= 1
    P = condition_P("standard")
    p = S("p")
    assert set(sp.And.make_args(P.condition)) == {
        sp.Le(p, lam_1S / lam_2S),
        sp.Ge(p, lam_1S / (lam_2S * theta)),
    }
    assert P.at_world_prices == sp.And(sp.Le(x, 1), sp.Ge(x, 1 / theta))
    assert condition_P("alternative") is None
    text = json.loads(json.dumps(P.to_dict()))
    defs = {sp.Symbol(k): sp.sympify(v) for k, v in text["definitions"].items()}
    assert {s.name for s in sp.sympify(text["at_world_prices"]).subs(defs).free_symbols} <= set(
        get_model("standard").parameter_names
    )
