"""Property-based tests of the enumeration over valid random parameters (hypothesis)."""

import math

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from marshallian.models import get_model
from marshallian.models.alternative import build as build_alternative
from marshallian.solvers.equilibrium import solve
from marshallian.solvers.verify import pays

lam = st.floats(0.2, 5.0)
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def standard_params(draw):
    return get_model("standard").params(
        lam_1S=draw(lam),
        lam_2S=draw(lam),
        lam_1N=draw(lam),
        lam_2N=draw(lam),
        alpha=draw(st.floats(0.001, 0.1)),
        Lbar=draw(st.floats(5, 300)),
        L_S=draw(st.floats(1, 600)),
    )


@st.composite
def alternative_params(draw, name="alternative"):
    beta = draw(st.floats(0.05, 0.95))
    alpha = draw(st.floats(0.002, 0.1))
    model = get_model(name)
    p = dict(
        lam_1S=draw(lam),
        lam_2S=draw(lam),
        lam_1N=draw(lam),
        lam_2N=draw(lam),
        beta=beta,
        alpha=alpha,
        L_S=draw(st.floats(1, 600)),
        Lbar_1=(1 - beta) / alpha * draw(st.floats(1.01, 8)),
        Lbar_2=(1 - beta) / alpha * draw(st.floats(1.01, 8)),
        L_N=1e5,
    )
    if name == "dynamic":
        g = draw(st.floats(0.001, 0.1))
        p.update(g=g, eps=g * draw(st.floats(1.05, 5)))
    return model.params(p)


def check_solution(model, sol):
    """Every equilibrium verifies, with consistent stability and income gap."""
    assert len(sol) >= 1  # a small open economy always has an equilibrium
    for e in sol:
        c = e.certificate
        assert c.verified, (e.label, c)
        assert math.isclose(e.income_gap * e.wage, 1.0, rel_tol=1e-12)
        total = sum(a.labor for a in e.activities)
        assert math.isclose(total, sol.params["L_S"], rel_tol=1e-9)
        if e.stable:
            assert not e.degenerate and not e.interior
        # recompute pays from the SymPy model: active pay the wage
        labor = [e.labor(a.sector, a.technology) for a in model.activities]
        pay = pays(model, sol.params, sol.prices, labor)
        for k, _a in enumerate(model.activities):
            if labor[k] > 0:
                assert math.isclose(pay[k], e.wage, rel_tol=1e-7)
            else:
                assert pay[k] <= e.wage * (1 + 1e-7)


@SETTINGS
@given(standard_params())
def test_standard_every_equilibrium_verifies(params):
    check_solution(get_model("standard"), solve("standard", params, warn=False))


@SETTINGS
@given(alternative_params())
def test_alternative_every_equilibrium_verifies(params):
    check_solution(get_model("alternative"), solve("alternative", params, warn=False))


@SETTINGS
@given(alternative_params("dynamic"))
def test_dynamic_every_equilibrium_verifies(params):
    check_solution(get_model("dynamic"), solve("dynamic", params, warn=False))


@settings(max_examples=40, deadline=None)
@given(st.lists(lam, min_size=6, max_size=6), st.floats(0.1, 0.9), st.floats(50, 500))
def test_three_sectors_every_equilibrium_verifies(lams, beta, L_S):
    model = build_alternative(3)
    p = model.params(
        lam_1S=lams[0],
        lam_2S=lams[1],
        lam_3S=lams[2],
        lam_1N=lams[3],
        lam_2N=lams[4],
        lam_3N=lams[5],
        beta=beta,
        L_S=L_S,
        L_N=3000.0,
    )
    check_solution(model, solve(model, p, warn=False))


@SETTINGS
@given(alternative_params())
def test_best_equilibrium_is_a_full_cluster_in_strongest_comparative_advantage(params):
    # §3: the highest income comes from clustering in the sector of strongest comparative
    # advantage, when South's labor suffices for a full cluster there (A6).
    sol = solve("alternative", params, warn=False)
    rel = {j: params[f"lam_{j}S"] / params[f"lam_{j}N"] for j in (1, 2)}
    j_star = max(rel, key=rel.get)
    if params["L_S"] >= params[f"Lbar_{j_star}"]:
        assert math.isclose(sol.best().wage, rel[j_star], rel_tol=1e-9)
