"""What the answers promise (issue 7): verified certificates, exact mode, knife edges
reported as degenerate sets, scale-aware tolerances.

* Every equilibrium of every model carries a certificate that passes, and an independent
  recomputation of the pays (``tests/bruteforce.py``, NumPy from the SymPy productivity)
  agrees with it.
* Float results agree with ``exact=True`` (SymPy rationals) to :data:`FLOAT_EXACT_RTOL`.
* Knife edges (equal pays, labor exactly at a cap, lambda all equal, (*) with equality)
  are reported as degenerate (continuum with vertices, weak, or tie) with
  :class:`~marshallian.errors.DegenerateEquilibriumWarning`: never one arbitrary point,
  never dropped, never twice.
* Results are the same up to scaling when productivities or labor units are rescaled by
  1e-8 or 1e8 (tolerances are relative).
"""

from __future__ import annotations

import json
import warnings

import numpy as np
import pytest
import sympy as sp
from _helpers import LAM_ONE
from bruteforce import pay_function
from conftest import run_cli_inprocess
from hypothesis import given, settings
from hypothesis import strategies as st
from test_completeness import draw_params

from marshallian.errors import DegenerateEquilibriumWarning, InvalidParameterError
from marshallian.models import get_model
from marshallian.models.alternative import build as build_alternative
from marshallian.solvers.equilibrium import north_equilibria, solve
from marshallian.solvers.verify import certify
from marshallian.tolerances import VERIFY_RTOL

#: Float and exact results agree to this relative tolerance (wages relative to the exact
#: wage, labor relative to L_S). The float path evaluates closed forms of a few operations
#: (each rounding by at most 2**-53 ~ 1.1e-16) or, for the §4 regime with two rising
#: sectors, bisects a monotone function to 1e-16 relative; the exact path reads each float
#: as its decimal (within one ulp of the binary value). Errors are amplified by the pay
#: system's conditioning (factors like 1/alpha, 1/(theta-1), at most ~1e4 for the draws
#: used here), giving ~1e-12 at worst; 1e-9 leaves a margin while any wrong regime or
#: formula would differ by far more (>1e-4 for these draws).
FLOAT_EXACT_RTOL = 1e-9
#: Two results agree "up to scaling" to this relative tolerance (rounding only).
SCALE_RTOL = 1e-9
#: Scaling factors the issue asks for.
FACTORS = (1e-8, 1e8)

ONE = LAM_ONE


def _model(name):
    return build_alternative(3) if name == "alternative3" else get_model(name)


MODEL_NAMES = ["standard", "alternative", "dynamic", "alternative3"]


def _quiet_solve(*args, **kw):
    kw.setdefault("warn", False)
    return solve(*args, **kw)


def _cases(name, n_random=4, seed=0):
    """Parameter dicts: defaults, lambda all one, and a few random valid draws."""
    cases = [{}, dict(ONE)]
    if name == "alternative3":
        cases[1].update(lam_3S=1.0, lam_3N=1.0)
        return cases
    rng = np.random.default_rng(seed)
    return cases + draw_params(name, n_random, rng)


def _allocation(model, acts):
    lab = np.zeros(len(model.activities))
    for a in acts:
        lab[model.activity_index(a.sector, a.technology)] = a.labor
    return lab


# --------------------------------------------------------------------------- certificates
def _independent_check(model, sol, eq, labor):
    """Recompute pays with the brute force's NumPy pays (not the core's verifier)."""
    f = pay_function(model)
    pays = f(
        np.array([sol.params.as_tuple()]),
        np.array([[sol.prices[j] for j in model.sectors]]),
        labor[None, None, :],
    )[0, 0]
    active = labor > 0
    assert np.all(np.abs(pays[active] / eq.wage - 1) <= VERIFY_RTOL)
    assert np.all(pays[~active] <= eq.wage * (1 + VERIFY_RTOL))
    assert abs(labor.sum() / sol.params["L_S"] - 1) <= VERIFY_RTOL


