"""§4 paths: closed forms (SymPy dsolve) against solve_ivp, limits, income gap, questions."""

from __future__ import annotations

import math

import numpy as np
import pytest
import sympy as sp
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from marshallian.errors import InvalidParameterError
from marshallian.models import get_model
from marshallian.solvers import dynamics as dyn
from marshallian.solvers.dynamics import Path, path
from marshallian.solvers.equilibrium import solve

MODEL = get_model("dynamic")
P = MODEL.params()  # defaults: g=0.02, eps=0.05, theta_1=2.5, theta_2=3.5
A_HAT = 1 - P["g"] / P["eps"]  # 0.6


# --------------------------------------------------------------------------- closed forms
def test_closed_forms_solve_their_odes_symbolically():
    ex = dyn.closed_form_expressions()
    s = ex["symbols"]
    t, a0, eps, r, k = s["t"], s["a0"], s["eps"], s["r"], s["k"]
    logistic = ex["logistic"].subs(s["z"], sp.exp(-r * t))
    linear = ex["linear"].subs(s["z"], sp.exp(-k * t))
    assert sp.simplify(logistic.diff(t) - logistic * (r - eps * logistic)) == 0
    assert sp.simplify(linear.diff(t) - (eps - k * linear)) == 0
    assert sp.simplify(logistic.subs(t, 0) - a0) == 0
    assert sp.simplify(linear.subs(t, 0) - a0) == 0


def _ode_a(a0, d, eps, t, law):
    """Reference: the scalar equation for log a integrated with tight tolerances.

    The right-hand side has a kink where a crosses 1 (x = log a = 0): the integration stops
    there (an event) and restarts on the other side, so the reference keeps its accuracy
    across the kink instead of smearing it over one step.
    """
    from scipy.integrate import solve_ivp

    psi = np.minimum if law == "min" else np.maximum

    def f(_t, y):
        x = y[0]
        return [-d + eps * (1 - psi(np.exp(x), 1.0)) - eps * (1 - psi(np.exp(-x), 1.0))]

    def kink(_t, y):
        return y[0]

    kink.terminal = True

    out = np.empty_like(t, dtype=float)
    t0, x0 = 0.0, math.log(a0)
    for _ in range(4):  # a solution crosses a = 1 at most once or twice
        sol = solve_ivp(
            f,
            (t0, t[-1]),
            [x0],
            rtol=1e-13,
            atol=1e-15,
            method="DOP853",
            max_step=(t[-1] - t[0]) / 400,
            events=kink if x0 != 0.0 else None,
            dense_output=True,
        )
        assert sol.status in (0, 1)
        upto = (t >= t0) & (t <= sol.t[-1])
        out[upto] = np.exp(sol.sol(t[upto])[0])
        if sol.status == 0:
            break
        t0, x0 = sol.t[-1], 0.0  # restart exactly on the kink
    return out


@pytest.mark.parametrize("law", ["min", "max"])
@pytest.mark.parametrize("a0", [0.05, 0.6, 1.0, 1.7])
@pytest.mark.parametrize("d", [0.02, 0.0, -0.015, 0.01])
def test_closed_form_matches_scalar_integration(law, a0, d):
    t = np.linspace(0, 800, 401)
    a = dyn.relative_productivity(a0, d, 0.05, t, law)
    assert a.shape == t.shape
    ref = _ode_a(a0, d, 0.05, t, law)
    assert np.max(np.abs(a / ref - 1)) < 1e-8
    assert abs(a[-1] - float(dyn.steady_state(d, 0.05, law))) < 1e-4


def test_closed_form_is_vectorized_over_paths_and_times():
    a0 = np.array([0.2, 0.9, 1.4])[:, None]
    t = np.linspace(0, 50, 11)[None, :]
    a = dyn.relative_productivity(a0, 0.02, 0.05, t)
    assert a.shape == (3, 11)
    for i in range(3):
        assert np.allclose(
            a[i], dyn.relative_productivity(float(a0[i, 0]), 0.02, 0.05, t[0]), rtol=0, atol=0
        )


