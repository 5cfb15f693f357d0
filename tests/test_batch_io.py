"""Reading inputs and writing batches (issue 14 items 3-4; issue 12 items 1, 8 and the
parameter-text parts of 10).

Inputs are read once (a pipe keeps every case), capped in size, refused when they are not
regular files or pipes, and parsed as ASCII numbers only; echoed values are escaped and
cut. CSV ``--params`` is a batch; a bad cell names its column, row and rule. Output is
streamed case by case (JSON array, CSV rows); ``--on-error skip`` answers the valid cases
and reports each invalid one.
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import tracemalloc

import pytest
from conftest import MARSHALLIAN_BIN, run_cli_inprocess, snapshot

from marshallian.cli.output import JsonArrayWriter, emit
from marshallian.errors import InvalidParameterError
from marshallian.params import parse_number, read_parameter_input

BATCH = '[{"lam_1S": 1.1}, {"lam_1S": 1.3}]'


def _bad(res, *culprits):
    """Exit 2, one line on stderr naming every culprit, nothing on stdout."""
    assert res.returncode == 2, (res.returncode, res.stdout, res.stderr)
    assert res.stdout == ""
    lines = res.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("marshallian: error: "), res.stderr
    assert "Traceback" not in res.stderr and "internal error" not in res.stderr
    for c in culprits:
        assert c in lines[0], (c, lines[0])
    return lines[0]


def _shell(cmd: str, cwd) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["bash", "-c", cmd],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        env={"M": str(MARSHALLIAN_BIN), "PATH": "/usr/bin:/bin"},
        check=False,
    )


# --------------------------------------------------------------------- issue 12 item 1
@pytest.mark.parametrize("how", ["/dev/stdin", "-", "process-substitution"])
def test_batch_from_a_pipe_keeps_every_case(tmp_path, how):
    if how == "process-substitution":
        cmd = f"$M solve alternative --params <(echo '{BATCH}') --format json"
    else:
        cmd = f"echo '{BATCH}' | $M solve alternative --params {how} --format json"
    res = _shell(cmd, tmp_path)
    assert res.returncode == 0, res.stderr
    docs = json.loads(res.stdout)
    assert [d["params"]["lam_1S"] for d in docs] == [1.1, 1.3]


def test_paths_batch_from_a_pipe_keeps_every_case(tmp_path):
    res = _shell(
        'echo \'[{"a0_1": 0.3}, {"a0_1": 0.9}]\' | $M paths --sector 1 '
        "--technology modern --points 3 --params /dev/stdin --format json",
        tmp_path,
    )
    assert res.returncode == 0, res.stderr
    assert [d["relative_productivity"]["1"][0] for d in json.loads(res.stdout)] == [0.3, 0.9]


def test_csv_batch_from_a_pipe(tmp_path):
    res = _shell(
        "printf 'lam_1S\\n1.1\\n1.3\\n' | $M solve standard --params - --format json", tmp_path
    )
    assert res.returncode == 0, res.stderr
    assert [d["params"]["lam_1S"] for d in json.loads(res.stdout)] == [1.1, 1.3]


# --------------------------------------------------------------------- issue 12 item 8
@pytest.mark.parametrize(
    "argv",
    [
        ["solve", "standard", "--params", "/dev/zero"],
        ["sweep", "alternative", "--points", "/dev/zero"],
        ["paths", "--sector", "1", "--technology", "modern", "--params", "/dev/zero"],
    ],
)
def test_dev_zero_is_refused(tmp_path, argv):
    _bad(run_cli_inprocess(argv, tmp_path), "/dev/zero", "regular file or a pipe")


def test_input_size_is_capped(tmp_path, monkeypatch):
    from marshallian import params

    monkeypatch.setattr(params, "MAX_INPUT_BYTES", 100)
    (tmp_path / "big.json").write_text('{"lam_1S": 1.0' + " " * 200 + "}")
    _bad(
        run_cli_inprocess(["solve", "standard", "--params", "big.json"], tmp_path),
        "big.json",
        "at most 100 bytes",
    )
    # a pipe is capped while it is read (its size is unknown in advance)
    r, w = os.pipe()
    os.write(w, b"{" + b" " * 300 + b"}")
    os.close(w)
    try:
        with pytest.raises(InvalidParameterError, match="at most 100 bytes"):
            params.read_input(f"/dev/fd/{r}")
    finally:
        os.close(r)


# --------------------------------------------------------------------- issue 12 item 10 (parsing)
def test_empty_params_is_an_error(tmp_path):
    _bad(
        run_cli_inprocess(["solve", "standard", "--params", ""], tmp_path),
        "--params",
        "must name a file",
    )


def test_toml_integer_of_5000_digits_exit_2(tmp_path):
    (tmp_path / "p.toml").write_text("lam_1S = 1" + "0" * 5000 + "\n")
    line = _bad(run_cli_inprocess(["solve", "standard", "--params", "p.toml"], tmp_path), "p.toml")
    assert len(line) < 400


def test_huge_value_is_cut_in_the_echo(tmp_path):
    (tmp_path / "p.json").write_text(json.dumps({"lam_1S": "x" * 1_000_000}))
    line = _bad(
        run_cli_inprocess(["solve", "standard", "--params", "p.json"], tmp_path),
        "lam_1S",
        "1000000 characters",
    )
    assert len(line) < 400
    line = _bad(
        run_cli_inprocess(["solve", "standard", "--set", "lam_1S=" + "9" * 500 + "x"], tmp_path),
        "lam_1S",
    )
    assert len(line) < 400


@pytest.mark.parametrize(
    "digit", ["\u0661", "\U0001d7cf", "\uff11", "1_0", "0x10", "inf", "NaN", "1/2", "\u00a01"]
)
def test_only_ascii_numerals(tmp_path, digit):
    assert parse_number(digit) is None
    _bad(run_cli_inprocess(["solve", "standard", "--set", f"lam_1S={digit}"], tmp_path), "lam_1S")
    (tmp_path / "c.csv").write_text(f"lam_1S\n{digit}\n", encoding="utf-8")
    _bad(
        run_cli_inprocess(["solve", "standard", "--params", "c.csv"], tmp_path),
        "column lam_1S",
        "row 2",
    )


def test_lookalike_names_are_escaped(tmp_path):
    line = _bad(
        run_cli_inprocess(["solve", "standard", "--set", "l\u0430m_1S=1"], tmp_path),
        "unknown parameter",
    )
    assert "l\\u0430m_1S" in line and line.isascii()
    (tmp_path / "c.csv").write_text("l\u0430m_1S\n1\n", encoding="utf-8")
    line = _bad(
        run_cli_inprocess(["solve", "standard", "--params", "c.csv"], tmp_path),
        "unknown parameter",
        "row 1",
    )
    assert "\u0430" not in line


def test_header_only_csv_one_line(tmp_path):
    (tmp_path / "h.csv").write_text("lam_1S,lam_2S\n")
    _bad(run_cli_inprocess(["solve", "standard", "--params", "h.csv"], tmp_path), "h.csv")
    _bad(run_cli_inprocess(["sweep", "alternative", "--points", "h.csv"], tmp_path), "h.csv")


def test_npz_that_is_not_a_zip(tmp_path):
    (tmp_path / "p.npz").write_bytes(b"PK\x03\x04 not really a zip")
    _bad(run_cli_inprocess(["sweep", "alternative", "--points", "p.npz"], tmp_path), "p.npz")


# --------------------------------------------------------------------- CSV batches (issue 14)
def test_csv_batch_missing_columns_take_defaults(tmp_path):
    (tmp_path / "c.csv").write_text("lam_2S,theta\n0.8,3\n1.1,2\n")
    res = run_cli_inprocess(
        ["solve", "standard", "--params", "c.csv", "--format", "json"], tmp_path
    )
    assert res.returncode == 0, res.stderr
    docs = json.loads(res.stdout)
    assert [d["params"]["lam_2S"] for d in docs] == [0.8, 1.1]
    assert [d["params"]["Lbar"] for d in docs] == [pytest.approx(200), pytest.approx(100)]
    assert all(d["params"]["lam_1S"] == 1.0 for d in docs)


@pytest.mark.parametrize(
    "text, culprits",
    [
        ("lam_1S,gamma\n1,2\n", ["column gamma", "row 1", "unknown parameter"]),
        ("lam_1S,lam_2S\n1.1,0.8\n1.2,\n", ["column lam_2S", "row 3", "blank cell"]),
        ("lam_1S,lam_2S\n1.1,0.8\n1.2,abc\n", ["column lam_2S", "row 3", "number"]),
        ("lam_1S,lam_2S\n1.1,0.8\n1.2\n", ["row 3", "cells"]),
        ("lam_1S,lam_1S\n1,2\n", ["lam_1S", "duplicated"]),
        ("lam_1S,lam_2S\n1.1,0.8\n-1,0.8\n", ["row 3", "lam_1S", "must be > 0"]),
        ("theta,Lbar\n3,100\n", ["theta", "not both"]),
    ],
)
def test_bad_csv_exit_2_one_line_nothing_written(tmp_path, text, culprits):
    (tmp_path / "c.csv").write_text(text)
    before = snapshot(tmp_path)
    _bad(
        run_cli_inprocess(["solve", "standard", "--params", "c.csv", "--format", "csv"], tmp_path),
        "c.csv",
        *culprits,
    )
    assert snapshot(tmp_path) == before


def test_on_error_skip_answers_the_valid_cases(tmp_path):
    (tmp_path / "c.csv").write_text("lam_1S,lam_2S\n1.1,0.8\n1.2,\n-1,0.9\n1.4,abc\n1.5,0.9\n")
    res = run_cli_inprocess(
        ["solve", "standard", "--params", "c.csv", "--format", "csv", "--on-error", "skip"],
        tmp_path,
    )
    assert res.returncode == 0, res.stderr
    rows = list(csv.DictReader(io.StringIO(res.stdout)))
    assert sorted({r["case"] for r in rows}) == ["0", "4"]
    skipped = res.stderr.splitlines()
    assert len(skipped) == 3
    for line, case, row, rule in zip(
        skipped, (1, 2, 3), (3, 4, 5), ("blank cell", "must be > 0", "number")
    ):
        assert f"skipped case {case}" in line and f"row {row}" in line and rule in line, line
    # a JSON batch: the same
    (tmp_path / "b.json").write_text('[{"lam_1S": 2}, {"lam_1S": -1}, {"lam_1S": "x"}, {}]')
    res = run_cli_inprocess(
        ["solve", "standard", "--params", "b.json", "--format", "json", "--on-error", "skip"],
        tmp_path,
    )
    assert res.returncode == 0
    assert [d["params"]["lam_1S"] for d in json.loads(res.stdout)] == [2.0, 1.0]
    assert len(res.stderr.splitlines()) == 2
    # default: fail
    _bad(run_cli_inprocess(["solve", "standard", "--params", "b.json"], tmp_path), "case 1")


def test_on_error_skip_with_no_valid_case_exit_2(tmp_path):
    (tmp_path / "c.csv").write_text("lam_1S\n-1\n")
    res = run_cli_inprocess(
        ["solve", "standard", "--params", "c.csv", "--on-error", "skip"], tmp_path
    )
    assert res.returncode == 2 and res.stdout == ""
    assert "no valid case" in res.stderr.splitlines()[-1]


def test_reader_keeps_problems_per_case(tmp_path):
    f = tmp_path / "c.csv"
    f.write_text("lam_1S,lam_2S\n1,2\n\n3,x\n")
    data = read_parameter_input(f)
    assert data.batch and data.columns == ("lam_1S", "lam_2S")
    assert [c.index for c in data.cases] == [0, 1]
    assert not data.cases[0].violations and "row 4" in str(data.cases[1].violations[0])
    with pytest.raises(InvalidParameterError, match="must name a file"):
        read_parameter_input("")


# --------------------------------------------------------------------- output contract
def test_csv_output_columns(tmp_path):
    (tmp_path / "c.csv").write_text("lam_2S\n0.8\n1.2\n")
    res = run_cli_inprocess(
        ["solve", "alternative", "--params", "c.csv", "--format", "csv"], tmp_path
    )
    assert res.returncode == 0, res.stderr
    rows = list(csv.DictReader(io.StringIO(res.stdout)))
    head = list(rows[0])
    assert head[0] == "case"
    assert {
        "lam_1S",
        "lam_2S",
        "beta",
        "alpha",
        "Lbar_1",
        "L_S",
        "wage",
        "income_gap",
        "stable",
    } <= set(head)
    json_res = run_cli_inprocess(
        ["solve", "alternative", "--params", "c.csv", "--format", "json"], tmp_path
    )
    docs = json.loads(json_res.stdout)
    assert len(rows) == sum(len(d["equilibria"]) for d in docs)
    for case, d in enumerate(docs):
        mine = [r for r in rows if r["case"] == str(case)]
        assert [float(r["wage"]) for r in mine] == [e["wage"] for e in d["equilibria"]]
        assert [r["stable"] == "True" for r in mine] == [e["stable"] for e in d["equilibria"]]


@pytest.mark.parametrize(
    "argv",
    [
        ["policy", "alternative", "--instruments", "free-trade,tariff"],
        ["paths", "--sector", "1", "--technology", "modern", "--points", "3"],
        ["conditions", "standard"],
        ["sweep", "alternative", "--axis", "lam_1S=0.5:2:3"],
    ],
)
def test_format_csv_on_every_command(tmp_path, argv):
    res = run_cli_inprocess(argv + ["--format", "csv"], tmp_path)
    assert res.returncode == 0, res.stderr
    rows = list(csv.DictReader(io.StringIO(res.stdout)))
    assert rows and "model" in rows[0]


def test_policy_latex(tmp_path):
    res = run_cli_inprocess(
        ["policy", "standard", "--instruments", "free-trade,tariff", "--format", "latex"], tmp_path
    )
    assert res.returncode == 0, res.stderr
    assert "\\toprule" in res.stdout and "\\bottomrule" in res.stdout


# --------------------------------------------------------------------- streaming
class _Row:
    """A stand-in result: what emit() needs of a presentation-layer object."""

    def __init__(self, i):
        self.i = i

    def to_dict(self):
        return {"case": self.i, "wage": 1.0 / (1 + self.i)}

    def records(self, case=None):
        return [{"case": case, "wage": 1.0 / (1 + self.i)}]

    def record_parts(self, case=None):
        return [case], [[1.0 / (1 + self.i)]]

    def record_columns(self, case=True):
        return ["case", "wage"]


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_streaming_memory_is_flat_for_1e4_cases(fmt):
    class Sink(io.TextIOBase):
        def write(self, s):
            return len(s)

    def peak(n):
        tracemalloc.start()
        emit(((i, _Row(i)) for i in range(n)), fmt, True, stream=Sink())
        _, top = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return top

    peak(100)  # warm-up: lazy imports and first-use caches are not the batch's memory
    small, large = peak(1_000), peak(10_000)
    assert large < small + 64_000, (small, large)


def test_solve_batch_is_answered_case_by_case(tmp_path, monkeypatch):
    """Each case is written before the next one is solved (no list of all results)."""
    import marshallian.solvers as solvers

    out = io.StringIO()
    seen = []
    real = solvers.solve

    def counting(*a, **k):
        seen.append(out.tell())
        return real(*a, **k)

    monkeypatch.setattr(solvers, "solve", counting)
    (tmp_path / "c.csv").write_text("lam_2S\n0.8\n0.9\n1.1\n")
    from contextlib import redirect_stdout

    from marshallian.cli import main

    with redirect_stdout(out):
        assert (
            main(["solve", "standard", "--params", str(tmp_path / "c.csv"), "--format", "json"])
            == 0
        )
    assert len(seen) == 3 and seen[0] == 0 and seen[0] < seen[1] < seen[2]
    assert len(json.loads(out.getvalue())) == 3


def test_json_array_writer_shapes():
    buf = io.StringIO()
    w = JsonArrayWriter(True, buf)
    w.close()
    assert json.loads(buf.getvalue()) == []
    buf = io.StringIO()
    w = JsonArrayWriter(False, buf)
    w.write({"a": 1})
    w.close()
    assert json.loads(buf.getvalue()) == {"a": 1}


def test_subprocess_batch_csv_and_json_agree(tmp_path):
    (tmp_path / "c.csv").write_text("lam_2S,alpha\n0.8,0.01\n1.2,0.02\n")
    res = subprocess.run(
        [str(MARSHALLIAN_BIN), "solve", "standard", "--params", "c.csv", "--format", "csv"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert res.returncode == 0, res.stderr
    assert {r["case"] for r in csv.DictReader(io.StringIO(res.stdout))} == {"0", "1"}


def test_usage_errors_are_escaped_and_cut(tmp_path):
    line = _bad(run_cli_inprocess(["solve", "standard", "--b\u043egus=1"], tmp_path), "--b")
    assert line.isascii() and "\\u043e" in line
    line = _bad(
        run_cli_inprocess(["solve", "standard", "--format", "x" * 100_000], tmp_path), "--format"
    )
    assert len(line) < 400


def test_claims_csv(tmp_path):
    res = run_cli_inprocess(
        ["claims", "--only", "S1,A1", "--draws", "2", "--format", "csv"], tmp_path
    )
    assert res.returncode == 0, res.stderr
    rows = list(csv.DictReader(io.StringIO(res.stdout)))
    assert [r["id"] for r in rows] == ["S1", "A1"] and all(r["holds"] == "True" for r in rows)


@pytest.mark.parametrize(
    "argv, culprit",
    [
        (["policy", "alternative", "--tariff", "\u0661"], "--tariff"),
        (["policy", "alternative", "--sector", "\U0001d7d0"], "--sector"),
        (["paths", "--sector", "1", "--technology", "modern", "--t-max", "\u0661\u0660"], "t-max"),
        (["paths", "--sector", "1", "--technology", "modern", "--points", "\u0663"], "points"),
        (["paths", "--sector", "\u0661", "--technology", "modern"], "sector"),
        (["sweep", "alternative", "--axis", "lam_1S=0.5:2:\u0663"], "lam_1S"),
        (["sweep", "alternative", "--axis", "lam_1S=\u0661:2:3"], "lam_1S"),
        (["claims", "--draws", "\u0663"], "--draws"),
    ],
)
def test_option_values_ascii_numerals_only(tmp_path, argv, culprit):
    line = _bad(run_cli_inprocess(argv, tmp_path), culprit)
    assert line.isascii()