@pytest.mark.parametrize("name", MODEL_NAMES)
def test_every_equilibrium_carries_a_verified_certificate(name):
    model = _model(name)
    n_checked = 0
    for case in _cases(name):
        sol = _quiet_solve(model, case)
        assert len(sol) >= 1
        for eq in sol:
            c = eq.certificate
            assert c.verified, (case, eq.label, c)
            assert c.max_pay_residual <= VERIFY_RTOL and c.labor_residual <= VERIFY_RTOL
            assert c.max_deviation_gain <= VERIFY_RTOL
            assert c.regime and c.method
            assert eq.to_dict()["certificate"]["verified"] is True
            points = [_allocation(model, v) for v in eq.vertices] or [
                _allocation(model, eq.activities)
            ]
            for lab in points:
                _independent_check(model, sol, eq, lab)
            n_checked += 1
    assert n_checked >= 10


@pytest.mark.parametrize("name", ["standard", "alternative", "dynamic"])
def test_certificates_under_every_north_configuration(name):
    """World prices from each of North's equilibria (footnote 13), stable or not."""
    model = get_model(name)
    norths = north_equilibria(model)
    assert len(norths) >= 1
    solved = 0
    for i, n in enumerate(norths):
        if name == "dynamic" and set(n.configuration.values()) != {"cluster"}:
            # §4 steady states are refused unless North has full clusters (it learns at g)
            with pytest.raises(InvalidParameterError, match="north"):
                _quiet_solve(model, north=i)
            continue
        for eq in _quiet_solve(model, north=i):
            assert eq.certificate.verified, (i, eq.label)
        solved += 1
    assert solved >= 1


def test_certificate_rejects_a_non_equilibrium():
    """Control: the certificate can fail (wrong labor split, wrong wage, idle gain)."""
    model = get_model("standard")
    p = model.params()
    sol = _quiet_solve(model, p)
    eq = sol.best()
    regime = (0, 2)  # sector 1 idle, sector 2 fixed
    good = certify(model, p, sol.prices, [0.0, p["L_S"]], eq.wage, regime)
    assert good.verified
    assert not certify(model, p, sol.prices, [0.0, p["L_S"]], eq.wage * 1.01, regime).verified
    assert not certify(model, p, sol.prices, [0.0, p["L_S"] * 0.9], eq.wage, regime).verified
    split = certify(model, p, sol.prices, [p["L_S"] / 2, p["L_S"] / 2], eq.wage, (2, 2))
    assert not split.verified and split.max_pay_residual > VERIFY_RTOL


@pytest.mark.parametrize("name", ["standard", "alternative", "dynamic"])
def test_cli_json_reports_certificates(name, tmp_path):
    for extra in ([], ["--exact"]):
        res = run_cli_inprocess(["solve", name, "--format", "json", *extra], tmp_path)
        assert res.returncode == 0, res.stderr
        doc = json.loads(res.stdout)
        assert doc["exact"] is bool(extra)
        assert doc["equilibria"]
        for e in doc["equilibria"]:
            assert e["certificate"]["verified"] is True
            assert e["certificate"]["max_pay_residual"] <= VERIFY_RTOL
            if extra:  # our own output (a rational or algebraic number), not user text
                assert float(sp.sympify(e["exact_wage"])) == pytest.approx(e["wage"], rel=1e-12)
                for a in e["activities"]:
                    assert float(sp.sympify(a["exact_labor"])) == pytest.approx(
                        a["labor"], rel=1e-12
                    )


# --------------------------------------------------------------------------- exact mode
def _compare(model, fl, ex, rtol):
    assert len(fl) == len(ex)
    L_S = fl.params["L_S"]
    assert sorted(e.label for e in fl) == sorted(e.label for e in ex)
    exact_by_label = {e.label: e for e in ex}
    for e in fl:
        x = exact_by_label[e.label]
        assert (e.stable, e.degeneracy) == (x.stable, x.degeneracy)
        assert abs(e.wage - float(x.exact_wage)) <= rtol * float(x.exact_wage)
        exact_labor = {(a.sector, a.technology): a.exact_labor for a in x.activities}
        for a in e.activities:
            assert abs(a.labor - float(exact_labor[a.sector, a.technology])) <= rtol * L_S
        assert x.certificate.verified and x.certificate.max_pay_residual == 0.0


