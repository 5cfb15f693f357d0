"""The two-country equilibrium (``docs/world.md``; issue 15).

Reference values come from the paper (footnote 10 of §2) and from hand solutions of the
§2 model at its default calibration; completeness is checked against the independent
brute-force scan of ``tests/world_bruteforce.py`` on random draws (standard, alternative
and a three-sector alternative model); the small-South limit against ``solve``.
"""

from __future__ import annotations

import json
import math
import warnings

import numpy as np
import pytest
from _helpers import LAM_ONE
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from world_bruteforce import brute_force_world, match_world

from marshallian.errors import DegenerateEquilibriumWarning, InvalidParameterError
from marshallian.models import get_model
from marshallian.models.alternative import build as build_alternative
from marshallian.solvers.equilibrium import solve
from marshallian.solvers.world import solve_world
from marshallian.solvers.world.certificate import certify_world
from marshallian.solvers.world.roots import real_roots

#: Footnote 10's setting: no Ricardian differences, equal sizes, 1 < mu_2/mu_1 = 1.5 < theta = 2.
FOOTNOTE10 = dict(LAM_ONE, alpha=0.01, Lbar=100.0, L_S=1000.0, L_N=1000.0, mu_1=0.4, mu_2=0.6)


def _quiet(model, params=None, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegenerateEquilibriumWarning)
        return solve_world(model, params, warn=False, **kw)


def _logu(rng, lo, hi):
    return float(np.exp(rng.uniform(np.log(lo), np.log(hi))))


def draw(name, rng):
    """A random valid parameter dict; sizes L_S/L_N from 1/100 to 3, shares in [0.1, 0.9]."""
    d = {k: _logu(rng, 0.3, 3.0) for k in ("lam_1S", "lam_2S", "lam_1N", "lam_2N")}
    mu1 = float(rng.uniform(0.1, 0.9))
    L_N = float(rng.uniform(100, 3000))
    d.update(L_N=L_N, L_S=L_N * _logu(rng, 0.01, 3.0), mu_1=mu1, mu_2=1 - mu1)
    alpha = _logu(rng, 1e-3, 0.1)
    if name == "standard":
        d.update(alpha=alpha, Lbar=float(rng.uniform(10, 300)))
        return d
    beta = float(rng.uniform(0.1, 0.95))
    theta = rng.uniform(1.05, 4.0, 2)
    d.update(
        beta=beta,
        alpha=alpha,
        Lbar_1=float((theta[0] - beta) / alpha),
        Lbar_2=float((theta[1] - beta) / alpha),
    )
    return d


def draw3(rng):
    d = {f"lam_{j}{c}": _logu(rng, 0.4, 2.5) for j in (1, 2, 3) for c in "SN"}
    beta, alpha = float(rng.uniform(0.1, 0.95)), _logu(rng, 1e-3, 0.1)
    d.update(beta=beta, alpha=alpha)
    for j in (1, 2, 3):
        d[f"Lbar_{j}"] = float((rng.uniform(1.05, 4.0) - beta) / alpha)
    mu = rng.dirichlet([2.0, 2.0, 2.0])
    d.update(mu_1=float(mu[0]), mu_2=float(mu[1]), mu_3=float(1 - mu[0] - mu[1]))
    d["L_N"] = float(rng.uniform(100, 3000))
    d["L_S"] = d["L_N"] * _logu(rng, 0.01, 3.0)
    return d


# --------------------------------------------------------------------------- references
def test_default_standard_world():
    # §2 default calibration (lam_2S = 1.2, L_S = 200, L_N = 1000, theta = 2): North is large
    # enough to produce both goods with a full cluster, so prices are North's autarky prices
    # p = (1, 1/2) and South's three small-South equilibria come back, North absorbing the rest.
    sol = solve_world("standard")
    assert len(sol) == 3
    assert [e.wage for e in sol] == pytest.approx([1.2, 1.0, 1.0], rel=1e-12)
    assert [e.stable for e in sol] == [True, False, True]
    top = sol[0]
    assert top.prices == pytest.approx({1: 1.0, 2: 0.5})
    assert top.labor(2, "standard") == pytest.approx(200.0)
    # market clearing by hand: L_1N = mu_1 (L_N + w L_S) = 0.5 * 1240 = 620
    assert top.labor(1, "standard", "N") == pytest.approx(620.0)
    assert all(e.north_full_clusters for e in sol)


