"""The claims registry (models.md §6) runs in the test suite, with modest draws."""

import json

import pytest
from _helpers import STATIC_CLAIMS

from marshallian.claims import load, run_claims
from marshallian.cli import main
from marshallian.errors import InvalidParameterError

STATIC = STATIC_CLAIMS


def test_every_static_claim_is_registered():
    reg = load()
    assert set(STATIC) <= set(reg)


@pytest.mark.parametrize("cid", STATIC)
def test_static_claim_holds(cid):
    (r,) = run_claims([cid], draws=8 if cid == "S6" else 25, seed=3)
    assert r.draws >= 8
    assert r.holds, r.counterexamples[:2]


def test_a9_shows_the_extra_equilibrium():
    (r,) = run_claims(["A9"], draws=6, seed=0)
    assert "2:backward" in r.notes and "Example" in r.notes


def test_relaxed_premise_gives_counterexamples():
    (r,) = run_claims(["S3"], draws=40, seed=0)
    n = int(r.notes.split("fails in ")[1].split("/")[0])
    assert n > 0  # L_S < Lbar: CA no longer decides specialization in 2


def test_seeded_runs_repeat():
    a = run_claims(["S2", "A3"], draws=10, seed=7)
    b = run_claims(["S2", "A3"], draws=10, seed=7)
    assert [x.to_dict() for x in a] == [x.to_dict() for x in b]


def test_bad_draws_raise():
    with pytest.raises(InvalidParameterError):
        run_claims(["S1"], draws=0)


def test_claims_cli_json_and_exit_codes(capsys):
    assert main(["claims", "--only", "S1,A9", "--draws", "4", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["all_hold"] and [c["id"] for c in doc["claims"]] == ["S1", "A9"]
    assert main(["claims", "--only", "Z9"]) == 2
    assert "Z9" in capsys.readouterr().err


def test_policy_cli(capsys):
    assert (
        main(
            [
                "policy",
                "standard",
                "--format",
                "json",
                "--instruments",
                "free-trade,temporary-tariff,coordination",
                "--tariff",
                "1.5",
            ]
        )
        == 0
    )
    doc = json.loads(capsys.readouterr().out)
    rows = {r["instrument"]: r for r in doc["rows"]}
    assert rows["free-trade"]["equilibrium"] == "1:standard"
    assert rows["temporary-tariff"]["mill"] is True
    assert rows["coordination"]["critical_mass"] == pytest.approx(200 / 3)


@pytest.mark.parametrize(
    "argv",
    [
        ["--tariff", "-1"],
        ["--subsidy", "nan"],
        ["--discount", "0"],
        ["--discount", "-0.1"],
        ["--instruments", "dumping"],
        ["--speed", "inf"],
        ["--sector", "3"],
    ],
)
def test_policy_cli_bad_input(argv, capsys):
    assert main(["policy", *argv]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "Traceback" not in err
