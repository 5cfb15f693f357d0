"""θ as a parameter (issue 14 item 2) and numbers of every kind in Parameters (item 5).

θ ≡ 1 + αL̄ (§2) and θ_j ≡ β + αL̄_j (§3, §4) may be given in place of L̄ / L̄_j
(interface.md, Parameters); giving both for one sector is bad input.
"""

from __future__ import annotations

import json
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest
import sympy as sp

import marshallian as m
from marshallian.cli import main
from marshallian.errors import DegenerateEquilibriumWarning, InvalidParameterError
from marshallian.models import get_model


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(
    "model, alias, target, level",
    [
        ("standard", "theta", "Lbar", None),
        ("alternative", "theta_1", "Lbar_1", "beta"),
        ("alternative", "theta_2", "Lbar_2", "beta"),
        ("dynamic", "theta_1", "Lbar_1", "beta"),
        ("dynamic", "theta_2", "Lbar_2", "beta"),
    ],
)
def test_theta_sets_lbar(model, alias, target, level):
    M = get_model(model)
    p = M.params({alias: 3.0, "alpha": 0.04})
    c = 1.0 if level is None else p[level]
    assert p[target] == pytest.approx((3.0 - c) / 0.04, rel=1e-15)
    assert getattr(p, alias) == pytest.approx(3.0, rel=1e-15)
    # the same equilibria as giving Lbar directly
    direct = M.params({target: p[target], "alpha": 0.04})
    assert (
        m.solve(model, p).to_dict()["equilibria"] == m.solve(model, direct).to_dict()["equilibria"]
    )


def test_theta_exact_stays_exact():
    M = get_model("alternative")
    p = M.params(theta_1=Fraction(5, 2), alpha=Fraction(3, 100), beta=Fraction(1, 2))
    assert p["Lbar_1"] == Fraction(200, 3) and isinstance(p["Lbar_1"], Fraction)
    # floats: the float value is the nearest one, exact mode reads the decimals exactly
    q = M.params(theta_1=2.5, alpha=0.03)
    assert q["Lbar_1"] == pytest.approx(200 / 3, rel=1e-15)
    exact = dict(zip(M.parameter_names, q.exact_tuple()))
    assert exact["Lbar_1"] == sp.Rational(200, 3)
    assert exact["beta"] + exact["alpha"] * exact["Lbar_1"] == sp.Rational(5, 2)


def test_theta_knife_edge_decided_exactly():
    # §3 condition (*): x < θ₁ with x = (λ1S/λ1N)/(λ2S/λ2N). At x = θ₁ exactly, exact mode
    # must see the tie, which it can only if L̄₁ = (θ₁ − β)/α is kept exact.
    M = get_model("alternative")
    q = M.params(theta_1=1.25, alpha=0.03, beta=0.4)  # x = 1/0.8 = 1.25 = θ₁
    exact = dict(zip(M.parameter_names, q.exact_tuple()))
    x = (exact["lam_1S"] / exact["lam_1N"]) / (exact["lam_2S"] / exact["lam_2N"])
    assert x == exact["beta"] + exact["alpha"] * exact["Lbar_1"]
    with pytest.warns(DegenerateEquilibriumWarning):
        sol = m.solve("alternative", q, exact=True)
    assert any(e.degenerate for e in sol)


def test_theta_and_lbar_both_is_bad_input():
    with pytest.raises(InvalidParameterError) as info:
        get_model("alternative").params(theta_1=3, Lbar_1=100)
    assert "theta_1" in str(info.value) and "not both" in str(info.value)
    with pytest.raises(InvalidParameterError):
        get_model("standard").params(theta=3, Lbar=100)


@pytest.mark.parametrize("value", [1.0, 0.5, -2.0])
def test_theta_at_most_one_is_bad_input(value):
    with pytest.raises(InvalidParameterError) as info:
        get_model("alternative").params(theta_2=value)
    assert str(info.value).startswith("theta_2=")


def test_theta_on_the_command_line(capsys, tmp_path):
    code, out, err = run(capsys, "solve", "alternative", "--set", "theta_1=3", "--format", "json")
    assert code == 0, err
    assert json.loads(out)["params"]["Lbar_1"] == pytest.approx((3 - 0.5) / 0.02)
    f = tmp_path / "p.toml"
    f.write_text("theta = 2\nalpha = 0.02\n")
    code, out, err = run(capsys, "solve", "standard", "--params", str(f), "--format", "json")
    assert code == 0, err
    assert json.loads(out)["params"]["Lbar"] == pytest.approx(50.0)