def test_footnote_10_equilibria():
    # Footnote 10: lambda = 1, equal sizes, 1 < mu_2/mu_1 < theta: one country fully in good 2,
    # the other fully in good 1; the good-2 country earns mu_2/mu_1 = 1.5 times the other.
    sol = _quiet("standard", FOOTNOTE10)
    assert len(sol) == 7
    stable = sol.stable
    assert len(stable) == 2
    south_in_2, north_in_2 = sorted(stable, key=lambda e: -e.wage)
    assert south_in_2.wage == pytest.approx(1.5, rel=1e-12)
    assert [(a.sector, a.labor) for a in south_in_2.activities] == [(2, 1000.0)]
    assert [(a.sector, a.labor) for a in south_in_2.north_activities] == [(1, 1000.0)]
    assert 1 / north_in_2.wage == pytest.approx(1.5, rel=1e-12)
    # condition P at those prices for the good-2 country (lambda = 1):
    # 1/theta < p2/p1 < 1
    theta = 2.0
    assert 1 / theta < south_in_2.relative_price < 1
    # lambda all equal is a knife edge: both countries in both goods is a continuum
    cont = [e for e in sol if e.degeneracy == "continuum"]
    assert len(cont) == 1 and len(cont[0].vertices) >= 2 and cont[0].wage == pytest.approx(1.0)
    assert not cont[0].stable and cont[0].stability == "neutral"
    assert all(e.certificate.verified for e in sol)


def test_degenerate_equilibria_warn():
    # one warning per degenerate equilibrium: the continuum and the two weak ones (all caught
    # here, none left to leak into the run's warnings summary)
    with pytest.warns(DegenerateEquilibriumWarning) as caught:
        solve_world("standard", FOOTNOTE10)
    messages = [str(w.message) for w in caught]
    assert any("continuum" in m for m in messages)
    assert sum("(weak)" in m for m in messages) == 2


def test_default_alternative_world_counts():
    sol = solve_world("alternative")
    assert len(sol) == 55
    assert len(sol.stable) == 11
    assert all(e.certificate.verified for e in sol)
    # unstable ones are exactly those with a critical mass in some country
    assert all((not e.stable) == (e.interior or e.north_interior) for e in sol)


# --------------------------------------------------------------------------- completeness
@pytest.mark.slow
@pytest.mark.parametrize("name,n", [("standard", 150), ("alternative", 40)])
def test_world_matches_brute_force(name, n):
    model = get_model(name)
    rng = np.random.default_rng(15)
    total = 0
    for _ in range(n):
        params = model.params(draw(name, rng))
        sol = _quiet(model, params)
        assert all(e.certificate.verified for e in sol), dict(params)
        assert not any(e.degenerate for e in sol), dict(params)
        missed, extra = match_world(model, sol, brute_force_world(model, params))
        assert not missed, (dict(params), [m[0] for m in missed])
        assert not extra, (dict(params), [x[0] for x in extra])
        total += len(sol)
    assert total > n  # the draws have multiple equilibria


@pytest.mark.slow
def test_three_sector_world_matches_brute_force():
    model = build_alternative(3)
    rng = np.random.default_rng(3)
    for _ in range(3):
        params = model.params(draw3(rng))
        sol = _quiet(model, params)
        assert len(sol) > 3
        assert all(e.certificate.verified for e in sol)
        missed, extra = match_world(model, sol, brute_force_world(model, params, grid=2000))
        assert not missed and not extra, dict(params)


def test_brute_force_finds_footnote_10_specializations():
    # control: the scan sees the generic equilibria of a knife-edge-free neighbour of fn. 10
    model = get_model("standard")
    params = model.params({**FOOTNOTE10, "lam_2S": 1.05})
    brute = brute_force_world(model, params)
    sol = _quiet(model, params)
    missed, extra = match_world(model, sol, brute)
    assert len(brute) >= 2 and not missed and not extra


def test_brute_force_match_detects_a_missing_equilibrium():
    # control: dropping one reported equilibrium is caught as a miss
    model = get_model("alternative")
    sol = _quiet(model)
    brute = brute_force_world(model, model.params())
    fewer = type(sol)(sol.model, sol.params, sol.equilibria[1:], sol.exact, sol.tolerances)
    missed, _ = match_world(model, fewer, brute)
    assert len(missed) == 1


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32 - 1), name=st.sampled_from(["standard", "alternative"]))
def test_property_every_world_equilibrium_verifies_and_none_missed(seed, name):
    model = get_model(name)
    params = model.params(draw(name, np.random.default_rng(seed)))
    sol = _quiet(model, params)
    assert all(e.certificate.verified for e in sol)
    missed, extra = match_world(model, sol, brute_force_world(model, params, grid=2000))
    assert not missed and not extra


