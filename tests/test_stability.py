"""Three-state stability (issue 13 item 2) and the engine's public face (issue 10 item 1)."""

from __future__ import annotations

import ast
import json
import warnings
from pathlib import Path

import pytest
from _helpers import LAM_ONE

import marshallian as m
from marshallian.errors import DegenerateEquilibriumWarning, InvalidParameterError
from marshallian.results import Stability
from marshallian.solvers import certify, regime_stability, solve_at
from marshallian.solvers.enumeration import FIXED, IDLE, RISING

PACKAGE = Path(m.__file__).resolve().parent


def _solve(model, params):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegenerateEquilibriumWarning)
        return m.solve(model, params)


def test_stability_is_a_str_enum_with_three_states():
    assert [s.value for s in Stability] == ["stable", "neutral", "unstable"]
    assert Stability("neutral") is Stability.NEUTRAL and Stability.NEUTRAL == "neutral"
    assert json.dumps({"s": Stability.UNSTABLE}) == '{"s": "unstable"}'
    assert Stability.least(Stability.STABLE, Stability.NEUTRAL) is Stability.NEUTRAL
    assert Stability.least(Stability.NEUTRAL, Stability.UNSTABLE) is Stability.UNSTABLE
    assert Stability.least() is Stability.STABLE


def test_s1_continuum_and_weak_equilibrium_are_neutral_not_unstable():
    # §2 with every lambda = 1 (claim S1): spec. in 1 (stable), the continuum of splits with
    # L_2 in [Lbar, L_S] and spec. in 2 (weak: good 1 pays exactly w = 1). The paper counts
    # both specializations as equilibria: labor rests on the continuum, so it is neutral.
    # (Before issue 13 both were just "not stable".)
    sol = _solve("standard", LAM_ONE)
    assert len(sol) == 3
    states = {e.degeneracy: e.stability for e in sol}
    assert states == {
        None: Stability.STABLE,
        "continuum": Stability.NEUTRAL,
        "weak": Stability.NEUTRAL,
    }
    assert [e.stable for e in sol] == [e.stability is Stability.STABLE for e in sol]
    assert len(sol.stable) == 1 and len(sol.neutral) == 2 and len(sol.stable_or_neutral) == 3


def test_a2_no_cluster_equilibria_are_neutral_and_critical_masses_unstable():
    # §3 with lambda = 1, theta_1 = theta_2 (claim A2): the no-cluster, no-trade equilibrium
    # is a continuum of backward splits at gap theta (neutral); clusters are stable; the tie
    # with both modern activities exactly at their caps is unstable (one point pinned by
    # the caps), and every interior equilibrium (critical mass) is unstable.
    sol = _solve("alternative", dict(LAM_ONE, Lbar_2=100.0))
    assert len(sol) == 15
    by = {e.label: e for e in sol}
    assert by["1:modern"].stability is Stability.STABLE
    assert by["2:modern"].stability is Stability.STABLE
    assert by["1:modern + 2:modern"].stability is Stability.UNSTABLE
    for label in ("1:backward", "2:backward", "1:backward + 2:backward"):
        assert by[label].stability is Stability.NEUTRAL, label
        assert by[label].income_gap == pytest.approx(by["1:modern"].income_gap * 2.5)
    assert all(e.stability is Stability.UNSTABLE for e in sol if e.interior)


def test_weak_equilibrium_with_an_idle_externality_is_unstable():
    # an entrant to an idle activity with an externality raises its pay: labor follows
    assert regime_stability((FIXED, IDLE), (False, True), weak=(1,)) is Stability.UNSTABLE
    # a flat idle activity tying with fixed active ones: labor can rest (neutral) ...
    assert regime_stability((IDLE, FIXED), (False, True), weak=(0,)) is Stability.NEUTRAL
    # ... unless the only active activity is on its rising part (releasing labor lowers it)
    assert regime_stability((IDLE, RISING), (False, True), weak=(0,)) is Stability.UNSTABLE
    assert regime_stability((FIXED, FIXED), continuum=True, tied=True) is Stability.NEUTRAL
    assert regime_stability((FIXED, FIXED), tied=True) is Stability.UNSTABLE
    assert regime_stability((FIXED, RISING)) is Stability.UNSTABLE
    assert regime_stability((IDLE, RISING)) is Stability.STABLE
    with pytest.raises(ValueError):
        regime_stability((IDLE, FIXED), weak=(0,))


