"""``marshallian paths`` (``docs/commands.md``) and the dynamic claims D1–D6."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from marshallian.cli import main


def _run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _paths(capsys, options, *more):
    """``marshallian paths`` with ``options`` (words split on spaces) and ``more`` words."""
    return _run(capsys, "paths", *options.split(), *more)


def test_paths_json_contract(capsys):
    code, out, err = _paths(
        capsys, "--sector 1 --technology modern --t-max 50 --points 11 --format json"
    )
    assert code == 0 and err == ""
    doc = json.loads(out)
    assert len(doc["t"]) == 11 and doc["t"][-1] == 50.0
    assert set(doc["relative_productivity"]) == {"1", "2"}
    assert all(len(v) == 11 for v in doc["relative_productivity"].values())
    assert len(doc["income_gap"]) == 11
    assert doc["relative_productivity"]["1"][0] == 0.6
    assert doc["certificate"]["verified"] is True
    assert doc["time_to_close"]["fraction"] == 0.5 and doc["time_to_close"]["time"] > 0


def test_paths_csv_and_table(capsys):
    code, out, _ = _paths(capsys, "--sector 2 --technology backward --points 4 --format csv")
    assert code == 0
    lines = out.strip().splitlines()
    # interface.md: a `case` column, one column per parameter, then the path's columns
    head = lines[0].split(",")
    assert head[0] == "case" and len(lines) == 5
    assert {"lam_1S", "beta", "g", "eps", "a0_1"} <= set(head)
    series = ["t", "a_1", "a_2", "income_gap", "growth_1", "growth_2"]
    assert [c for c in head if c in series] == series
    code, out, _ = _paths(capsys, "--sector 1 --technology modern --close 0.9")
    assert code == 0 and "time to close 0.9 of the income gap" in out


def test_paths_batch_file(tmp_path, capsys):
    f = tmp_path / "cases.json"
    f.write_text(json.dumps([{"a0_1": 0.3}, {"a0_1": 0.9, "g": 0.01}]))
    code, out, _ = _paths(
        capsys, "--sector 1 --technology modern --points 3 --format json", "--params", str(f)
    )
    assert code == 0
    docs = json.loads(out)
    assert [d["relative_productivity"]["1"][0] for d in docs] == [0.3, 0.9]


@pytest.mark.parametrize(
    "argv,culprit",
    [
        (["--set", "eps=0.02"], "eps"),
        (["--set", "eps=0.001"], "eps"),
        (["--set", "g=0"], "g"),
        (["--set", "g=-0.5"], "g"),
        (["--set", "a0_1=0"], "a0_1"),
        (["--set", "a0_2=-1"], "a0_2"),
        (["--set", "a0_1=inf"], "a0_1"),
        (["--t-max", "0"], "t-max"),
        (["--t-max", "-2"], "t-max"),
        (["--t-max", "nan"], "t-max"),
        (["--points", "1"], "points"),
        (["--points", "x"], "points"),
        (["--sector", "3"], "sector"),
        (["--sector", "one"], "sector"),
        (["--technology", "steam"], "technology"),
        (["--law", "avg"], "law"),
    ],
)
def test_paths_bad_input_exit_2_one_line(capsys, argv, culprit):
    base = {"--sector": "1", "--technology": "modern"}
    args = ["paths"]
    for k, v in base.items():
        if k not in argv:
            args += [k, v]
    code, out, err = _run(capsys, *(args + argv))
    assert code == 2
    assert out == ""
    assert len(err.strip().splitlines()) == 1 and culprit in err
    assert "Traceback" not in err


def test_paths_subprocess_exit_codes():
    cmd = [
        sys.executable,
        "-c",
        "import sys; from marshallian.cli import main; sys.exit(main(sys.argv[1:]))",
    ]

    def paths_process(options):
        return subprocess.run(cmd + ["paths", *options.split()], capture_output=True, text=True)

    ok = paths_process("--sector 1 --technology backward --points 2 --format json")
    assert ok.returncode == 0 and "income_gap" in json.loads(ok.stdout)
    bad = paths_process("--sector 1 --technology modern --set eps=0.01")
    assert bad.returncode == 2 and bad.stdout == "" and "eps" in bad.stderr
    assert len(bad.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("cid", ["D1", "D2", "D3", "D4", "D5", "D6"])
def test_dynamic_claims_hold(cid):
    from marshallian.claims import run_claims

    (res,) = run_claims([cid], draws=25, seed=3)
    assert res.id == cid and res.draws >= 20
    assert res.holds, res.counterexamples[:2]
    assert res.counterexamples == []


def test_d4_draws_cover_both_sides_of_the_condition():
    from marshallian.claims import run_claims

    (res,) = run_claims(["D4"], draws=60, seed=0)
    held, failed = [int(s) for s in res.notes.split() if s.isdigit()]
    assert held > 0 and failed > 0


def test_d6_detects_a_wrong_law(monkeypatch):
    # the claim must fail if the package used max: make min behave like max
    from marshallian.claims import run_claims
    from marshallian.solvers.dynamics import paths as dyn_paths

    real = dyn_paths.spillover_term
    monkeypatch.setattr(dyn_paths, "spillover_term", lambda x, eps, law="min": real(x, eps, "max"))
    (res,) = run_claims(["D6"], draws=10, seed=1)
    assert not res.holds and res.counterexamples


def test_paths_north_option(capsys):
    code, out, _ = _paths(
        capsys,
        "--sector 1 --technology modern --north 1=backward,2=cluster --points 2 --format json",
    )
    assert code == 0
    doc = json.loads(out)
    # North backward in 1 does not learn: South overtakes, a_1 -> eps/(eps - g) = 5/3
    assert doc["limit"]["relative_productivity"]["1"] == pytest.approx(5 / 3, rel=1e-12)
    code, out, err = _paths(capsys, "--sector 1 --technology modern --north 1=steam")
    assert code == 2 and out == "" and "--north" in err


def test_paths_default_start_is_the_no_cluster_steady_state_of_the_given_g_and_eps(capsys):
    # issue 13: a(0) defaulted to 0.6, which is a_hat = 1 - g/eps only at g = 0.02, eps = 0.05.
    # The paper's experiment starts South from the backward steady state: with g = 0.01 the
    # backward path must stay at a_hat = 0.8 (no gap to close) and the modern one start there.
    from marshallian.models import get_model
    from marshallian.solvers.dynamics import path

    model = get_model("dynamic")
    assert model.params({"g": 0.01}).as_dict()["a0_1"] == 0.8
    assert model.params({"g": 0.01, "a0_1": 0.3}).as_dict()["a0_1"] == 0.3  # given: kept
    assert model.params().as_dict()["a0_2"] == 0.6  # the defaults
    back = path({"g": 0.01, "eps": 0.04}, sector=1, technology="backward", certify=False)
    assert back.relative_productivity[1][0] == pytest.approx(0.75, rel=1e-15)
    assert back.relative_productivity[1][-1] == pytest.approx(0.75, rel=1e-12)
    assert back.time_to_close(0.5) == 0.0
    code, out, _ = _paths(capsys, "--sector 1 --technology modern --set g=0.01 --format json")
    doc = json.loads(out)
    assert code == 0 and doc["relative_productivity"]["1"][0] == pytest.approx(0.8)


def test_paths_prints_one_time_to_close_line(capsys):
    # issue 13: "half of the gap closed at t=13.9" and "time to close 0.9 ...: 46.1" both
    # appeared; now one line, for the fraction asked
    code, out, _ = _paths(capsys, "--sector 1 --technology modern --close 0.9")
    assert code == 0 and out.count("time to close") == 1 and "half" not in out
    code, out, _ = _paths(capsys, "--sector 1 --technology modern --close 0.9 --format json")
    doc = json.loads(out)
    assert doc["time_to_close"]["fraction"] == 0.9 and doc["time_to_close"]["time"] > 40