# --------------------------------------------------------------------------- certificates
def test_certificate_rejects_a_non_equilibrium():
    model = get_model("standard")
    params = model.params()
    e = solve_world(model, params)[0]
    K = len(model.activities)
    north = [e.labor(a.sector, a.technology, "N") for a in model.activities]
    south = [e.labor(a.sector, a.technology, "S") for a in model.activities]
    regime = (tuple(2 if x > 0 else 0 for x in north), tuple(2 if x > 0 else 0 for x in south))
    from marshallian.tolerances import DEFAULT_TOLERANCES as tol

    good = certify_world(model, params, e.prices, north, south, e.wage, regime, "", tol)
    assert good.verified
    # a wrong wage breaks South's pay equality; a wrong split breaks the goods markets
    assert not certify_world(
        model, params, e.prices, north, south, e.wage * 1.01, regime, "", tol
    ).verified
    moved = [north[0] - 10, north[1] + 10]
    assert not certify_world(
        model, params, e.prices, moved, south, e.wage, regime, "", tol
    ).verified
    assert K == 2


def test_float_agrees_with_exact():
    for name in ("standard", "alternative"):
        fl, ex = _quiet(name), _quiet(name, exact=True)
        assert len(fl) == len(ex)
        for a, b in zip(fl, ex):
            assert a.label == b.label and a.stable == b.stable
            assert a.wage == pytest.approx(float(b.exact_wage), rel=1e-12)


def test_three_sector_model_needs_no_new_code():
    model = build_alternative(3)
    sol = _quiet(model)
    assert len(sol) > 0 and all(e.certificate.verified for e in sol)
    assert all(set(e.prices) == {1, 2, 3} for e in sol)


# --------------------------------------------------------------------------- small South
@pytest.mark.parametrize("name", ["standard", "alternative"])
def test_small_south_limit(name):
    # L_S / L_N = 1e-4: the world equilibria where North has full clusters everywhere are
    # the small-South equilibria (same wages, South allocations, stability)
    model = get_model(name)
    rng = np.random.default_rng(7)
    for _ in range(10):
        d = draw(name, rng)
        d["L_N"] = d["L_S"] * 1e4
        params = model.params(d)
        small = solve(model, params, warn=False)
        world = [e for e in _quiet(model, params) if e.north_full_clusters]
        assert len(world) == len(small), d

        def key(e):
            return (round(e.wage, 9), [(x.sector, x.technology, x.state) for x in e.activities])

        for a, b in zip(sorted(world, key=key), sorted(small, key=key)):
            assert a.wage == pytest.approx(b.wage, rel=1e-9)
            assert a.stable == b.stable
            assert [(x.sector, x.technology) for x in a.activities] == [
                (x.sector, x.technology) for x in b.activities
            ]
            assert [x.labor for x in a.activities] == pytest.approx(
                [x.labor for x in b.activities], rel=1e-9
            )
            assert a.prices == pytest.approx(small.prices, rel=1e-12)


# --------------------------------------------------------------------------- roots
def test_real_roots_closed_and_bracketed():
    # (w - 1)(w - 2)(w - 2.000001)(w - 5): two close roots are both found
    poly = [1.0]
    for r in (1.0, 2.0, 2.000001, 5.0):
        poly = [
            (poly[i - 1] if i else 0) - r * (poly[i] if i < len(poly) else 0)
            for i in range(len(poly) + 1)
        ]
    roots = real_roots(poly, 0.5, 10.0)
    # (clustered roots are ill-conditioned in the monomial basis: 1e-8 is what floats give)
    assert roots == pytest.approx([1.0, 2.0, 2.000001, 5.0], rel=1e-8)
    assert real_roots([2.0, -3.0, 1.0], 0.0, 10.0) == pytest.approx([1.0, 2.0])
    # a double root (tangency) is reported, not lost
    assert real_roots([4.0, -4.0, 1.0], 0, 10) == pytest.approx([2.0])
    # (w - 2)^2 (w - 3): the tangency at 2 is a critical point of the cubic
    assert real_roots([-12.0, 16.0, -7.0, 1.0], 0, 10) == pytest.approx([2.0, 3.0], rel=1e-9)
    assert real_roots([-1.0, 0.0, 0.0, 1.0], 0.0, 3.0) == pytest.approx([1.0])
    with pytest.raises(ValueError):
        real_roots([0.0], 0, 1)