def test_steady_states_of_section_4():
    # §4: a-hat = 1 - g/eps without a cluster (d = g); a -> 1 with a full one (d = 0);
    # partial cluster: 1 - (g/eps)(1 - m/Lbar), i.e. d = g (1 - m/Lbar)
    assert float(dyn.steady_state(0.02, 0.05)) == pytest.approx(0.6, rel=1e-14)
    assert float(dyn.steady_state(0.0, 0.05)) == 1.0
    m, Lbar = 40.0, 100.0
    assert float(dyn.steady_state(0.02 * (1 - m / Lbar), 0.05)) == pytest.approx(
        1 - 0.4 * (1 - m / Lbar), rel=1e-14
    )


@pytest.mark.parametrize("law", ["min", "max"])
@pytest.mark.parametrize("a0,d", [(0.3, 0.02), (1.5, 0.02), (0.3, -0.02), (1.5, 0.0), (0.7, 0.01)])
def test_time_to_reach_inverts_the_path(law, a0, d):
    limit = float(dyn.steady_state(d, 0.05, law))
    target = a0 + 0.37 * (limit - a0)
    tt = float(dyn.time_to_reach(a0, d, 0.05, target, law))
    assert 0 < tt < math.inf
    assert float(dyn.relative_productivity(a0, d, 0.05, tt, law)) == pytest.approx(
        target, rel=1e-10
    )
    # a target beyond the limit is never reached
    beyond = limit + (0.1 if limit > a0 else -0.1)
    assert float(dyn.time_to_reach(a0, d, 0.05, beyond, law)) == math.inf


# --------------------------------------------------------------------------- law of motion
def test_law_of_motion_min_leader_grows_at_g_follower_catches_up():
    dS, dN = dyn.law_of_motion(0.6, 1.0, 0.0, 100.0, 0.02, 0.05, 100.0)
    assert float(dN) == pytest.approx(0.02, rel=1e-14)  # leader: learning only
    assert float(dS) == pytest.approx(0.6 * 0.05 * 0.4, rel=1e-14)  # follower: spillovers


def test_law_of_motion_max_typo_makes_the_leader_fall():
    # the paper's printed max: leader's spillover eps (1 - A_N/A_S) < 0 -> falls when
    # A_N/A_S > 1 + g/eps; the follower gets nothing
    dS, dN = dyn.law_of_motion(0.6, 1.0, 0.0, 100.0, 0.02, 0.05, 100.0, law="max")
    assert float(dS) == 0.0
    assert float(dN) == pytest.approx(0.02 + 0.05 * (1 - 1 / 0.6), rel=1e-14)
    assert float(dN) < 0
    with pytest.raises(InvalidParameterError, match="law"):
        dyn.law_of_motion(0.6, 1.0, 0.0, 100.0, 0.02, 0.05, 100.0, law="mean")


def test_max_law_path_shows_the_leader_falling():
    p = path(sector=1, technology="backward", law="max", t_max=30, points=31)
    assert p.certificate.verified
    assert p.north_growth_rate[1][0] < 0
    traj = dyn.integrate(None, [dyn.Phase(0, {(1, "backward"): P["L_S"]})], p.t, law="max")
    assert np.diff(traj.log_A_N[1])[0] < 0  # North's A_1N falls outright
    pmin = path(sector=1, technology="backward", t_max=30, points=31)
    assert np.all(pmin.north_growth_rate[1] >= P["g"] * (1 - 1e-12))


# --------------------------------------------------------------------------- paths
CASES = [
    ({}, 1, "modern"),
    ({}, 1, "backward"),
    ({}, 2, "modern"),
    ({}, 2, "backward"),
    ({"a0_1": 1.5}, 1, "modern"),
    ({"a0_1": 1.5, "a0_2": 2.0}, 1, "backward"),
    ({"L_S": 40.0}, 1, "modern"),
    ({"a0_1": 1.0, "a0_2": 0.01}, 2, "modern"),
]


