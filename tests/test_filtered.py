"""Float mode returns exact mode's equilibria and flags (issue 12 item 2: filtered predicates).

The regime decisions are taken in floats only when their margin exceeds a rigorous
rounding-error bound (:mod:`marshallian.solvers.filtered`), else in exact rationals.
"""

from __future__ import annotations

import math
import random
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from marshallian.models import get_model
from marshallian.solvers.equilibrium import solve
from marshallian.solvers.filtered import Approx, FilteredArith, Undecided, sign


def _signature(sol):
    """What must agree between float and exact mode: every equilibrium and its flags."""
    return [(e.label, e.stable, e.degeneracy, e.interior) for e in sol]


def assert_same_as_exact(name, params):
    fl = solve(name, params, warn=False)
    ex = solve(name, params, exact=True, warn=False)
    assert len(fl) == len(ex), (_signature(fl), _signature(ex))
    assert _signature(fl) == _signature(ex)
    L_S = float(fl.params["L_S"])
    # labor on the rising part is (E - c_k)/alpha: its float value is as good as the
    # inputs' rounding allows (|E - c_k| carries ~u*max(E, c_k) whatever the method)
    alpha = float(fl.params.get("alpha", 1.0))
    level = 1 + max(alpha * float(v) for k, v in fl.params.items() if k.startswith("Lbar"))
    for a, b in zip(fl, ex):
        assert a.certificate.verified, (a.label, a.certificate)
        assert math.isclose(a.wage, b.wage, rel_tol=1e-9)
        for x, y in zip(a.activities, b.activities):
            assert abs(x.labor - y.labor) <= 1e-9 * (L_S + abs(y.labor)) + 1e-13 * level / alpha
    return fl


# --------------------------------------------------------------------------- reproducers
def test_beta_near_one_keeps_the_stable_backward_equilibrium_and_the_tiny_interior_ones():
    # issue 12 item 2: floats gave 5 equilibria (2 stable, 1:backward "weak"); exact gives 7
    sol = assert_same_as_exact("alternative", {"beta": 0.9999999999})
    assert len(sol) == 7
    assert sum(e.stable for e in sol) == 3
    backward = [e for e in sol if e.label == "1:backward"]
    assert len(backward) == 1 and backward[0].stable and backward[0].degeneracy is None


def test_interior_equilibria_below_1e_minus_9_of_L_S_are_found():
    # issue 12 item 2: the two equilibria with 1:modern = 5e-7 (= (1 - beta)/alpha) vanished
    sol = assert_same_as_exact("alternative", {"beta": 0.99999999, "L_S": 1000})
    assert len(sol) == 7
    tiny = [
        e
        for e in sol
        if any(
            a.technology == "modern" and a.sector == 1 and 0 < a.labor < 1e-6 for a in e.activities
        )
    ]
    assert len(tiny) == 2
    for e in tiny:
        assert math.isclose(e.labor(1, "modern"), 5e-7, rel_tol=1e-6)


def test_labor_on_the_rising_part_has_no_cancellation():
    # issue 12 item 2: reported 1.0000889e-6 "NOT VERIFIED"
    p = {"L_S": 1e-6, "Lbar": 10000, "alpha": 1e-6, "lam_2S": 2, "L_N": 100000}
    sol = solve("standard", p)
    (e,) = sol
    assert e.certificate.verified
    assert math.isclose(e.labor(2, "standard"), 1e-6, rel_tol=1e-12)
    assert_same_as_exact("standard", p)


# --------------------------------------------------------------------------- the bounds
def _exact(x: float) -> Fraction:
    return Fraction(float.__repr__(x))


def test_approx_bounds_contain_the_exact_result_of_random_expressions():
    rng = random.Random(12)
    for _ in range(2000):
        xs = [
            rng.choice(
                [rng.uniform(-3, 3), 10 ** rng.uniform(-12, 12), 1 - 10 ** -rng.randint(1, 15)]
            )
            for _ in range(4)
        ]
        a = [Approx.of(x) for x in xs]
        e = [_exact(x) for x in xs]
        ops = [(lambda p, q: p + q), (lambda p, q: p - q), (lambda p, q: p * q)]
        acc, exact = a[0], e[0]
        for k in range(1, 4):
            op = rng.choice(ops + ["div"])
            if op == "div":
                if e[k] == 0:
                    continue
                try:
                    acc = acc / a[k]
                except Undecided:
                    break
                exact = exact / e[k]
            else:
                acc, exact = op(acc, a[k]), op(exact, e[k])
            assert abs(Fraction(acc.value) - exact) <= Fraction(acc.error), (xs, acc, float(exact))


def test_decisions_within_the_error_bound_are_refused():
    arith = FilteredArith()
    one = Approx.of(1.0)
    beta = Approx.of(0.9999999999999999)
    assert arith.compare_pay(one, Approx.of(0.999)) == 1
    with pytest.raises(Undecided):  # margin 1.1e-16 within the bound
        arith.compare_pay(one, beta)
    with pytest.raises(Undecided):
        sign(Approx(1e-17, 1e-16))
    assert sign(Approx(0.0, 0.0)) == 0
    assert arith.labor_less(Approx(5.0, 0.0), float("inf"), True)