@pytest.mark.parametrize("name", ["standard", "alternative", "dynamic", "alternative3"])
def test_float_agrees_with_exact(name):
    model = _model(name)
    for case in _cases(name, n_random=3 if name != "dynamic" else 2, seed=7):
        fl = _quiet_solve(model, case)
        ex = _quiet_solve(model, case, exact=True)
        assert ex.exact and all(e.exact_wage is not None for e in ex)
        _compare(model, fl, ex, FLOAT_EXACT_RTOL)


KNIFE_EDGES = [
    ("standard", dict(ONE)),  # S1
    ("standard", dict(ONE, L_S=100.0)),  # labor exactly at the cap
    ("standard", dict(lam_2S=2.0)),  # S2 with equality
    ("alternative", dict(ONE, Lbar_1=100.0, Lbar_2=100.0)),  # A2, theta_1 = theta_2
    ("alternative", dict(lam_1S=2.0, alpha=0.015625, Lbar_1=96.0, lam_2S=1.0)),  # (*) equality
    ("dynamic", dict(ONE, Lbar_1=100.0, Lbar_2=100.0)),  # D2
]


@pytest.mark.parametrize("name, params", KNIFE_EDGES)
def test_float_agrees_with_exact_at_knife_edges(name, params):
    """At knife edges the float tolerances decide ties as exact arithmetic does."""
    model = get_model(name)
    fl = _quiet_solve(model, params)
    ex = _quiet_solve(model, params, exact=True)
    assert any(e.degenerate for e in ex)
    _compare(model, fl, ex, FLOAT_EXACT_RTOL)


def test_exact_values_are_rational_where_the_paper_says():
    """§2 S4: specialisation in j pays exactly lam_jS/lam_jN (North has full clusters)."""
    sol = _quiet_solve(
        "standard", dict(lam_1S=1.0, lam_2S=1.25, lam_1N=1.0, lam_2N=1.0), exact=True
    )
    wages = sorted(e.exact_wage for e in sol if e.specialized_in() is not None and not e.interior)
    assert wages == [sp.Integer(1), sp.Rational(5, 4)]


# --------------------------------------------------------------------------- knife edges
def _solve_recording(model, params, exact=False):
    with warnings.catch_warnings(record=True) as rec:
        warnings.simplefilter("always")
        sol = solve(model, params, exact=exact)
    warned = [w for w in rec if issubclass(w.category, DegenerateEquilibriumWarning)]
    return sol, warned


def _vertices(model, eq):
    return sorted(tuple(_allocation(model, v)) for v in eq.vertices)


@pytest.mark.parametrize("exact", [False, True])
def test_s1_lambda_all_one_is_a_continuum_plus_a_weak_equilibrium(exact):
    """§2 S1 (lam = 1): spec. in 1 (stable), the continuum L_2 in [Lbar, L_S] at w = 1
    (vertices (L_S - Lbar, Lbar) and (0, L_S)), and spec. in 2, weak (sector 1 pays w)."""
    model = get_model("standard")
    sol, warned = _solve_recording(model, dict(ONE), exact)
    assert len(sol) == 3
    assert all(e.wage == pytest.approx(1.0, rel=1e-12) for e in sol)
    (one,) = [e for e in sol if e.specialized_in() == 1]
    assert one.stable and not one.degenerate
    (cont,) = [e for e in sol if e.degeneracy == "continuum"]
    assert _vertices(model, cont) == [(0.0, 200.0), (100.0, 100.0)]
    assert not cont.stable
    (weak,) = [e for e in sol if e.degeneracy == "weak"]
    assert weak.specialized_in() == 2 and not weak.stable
    assert tuple(_allocation(model, weak.activities)) in _vertices(model, cont)
    assert len(warned) == 2
    if exact:
        assert all(e.exact_wage == 1 for e in sol)
        assert sorted(a.exact_labor for v in cont.vertices for a in v) == [100, 100, 200]


