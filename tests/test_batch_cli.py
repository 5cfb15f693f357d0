"""``marshallian solve MODEL --params cases.csv --format csv|parquet`` through the batch
engine: the same table as the case-by-case path, bad input named as that path names it."""

import csv
import io

import numpy as np
import pytest
from conftest import run_cli_inprocess

from marshallian.cli import solve as solve_cli

pd = pytest.importorskip("pandas", reason="pandas is in the test extra")


@pytest.fixture
def small_engine(monkeypatch):
    """Send batches of 5 cases or more through the engine (the default is 500)."""
    monkeypatch.setattr(solve_cli, "BATCH_ENGINE_MIN_CASES", 5)


def _write_cases(path, n=40, seed=0, extra=None):
    rng = np.random.default_rng(seed)
    rows = [
        {
            "lam_1S": round(rng.uniform(0.5, 2), 4),
            "lam_2S": round(rng.uniform(0.5, 2), 4),
            "beta": round(rng.uniform(0.2, 0.8), 4),
        }
        for _ in range(n)
    ]
    rows[3] = {"lam_1S": 1.0, "lam_2S": 1.0, "beta": 0.5}  # a knife edge
    for i, r in (extra or {}).items():
        rows[i] = r
    with open(path, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    return rows


def _per_case_csv(monkeypatch, args, cwd):
    monkeypatch.setattr(solve_cli, "BATCH_ENGINE_MIN_CASES", 10**9)
    return run_cli_inprocess(args, cwd)


def _same_table(a_text, b_text):
    a = pd.read_csv(io.StringIO(a_text))
    b = pd.read_csv(io.StringIO(b_text))
    assert list(a.columns) == list(b.columns)
    assert len(a) == len(b)
    for c in a.columns:
        if a[c].dtype.kind == "f":
            np.testing.assert_allclose(a[c], b[c], rtol=1e-9, atol=1e-9)
        elif c != "activities":  # labor printed to 4 digits
            assert (a[c].fillna("") == b[c].fillna("")).all(), c


def test_engine_csv_is_the_per_case_csv(tmp_path, small_engine, monkeypatch):
    _write_cases(tmp_path / "cases.csv")
    args = ["solve", "alternative", "--params", "cases.csv", "--format", "csv"]
    fast = run_cli_inprocess(args, tmp_path)
    assert fast.returncode == 0, fast.stderr
    slow = _per_case_csv(monkeypatch, args, tmp_path)
    _same_table(fast.stdout, slow.stdout)
    assert fast.stdout.splitlines()[0] == slow.stdout.splitlines()[0]


def test_set_overrides_the_file_in_the_engine(tmp_path, small_engine, monkeypatch):
    _write_cases(tmp_path / "cases.csv")
    args = [
        "solve",
        "alternative",
        "--params",
        "cases.csv",
        "--set",
        "beta=0.3",
        "--set",
        "L_S=150",
        "--format",
        "csv",
    ]
    fast = run_cli_inprocess(args, tmp_path)
    df = pd.read_csv(io.StringIO(fast.stdout))
    assert (df.beta == 0.3).all() and (df.L_S == 150).all()
    _same_table(fast.stdout, _per_case_csv(monkeypatch, args, tmp_path).stdout)


def test_parquet_holds_the_csv_table(tmp_path, small_engine):
    pytest.importorskip("pyarrow")
    _write_cases(tmp_path / "cases.csv")
    base = ["solve", "dynamic", "--params", "cases.csv"]
    as_csv = run_cli_inprocess(base + ["--format", "csv"], tmp_path)
    import subprocess
    import sys

    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            "from marshallian.cli import entry; entry()",
            *base,
            "--format",
            "parquet",
        ],
        cwd=tmp_path,
        capture_output=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    pq = pd.read_parquet(io.BytesIO(proc.stdout))
    _same_table(pq.to_csv(index=False), as_csv.stdout)


def test_bad_row_is_named_as_the_per_case_reader_names_it(tmp_path, small_engine, monkeypatch):
    _write_cases(tmp_path / "cases.csv", extra={7: {"lam_1S": 1.0, "lam_2S": -2.0, "beta": 0.5}})
    args = ["solve", "alternative", "--params", "cases.csv", "--format", "csv"]
    fast = run_cli_inprocess(args, tmp_path)
    slow = _per_case_csv(monkeypatch, args, tmp_path)
    assert fast.returncode == slow.returncode == 2
    assert fast.stdout == "" and fast.stderr == slow.stderr
    assert len(fast.stderr.strip().splitlines()) == 1 and "lam_2S" in fast.stderr