# --------------------------------------------------------------------------- property
@st.composite
def hard_alternative(draw):
    """Draws concentrated where floats are fragile: beta -> 1, tiny alpha*L_S, L_S >> Lbar."""
    beta = 1 - 10 ** draw(st.floats(-12, -1))
    alpha = 10 ** draw(st.floats(-8, -1))
    theta = [1 + 10 ** draw(st.floats(-3, 1)) for _ in range(2)]
    Lbar = [(t - beta) / alpha for t in theta]
    kind = draw(st.sampled_from(["tiny", "huge", "plain"]))
    if kind == "tiny":
        L_S = 10 ** draw(st.floats(-6, 0)) / alpha * 1e-6
    elif kind == "huge":
        L_S = max(Lbar) * 10 ** draw(st.floats(0, 6))
    else:
        L_S = min(Lbar) * draw(st.floats(0.1, 3))
    lam = st.floats(0.3, 3.0)
    return {
        "beta": beta,
        "alpha": alpha,
        "Lbar_1": Lbar[0],
        "Lbar_2": Lbar[1],
        "L_S": L_S,
        "L_N": 40 * max(Lbar),
        "lam_1S": draw(lam),
        "lam_2S": draw(lam),
        "lam_1N": draw(lam),
        "lam_2N": draw(lam),
    }


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hard_alternative())
def test_float_and_exact_modes_agree_near_knife_edges(params):
    assert_same_as_exact("alternative", params)


def test_tied_gaps_are_listed_alike_in_floats_and_exact():
    # found by hypothesis (test above): exactly tied income gaps (1:modern and 2:modern;
    # the four backward regimes) come out of two regimes' formulas 1-2 ulps apart in floats;
    # gaps within ORDER_RTOL are listed by label in both modes (docs/answers.md)
    params = {
        "lam_1S": 3,
        "lam_2S": 3,
        "lam_1N": 0.30078125,
        "lam_2N": 0.30078125,
        "beta": 0.9,
        "alpha": 0.1,
        "Lbar_1": 11,
        "Lbar_2": 2.0000000000000004,
        "L_S": 11,
        "L_N": 440,
    }
    sol = assert_same_as_exact("alternative", params)
    assert len(sol) == 7
    assert [e.label for e in sol][:2] == ["1:modern", "2:modern"]


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.floats(-9, -1), st.floats(-9, -2), st.floats(-6, 3), st.floats(0.3, 3))
def test_float_and_exact_modes_agree_in_the_standard_model(log_gap, log_alpha, log_L, lam_2S):
    alpha = 10**log_alpha
    params = {
        "alpha": alpha,
        "Lbar": 10**-log_gap,
        "L_S": 10**log_L,
        "lam_2S": lam_2S,
        "L_N": 100 * 10**-log_gap,
    }
    assert_same_as_exact("standard", params)


@settings(max_examples=2, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.floats(-10, -2))
def test_float_and_exact_modes_agree_in_the_dynamic_model_near_beta_one(log_gap):
    assert_same_as_exact("dynamic", {"beta": 1 - 10**log_gap})


def test_a_decimal_knife_edge_is_decided_exactly_and_flagged():
    # backward pays tie in the decimals: p1*lam_1S = 0.25/2.5 = 0.35/3.5 = p2*lam_2S
    params = {"lam_1S": 0.25, "lam_2S": 0.35}
    sol = assert_same_as_exact("alternative", params)
    assert any(e.degeneracy for e in sol)
    from marshallian.solvers.equilibrium import _enumerate_filtered, select_north

    model = get_model("alternative")
    p = model.params(params)
    prices = {j: 1 / v for j, v in select_north(model, p).productivity.items()}
    exact = {j: 1 / v for j, v in select_north(model, p, exact=True).productivity.items()}
    found = _enumerate_filtered(model, p, prices, exact_prices=lambda: exact)
    assert len(found) == len(sol)
    assert any(c.decided_exactly and (c.weak or c.continuum) for c in found)  # knife edges
    assert not all(c.decided_exactly for c in found)  # the rest in floats
    assert get_model("alternative").name == "alternative"


# --------------------------------------------------------------------------- ranges
def test_extreme_south_north_ratios_keep_every_equilibrium():
    # issue 12 item 3: lost 3 of 7 (ratios >= 1e160 underflowed squares of pays)
    p = {"lam_1S": 1e-90, "lam_2S": 8e-91, "lam_1N": 1e90, "lam_2N": 1e90}
    sol = solve("dynamic", p, warn=False)
    assert len(sol) == 7
    assert sum(e.stable for e in sol) == 3
    assert all(e.certificate.verified for e in sol)
    ref = solve("dynamic", warn=False)  # the same economy at ratio 1: labor identical
    for a, b in zip(sol, ref):
        assert a.label == b.label
        assert math.isclose(a.wage * 1e180, b.wage, rel_tol=1e-9)


def test_overflow_inside_the_accepted_range_is_answered(tmp_path):
    # issue 12 item 10: exit 1 "internal error: OverflowError" before
    from conftest import run_cli_inprocess

    r = run_cli_inprocess(
        [
            "solve",
            "dynamic",
            "--set",
            "alpha=1e100",
            "--set",
            "L_S=1e100",
            "--set",
            "L_N=1e100",
            "--format",
            "json",
        ],
        tmp_path,
    )
    assert r.returncode == 0, r.stderr
    assert "NOT VERIFIED" not in r.stdout
