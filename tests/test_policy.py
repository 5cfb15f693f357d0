"""Policy instruments, welfare, adjustment, Mill/Bastable, coordination, PPF (``docs/models.md`` §5)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from marshallian.errors import InvalidParameterError
from marshallian.models import get_model
from marshallian.policy.adjustment import run_policy
from marshallian.policy.coordination import coordination, promote_cluster
from marshallian.policy.instruments import (
    FREE_TRADE,
    policy_equilibria,
    subsidy,
    tariff,
    welfare_vs_tariff,
)
from marshallian.policy.ppf import ppf
from marshallian.policy.welfare import Preferences, preferences

ALT = get_model("alternative")
STD = get_model("standard")


def test_cobb_douglas_and_ces_welfare():
    cd = Preferences({1: 0.5, 2: 0.5})
    p = {1: 1.0, 2: 4.0}
    # e(p) = prod (p_j/mu_j)^mu_j = sqrt(2*8) = 4
    assert cd.unit_expenditure(p) == pytest.approx(4.0)
    assert cd.demand(p, 8.0) == pytest.approx({1: 4.0, 2: 1.0})
    ces = Preferences({1: 0.5, 2: 0.5}, sigma=2.0)
    # e(p) = (0.5/1 + 0.5/4)^(-1) = 1.6
    assert ces.unit_expenditure(p) == pytest.approx(1.6)
    sh = ces.shares(p)
    assert sum(sh.values()) == pytest.approx(1.0) and sh[1] == pytest.approx(0.8)
    # CES tends to Cobb-Douglas as sigma -> 1 (up to the constant prod mu_j^-mu_j)
    near = Preferences({1: 0.5, 2: 0.5}, sigma=1 + 1e-7)
    q = {1: 2.0, 2: 1.0}
    assert near.unit_expenditure(p) / near.unit_expenditure(q) == pytest.approx(
        cd.unit_expenditure(p) / cd.unit_expenditure(q), rel=1e-5
    )


@pytest.mark.parametrize("bad", [{1: -0.5, 2: 1.5}, {1: 0.3, 2: 0.3}, {1: float("nan"), 2: 0.5}])
def test_preferences_reject_bad_weights(bad):
    with pytest.raises(InvalidParameterError):
        Preferences(bad)


def test_free_trade_welfare_is_wage_income():
    out = policy_equilibria(ALT, None, FREE_TRADE)
    assert len(out) == 7  # as the core solve (§3 default calibration)
    for e in out:
        assert e.welfare.income == pytest.approx(e.wage * 200)
        assert e.income_gap == pytest.approx(1 / e.wage)
        assert e.equilibrium.certificate.verified


@pytest.mark.parametrize("bad", [-0.1, float("nan"), float("inf"), True])
def test_bad_rates_raise(bad):
    with pytest.raises(InvalidParameterError):
        tariff(2, bad)
    with pytest.raises(InvalidParameterError):
        subsidy(2, bad)


def test_bad_policy_target_raises():
    with pytest.raises(InvalidParameterError):
        policy_equilibria(ALT, None, subsidy(3, 0.1))
    with pytest.raises(InvalidParameterError):
        policy_equilibria(ALT, None, subsidy(2, 0.1, "steam"))
    with pytest.raises(InvalidParameterError):
        run_policy(ALT, None, tariff(2, 1.0), rho=0.0)
    with pytest.raises(InvalidParameterError):
        run_policy(ALT, None, tariff(2, 1.0), kappa=-1.0)


def test_tariff_positions_and_self_sufficiency():
    # §3 defaults, tariff 3 on good 2: the no-cluster self-sufficient equilibrium employs
    # mu_2 L_S = 100 workers in good 2 (Cobb-Douglas), at p_2 = p_1 lam_1S / lam_2S.
    out = policy_equilibria(ALT, None, tariff(2, 3.0))
    assert len(out) == 9
    ss = [e for e in out if e.label == "1:backward + 2:backward"]
    assert len(ss) == 1 and ss[0].position == "self-sufficient" and ss[0].stable
    e = ss[0]
    assert e.equilibrium.labor(2, "backward") == pytest.approx(100.0)
    assert e.domestic_prices[2] == pytest.approx(0.4 * 1.0 / 0.8)
    assert abs(e.net_imports[2]) < 1e-9 * 200
    assert e.equilibrium.certificate.verified
    for e in out:
        if e.position == "import":
            assert e.net_imports[2] > 0 and e.domestic_prices[2] == pytest.approx(
                4 * out.world_prices[2]
            )
            # rebated revenue: income = V*/(1 - t mu_2)
            assert e.welfare.transfers == pytest.approx(3 * out.world_prices[2] * e.net_imports[2])
        if e.position == "export":
            assert e.net_imports[2] < 0 and e.domestic_prices[2] == out.world_prices[2]


def test_zero_tariff_equals_free_trade():
    a = policy_equilibria(STD, None, tariff(2, 0.0))
    b = policy_equilibria(STD, None, FREE_TRADE)
    assert sorted(e.label for e in a) == sorted(e.label for e in b)
    assert sorted(e.welfare.utility for e in a) == pytest.approx(
        sorted(e.welfare.utility for e in b)
    )


def test_ces_self_sufficient_position_clears_market():
    prefs = preferences(ALT, ALT.params(), sigma=2.0)
    out = policy_equilibria(ALT, None, tariff(2, 3.0), prefs=prefs)
    ss = [e for e in out if e.position == "self-sufficient"]
    assert ss
    for e in ss:
        assert e.market_residual < 1e-8


def test_subsidy_to_modern_technology():
    # subsidy s to 1:modern: the interior equilibrium's modern labor solves
    # (1+s)(beta + alpha m) = 1, i.e. m = (1/(1+s) - beta)/alpha (§3).
    s = 0.5
    out = policy_equilibria(ALT, None, subsidy(1, s, "modern"))
    inter = [e for e in out if e.label == "1:backward + 1:modern[rising]"]
    assert len(inter) == 1
    assert inter[0].equilibrium.labor(1, "modern") == pytest.approx((1 / 1.5 - 0.5) / 0.02)
    assert all(e.equilibrium.certificate.verified for e in out)
    # consumers pay world prices and the tax: income = value of output at world prices
    for e in out:
        assert e.welfare.income == pytest.approx(
            sum(out.world_prices[j] * e.output[j] for j in (1, 2))
        )


def test_coordination_critical_mass_and_subsidy():
    c = coordination(ALT)
    # §3: critical mass (1-beta)/alpha = 25, smallest subsidy 1/beta - 1 = 1
    assert c.activity == (1, "modern")
    assert c.critical_mass == pytest.approx(25.0)
    assert c.min_subsidy == pytest.approx(1.0)
    assert c.reaches_target and c.run.mill and c.run.bastable
    assert c.welfare_gain > 0


def test_mill_test_standard_model_follows_ca():
    # §2: temporary tariff on good 2 from specialization in 1 (mu_2 L_S >= Lbar)
    on = run_policy(STD, dict(lam_2S=1.2), tariff(2, 1.5), duration=None)
    off = run_policy(STD, dict(lam_2S=0.9), tariff(2, 1.5), duration=None)
    assert on.established and on.survives and on.mill
    assert on.reached.label == "2:standard"
    assert off.established and not off.survives and off.mill is False
    assert off.costs > 0 and off.gains == 0 and off.bastable is False


def test_bastable_depends_on_discount_rate():
    slow = dict(lam_2S=1.02)  # small long-run gain, costly transition
    lo = run_policy(STD, slow, tariff(2, 1.5), duration=None, rho=0.001)
    hi = run_policy(STD, slow, tariff(2, 1.5), duration=None, rho=2.0)
    assert lo.mill and hi.mill
    assert lo.net_benefit / lo.costs > hi.net_benefit / hi.costs
    assert lo.bastable and not hi.bastable


def test_promotion_a8_default_and_distorted():
    pr = promote_cluster(ALT, None, 2)
    assert not pr.distorted and pr.welfare_change > 0
    pr = promote_cluster(ALT, dict(lam_2S=0.3), 2)  # (*) fails: 1/0.3 > theta_1 = 2.5
    assert pr.distorted and pr.subsidy == pytest.approx((1 / 0.3) / 2.5 - 1)
    assert pr.welfare_change < 0


def test_welfare_vs_tariff_arrays():
    out = welfare_vs_tariff(ALT, None, 2, [0.0, 0.5, 3.0])
    assert out["best_utility"].shape == (3,)
    assert out["n_equilibria"].tolist() == [7, 7, 9]
    # a tariff never raises the best welfare of this small open economy above free trade
    assert np.all(out["best_utility"] <= out["best_utility"][0] + 1e-9)
    with pytest.raises(InvalidParameterError):
        welfare_vs_tariff(ALT, None, 2, [-1.0])


def test_ppf_standard_figure_1():
    f = ppf(STD, None, 201)
    assert f.mrt[0] == pytest.approx(f.mrt_nc)  # slope at the good-1 corner
    assert f.kink_Q2 == pytest.approx(1.2 * 2.0 * 100)  # lam_2S theta Lbar
    beyond = f.Q2 > f.kink_Q2
    assert np.allclose(f.mrt[beyond], 1 / (1.2 * 2.0))  # lam_1S/(theta lam_2S)
    with pytest.raises(InvalidParameterError):
        ppf(get_model("dynamic"))


@settings(max_examples=15, deadline=None)
@given(tau=st.floats(0.0, 10.0), mu=st.floats(0.2, 0.8))
def test_every_tariff_equilibrium_is_certified(tau, mu):
    out = policy_equilibria(ALT, dict(mu_1=mu, mu_2=1 - mu), tariff(2, tau))
    assert len(out) >= 1
    for e in out:
        assert e.equilibrium.certificate.verified
        assert e.market_residual < 1e-8
        p2 = e.domestic_prices[2]
        assert (
            out.world_prices[2] * (1 - 1e-9) <= p2 <= out.world_prices[2] * (1 + tau) * (1 + 1e-9)
        )


@pytest.mark.parametrize("sigma", [None, 0.5, 2.0])
def test_adjustment_evaluator_agrees_with_static_tariff_equilibria(sigma):
    # Two independent codes: the static enumeration (positions by labor shares, block
    # decomposition) and the out-of-equilibrium evaluator (positions by demand at outputs).
    from marshallian.policy.adjustment import Evaluator

    prefs = preferences(ALT, ALT.params(), sigma=sigma)
    out = policy_equilibria(ALT, None, tariff(2, 3.0), prefs=prefs)
    ev = Evaluator(ALT, ALT.params(), tariff(2, 3.0), prefs, out.world_prices)
    for e in out:
        labor = [e.equilibrium.labor(a.sector, a.technology) for a in ALT.activities]
        pays, dom, income, u, position = ev.state(labor)
        assert position == e.position
        assert dom[2] == pytest.approx(e.domestic_prices[2], rel=1e-7)
        assert u == pytest.approx(e.welfare.utility, rel=1e-7)
        active = [k for k, x in enumerate(labor) if x > 0]
        assert np.allclose(pays[active], e.wage, rtol=1e-7)


def test_outcomes_serialise_to_json():
    import json

    out = policy_equilibria(ALT, None, tariff(2, 3.0))
    json.dumps(out.to_dict(), allow_nan=False)
    assert "<table>" in out._repr_html_()
    run = run_policy(STD, None, tariff(2, 1.5), duration=5.0)
    json.dumps(run.to_dict(), allow_nan=False)
    c = coordination(ALT)
    json.dumps(c.to_dict(), allow_nan=False)
    assert c.crossing_time is not None and c.crossing_time > 0


@settings(max_examples=15, deadline=None)
@given(
    s=st.floats(0.0, 5.0),
    tech=st.sampled_from([None, "modern", "backward"]),
    j=st.sampled_from([1, 2]),
)
def test_every_subsidy_equilibrium_is_certified(s, tech, j):
    out = policy_equilibria(ALT, None, subsidy(j, s, tech))
    assert len(out) >= 1
    for e in out:
        assert e.equilibrium.certificate.verified
        assert e.welfare.transfers <= 1e-9 * e.welfare.income  # a tax, never a transfer in


def test_tariff_in_dynamic_steady_state_model():
    # §4 steady states: sector factors enter the self-sufficient blocks (regression)
    dyn = get_model("dynamic")
    out = policy_equilibria(dyn, None, tariff(2, 3.0))
    ss = [e for e in out if e.position == "self-sufficient"]
    assert ss and all(e.equilibrium.certificate.verified for e in out)
    assert all(e.equilibrium.sector_factor for e in ss)


# --------------------------------------------------------------------------- issue 13
def _gap_utility_pairs(outcome):
    return [(e.income_gap, e.welfare.utility) for e in outcome.equilibria]


def test_tariff_raises_the_income_gap_as_welfare_falls():
    # issue 13: with the gap measured at domestic income, a tariff of 0.5 made the gap fall
    # from 2.5 to 2.0833 while utility fell from 118.32 to 115.93. Measured as North's
    # income per worker over South's real income per worker at world prices, it rises.
    free = policy_equilibria(ALT, None, FREE_TRADE)
    taxed = policy_equilibria(ALT, None, tariff(2, 0.5))
    sq_free = next(e for e in free if e.label == "1:backward")
    sq_taxed = next(e for e in taxed if e.label == "1:backward" and e.position == "import")
    assert sq_free.income_gap == pytest.approx(2.5, rel=1e-12)
    assert sq_taxed.welfare.utility < sq_free.welfare.utility
    assert sq_taxed.income_gap > sq_free.income_gap
    # y* = e(p*) U: the gap is L_S / (e(p*) U)
    e_star = preferences(ALT, ALT.params()).unit_expenditure(taxed.world_prices)
    assert sq_taxed.income_gap == pytest.approx(
        200 / (e_star * sq_taxed.welfare.utility), rel=1e-12
    )


def test_large_tariff_never_makes_south_richer_than_north_on_paper():
    # issue 13: with --status-quo 0 and a large tariff the old gap fell below 1
    out = policy_equilibria(ALT, None, tariff(2, 5.0))
    best_free = policy_equilibria(ALT, None, FREE_TRADE).best()
    assert best_free.income_gap == pytest.approx(1.0)
    assert all(e.income_gap >= best_free.income_gap * (1 - 1e-12) for e in out)


@settings(max_examples=40, deadline=None)
@given(
    lam=st.tuples(*[st.floats(0.6, 1.6)] * 4),
    beta=st.floats(0.3, 0.8),
    theta=st.tuples(st.floats(1.2, 3.0), st.floats(1.2, 3.0)),
    mu=st.floats(0.25, 0.75),
    kind=st.sampled_from(["tariff", "subsidy", "modern-subsidy"]),
    sector=st.sampled_from([1, 2]),
    rate=st.floats(0.05, 3.0),
    sigma=st.sampled_from([None, 0.6, 2.5]),
)
def test_property_gap_moves_opposite_to_welfare(lam, beta, theta, mu, kind, sector, rate, sigma):
    # across random calibrations and policies the income gap and utility move in opposite
    # directions (gap = L_S/(e(p*) U)), and under free trade the gap is 1/w
    alpha = 0.02
    p = {
        "lam_1S": lam[0],
        "lam_2S": lam[1],
        "lam_1N": lam[2],
        "lam_2N": lam[3],
        "beta": beta,
        "alpha": alpha,
        "Lbar_1": (theta[0] - beta) / alpha,
        "Lbar_2": (theta[1] - beta) / alpha,
        "mu_1": mu,
        "mu_2": 1 - mu,
    }
    p["L_N"] = 1.2 * max(p["Lbar_1"] / mu, p["Lbar_2"] / (1 - mu))
    p["L_S"] = 1.5 * max(p["Lbar_1"], p["Lbar_2"])
    params = ALT.params(p)
    prefs = preferences(ALT, params, sigma=sigma)
    free = policy_equilibria(ALT, params, FREE_TRADE, prefs=prefs)
    for e in free:
        assert e.income_gap == pytest.approx(1 / e.wage, rel=1e-12)
    pol = {
        "tariff": tariff(sector, rate),
        "subsidy": subsidy(sector, rate),
        "modern-subsidy": subsidy(sector, rate, "modern"),
    }[kind]
    pairs = _gap_utility_pairs(free) + _gap_utility_pairs(
        policy_equilibria(ALT, params, pol, prefs=prefs)
    )
    for g1, u1 in pairs:
        for g2, u2 in pairs:
            if abs(u1 - u2) > 1e-9 * max(u1, u2):
                assert (g1 - g2) * (u1 - u2) < 0, (g1, u1, g2, u2)


def test_coordination_toward_a_named_equilibrium():
    # issue 13: target="2:modern" raised AttributeError: 'str' object has no attribute 'welfare'
    c = coordination(ALT, target="2:modern")
    assert c.target.label == "2:modern" and c.activity == (2, "modern")
    # §3: the critical mass separating no cluster from a cluster in good 2 (with good 1
    # backward alongside) is an interior equilibrium with good 2's modern labor rising
    assert c.threshold.equilibrium.interior and c.reaches_target
    from marshallian.solvers import solve

    eq = solve(ALT, warn=False).find(sector=2, technology="modern")
    by_equilibrium = coordination(ALT, target=[e for e in eq if e.label == "2:modern"][0])
    assert by_equilibrium.target.label == "2:modern"
    assert by_equilibrium.critical_mass == pytest.approx(c.critical_mass)


@pytest.mark.parametrize("target", ["2:backward", "3:modern", "nonsense", 99, 2.5])
def test_coordination_rejects_a_target_that_does_not_exist(target):
    with pytest.raises(InvalidParameterError, match="target"):
        coordination(ALT, target=target)


def test_promotion_toward_a_named_specialization():
    pr = promote_cluster(ALT, target="1:modern")
    assert pr.sector == 1 and pr.equilibrium.label == "1:modern" and not pr.distorted
    with pytest.raises(InvalidParameterError, match="target"):
        promote_cluster(ALT, target="1:modern + 2:modern")
    with pytest.raises(InvalidParameterError, match="target"):
        promote_cluster(STD, target="2:modern")


def test_instruments_that_exist_and_equal_default_rates():
    from marshallian.policy.comparison import (
        DEFAULT_RATE,
        available_instruments,
        compare_instruments,
    )

    # §2 has no modern technology: no modern-subsidy row (issue 13: it was shown)
    assert "modern-subsidy" not in available_instruments(STD)
    assert "modern-subsidy" in available_instruments(ALT)
    with pytest.raises(InvalidParameterError, match="modern-subsidy"):
        compare_instruments(STD, instruments=("modern-subsidy",))
    c = compare_instruments(STD, instruments=("temporary-tariff", "subsidy", "tariff"))
    assert c["temporary-tariff"].extra["rate"] == c["subsidy"].extra["rate"] == DEFAULT_RATE
    # at equal rates the production subsidy costs less than the tariff (classic ranking)
    assert c["subsidy"].extra["costs"] < c["temporary-tariff"].extra["costs"]
    assert c["subsidy"].comparable and c["temporary-tariff"].comparable
    assert not c["tariff"].comparable and "permanent" in c["tariff"].note
    c2 = compare_instruments(STD, instruments=("temporary-tariff", "subsidy"), tariff_rate=1.5)
    assert "differs" in c2["temporary-tariff"].note and "differs" in c2["subsidy"].note


def test_policy_cli_rows_only_for_instruments_of_the_model(capsys):
    import json

    from marshallian.cli import main

    assert (
        main(["policy", "standard", "--format", "json", "--instruments", "free-trade,subsidy"]) == 0
    )
    rows = json.loads(capsys.readouterr().out)["rows"]
    assert [r["instrument"] for r in rows] == ["free-trade", "subsidy"]
    assert all("comparable" in r and "note" in r for r in rows)
    assert main(["policy", "standard", "--instruments", "modern-subsidy"]) == 2
    err = capsys.readouterr().err.strip()
    assert "modern-subsidy" in err and "does not exist" in err and "\n" not in err