def test_on_error_skip_leaves_the_bad_case_out(tmp_path, small_engine):
    _write_cases(tmp_path / "cases.csv", extra={7: {"lam_1S": 1.0, "lam_2S": 1.0, "beta": 1.5}})
    r = run_cli_inprocess(
        ["solve", "alternative", "--params", "cases.csv", "--format", "csv", "--on-error", "skip"],
        tmp_path,
    )
    assert r.returncode == 0
    assert "skipped case 7" in r.stderr
    df = pd.read_csv(io.StringIO(r.stdout))
    assert 7 not in set(df.case) and {6, 8} <= set(df.case)


def test_theta_columns_take_the_per_case_reader(tmp_path, small_engine):
    rows = [{"theta_1": 2.0 + i / 10, "lam_2S": 0.8} for i in range(8)]
    with open(tmp_path / "t.csv", "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=["theta_1", "lam_2S"])
        w.writeheader()
        w.writerows(rows)
    r = run_cli_inprocess(
        ["solve", "alternative", "--params", "t.csv", "--format", "csv"], tmp_path
    )
    assert r.returncode == 0, r.stderr
    df = pd.read_csv(io.StringIO(r.stdout))
    assert sorted(set(df.case)) == list(range(8))
    np.testing.assert_allclose(
        df.groupby("case").Lbar_1.first(), [(2.0 + i / 10 - 0.5) / 0.02 for i in range(8)]
    )


def test_parquet_refuses_exact(tmp_path):
    r = run_cli_inprocess(["solve", "alternative", "--format", "parquet", "--exact"], tmp_path)
    assert r.returncode == 2 and "parquet" in r.stderr and r.stdout == ""


def test_north_premise_warnings_as_the_per_case_path(tmp_path, small_engine, monkeypatch):
    """Cases where North cannot have the paper's full clusters are answered by ``solve``
    and warned about on stderr, one line per case, as the case-by-case path does."""
    rows = [{"lam_2S": 0.6 + i / 20, "Lbar_1": 2000.0 if i in (2, 5) else 100.0} for i in range(12)]
    with open(tmp_path / "cases.csv", "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=["lam_2S", "Lbar_1"])
        w.writeheader()
        w.writerows(rows)
    args = ["solve", "alternative", "--params", "cases.csv", "--format", "csv"]
    fast = run_cli_inprocess(args, tmp_path)
    slow = _per_case_csv(monkeypatch, args, tmp_path)
    assert fast.returncode == slow.returncode == 0
    assert fast.stderr == slow.stderr
    assert "case 2:" in fast.stderr and "case 5:" in fast.stderr
    _same_table(fast.stdout, slow.stdout)


def _same_doc(x, y, path=""):
    import math

    if isinstance(x, dict):
        assert isinstance(y, dict) and list(x) == list(y), (path, list(x), list(y))
        for k in x:
            _same_doc(x[k], y[k], f"{path}/{k}")
    elif isinstance(x, list):
        assert isinstance(y, list) and len(x) == len(y), (path, len(x), len(y))
        for i, (u, v) in enumerate(zip(x, y)):
            _same_doc(u, v, f"{path}[{i}]")
    elif isinstance(x, float) and isinstance(y, float):
        # residuals are rounding noise (~1e-16) on both paths
        assert "residual" in path or math.isclose(x, y, rel_tol=1e-9, abs_tol=1e-9), (path, x, y)
    else:
        assert x == y, (path, x, y)


@pytest.mark.parametrize("model", ["standard", "dynamic"])
def test_engine_json_is_the_per_case_json(tmp_path, small_engine, monkeypatch, model):
    """``--format json`` from the engine: the same documents (keys, order, values to 1e-9,
    delegated knife edges included) as ``Solution.to_dict()`` case by case."""
    import json

    _write_cases(tmp_path / "cases.csv", n=25)
    if model == "standard":
        (tmp_path / "cases.csv").write_text(
            "lam_1S,lam_2S\n"
            + "".join(f"{1 + i / 50},{0.8 + i / 20}\n" for i in range(24))
            + "1,1\n"
        )
    args = ["solve", model, "--params", "cases.csv", "--format", "json"]
    fast = run_cli_inprocess(args, tmp_path)
    slow = _per_case_csv(monkeypatch, args, tmp_path)
    assert fast.returncode == slow.returncode == 0, fast.stderr
    a, b = json.loads(fast.stdout), json.loads(slow.stdout)
    assert len(a) == 25
    _same_doc(a, b)
