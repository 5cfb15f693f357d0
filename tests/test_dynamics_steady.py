"""§4 steady-state equilibria (``solve("dynamic")``): the paper's values, verification, g -> 0."""

from __future__ import annotations

import warnings

import pytest
from _helpers import LAM_ONE
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from marshallian.errors import DegenerateEquilibriumWarning
from marshallian.models import get_model
from marshallian.solvers.equilibrium import solve

DYN = get_model("dynamic")
ALT = get_model("alternative")


def _single(sol, sector, tech, stable=True):
    return [
        e
        for e in sol.equilibria
        if e.stable == stable
        and len(e.activities) == 1
        and (e.activities[0].sector, e.activities[0].technology) == (sector, tech)
    ]


def test_default_calibration_equilibrium_set():
    sol = solve("dynamic")
    # counts first: 7 equilibria, 3 stable (spec. 1 cluster, spec. 2 cluster, spec. 1 backward)
    assert len(sol.equilibria) == 7
    assert len(sol.stable) == 3
    p = sol.params
    theta1 = p["beta"] + p["alpha"] * p["Lbar_1"]
    a_hat = 1 - p["g"] / p["eps"]
    # §4: spec. in 1 with cluster, gap lam_1N/lam_1S
    (m1,) = _single(sol, 1, "modern")
    assert m1.income_gap == pytest.approx(p["lam_1N"] / p["lam_1S"], rel=1e-12)
    assert m1.sector_factor == {1: pytest.approx(1.0), 2: pytest.approx(a_hat)}
    # §4: spec. in 1 without cluster, gap (theta_1/a-hat)(lam_1N/lam_1S) = 2.5/0.6
    (b1,) = _single(sol, 1, "backward")
    assert b1.income_gap == pytest.approx(theta1 / a_hat * p["lam_1N"] / p["lam_1S"], rel=1e-12)
    assert b1.income_gap == pytest.approx(2.5 / 0.6, rel=1e-12)
    # §4: spec. in 2 with cluster, exists since (1/1)/(0.8/1) = 1.25 < theta_1/a-hat
    (m2,) = _single(sol, 2, "modern")
    assert m2.income_gap == pytest.approx(p["lam_2N"] / p["lam_2S"], rel=1e-12)
    assert all(e.certificate.verified for e in sol.equilibria)


@pytest.mark.parametrize(
    "lam_2S,static_has,dynamic_has",
    [
        (1 / 3, False, True),  # theta_1 = 2.5 < ratio 3 < theta_1/a-hat = 4.17: only §4 has it
        (0.2, False, False),  # ratio 5 > theta_1/a-hat: neither
        (0.8, True, True),  # ratio 1.25 < theta_1: both
    ],
)
def test_spec_2_cluster_condition_uses_theta_over_a_hat(lam_2S, static_has, dynamic_has):
    # §4 condition: (lam_1S/lam_1N)/(lam_2S/lam_2N) < theta_1/a-hat, weaker than §3's (*)
    over = {"lam_2S": lam_2S}
    dyn_sol = solve("dynamic", over)
    alt_sol = solve("alternative", over)
    assert len(_single(dyn_sol, 2, "modern")) == int(dynamic_has)
    assert len(_single(alt_sol, 2, "modern")) == int(static_has)
    if dynamic_has:
        assert _single(dyn_sol, 2, "modern")[0].income_gap == pytest.approx(1 / lam_2S, rel=1e-12)


def test_lambda_one_equal_theta_backward_gap_theta_over_a_hat():
    # §4: lambda_ji = 1, theta_j = theta: clusters give gap 1, the backward one theta/a-hat
    over = dict(LAM_ONE, Lbar_1=100.0, Lbar_2=100.0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegenerateEquilibriumWarning)
        sol = solve("dynamic", over)
    theta, a_hat = 2.5, 0.6
    clusters = [e for e in sol.equilibria if e.stable]
    assert len(clusters) == 2
    assert all(e.income_gap == pytest.approx(1.0, rel=1e-12) for e in clusters)
    backward = [e for e in sol.equilibria if all(c == "none" for c in e.clusters.values())]
    assert len(backward) >= 1
    for e in backward:
        assert e.income_gap == pytest.approx(theta / a_hat, rel=1e-12)
        assert e.degenerate  # goods 1 and 2 backward tie (no trade): a continuum