@pytest.mark.parametrize("exact", [False, True])
def test_labor_exactly_at_the_cap_is_reported_once(exact):
    """L_S = Lbar with lam all one: spec. in 2 has L_2 = Lbar exactly; it is weak and is
    reported once (the (fixed, fixed) continuum collapses onto it)."""
    model = get_model("standard")
    sol, warned = _solve_recording(model, dict(ONE, L_S=100.0), exact)
    assert len(sol) == 2
    (weak,) = [e for e in sol if e.degenerate]
    assert weak.degeneracy == "weak" and weak.specialized_in() == 2
    assert weak.labor(2, "standard") == pytest.approx(100.0)
    assert len(warned) == 1


@pytest.mark.parametrize("L_S", [100.0, 100.0 * (1 - 1e-12), 100.0 * (1 + 1e-12)])
def test_cap_boundary_with_comparative_advantage(L_S):
    """Generic lambdas, L_S at (or within rounding of) Lbar: spec. in 2 is one equilibrium
    (not two copies from the rising and the capped regimes), stable and verified."""
    sol = _quiet_solve("standard", {"L_S": L_S})
    spec2 = [e for e in sol if e.specialized_in() == 2]
    assert len(spec2) == 1 and spec2[0].stable and spec2[0].certificate.verified
    assert len(sol) == 3


@pytest.mark.parametrize("exact", [False, True])
def test_s2_boundary_is_weak_and_decided_exactly(exact):
    """§2 S2 with equality, (lam_2S/lam_1S)/(lam_2N/lam_1N) = theta = 1 + 0.01*100 = 2: spec.
    in 1 is weak (sector 2 at zero labor pays the wage). Exact mode reads 0.01 as 1/100."""
    model = get_model("standard")
    sol, warned = _solve_recording(model, dict(lam_2S=2.0), exact)
    assert len(sol) == 2
    (one,) = [e for e in sol if e.specialized_in() == 1]
    assert one.degeneracy == "weak" and not one.stable
    assert len(warned) == 1


@pytest.mark.parametrize("side, n_eq", [(-1, 3), (1, 1)])
def test_s2_boundary_neighbours_are_generic(side, n_eq):
    """Either side of the S2 knife edge: nothing degenerate; below it spec. in 1 and the
    critical-mass equilibrium exist, above it only spec. in 2."""
    sol = _quiet_solve("standard", dict(lam_2S=2.0 * (1 + side * 1e-6)))
    assert len(sol) == n_eq and not any(e.degenerate for e in sol)


@pytest.mark.parametrize("exact", [False, True])
def test_star_with_equality_is_weak(exact):
    """§3 (*) with equality: (lam_1S/lam_1N)/(lam_2S/lam_2N) = theta_1 = 0.5 + 96/64 = 2.
    Spec. in 2 with a cluster is weak (backward 1 pays the wage); backward 1 and capped
    modern 2 tie, giving a continuum whose vertex is that weak point."""
    model = get_model("alternative")
    params = dict(lam_1S=2.0, lam_1N=1.0, lam_2S=1.0, lam_2N=1.0, alpha=0.015625, Lbar_1=96.0)
    sol, warned = _solve_recording(model, params, exact)
    (spec2,) = [e for e in sol if e.specialized_in() == 2 and not e.interior]
    assert spec2.degeneracy == "weak" and spec2.clusters[2] == "full"
    cont = [e for e in sol if e.degeneracy == "continuum" and not e.interior]
    assert len(cont) == 1
    assert _vertices(model, cont[0]) == [(0.0, 0.0, 0.0, 200.0), (50.0, 0.0, 0.0, 150.0)]
    assert len(warned) == sum(e.degenerate for e in sol) >= 2
    for rel, present in ((1 - 1e-6, True), (1 + 1e-6, False)):
        near = _quiet_solve(model, dict(params, lam_1S=2.0 * rel))
        s2 = [e for e in near if e.specialized_in() == 2 and not e.interior and e.stable]
        assert bool(s2) is present and not any(e.degenerate for e in near)