# --------------------------------------------------------------------------- bad input
@pytest.mark.parametrize(
    "params,name", [({"mu_1": 0.7}, "mu_1+mu_2"), ({"L_S": 0.0}, "L_S"), ({"L_N": -1.0}, "L_N")]
)
def test_bad_input_raises(params, name):
    with pytest.raises(InvalidParameterError, match=name.replace("+", r"\+")):
        solve_world("standard", params)


def test_dynamic_model_is_refused():
    with pytest.raises(InvalidParameterError, match="MODEL"):
        solve_world("dynamic")


# --------------------------------------------------------------------------- CLI
def test_cli_world_json_shape(tmp_path):
    from conftest import run_cli_inprocess

    r = run_cli_inprocess(["solve", "alternative", "--world", "--format", "json"], tmp_path)
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["model"] == "alternative" and len(doc["equilibria"]) == 55
    for e in doc["equilibria"]:
        for key in (
            "prices",
            "activities",
            "north_activities",
            "wage",
            "income_gap",
            "stable",
            "degenerate",
        ):
            assert key in e
        assert set(e["prices"]) == {"1", "2"}
        assert e["income_gap"] == pytest.approx(1 / e["wage"])
        for a in e["activities"] + e["north_activities"]:
            assert a["technology"] in ("backward", "modern") and a["labor"] > 0


def test_cli_world_batch_and_table(tmp_path):
    from conftest import run_cli_inprocess

    cases = tmp_path / "cases.json"
    cases.write_text(json.dumps([{"lam_2S": 1.1}, FOOTNOTE10]))
    r = run_cli_inprocess(
        ["solve", "standard", "--world", "--params", str(cases), "--format", "json"], tmp_path
    )
    assert r.returncode == 0, r.stderr
    docs = json.loads(r.stdout)
    assert isinstance(docs, list) and len(docs) == 2 and len(docs[1]["equilibria"]) == 7
    r = run_cli_inprocess(["solve", "standard", "--world"], tmp_path)
    assert r.returncode == 0 and "two-country world" in r.stdout and "North (labor)" in r.stdout


@pytest.mark.parametrize(
    "args,needle",
    [
        (["solve", "standard", "--world", "--set", "mu_1=0.6"], "mu_1+mu_2"),
        (["solve", "standard", "--world", "--set", "L_S=0"], "L_S"),
        (["solve", "alternative", "--world", "--set", "L_N=-5"], "L_N"),
        (["solve", "dynamic", "--world"], "MODEL"),
        (["solve", "nope", "--world"], "MODEL"),
    ],
)
def test_cli_world_bad_input_exit_2(tmp_path, args, needle):
    from conftest import run_cli_inprocess, snapshot

    before = snapshot(tmp_path)
    r = run_cli_inprocess(args, tmp_path)
    assert r.returncode == 2 and r.stdout == ""
    assert len(r.stderr.strip().splitlines()) == 1 and needle in r.stderr
    assert "Traceback" not in r.stderr
    assert snapshot(tmp_path) == before


def test_world_results_render():
    sol = _quiet("standard", FOOTNOTE10)
    assert "continuum" in str(sol) and "<table>" in sol._repr_html_()
    assert r"\begin{tabular}" in sol.to_latex()
    frame = sol.to_frame()
    assert len(frame) == 7 and {"wage", "income_gap", "stable"} <= set(frame.columns)
    assert math.isclose(sol.best().wage, 1.5) and math.isclose(sol.best("N").wage, 2 / 3)


# --------------------------------------------------------------------------- claims, limit
def test_world_claims_hold():
    from marshallian.claims import run_claims

    w1, w2 = run_claims(["W1", "W2"], draws=8, seed=2)
    assert w1.holds, w1.counterexamples[:1]
    assert w2.holds, w2.counterexamples[:1]
    # the relaxed premise (mu_2/mu_1 > theta) loses the specializations
    assert int(w1.notes.split("missing in ")[1].split("/")[0]) > 0