def test_json_carries_stability_and_the_stable_boolean():
    sol = _solve("standard", LAM_ONE)
    for e, d in zip(sol, sol.to_dict()["equilibria"]):
        assert d["stability"] == e.stability.value
        assert d["stable"] is (d["stability"] == "stable")
    north = m.north_equilibria("alternative")
    assert [n.to_dict()["stability"] for n in north].count("stable") == 4
    assert all(n.stable is (n.stability is Stability.STABLE) for n in north)


def test_cli_json_and_table_show_three_states(capsys):
    from marshallian.cli import main

    sets = [x for k, v in LAM_ONE.items() for x in ("--set", f"{k}={v}")]
    assert main(["solve", "standard", *sets, "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert [e["stability"] for e in doc["equilibria"]] == ["stable", "neutral", "neutral"]
    assert [e["stable"] for e in doc["equilibria"]] == [True, False, False]
    assert main(["solve", "standard", *sets]) == 0
    out = capsys.readouterr().out
    assert "(1 stable, 2 neutral)" in out and out.count("neutral") >= 3


def test_figures_keep_neutral_equilibria():
    # "figures that show stable equilibria must not drop neutral ones" (issue 13 item 2)
    from marshallian.figures._labels import stable_types

    names = stable_types(_solve("standard", LAM_ONE))
    assert len(names) == 3 and sum("(neutral)" in n for n in names) == 2


def test_policy_outcome_reports_stability():
    out = m.policy_equilibria("standard", LAM_ONE, m.subsidy(2, 0.0))
    assert {e.stability for e in out} == {Stability.STABLE, Stability.NEUTRAL}
    assert all(
        d["stability"] == e.stability.value and d["stable"] is e.stable
        for e, d in zip(out, out.to_dict()["equilibria"])
    )


# --------------------------------------------------------------------------- public face
def test_solve_at_equals_solve_at_north_prices():
    sol = m.solve("alternative", warn=False)
    eqs = solve_at("alternative", None, sol.prices)
    assert [(e.label, e.wage, e.stability) for e in eqs] == [
        (e.label, e.wage, e.stability) for e in sol
    ]
    assert all(e.certificate.verified for e in eqs)


def test_solve_at_pay_factors_is_a_subsidy_and_is_certified():
    # a 50 % subsidy to 2:modern: its pay is multiplied by 1.5 in the enumeration and in
    # the certificate (recomputed from the model's productivity)
    model = m.get_model("alternative")
    prices = m.solve(model, warn=False).prices
    factors = [1.5 if (a.sector, a.technology) == (2, "modern") else 1.0 for a in model.activities]
    eqs = solve_at(model, None, prices, factors)
    assert eqs and all(e.certificate.verified for e in eqs)
    assert all("subsidised" in e.certificate.method for e in eqs)
    spec2 = [e for e in eqs if e.label == "2:modern"]
    assert spec2[0].wage == pytest.approx(
        1.5 * m.solve(model, warn=False).find(sector=2, technology="modern")[0].wage
    )
    # the same allocation fails the plain certificate (pays differ by the factor)
    e = spec2[0]
    labor = [e.labor(a.sector, a.technology) for a in model.activities]
    regime = tuple(1 if x > 0 else 0 for x in labor)
    assert certify(
        model, model.params(), prices, labor, e.wage, regime, pay_factors=factors
    ).verified
    assert not certify(model, model.params(), prices, labor, e.wage, regime).verified


@pytest.mark.parametrize(
    "bad", [[1.0], [1.0, 1.0, 0.0, 1.0], [1.0, float("nan"), 1.0, 1.0], "abcd"]
)
def test_solve_at_rejects_bad_pay_factors(bad):
    with pytest.raises(InvalidParameterError, match="pay_factor"):
        solve_at("alternative", None, {1: 0.4, 2: 0.3}, bad)


def test_policy_uses_only_the_public_solver_face():
    # issue 10 item 1: policy imports nothing from solver submodules and never builds the
    # enumeration's Candidate/Checked objects by hand
    for path in sorted((PACKAGE / "policy").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and "solvers" in node.module:
                assert node.module.rstrip(".") in ("solvers", "marshallian.solvers"), (
                    f"{path.name}: imports {node.module}"
                )
            if isinstance(node, ast.Name):
                assert node.id not in ("Candidate", "Checked", "enumerate_economy"), path.name
    import marshallian.solvers as s

    assert {"solve", "solve_at", "certify", "split_equilibria", "regime_stability"} <= set(
        s.__all__
    )


def test_one_stability_rule():
    # the rule is written once (solvers/stability.py): no other module decides stability
    # from the regime's states by hand ("stable = not (... RISING in regime)")
    import re

    rule = re.compile(r"stab\w*\s*=.*(RISING|weak|continuum)")
    hits = [
        p.relative_to(PACKAGE).as_posix()
        for p in PACKAGE.rglob("*.py")
        if p.name != "stability.py" and rule.search(p.read_text(encoding="utf-8"))
    ]
    assert hits == []


# --------------------------------------------------------------------------- North's premise
def test_north_premise_is_stated_when_north_cannot_have_full_clusters(recwarn):
    # issue 13: with Lbar_1 = 2000 > mu_1 L_N = 500 the paper's North (full clusters) is not
    # an equilibrium; prices came silently from another North. Now the result says so.
    from marshallian.errors import NorthPremiseWarning

    with pytest.warns(NorthPremiseWarning, match="sector 1"):
        sol = m.solve("alternative", {"Lbar_1": 2000.0}, warn=True)
    assert len(sol.warnings) == 1 and "mu_1*L_N=500 < Lbar_1=2000" in sol.warnings[0]
    assert "1=partial cluster,2=cluster" in sol.warnings[0]  # the one used
    assert "1=backward,2=backward" in sol.warnings[0]  # the others that exist
    assert sol.to_dict()["warnings"] == list(sol.warnings)
    assert "Warning:" in str(sol)
    # the paper's calibration, or a North chosen explicitly: nothing to say
    assert m.solve("alternative", warn=False).warnings == ()
    assert "warnings" not in m.solve("alternative", warn=False).to_dict()
    chosen = m.solve(
        "alternative", {"Lbar_1": 2000.0}, north={1: "backward", 2: "cluster"}, warn=False
    )
    assert chosen.warnings == ()
    assert "sector 2" in m.solvers.north_premise("standard", {"Lbar": 600.0})


def test_north_premise_one_line_on_the_command_line(capsys):
    from marshallian.cli import main

    assert main(["solve", "alternative", "--set", "Lbar_1=2000", "--format", "json"]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)["warnings"]
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("marshallian: warning: North cannot")
    assert main(["solve", "alternative"]) == 0
    assert capsys.readouterr().err == ""
    assert (
        main(["policy", "alternative", "--set", "Lbar_1=2000", "--instruments", "free-trade"]) == 0
    )
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and "North cannot have the paper's full cluster" in lines[0]


# --------------------------------------------------------------------------- fast rejection
BAD_INPUTS = [
    ["solve", "alternative", "--set", "beta=2"],
    ["solve", "standard", "--world", "--set", "lam_1S=-1"],
    ["conditions", "nomodel"],
    ["policy", "alternative", "--tariff", "-1"],
    ["policy", "standard", "--instruments", "modern-subsidy"],
    ["policy", "alternative", "--set", "beta=2"],
    ["paths", "--sector", "1", "--technology", "modern", "--set", "eps=0.001"],
    ["paths", "--sector", "3", "--technology", "modern"],
    ["sweep", "alternative", "--axis", "beta=0:2:3", "--set", "Lbar_1=-1"],
    ["figures", "--out", "/dev/null/x"],
    ["figures", "--out", "OUT", "--set", "beta=2"],
    ["report", "--out", "/dev/null/x"],
    ["report", "--out", "OUT", "--set", "beta=2"],
]


@pytest.mark.parametrize("argv", BAD_INPUTS, ids=lambda a: " ".join(a[:3]))
def test_bad_input_is_rejected_before_sympy_and_matplotlib_load(argv, tmp_path):
    # issue 13 item 7: every command validates before heavy imports (the speed itself,
    # <= 0.3 s, is measured by benchmarks/bench_validation.py, not here)
    import subprocess
    import sys

    argv = [str(tmp_path / "out") if a == "OUT" else a for a in argv]
    code = (
        "import sys\nfrom marshallian.cli import main\nrc = main(sys.argv[1:])\n"
        "heavy = [m for m in ('sympy', 'matplotlib', 'scipy') if m in sys.modules]\n"
        "print(rc, ','.join(heavy))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, *argv], capture_output=True, text=True, timeout=120
    )
    rc, _, heavy = out.stdout.strip().partition(" ")
    assert rc == "2", out.stderr
    assert heavy == "", f"loaded before rejecting: {heavy}"
    assert out.stderr.count("\n") == 1 and "Traceback" not in out.stderr
    assert not (tmp_path / "out").exists()