@pytest.mark.parametrize("exact", [False, True])
def test_dynamic_star_with_equality_is_weak(exact):
    """§4 D4: (*) becomes (lam_1S/lam_1N)/(lam_2S/lam_2N) < theta_1/a_hat; with equality
    (theta_1 = 0.5 + 121.6/64 = 2.4, a_hat = 1 - 0.02/0.05 = 0.6, ratio 4) spec. in 2 with
    a cluster is weak and backward 1 ties with capped modern 2 along a continuum."""
    model = get_model("dynamic")
    params = dict(ONE, lam_1S=4.0, beta=0.5, alpha=0.015625, Lbar_1=121.6, g=0.02, eps=0.05)
    sol, warned = _solve_recording(model, params, exact)
    (spec2,) = [e for e in sol if e.specialized_in() == 2 and not e.interior]
    assert spec2.degeneracy == "weak" and spec2.wage == pytest.approx(1.0)
    (cont,) = [e for e in sol if e.degeneracy == "continuum"]
    assert _vertices(model, cont) == [(0.0, 0.0, 0.0, 200.0), (50.0, 0.0, 0.0, 150.0)]
    assert len(warned) == 2
    for rel, present in ((1 - 1e-6, True), (1 + 1e-6, False)):
        near = _quiet_solve(model, dict(params, lam_1S=4.0 * rel))
        s2 = [e for e in near if e.specialized_in() == 2 and not e.interior and e.stable]
        assert bool(s2) is present and not any(e.degenerate for e in near)


def test_alternative_lambda_all_one_theta_equal():
    """§3 A2 knife edges (lam = 1, theta_1 = theta_2 = 2.5): both modern capped exactly at
    L_S = Lbar_1 + Lbar_2 is a *tie* (one point, unstable: not a continuum with two equal
    vertices); backward 1 and 2 tie along a continuum whose vertices are the two weak
    backward specialisations."""
    model = get_model("alternative")
    sol, warned = _solve_recording(model, dict(ONE, Lbar_1=100.0, Lbar_2=100.0))
    (both,) = [
        e
        for e in sol
        if {a.technology for a in e.activities} == {"modern"} and len(e.activities) == 2
    ]
    assert both.degeneracy == "tie" and not both.stable and not both.vertices
    (back,) = [
        e
        for e in sol
        if {a.technology for a in e.activities} == {"backward"} and len(e.activities) == 2
    ]
    assert back.degeneracy == "continuum"
    assert _vertices(model, back) == [(0.0, 0.0, 200.0, 0.0), (200.0, 0.0, 0.0, 0.0)]
    weak_backward = [
        tuple(_allocation(model, e.activities))
        for e in sol
        if e.degeneracy == "weak" and len(e.activities) == 1
    ]
    assert sorted(weak_backward) == _vertices(model, back)
    assert len(warned) == sum(e.degenerate for e in sol)
    assert [e.income_gap for e in sol if e.stable] == pytest.approx([1.0, 1.0])
    # L_S above Lbar_1 + Lbar_2: the tie opens into a continuum of capped modern splits
    wide = _quiet_solve(model, dict(ONE, Lbar_1=100.0, Lbar_2=100.0, L_S=250.0))
    (both,) = [
        e
        for e in wide
        if {a.technology for a in e.activities} == {"modern"} and len(e.activities) == 2
    ]
    assert _vertices(model, both) == [(0.0, 100.0, 0.0, 150.0), (0.0, 150.0, 0.0, 100.0)]