def test_theta_both_on_the_command_line_exit_2(capsys):
    code, out, err = run(
        capsys, "solve", "alternative", "--set", "theta_1=3", "--set", "Lbar_1=100"
    )
    assert code == 2 and out == ""
    lines = err.splitlines()
    assert len(lines) == 1 and "theta_1" in lines[0] and "not both" in lines[0]


def test_theta_of_the_wrong_model_is_unknown():
    with pytest.raises(InvalidParameterError, match="theta_1"):
        get_model("standard").params(theta_1=3)


# --------------------------------------------------------------------- numbers of every kind
@pytest.mark.parametrize(
    "value",
    [
        np.float32(1.5),
        np.float64(1.5),
        np.int64(2),
        np.int32(2),
        Decimal("1.5"),
        Fraction(3, 2),
        2,
        1.5,
    ],
)
def test_numbers_of_every_kind(value):
    p = get_model("standard").params(lam_1S=value)
    assert float(p["lam_1S"]) == pytest.approx(float(value))
    doc = json.loads(json.dumps(m.solve("standard", p).to_dict()))
    assert doc["params"]["lam_1S"] == pytest.approx(float(value))


def test_decimal_is_exact_in_exact_mode():
    p = get_model("alternative").params(beta=Decimal("0.30000000000000000001"))
    assert isinstance(p["beta"], float)
    exact = dict(zip(p, p.exact_tuple()))
    assert exact["beta"] == sp.Rational(30000000000000000001, 10**20)


def test_fraction_parameter_survives_to_dict_json():
    sol = m.solve("alternative", {"lam_2S": Fraction(4, 5)})
    doc = json.loads(json.dumps(sol.to_dict()))
    assert doc["params"]["lam_2S"] == pytest.approx(0.8)


@pytest.mark.parametrize(
    "bad",
    [Decimal("NaN"), Decimal("Infinity"), np.float64("nan"), np.bool_(True), True, "1.5", None, 1j],
)
def test_non_numbers_rejected(bad):
    with pytest.raises(InvalidParameterError, match="lam_1S"):
        get_model("standard").params(lam_1S=bad)


def test_replace_validates_and_keeps_the_rest():
    p = get_model("alternative").params(lam_2S=0.9)
    q = p.replace(beta=0.4)
    assert q["beta"] == 0.4 and q["lam_2S"] == 0.9 and p["beta"] == 0.5
    with pytest.raises(InvalidParameterError, match="beta"):
        p.replace(beta=1.5)
    with pytest.raises(InvalidParameterError, match="gamma"):
        p.replace(gamma=1)
    r = p.replace(theta_1=3)  # an alias replaces its target
    assert r.theta_1 == pytest.approx(3) and r["lam_2S"] == 0.9
    # exact values carried over by replace
    d = get_model("alternative").params(theta_1=2.5, alpha=0.03).replace(lam_1S=1.1)
    exact = dict(zip(d, d.exact_tuple()))
    assert exact["Lbar_1"] == sp.Rational(200, 3)


def test_theta_in_sweeps():
    r = m.sweep.sweep("alternative", {"lam_1S": "0.5:2:3"}, {"theta_1": 3})
    assert r.fixed["Lbar_1"] == pytest.approx((3 - 0.5) / 0.02)
    with pytest.raises(InvalidParameterError, match="theta_1"):
        m.sweep.sweep("alternative", {"alpha": "0.01:0.02:3"}, {"theta_1": 3})
    with pytest.raises(InvalidParameterError, match="not both"):
        m.sweep.sweep("alternative", {"lam_1S": "0.5:2:3"}, {"theta_1": 3, "Lbar_1": 50})


def test_theta_sweep_cli(capsys):
    code, out, err = run(
        capsys,
        "sweep",
        "alternative",
        "--axis",
        "lam_1S=0.5:2:3",
        "--set",
        "theta_1=3",
        "--format",
        "json",
    )
    assert code == 0, err
    assert json.loads(out)["fixed"]["Lbar_1"] == pytest.approx(125.0)
    code, out, err = run(capsys, "sweep", "alternative", "--axis", "theta_1=1.5:3:3")
    assert code == 2 and "Lbar_1" in err and len(err.splitlines()) == 1
