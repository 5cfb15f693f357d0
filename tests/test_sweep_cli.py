"""`marshallian sweep`: grids, point files, output files, bad input (exit 2, nothing written)."""

import json

import numpy as np
import pytest

from marshallian.cli import main


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_grid_to_npz_and_json_summary(capsys, tmp_path):
    out = tmp_path / "map.npz"
    code, stdout, err = run(
        capsys,
        "sweep",
        "alternative",
        "--axis",
        "lam_1S=0.5:2:21",
        "--axis",
        "lam_2S=log:0.5:2:11",
        "--set",
        "beta=0.4",
        "--out",
        str(out),
        "--format",
        "json",
    )
    assert code == 0, err
    doc = json.loads(stdout)
    assert doc["shape"] == [21, 11] and len(doc["types"]) == 15 and doc["output"] == str(out)
    assert doc["fixed"]["beta"] == 0.4 and sum(doc["categories"].values()) <= 21 * 11
    with np.load(out) as z:
        assert z["bits"].shape == (21, 11) and z["axis_lam_1S"][-1] == 2.0
    assert not err  # no progress bar when not a TTY


def test_points_file_and_table(capsys, tmp_path):
    pts = tmp_path / "pts.csv"
    pts.write_text("lam_1S,lam_2S\n1.0,0.8\n1.0,1.6\n0.6,1.0\n")
    params = tmp_path / "fixed.json"
    params.write_text(json.dumps({"L_S": 300.0}))
    code, stdout, err = run(
        capsys, "sweep", "alternative", "--points", str(pts), "--params", str(params)
    )
    assert code == 0, err
    assert "3 points" in stdout and "1:modern" in stdout


def test_progress_bar_on_request(capsys):
    code, _, err = run(capsys, "sweep", "standard", "--axis", "lam_2S=0.5:2:11", "--progress")
    assert code == 0 and "sweep [" in err and "100.0%" in err


@pytest.mark.parametrize(
    "args, culprit",
    [
        (["--axis", "lam_1S=2:1:10"], "lam_1S"),  # inverted
        (["--axis", "lam_1S=1:1:10"], "lam_1S"),  # empty
        (["--axis", "lam_1S=1:2:0"], "lam_1S"),  # no point
        (["--axis", "lam_1S=log:0:2:5"], "lam_1S"),  # log range through zero
        (["--axis", "lam_9S=1:2:3"], "lam_9S"),  # unknown name
        (["--axis", "lam_1S=1:2:3", "--set", "nope=1"], "nope"),
        (["--axis", "beta=0.5:1.5:3"], "beta"),  # invalid box
        (["--axis", "lam_1S=1:2:3", "--axis", "lam_1S=1:3:3"], "lam_1S"),
        (["--axis", "lam_1S=1:2:3", "--out", "{tmp}/missing/dir/x.npz"], "--out"),
        (["--axis", "lam_1S=1:2:3", "--out", "{tmp}/x.csv"], "--out"),
        (["--axis", "lam_1S=1:2:3", "--out", "{tmp}"], "--out"),
        ([], "--axis"),
        (["--points", "{tmp}/none.csv"], "none.csv"),
    ],
)
def test_bad_input_exit_2_one_line_nothing_written(capsys, tmp_path, args, culprit):
    args = [a.replace("{tmp}", str(tmp_path)) for a in args]
    if "--out" not in args:
        args += ["--out", str(tmp_path / "out.npz")]
    code, out, err = run(capsys, "sweep", "alternative", *args)
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1 and culprit in lines[0] and "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


def test_output_under_a_file_is_refused(capsys, tmp_path):
    blocker = tmp_path / "file.txt"
    blocker.write_text("x")
    code, _, err = run(
        capsys, "sweep", "standard", "--axis", "lam_2S=1:2:3", "--out", str(blocker / "x.npz")
    )
    assert code == 2 and "--out" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file.txt"]