def test_continua_are_sets_never_one_point():
    """Every continuum in the knife-edge cases has >= 2 distinct vertices, each verified
    independently, and reports their centroid as its representative allocation."""
    cases = [
        ("standard", dict(ONE)),
        ("alternative", dict(ONE, Lbar_1=100.0, Lbar_2=100.0)),
        ("dynamic", dict(ONE, Lbar_1=100.0, Lbar_2=100.0)),
        ("alternative3", dict(ONE, lam_3S=1.0, lam_3N=1.0)),
    ]
    seen = 0
    for name, params in cases:
        model = _model(name)
        sol = _quiet_solve(model, params)
        for e in sol:
            if e.degeneracy is None or "continuum" not in e.degeneracy:
                continue
            verts = [np.array(v) for v in _vertices(model, e)]
            assert len(verts) >= 2 and len({tuple(v) for v in verts}) == len(verts)
            assert np.allclose(np.mean(verts, axis=0), _allocation(model, e.activities))
            for v in verts:
                _independent_check(model, sol, e, v)
            seen += 1
    assert seen >= 6


def test_knife_edge_limits_are_not_dropped():
    """Every equilibrium near the S1 knife edge (lam_2S = 1 +- 1e-7) lies close to a point
    of the knife-edge answer (its isolated points or its continuum segment)."""
    model = get_model("standard")
    edge = _quiet_solve(model, dict(ONE))
    points = [_allocation(model, e.activities) for e in edge if not e.vertices]
    segs = [[np.array(v) for v in _vertices(model, e)] for e in edge if e.vertices]

    def distance(x):
        d = [np.max(np.abs(x - p)) for p in points]
        for a, b in segs:
            t = np.clip(np.dot(x - a, b - a) / np.dot(b - a, b - a), 0, 1)
            d.append(np.max(np.abs(x - (a + t * (b - a)))))
        return min(d)

    for rel in (1 - 1e-7, 1 + 1e-7):
        near = _quiet_solve(model, dict(ONE, lam_2S=rel))
        assert len(near) >= 1
        for e in near:
            assert distance(_allocation(model, e.activities)) < 1e-3 * 200


def test_warning_class_and_switch():
    with pytest.warns(DegenerateEquilibriumWarning) as rec:
        solve("standard", dict(ONE))
    assert sorted(str(w.message).split("(")[1].split(")")[0] for w in rec) == ["continuum", "weak"]
    with warnings.catch_warnings():
        warnings.simplefilter("error", DegenerateEquilibriumWarning)
        sol = solve("standard", dict(ONE), warn=False)
    assert sum(e.degenerate for e in sol) == 2
    assert issubclass(DegenerateEquilibriumWarning, UserWarning)


def test_cli_shows_degeneracy(tmp_path):
    res = run_cli_inprocess(
        ["solve", "standard", "--set", "lam_2S=1", "--set", "lam_1S=1", "--format", "json"],
        tmp_path,
    )
    assert res.returncode == 0 and res.stderr == ""
    eqs = json.loads(res.stdout)["equilibria"]
    assert sorted(str(e["degeneracy"]) for e in eqs) == ["None", "continuum", "weak"]
    (cont,) = [e for e in eqs if e["degeneracy"] == "continuum"]
    assert len(cont["vertices"]) == 2


# --------------------------------------------------------------------------- scaling
def _signature(sol):
    return [(e.label, e.stable, e.degeneracy) for e in sol]


def _assert_scaled(model, base, scaled, wage_factor, labor_factor):
    assert _signature(base) == _signature(scaled)
    for a, b in zip(base, scaled):
        assert b.wage == pytest.approx(a.wage * wage_factor, rel=SCALE_RTOL)
        assert b.income_gap == pytest.approx(a.income_gap / wage_factor, rel=SCALE_RTOL)
        assert np.allclose(
            _allocation(model, b.activities),
            _allocation(model, a.activities) * labor_factor,
            rtol=SCALE_RTOL,
            atol=SCALE_RTOL * base.params["L_S"] * labor_factor,
        )
        assert b.certificate.verified
        assert len(a.vertices) == len(b.vertices)


