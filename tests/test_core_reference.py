"""Reference values from Rodríguez-Clare (2007), §2–§4, for the core enumeration.

Counts of equilibria are asserted before their values.
"""

import pytest

from marshallian.errors import DegenerateEquilibriumWarning, InvalidParameterError
from marshallian.models import get_model
from marshallian.models.alternative import build as build_alternative
from marshallian.solvers.equilibrium import north_equilibria, select_north, solve

REL = 1e-12


def by_activities(sol):
    return {tuple((a.sector, a.technology, a.state) for a in e.activities): e for e in sol}


# --------------------------------------------------------------------------- §2
def test_standard_world_prices_are_north_autarky_prices():
    # §2: p1* = 1/lam_1N, p2* = 1/(theta lam_2N) with theta = 1 + alpha*Lbar (L_2N > Lbar)
    p = dict(lam_1N=2.0, lam_2N=0.5, alpha=0.02, Lbar=100.0)
    sol = solve("standard", p)
    assert sol.prices[1] == pytest.approx(1 / 2.0, rel=REL)
    assert sol.prices[2] == pytest.approx(1 / (3.0 * 0.5), rel=REL)


def test_standard_under_CA_has_both_specialisations_and_an_interior_one():
    # §2, condition (CA) lam_2S/lam_1S > lam_2N/lam_1N and (lam_2S/lam_1S)/(lam_2N/lam_1N) < theta
    sol = solve("standard", dict(lam_1S=1.0, lam_2S=1.2, lam_1N=1.0, lam_2N=1.0))
    assert len(sol) == 3
    eqs = by_activities(sol)
    spec2 = eqs[((2, "standard", "capped"),)]
    spec1 = eqs[((1, "standard", "flat"),)]
    # §2: "the equilibrium with specialization in good j has w = lam_jS/lam_jN"
    assert spec2.wage == pytest.approx(1.2, rel=REL) and spec2.stable
    assert spec1.wage == pytest.approx(1.0, rel=REL) and spec1.stable
    assert spec2.income_gap < spec1.income_gap
    interior = [e for e in sol if e.interior]
    assert len(interior) == 1 and not interior[0].stable
    # critical mass: p2* lam_2S (1 + alpha L2) = w = p1* lam_1S  ->  L2 = (theta/1.2 - 1)/alpha
    assert interior[0].labor(2, "standard") == pytest.approx((2.0 / 1.2 - 1) / 0.01, rel=1e-10)


def test_standard_S1_equal_productivities_knife_edge():
    # §2 with lam_ji = 1: specialisation in 1 and in 2 are both equilibria with w = 1; the
    # good-2 one is weak (good 1 pays exactly w) and a continuum L2 in [Lbar, L_S] joins them.
    with pytest.warns(DegenerateEquilibriumWarning):
        sol = solve("standard", dict(lam_1S=1.0, lam_2S=1.0, lam_1N=1.0, lam_2N=1.0))
    assert len(sol) == 3
    assert all(e.wage == pytest.approx(1.0, rel=REL) for e in sol)
    eqs = by_activities(sol)
    assert eqs[((1, "standard", "flat"),)].stable
    weak = eqs[((2, "standard", "capped"),)]
    assert weak.degenerate and "weak" in weak.degeneracy
    cont = [e for e in sol if e.degeneracy and "continuum" in e.degeneracy]
    assert len(cont) == 1
    ends = sorted(
        v_labor for v in cont[0].vertices for v_labor in [sum(a.labor for a in v if a.sector == 2)]
    )
    assert ends == pytest.approx([100.0, 200.0])


@pytest.mark.parametrize("ratio, expected", [(0.8, False), (1.2, True), (1.9, True)])
def test_standard_S3_spec2_exists_iff_CA(ratio, expected):
    # §2: specialisation in 2 is an equilibrium iff (CA), given L_S > Lbar
    sol = solve("standard", dict(lam_2S=ratio), warn=False)
    assert (((2, "standard", "capped"),) in by_activities(sol)) is expected


