"""The `solve` and `conditions` commands against docs/commands.md."""

import json

import pytest
import sympy as sp

from marshallian.cli import main


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("model", ["standard", "alternative", "dynamic"])
def test_solve_json_has_the_contract_fields(capsys, model):
    code, out, err = run(capsys, "solve", model, "--format", "json")
    assert code == 0, err
    doc = json.loads(out)
    assert doc["model"] == model
    assert set(doc["prices"]) == {"1", "2"}
    assert isinstance(doc["params"], dict) and doc["params"]["L_S"] == 200.0
    assert doc["equilibria"]
    techs = {"standard"} if model == "standard" else {"backward", "modern"}
    for e in doc["equilibria"]:
        assert {"activities", "wage", "income_gap", "stable", "degenerate"} <= set(e)
        assert e["income_gap"] == pytest.approx(1 / e["wage"])
        for a in e["activities"]:
            assert a["labor"] > 0 and a["technology"] in techs and a["sector"] in (1, 2)
        assert e["certificate"]["verified"]


def test_interface_example_prices(capsys):
    # docs/commands.md example: alternative default prices {"1": 0.4, "2": 0.2857}
    code, out, _ = run(capsys, "solve", "alternative", "--format", "json")
    prices = json.loads(out)["prices"]
    assert prices["1"] == pytest.approx(0.4) and prices["2"] == pytest.approx(0.2857, abs=1e-4)


def test_set_and_params_file_and_batch(capsys, tmp_path):
    code, out, _ = run(capsys, "solve", "standard", "--set", "lam_2S=0.8", "--format", "json")
    assert json.loads(out)["params"]["lam_2S"] == 0.8
    f = tmp_path / "p.json"
    f.write_text(json.dumps({"lam_2S": 0.9}))
    code, out, _ = run(capsys, "solve", "standard", "--params", str(f), "--format", "json")
    assert json.loads(out)["params"]["lam_2S"] == 0.9
    f.write_text(json.dumps([{"lam_2S": 0.9}, {"lam_2S": 1.1}]))
    code, out, _ = run(
        capsys, "solve", "standard", "--params", str(f), "--format", "json", "--set", "alpha=0.02"
    )
    docs = json.loads(out)
    assert [d["params"]["lam_2S"] for d in docs] == [0.9, 1.1]
    assert all(d["params"]["alpha"] == 0.02 for d in docs)
    t = tmp_path / "p.toml"
    t.write_text("lam_2S = 1.3\nbeta = 0.4\n")
    code, out, _ = run(capsys, "solve", "alternative", "--params", str(t), "--format", "json")
    assert json.loads(out)["params"]["beta"] == 0.4


def test_table_and_latex_formats(capsys):
    code, out, _ = run(capsys, "solve", "alternative")
    assert code == 0 and "gap" in out and "stable" in out
    code, out, _ = run(capsys, "solve", "alternative", "--format", "latex")
    assert code == 0 and "\\begin{tabular}" in out


def test_exact_flag(capsys):
    code, out, _ = run(capsys, "solve", "alternative", "--exact", "--format", "json")
    doc = json.loads(out)
    assert doc["exact"] and all("exact_wage" in e for e in doc["equilibria"])


@pytest.mark.parametrize(
    "argv, culprit",
    [
        (["solve", "alternative", "--set", "beta=1.5"], "beta"),
        (["solve", "nomodel"], "nomodel"),
        (["solve", "standard", "--set", "zeta=1"], "zeta"),
        (["solve", "alternative", "--set", "Lbar_1=10"], "theta_1"),
        (["solve", "dynamic", "--set", "eps=0.01"], "eps"),
        (["solve", "standard", "--set", "alpha=nan"], "alpha"),
        (["solve", "standard", "--params", "/nonexistent.json"], "/nonexistent.json"),
        (["conditions", "nomodel"], "nomodel"),
    ],
)
def test_bad_input_exit_2_one_line(capsys, argv, culprit):
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and culprit in err


@pytest.mark.parametrize("model", ["standard", "alternative"])
def test_conditions_json_contract(capsys, model):
    code, out, _ = run(capsys, "conditions", model, "--format", "json")
    docs = json.loads(out)
    assert docs
    for d in docs:
        assert {"activities", "stable", "condition", "definitions"} <= set(d)
        cond = sp.sympify(d["condition"])
        used = {s.name for s in cond.free_symbols}
        assert {n for n in used if n.startswith("theta")} <= set(d["definitions"])
    for fmt in ("text", "latex"):
        code, out, _ = run(capsys, "conditions", model, "--format", fmt)
        assert code == 0 and out


def test_help_is_fast_and_lazy():
    import subprocess
    import sys

    code = (
        "import sys, marshallian.cli as c; c.build_parser(); "
        "print(any(m in sys.modules for m in ('sympy', 'matplotlib', 'scipy')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