@pytest.mark.parametrize("over,sector,tech", CASES)
def test_path_closed_form_agrees_with_solve_ivp(over, sector, tech):
    p = path(over, sector=sector, technology=tech, t_max=250, points=251)
    assert isinstance(p, Path)
    assert p.certificate.max_relative_difference < 1e-8
    assert p.certificate.verified
    q = path(over, sector=sector, technology=tech, t_max=250, points=251, method="ode")
    for j in (1, 2):
        assert np.max(np.abs(p.relative_productivity[j] / q.relative_productivity[j] - 1)) < 1e-8
    assert np.max(np.abs(p.income_gap / q.income_gap - 1)) < 1e-8


def test_north_backward_in_a_sector_lets_south_overtake():
    # North backward in 1 (d = -g): a -> eps/(eps - g) > 1, crossing A_S = A_N
    p = path(
        {"a0_1": 0.5},
        sector=1,
        technology="modern",
        north={1: "backward", 2: "cluster"},
        t_max=400,
        points=401,
    )
    assert p.certificate.verified
    assert p.limit_relative_productivity[1] == pytest.approx(0.05 / 0.03, rel=1e-12)
    assert p.relative_productivity[1][-1] > 1.6


def test_income_gap_limits_modern_and_backward():
    lam = {"lam_1S": 0.7, "lam_1N": 1.3, "lam_2S": 0.5, "lam_2N": 1.1}
    pm = path(lam, sector=1, technology="modern", t_max=600, points=3)
    assert pm.limit_income_gap == pytest.approx(1.3 / 0.7, rel=1e-12)  # λ1N/λ1S
    assert pm.income_gap[-1] == pytest.approx(1.3 / 0.7, rel=1e-6)
    pb = path(lam, sector=1, technology="backward", t_max=600, points=3)
    theta1 = P["beta"] + P["alpha"] * P["Lbar_1"]
    assert pb.limit_income_gap == pytest.approx(theta1 / A_HAT * 1.3 / 0.7, rel=1e-12)
    assert pb.income_gap[-1] == pytest.approx(theta1 / A_HAT * 1.3 / 0.7, rel=1e-6)


@pytest.mark.parametrize("sector,tech", [(1, "modern"), (1, "backward"), (2, "modern")])
def test_path_limits_are_the_steady_state_equilibria(sector, tech):
    sol = solve("dynamic", P)
    eq = [
        e
        for e in sol.equilibria
        if e.stable
        and len(e.activities) == 1
        and (e.activities[0].sector, e.activities[0].technology) == (sector, tech)
    ]
    assert len(eq) == 1
    p = path(sector=sector, technology=tech, t_max=10, points=2)
    assert p.limit_income_gap == pytest.approx(eq[0].income_gap, rel=1e-12)
    for j in (1, 2):
        assert p.limit_relative_productivity[j] == pytest.approx(eq[0].sector_factor[j], rel=1e-12)


def test_partial_cluster_limit_matches_the_model_sector_factor():
    # L_S < Lbar_1: a -> 1 - (g/eps)(1 - L_S/Lbar_1), the dynamic model's a_1(m)
    p = path({"L_S": 40.0}, sector=1, technology="modern", t_max=10, points=2)
    assert p.limit_relative_productivity[1] == pytest.approx(1 - 0.4 * (1 - 0.4), rel=1e-12)


def test_income_gap_is_inverse_of_south_wage_at_world_prices():
    # w_S(t) = p_1(t) λ_1S A_1S(t) θ_1, p_1(t) = 1/(λ_1N θ_1 A_1N(t)), North wage 1
    over = {"lam_1S": 0.9, "lam_1N": 1.2, "a0_1": 0.3}
    params = MODEL.params(over)
    t = np.linspace(0, 80, 41)
    traj = dyn.integrate(params, [dyn.Phase(0, {(1, "modern"): params["L_S"]})], t)
    theta1 = params["beta"] + params["alpha"] * params["Lbar_1"]
    price = 1 / (params["lam_1N"] * theta1 * np.exp(traj.log_A_N[1]))
    wage = price * params["lam_1S"] * np.exp(traj.log_A_S[1]) * theta1
    p = path(over, sector=1, technology="modern", t_max=80, points=41)
    assert np.max(np.abs(p.income_gap * wage - 1)) < 1e-8
    assert np.max(np.abs(traj.income_gap * wage - 1)) < 1e-12