def test_small_south_limit_converges_at_rate_one():
    from marshallian.solvers.world import small_south_limit

    lim = small_south_limit("standard", ratios=[1.0, 0.3, 0.1, 0.01, 1e-3, 1e-4])
    assert lim.ratios[0] == 1.0 and lim.ratios[-1] == 1e-4
    assert lim.threshold >= 1e-2  # wages coincide from there on
    assert all(d <= 1e-12 for d, r in zip(lim.wage_distance, lim.ratios) if r <= lim.threshold)
    assert lim.rate() == pytest.approx(1.0, abs=0.02)  # North's shares -> mu_j like L_S/L_N
    with pytest.raises(InvalidParameterError):
        small_south_limit("standard", ratios=[0.1, -1.0])


@pytest.mark.parametrize("name", ["standard", "alternative"])
def test_each_country_is_a_small_economy_equilibrium_at_world_prices(name):
    # cross-check with the small-economy engine's public face: at an equilibrium's prices,
    # South's allocation (wage w) and North's (wage 1) are among solve_at's equilibria,
    # with the same stability when the world's is decided by one country alone
    from marshallian.solvers import solve_at
    from marshallian.solvers.world.certificate import as_country

    model = get_model(name)
    rng = np.random.default_rng(11)
    for params in [model.params()] + [model.params(draw(name, rng)) for _ in range(3)]:
        north_params = as_country(model, params, "N")
        for e in _quiet(model, params):
            for prm, acts, wage in (
                (params, e.activities, e.wage),
                (north_params, e.north_activities, 1.0),
            ):
                small = solve_at(model, prm, e.prices)
                hits = [
                    s
                    for s in small
                    if s.wage == pytest.approx(wage, rel=1e-9)
                    and [(a.sector, a.technology) for a in s.activities]
                    == [(a.sector, a.technology) for a in acts]
                    and _contains(s, acts)
                ]
                assert hits, (dict(params), e.label)


def _contains(small_eq, acts) -> bool:
    """``acts`` is ``small_eq``'s allocation, or a point of its continuum (at a price tie
    a country producing several fixed activities can split its labor any way)."""
    if not small_eq.vertices:
        return [a.labor for a in small_eq.activities] == pytest.approx(
            [a.labor for a in acts], rel=1e-7, abs=1e-9
        )
    for a in acts:
        values = [
            next((x.labor for x in v if (x.sector, x.technology) == (a.sector, a.technology)), 0.0)
            for v in small_eq.vertices
        ]
        if not min(values) - 1e-9 * a.labor <= a.labor <= max(values) + 1e-9 * a.labor:
            return False
    return True


def test_cli_world_csv_and_latex(tmp_path):
    import csv
    import io

    from conftest import run_cli_inprocess

    cases = tmp_path / "cases.json"
    cases.write_text(json.dumps([{"lam_2S": 1.1}, {"L_S": 500.0}]))
    r = run_cli_inprocess(
        ["solve", "standard", "--world", "--params", str(cases), "--format", "csv"], tmp_path
    )
    assert r.returncode == 0, r.stderr
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert {row["case"] for row in rows} == {"0", "1"}
    assert {"wage", "income_gap", "stable", "price_1", "labor_N_2_standard"} <= set(rows[0])
    for row in rows:
        assert float(row["income_gap"]) == pytest.approx(1 / float(row["wage"]))
    r = run_cli_inprocess(["solve", "standard", "--world", "--format", "latex"], tmp_path)
    assert r.returncode == 0 and r"\begin{tabular}" in r.stdout


@pytest.mark.parametrize(
    "name,params",
    [
        ("standard", FOOTNOTE10),
        ("standard", {"lam_2S": 1.0, "L_S": 100.0}),  # L_S exactly at the cap
        ("alternative", {"lam_1S": 1.0, "lam_2S": 1.0, "Lbar_1": 100.0, "Lbar_2": 100.0}),  # A2
    ],
)
def test_knife_edges_agree_with_exact(name, params):
    fl, ex = _quiet(name, params), _quiet(name, params, exact=True)
    assert len(fl) == len(ex)
    assert [(e.label, e.degeneracy, e.stability) for e in fl] == [
        (e.label, e.degeneracy, e.stability) for e in ex
    ]
    assert all(e.certificate.verified for e in (*fl, *ex))
    assert any(e.degenerate for e in fl)