@pytest.mark.parametrize("ratio, expected", [(1.5, True), (2.5, False)])
def test_standard_S2_spec1_exists_iff_weaker_than_theta(ratio, expected):
    # §2: spec. in 1 is an equilibrium iff (lam_2S/lam_1S)/(lam_2N/lam_1N) < theta (= 2 here)
    sol = solve("standard", dict(lam_2S=ratio), warn=False)
    assert (((1, "standard", "flat"),) in by_activities(sol)) is expected


# --------------------------------------------------------------------------- §3
def test_alternative_default_equilibria_and_gaps():
    sol = solve("alternative")
    assert len(sol) == 7
    assert len(sol.stable) == 3
    eqs = by_activities(sol)
    lam_1S, lam_2S, lam_1N, lam_2N, theta_1 = 1.0, 0.8, 1.0, 1.0, 2.5
    # §3: spec. in 1 with cluster, gap lam_1N/lam_1S
    assert eqs[((1, "modern", "capped"),)].income_gap == pytest.approx(lam_1N / lam_1S, rel=REL)
    # §3: spec. in 1 without cluster, gap theta_1 lam_1N/lam_1S
    assert eqs[((1, "backward", "flat"),)].income_gap == pytest.approx(
        theta_1 * lam_1N / lam_1S, rel=REL
    )
    # §3: spec. in 2 with cluster, gap lam_2N/lam_2S (exists since (*) holds: 1.25 < 2.5)
    assert eqs[((2, "modern", "capped"),)].income_gap == pytest.approx(lam_2N / lam_2S, rel=REL)
    # §3 mixed (unstable) equilibrium: modern labor (1 - beta)/alpha = 25
    mixed = eqs[((1, "backward", "flat"), (1, "modern", "rising"))]
    assert not mixed.stable and mixed.labor(1, "modern") == pytest.approx(25.0, rel=1e-12)
    assert all(e.certificate.verified for e in sol)


def test_alternative_A2_equal_productivities():
    # §3, lam_ji = 1 and theta_j = theta: cluster equilibria have gap 1, no-cluster gap theta.
    p = dict(lam_1S=1.0, lam_2S=1.0, lam_1N=1.0, lam_2N=1.0, Lbar_1=100.0, Lbar_2=100.0)
    sol = solve("alternative", p, warn=False)
    eqs = by_activities(sol)
    assert eqs[((1, "modern", "capped"),)].income_gap == pytest.approx(1.0, rel=REL)
    assert eqs[((2, "modern", "capped"),)].income_gap == pytest.approx(1.0, rel=REL)
    no_cluster = [e for e in sol if all(c == "none" for c in e.clusters.values())]
    assert no_cluster and all(e.income_gap == pytest.approx(2.5, rel=REL) for e in no_cluster)
    # the no-trade, no-cluster outcome is a continuum between the two backward sectors
    assert any(e.degeneracy == "continuum" for e in no_cluster)


def test_alternative_spec2_needs_condition_star():
    # §3 (*): (lam_1S/lam_1N)/(lam_2S/lam_2N) < theta_1 (= 2.5 by default)
    holds = solve("alternative", dict(lam_2S=0.5))  # ratio 2.0
    fails = solve("alternative", dict(lam_2S=0.3))  # ratio 3.33
    assert ((2, "modern", "capped"),) in by_activities(holds)
    assert ((2, "modern", "capped"),) not in by_activities(fails)


def test_north_A1_four_stable_equilibria():
    # footnote 13: with both sectors able to cluster, North has four stable equilibria
    norths = north_equilibria("alternative")
    stable = [n for n in norths if n.stable]
    assert len(stable) == 4
    assert len(norths) == 9  # 3 configurations (backward, cluster, mixed) per sector
    assert {tuple(n.configuration.values()) for n in stable} == {
        ("cluster", "cluster"),
        ("cluster", "backward"),
        ("backward", "cluster"),
        ("backward", "backward"),
    }
    # the paper's choice (default): full clusters, p_j* = 1/(theta_j lam_jN)
    default = select_north("alternative", None)
    assert default.configuration == {1: "cluster", 2: "cluster"}
    assert default.prices[1] == pytest.approx(1 / 2.5) and default.prices[2] == pytest.approx(
        1 / 3.5
    )