def test_growth_rate_above_g_while_catching_up_and_g_in_the_limit():
    p = path({"a0_1": 0.2}, sector=1, technology="modern", t_max=600, points=601)
    g = P["g"]
    a = p.relative_productivity[1]
    assert np.all(p.growth_rate[1][a < 1 - 1e-9] > g)
    assert np.allclose(p.growth_rate[1], g + P["eps"] * (1 - a), rtol=1e-14)
    assert p.growth_rate[1][-1] == pytest.approx(g, rel=1e-6)
    # a sector not produced still gains from spillovers: from a0 < a-hat it grows faster than g
    q = path({"a0_2": 0.2}, sector=1, technology="modern", t_max=50, points=2)
    assert q.growth_rate[2][0] == pytest.approx(P["eps"] * 0.8, rel=1e-14)
    assert q.relative_productivity[2][-1] > 0.2


def test_time_to_close_half_the_gap():
    p = path(sector=1, technology="modern", t_max=100, points=3)
    th = p.time_to_close(0.5)
    G0, Ginf = p.income_gap[0], p.limit_income_gap
    at = path(sector=1, technology="modern", t_max=th, points=2)
    assert at.income_gap[-1] == pytest.approx(G0 - 0.5 * (G0 - Ginf), rel=1e-10)
    # logistic with d = 0, a0 = 0.6: gap K/a halves when a = 2 a0/(1 + a0) -> closed form
    a_target = 2 * 0.6 / 1.6
    assert th == pytest.approx(math.log(a_target * 0.4 / (0.6 * (1 - a_target))) / 0.05, rel=1e-12)
    ta = p.time_to_close(0.25, measure="relative_productivity")
    at = path(sector=1, technology="modern", t_max=ta, points=2)
    assert at.relative_productivity[1][-1] == pytest.approx(0.6 + 0.25 * 0.4, rel=1e-10)
    assert p.time_to_close(1.0) == math.inf
    nogap = path(sector=1, technology="backward", t_max=10, points=2)  # a0 = a-hat
    assert nogap.time_to_close(0.5) == 0.0
    for bad in (0, 1.5, -1, True):
        with pytest.raises(InvalidParameterError, match="fraction"):
            p.time_to_close(bad)
    with pytest.raises(InvalidParameterError, match="measure"):
        p.time_to_close(0.5, measure="wage")


# --------------------------------------------------------------------------- deviation flag
DEVIATE = {"lam_2S": 1.5, "a0_1": 1.0, "a0_2": 0.3}


def test_equilibrium_lost_mid_path_flag_and_core_pays_agree():
    from marshallian.solvers.verify import certify

    p = path(DEVIATE, sector=1, technology="backward", t_max=200, points=201)
    dv = p.deviation
    assert dv is not None and (dv.sector, dv.technology) == (2, "backward")
    assert 0 < dv.time < 200
    assert abs(dv.gain) < 1e-8
    # cross-check with the core's certificate on the §3 model at effective prices
    # p_j(t) A_jS(t) = a_j(t)/phi_jN (North's A normalized to 1): the same pays
    alt = get_model("alternative")
    params = MODEL.params(DEVIATE)
    ap = alt.params({k: v for k, v in params.as_dict().items() if k in alt.parameter_names})
    phi = {1: 1.0 * 2.5, 2: 1.0 * 3.5}
    for tt, sign in ((dv.time - 1.0, -1), (dv.time + 1.0, 1)):
        q = path(DEVIATE, sector=1, technology="backward", t_max=tt, points=2)
        prices = {j: q.relative_productivity[j][-1] / phi[j] for j in (1, 2)}
        wage = prices[1] * params["lam_1S"]
        labor = (params["L_S"], 0.0, 0.0, 0.0)
        cert = certify(alt, ap, prices, labor, wage, (2, 0, 0, 0))
        assert sign * cert.max_deviation_gain > 0
        assert cert.max_deviation_gain == pytest.approx(q.max_deviation_gain[-1], abs=1e-12)