# --------------------------------------------------------------------------- properties
def _draw(data_lam, beta, alpha, Lbar, L_S, g, ratio):
    lam_1S, lam_2S, lam_1N, lam_2N = data_lam
    p = {
        "lam_1S": lam_1S,
        "lam_2S": lam_2S,
        "lam_1N": lam_1N,
        "lam_2N": lam_2N,
        "beta": beta,
        "alpha": alpha,
        "Lbar_1": Lbar[0],
        "Lbar_2": Lbar[1],
        "L_S": L_S,
        "g": g,
        "eps": g * ratio,
    }
    return p


params_strategy = dict(
    data_lam=st.tuples(*[st.floats(0.3, 3.0)] * 4),
    beta=st.floats(0.2, 0.9),
    alpha=st.floats(0.01, 0.05),
    Lbar=st.tuples(st.floats(40, 150), st.floats(40, 150)),
    L_S=st.floats(10, 400),
    g=st.floats(1e-3, 0.1),
    ratio=st.floats(1.05, 10.0),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(**params_strategy)
def test_every_dynamic_equilibrium_verifies(data_lam, beta, alpha, Lbar, L_S, g, ratio):
    p = _draw(data_lam, beta, alpha, Lbar, L_S, g, ratio)
    assume(min(beta + alpha * Lbar[0], beta + alpha * Lbar[1]) > 1.01)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegenerateEquilibriumWarning)
        sol = solve("dynamic", p)
    assert len(sol.equilibria) >= 1
    params = sol.params
    for e in sol.equilibria:
        assert e.certificate.verified, (e.label, e.certificate)
        # the sector factor is the §4 steady state a_j(m) = 1 - (g/eps)(1 - min(m, Lbar)/Lbar)
        for j in (1, 2):
            m = e.labor(j, "modern")
            Lb = params[f"Lbar_{j}"]
            expected = 1 - (params["g"] / params["eps"]) * (1 - min(m, Lb) / Lb)
            assert e.sector_factor[j] == pytest.approx(expected, rel=1e-9, abs=1e-12)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(**params_strategy)
def test_dynamic_converges_to_section_3_as_g_goes_to_zero(
    data_lam, beta, alpha, Lbar, L_S, g, ratio
):
    p = _draw(data_lam, beta, alpha, Lbar, L_S, g, ratio)
    assume(min(beta + alpha * Lbar[0], beta + alpha * Lbar[1]) > 1.01)
    static = {k: v for k, v in p.items() if k not in ("g", "eps")}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegenerateEquilibriumWarning)
        alt = solve("alternative", static)
        assume(not any(e.degenerate for e in alt.equilibria))
        tiny = solve("dynamic", dict(static, g=1e-10, eps=p["eps"]))
    # counts first, then every equilibrium's gap and labor (matched by activity set)
    assert len(tiny.equilibria) == len(alt.equilibria)
    key = lambda e: tuple((a.sector, a.technology) for a in e.activities)  # noqa: E731
    a_by = {key(e): e for e in alt.equilibria}
    assert set(a_by) == {key(e) for e in tiny.equilibria}
    for e in tiny.equilibria:
        ref = a_by[key(e)]
        assert e.income_gap == pytest.approx(ref.income_gap, rel=1e-6)
        assert e.stable == ref.stable
        for a in e.activities:
            assert a.labor == pytest.approx(
                ref.labor(a.sector, a.technology), rel=1e-5, abs=1e-6 * p["L_S"]
            )


def test_g_to_zero_sequence_default_calibration():
    alt = solve("alternative")
    prev = None
    for g in (1e-2, 1e-4, 1e-6, 1e-8):
        sol = solve("dynamic", {"g": g})
        assert len(sol.equilibria) == len(alt.equilibria)
        err = max(
            abs(e.income_gap / r.income_gap - 1)
            for e, r in zip(
                sorted(sol.equilibria, key=lambda e: e.label),
                sorted(alt.equilibria, key=lambda e: e.label),
            )
        )
        if prev is not None:
            assert err < prev  # monotone convergence to §3
        prev = err
    assert prev < 1e-6


def test_steady_states_refuse_a_north_that_does_not_learn_at_g():
    # §4 assumes North has a full cluster in every sector (it learns at g); South's
    # steady-state factor a_j(m) = 1-(g/eps)(1-m/Lbar_j) depends on it, so another North
    # is refused (paths handle it: marshallian.solvers.dynamics.integrate).
    from marshallian.errors import InvalidParameterError

    with pytest.raises(InvalidParameterError, match="north"):
        solve("dynamic", north={1: "backward", 2: "cluster"})
    with pytest.raises(InvalidParameterError, match="north"):
        solve("dynamic", {"L_N": 150.0})  # mu_1 L_N = 75 < Lbar_1: a partial cluster