def test_north_choice_changes_prices():
    sol = solve("alternative", north={1: "backward", 2: "cluster"})
    assert sol.prices[1] == pytest.approx(1.0)
    assert sol.north.configuration == {1: "backward", 2: "cluster"}
    with pytest.raises(InvalidParameterError, match="north"):
        solve("alternative", north={1: "sideways"})


def test_north_partial_cluster_when_sector_is_small():
    # mu_1 L_N < Lbar_1: North's cluster in 1 is partial, productivity beta + alpha mu_1 L_N
    p = dict(L_N=150.0, mu_1=0.5, mu_2=0.5)  # 75 < Lbar_1 = 100; beta + alpha*75 = 2 > 1
    north = select_north("alternative", get_model("alternative").params(p))
    assert north.productivity[1] == pytest.approx(0.5 + 0.02 * 75)


# --------------------------------------------------------------------------- §4
def test_dynamic_steady_state_gaps():
    g, eps = 0.02, 0.05
    a_hat = 1 - g / eps
    sol = solve("dynamic")
    eqs = by_activities(sol)
    # §4: spec. in 1 with cluster gap lam_1N/lam_1S; without (theta_1/a_hat) lam_1N/lam_1S
    assert eqs[((1, "modern", "capped"),)].income_gap == pytest.approx(1.0, rel=REL)
    assert eqs[((1, "backward", "flat"),)].income_gap == pytest.approx(2.5 / a_hat, rel=REL)
    assert all(e.certificate.verified for e in sol)


# --------------------------------------------------------------------------- general J
def test_three_sector_model_needs_no_new_solver_code():
    model = build_alternative(3)
    lam_S = {1: 1.0, 2: 0.9, 3: 0.7}  # lam_jS; every lam_jN = 1
    lams = {f"lam_{j}S": lam for j, lam in lam_S.items()} | {f"lam_{j}N": 1.0 for j in lam_S}
    p = model.params(lams, L_S=300.0, L_N=3000.0)
    sol = solve(model, p)
    assert len(sol) > 0
    assert all(e.certificate.verified for e in sol)
    eqs = by_activities(sol)
    for j, lam in lam_S.items():
        # a full cluster in j pays w = lam_jS/lam_jN, whenever it is an equilibrium
        e = eqs.get(((j, "modern", "capped"),))
        if e is not None:
            assert e.wage == pytest.approx(lam, rel=REL)
    assert ((1, "modern", "capped"),) in eqs


# --------------------------------------------------------------------------- invariance
def solve_with_scaled_lams(model, country, c):
    """Pairs (default equilibrium, the one with every lam_j{country} times c), same count."""
    base = solve(model)
    p = {k: v * c for k, v in base.params.items() if k.startswith("lam_") and k.endswith(country)}
    scaled = solve(model, p)
    assert len(scaled) == len(base)
    return zip(base, scaled)


@pytest.mark.parametrize("c", [1e-3, 7.0, 1e4])
def test_scaling_south_productivities_scales_wages(c):
    for e0, e1 in solve_with_scaled_lams("alternative", "S", c):
        assert e1.wage == pytest.approx(c * e0.wage, rel=1e-10)
        assert [a.labor for a in e1.activities] == pytest.approx([a.labor for a in e0.activities])


@pytest.mark.parametrize("c", [1e-3, 7.0, 1e4])
def test_scaling_north_productivities_scales_wages_inversely(c):
    for e0, e1 in solve_with_scaled_lams("standard", "N", c):
        assert e1.wage == pytest.approx(e0.wage / c, rel=1e-10)


# --------------------------------------------------------------------------- exact mode
def test_exact_mode_agrees_with_floats():
    fl = solve("alternative")
    ex = solve("alternative", exact=True)
    assert len(fl) == len(ex)
    for a, b in zip(fl, ex):
        assert a.wage == pytest.approx(float(b.exact_wage), rel=1e-12)
        assert b.certificate.verified and b.certificate.max_pay_residual == 0


def test_parameters_collect_all_violations():
    with pytest.raises(InvalidParameterError) as err:
        get_model("alternative").params(beta=1.5, lam_1S=-1.0, nope=3.0)
    names = {v.name for v in err.value.violations}
    assert {"beta", "lam_1S", "nope"} <= names
    assert "lam_1S" in str(err.value)