def test_no_flag_when_the_configuration_stays_an_equilibrium():
    assert path(sector=1, technology="modern").deviation is None
    bad_start = path({"a0_1": 0.3, "a0_2": 0.9}, sector=1, technology="backward", t_max=5, points=2)
    assert bad_start.deviation.time == 0.0


# --------------------------------------------------------------------------- schedules
def test_schedule_switch_backward_then_cluster_matches_glued_closed_forms():
    L = P["L_S"]
    t = np.linspace(0, 150, 151)
    sched = [dyn.Phase(0, {(1, "backward"): L}), dyn.Phase(20.0, {(1, "modern"): L})]
    traj = dyn.integrate({"a0_1": 0.3}, sched, t)
    a1 = traj.relative_productivity[1]
    before = t < 20
    ref_before = dyn.relative_productivity(0.3, P["g"], P["eps"], t[before])
    a20 = float(dyn.relative_productivity(0.3, P["g"], P["eps"], 20.0))
    ref_after = dyn.relative_productivity(a20, 0.0, P["eps"], t[~before] - 20)
    assert np.max(np.abs(a1[before] / ref_before - 1)) < 1e-8
    assert np.max(np.abs(a1[~before] / ref_after - 1)) < 1e-8
    assert traj.segments >= 2
    # income per worker: the gap jumps at the switch (static externality) then closes
    i = int(np.searchsorted(t, 20.0))
    assert traj.income_gap[i] < traj.income_gap[i - 1]


@pytest.mark.parametrize(
    "sched,match",
    [
        ([], "schedule"),
        ([dyn.Phase(1.0, {(1, "modern"): 10.0})], "start"),
        ([dyn.Phase(0, {(3, "modern"): 10.0})], "unknown activity"),
        ([dyn.Phase(0, {(1, "modern"): -1.0})], "south"),
        ([dyn.Phase(0, {(1, "modern"): 1e6})], "L_S"),
        ([dyn.Phase(0, {}), dyn.Phase(0, {})], "start"),
    ],
)
def test_schedule_validation(sched, match):
    with pytest.raises(InvalidParameterError, match=match):
        dyn.integrate(None, sched, [0.0, 1.0])


# --------------------------------------------------------------------------- bad input
@pytest.mark.parametrize(
    "kw,name",
    [
        ({"sector": 3}, "sector"),
        ({"sector": "1"}, "sector"),
        ({"sector": True}, "sector"),
        ({"technology": "steam"}, "technology"),
        ({"t_max": 0}, "t_max"),
        ({"t_max": -1.0}, "t_max"),
        ({"t_max": math.inf}, "t_max"),
        ({"points": 1}, "points"),
        ({"points": 2.5}, "points"),
        ({"law": "mean"}, "law"),
        ({"method": "euler"}, "method"),
    ],
)
def test_path_rejects_bad_options(kw, name):
    args = {"sector": 1, "technology": "modern"}
    args.update(kw)
    with pytest.raises(InvalidParameterError, match=name):
        path(**args)


@pytest.mark.parametrize(
    "over,name",
    [
        ({"eps": 0.02}, "eps"),
        ({"eps": 0.01}, "eps"),
        ({"g": 0.0}, "g"),
        ({"g": -0.1}, "g"),
        ({"a0_1": 0.0}, "a0_1"),
        ({"a0_2": -1.0}, "a0_2"),
        ({"a0_1": math.inf}, "a0_1"),
    ],
)
def test_path_rejects_bad_parameters(over, name):
    with pytest.raises(InvalidParameterError, match=name):
        path(over, sector=1, technology="modern")


def test_path_to_dict_and_csv_shapes():
    p = path(sector=2, technology="modern", t_max=10, points=5)
    d = p.to_dict()
    assert len(d["t"]) == 5 and set(d["relative_productivity"]) == {"1", "2"}
    assert len(d["income_gap"]) == 5 and d["certificate"]["verified"] is True
    lines = p.to_csv().strip().splitlines()
    assert lines[0] == "t,a_1,a_2,income_gap,growth_1,growth_2" and len(lines) == 6
    assert "half of the gap" in p.summary()