def _lams(model):
    return [n for n in model.parameter_names if n.startswith("lam_")]


def _labor_names(model):
    return ["L_S", "L_N"] + [n for n in model.parameter_names if n.startswith("Lbar")]


def _south_scaled(model, p, c):
    """Parameters ``p`` with South's lambda_jS times c."""
    return p.as_dict() | {k: p[k] * c for k in _lams(model) if k.endswith("S")}


def _labor_units_scaled(model, p, c):
    """Parameters ``p`` with L_S, L_N, Lbar times c and alpha over c (the same theta)."""
    return p.as_dict() | {k: p[k] * c for k in _labor_names(model)} | {"alpha": p["alpha"] / c}


def _scale_bases(name):
    """``(model, params, solution)`` for each scaling case of model ``name``."""
    model = _model(name)
    for case in _cases(name, n_random=3, seed=11):
        p = model.params(case)
        yield model, p, _quiet_solve(model, p)


@pytest.mark.parametrize("c", FACTORS)
@pytest.mark.parametrize("name", MODEL_NAMES)
def test_scaling_all_productivities(name, c):
    """All lambda_ji times c: prices scale by 1/c, South's pays and wages do not change."""
    for model, p, base in _scale_bases(name):
        scaled = _quiet_solve(model, p.as_dict() | {k: p[k] * c for k in _lams(model)})
        _assert_scaled(model, base, scaled, 1.0, 1.0)
        assert all(
            scaled.prices[j] == pytest.approx(base.prices[j] / c, rel=SCALE_RTOL)
            for j in model.sectors
        )


@pytest.mark.parametrize("c", FACTORS)
@pytest.mark.parametrize("name", MODEL_NAMES)
def test_scaling_south_productivities(name, c):
    """South's lambda_jS times c: the same allocations, wages times c, income gaps over c."""
    for model, p, base in _scale_bases(name):
        _assert_scaled(model, base, _quiet_solve(model, _south_scaled(model, p, c)), c, 1.0)


@pytest.mark.parametrize("c", FACTORS)
@pytest.mark.parametrize("name", MODEL_NAMES)
def test_scaling_labor_units(name, c):
    """L_S, L_N, Lbar times c and alpha over c (same theta): labor times c, same wages."""
    for model, p, base in _scale_bases(name):
        _assert_scaled(model, base, _quiet_solve(model, _labor_units_scaled(model, p, c)), 1.0, c)


@pytest.mark.parametrize("c", FACTORS)
def test_scaling_keeps_knife_edges(c):
    """The S1 knife edge stays a knife edge after rescaling (ties are relative)."""
    model = get_model("standard")
    base = _quiet_solve(model, dict(ONE))
    lam = _quiet_solve(model, {k: c for k in ONE})
    lab = _quiet_solve(model, dict(ONE, L_S=200 * c, L_N=1000 * c, Lbar=100 * c, alpha=0.01 / c))
    _assert_scaled(model, base, lam, 1.0, 1.0)
    _assert_scaled(model, base, lab, 1.0, c)
    assert [_vertices(model, e) for e in lab if e.vertices] == [
        [tuple(np.array(v) * c) for v in _vertices(model, e)] for e in base if e.vertices
    ]


@settings(max_examples=20, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    log_c=st.floats(-8, 8),
    name=st.sampled_from(["standard", "alternative", "dynamic"]),
)
def test_property_scale_invariance(seed, log_c, name):
    model = get_model(name)
    c = 10.0**log_c
    p = model.params(draw_params(name, 1, np.random.default_rng(seed))[0])
    base = _quiet_solve(model, p)
    _assert_scaled(model, base, _quiet_solve(model, _south_scaled(model, p, c)), c, 1.0)
    _assert_scaled(model, base, _quiet_solve(model, _labor_units_scaled(model, p, c)), 1.0, c)
