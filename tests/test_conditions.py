"""Derived existence conditions vs the paper's CA, P, (*) and vs the numeric enumeration."""
import json

import numpy as np
import pytest
import sympy as sp

from marshallian.models import get_model
from marshallian.solvers.conditions import (_coefficient_sign, condition_holds,
                                            derive_conditions, sympify_string)
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
    ratio = sp.cancel((derived.rhs - derived.lhs) / (paper.rhs - paper.lhs))
    sub = {S(n): e for n, e in get_model(model).definitions.items()}
    return _coefficient_sign(ratio.subs(sub)) == 1 or _coefficient_sign(ratio) == 1


def conjunct_with(cond, symbol_name):
    parts = cond.args if isinstance(cond, sp.And) else (cond,)
    hits = [p for p in parts if any(s.name.startswith("lam") for s in p.free_symbols)]
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
    assert len(others) == 1 and others[0].free_symbols == {S("theta"), S("L_S"), S("alpha")}


def test_alternative_spec2_cluster_condition_is_star():
    # §3 (*): (lam_1S/lam_1N)/(lam_2S/lam_2N) < theta_1
    e = entry("alternative", (2, "modern", "capped"))
    star = conjunct_with(e.condition, "lam")
    assert equivalent(star, sp.Le((lam_1S / lam_1N) / (lam_2S / lam_2N), S("theta_1")), "alternative")
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
    assert sp.simplify(entry("alternative", (1, "backward", "flat")).wage
                       - lam_1S / (S("theta_1") * lam_1N)) == 0


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
        found = {tuple((a.sector, a.technology, a.state) for a in e.activities)
                 for e in solve(model_name, p, warn=False)}
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