# --------------------------------------------------------------------------- property
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    a0=st.floats(1e-3, 5.0),
    g=st.floats(1e-3, 0.1),
    ratio=st.floats(1.05, 20.0),
    share=st.floats(0.0, 1.0),
    law=st.sampled_from(["min", "max"]),
)
# found by hypothesis: a path that crosses the kink at a = 1 early (the reference must stop there)
@example(a0=1.05, g=0.001, ratio=1.05, share=0.17061720354990054, law="max")
def test_closed_form_vs_scalar_integration_property(a0, g, ratio, share, law):
    eps = g * ratio
    d = g * (1 - share) - g * share * 0.5  # covers d < 0, = 0-ish, > 0
    t = np.linspace(0, 20 / eps, 60)
    a = dyn.relative_productivity(a0, d, eps, t, law)
    ref = _ode_a(a0, d, eps, t, law)
    assert np.max(np.abs(a / ref - 1)) < 1e-8


def test_integration_fills_every_point_when_a_crossing_event_ends_a_segment():
    # regression: with a -> 1 from below, round-off can trigger the A_S = A_N event at the
    # last time point; that point used to be left unfilled (found by the benchmark)
    over = {
        "g": 0.04502695254570501,
        "eps": 0.16204665100592894,
        "a0_1": 0.7809846209973482,
        "a0_2": 0.7601935957366492,
    }
    p = path(over, sector=1, technology="modern", t_max=200.0, points=1000)
    assert p.certificate.verified
    assert np.all(np.isfinite(p.relative_productivity[1]))


def test_fast_moebius_evaluation_equals_the_lambdified_dsolve_solution():
    from marshallian.solvers.dynamics.law import _compiled

    f = _compiled()
    rng = np.random.default_rng(0)
    a0, rate, eps = rng.uniform(0.05, 3, 50), rng.uniform(0.01, 0.2, 50), rng.uniform(0.02, 0.3, 50)
    z = rng.uniform(0, 1, 50)
    for name in ("logistic", "linear"):
        c0, c1, e0, e1 = f[f"{name}_mobius"](a0, rate, eps)
        assert np.allclose(
            (c0 + c1 * z) / (e0 + e1 * z), f[name](a0, rate, eps, z), rtol=1e-13, atol=0
        )


def test_schedule_phase_starting_at_the_last_time_point():
    L = P["L_S"]
    sched = [dyn.Phase(0, {(1, "backward"): L}), dyn.Phase(10.0, {(1, "modern"): L})]
    tr = dyn.integrate({"a0_1": 0.3}, sched, [0.0, 5.0, 10.0])
    a10 = float(dyn.relative_productivity(0.3, P["g"], P["eps"], 10.0))
    assert tr.relative_productivity[1][-1] == pytest.approx(a10, rel=1e-9)
    # the income gap at t = 10 is the new phase's (modern, theta_1 = 2.5): static jump
    assert tr.income_gap[-1] == pytest.approx(2.5 / (2.5 * a10), rel=1e-9)
    # a phase after the horizon changes nothing
    late = dyn.integrate({"a0_1": 0.3}, sched + [dyn.Phase(50.0, {})], [0.0, 5.0, 10.0])
    assert np.allclose(late.relative_productivity[1], tr.relative_productivity[1], rtol=1e-14)


@pytest.mark.parametrize(
    "a0,d,eps,name",
    [
        (0.0, 0.01, 0.05, "a0"),
        (-1.0, 0.01, 0.05, "a0"),
        (0.5, 0.05, 0.05, "d"),
        (0.5, -0.06, 0.05, "d"),
        (0.5, 0.0, 0.0, "eps"),
    ],
)
def test_closed_form_rejects_invalid_inputs(a0, d, eps, name):
    with pytest.raises(InvalidParameterError, match=name):
        dyn.relative_productivity(a0, d, eps, [0.0, 1.0])


def test_schedule_rejects_a_non_mapping_allocation():
    with pytest.raises(InvalidParameterError, match="south"):
        dyn.integrate(None, [dyn.Phase(0, [(1, "modern")])], [0.0, 1.0])
    with pytest.raises(InvalidParameterError, match="unknown activity"):
        dyn.integrate(None, [dyn.Phase(0, {1: 10.0})], [0.0, 1.0])
