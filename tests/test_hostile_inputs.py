"""A battery of hostile inputs to the command line and the API (issue 7, item 4).

Command-line contract (``docs/commands.md``): bad input exits with status 2,
prints exactly one line on stderr naming the culprit (parameter or file), writes nothing
(stdout empty, no file created in the working directory) and never evaluates anything as
code. Every case runs through ``marshallian.cli.main`` in-process, and a representative
subset also through the installed ``marshallian`` script as a subprocess. Commands covered:
``solve`` and ``conditions`` thoroughly; ``claims``, ``policy`` and ``paths`` (those on main).

The API raises :class:`~marshallian.errors.InvalidParameterError` naming the culprit.
The parameter reader is fuzzed with hypothesis: random JSON, TOML and bytes never raise
anything but ``InvalidParameterError``, and valid files round-trip.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from conftest import run_cli_inprocess, run_cli_subprocess, snapshot
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from marshallian.errors import InvalidParameterError
from marshallian.models import get_model
from marshallian.params import parse_assignment, read_parameter_file
from marshallian.solvers.equilibrium import solve
from marshallian.tolerances import Tolerances

#: Placeholder in case definitions, replaced by an absolute path inside the test's cwd:
#: if any input were evaluated as code, this file would appear.
CANARY = "@CANARY@"
CODE = "__import__('os').system('touch @CANARY@')"
CODE_TMP = "__import__('os').system('touch /tmp/pwned')"


def C(id, argv, culprit, files=None):
    """One hostile CLI case: ``argv`` after ``marshallian``, files to create, culprit text."""
    return pytest.param(argv, culprit, files or {}, id=id)


S = ["solve", "standard"]
A = ["solve", "alternative"]
D = ["solve", "dynamic"]
P = ["--params"]
PA = ["paths", "--sector", "1", "--technology", "modern"]


def F(id, name, content, culprit, command=S):
    """One hostile parameter file: ``command --params NAME``, the file ``NAME`` holding
    ``content`` (bytes)."""
    return C(id, command + P + [name], culprit, {name: content})


CLI_CASES = [
    # ---- model names
    C("model-misspelled", ["solve", "standrad"], "standrad"),
    C("model-empty", ["solve", ""], "MODEL"),
    C("model-code", ["solve", CODE], "MODEL"),
    C("model-case", ["solve", "Standard"], "Standard"),
    C("model-missing", ["solve"], "MODEL"),
    # ---- --set syntax and values
    C("set-no-equals", S + ["--set", "lam_1S"], "lam_1S"),
    C("set-empty-value", S + ["--set", "lam_1S="], "lam_1S"),
    C("set-word", S + ["--set", "lam_1S=abc"], "lam_1S"),
    C("set-code-value", S + ["--set", "lam_1S=" + CODE], "lam_1S"),
    C("set-code-value-tmp", S + ["--set", "lam_1S=" + CODE_TMP], "lam_1S"),
    C("set-code-key", S + ["--set", CODE + "=1"], "unknown parameter"),
    C("set-nan", S + ["--set", "lam_1S=nan"], "lam_1S"),
    C("set-inf", S + ["--set", "lam_2S=inf"], "lam_2S"),
    C("set-minus-inf", S + ["--set", "alpha=-inf"], "alpha"),
    C("set-overflow", S + ["--set", "Lbar=1e400"], "Lbar"),
    C("set-underflow-zero", S + ["--set", "L_S=1e-400"], "L_S"),
    C("set-huge", S + ["--set", "L_N=1e200"], "L_N"),
    C("set-tiny", S + ["--set", "alpha=1e-200"], "alpha"),
    C("set-negative", S + ["--set", "lam_1N=-1"], "lam_1N"),
    C("set-zero", S + ["--set", "lam_2N=0"], "lam_2N"),
    C("set-boolean", S + ["--set", "lam_1S=true"], "lam_1S"),
    C("set-hex-float", S + ["--set", "lam_1S=0x1p3"], "lam_1S"),
    C("set-fraction", S + ["--set", "lam_1S=1/2"], "lam_1S"),
    C("set-unknown", S + ["--set", "gamma=1"], "gamma"),
    C("set-wrong-model-param", S + ["--set", "beta=0.5"], "beta"),
    C("set-newline-key", S + ["--set", "lam\n1S=1"], "lam"),
    C("set-shares", S + ["--set", "mu_1=0.7"], "mu_1"),
    C("set-beta-above-one", A + ["--set", "beta=1.5"], "beta"),
    C("set-theta-below-one", A + ["--set", "alpha=0.001"], "theta_1"),
    C("set-eps-below-g", D + ["--set", "eps=0.01"], "eps"),
    # ---- other options
    C("format-unknown", S + ["--format", "xml"], "--format"),
    C("north-syntax", S + ["--north", "1:cluster"], "--north"),
    C("north-code", S + ["--north", CODE], "--north"),
    C("option-unknown", S + ["--bogus"], "--bogus"),
    C("command-unknown", ["solv", "standard"], "solv"),
    # ---- files
    C("file-missing", S + P + ["nope.json"], "nope.json"),
    C("file-directory", S + P + ["adir"], "adir", {"adir/": None}),
    F("file-empty-json", "e.json", b"", "e.json"),
    F("file-blank-json", "e.json", b"  \n\t ", "e.json"),
    F("file-truncated-json", "t.json", b'{"lam_1S": 1.', "t.json"),
    F("file-truncated-array", "t.json", b'[{"lam_1S": 1}, {', "t.json"),
    F("file-binary", "b.json", b"\x89PNG\r\n\x1a\n\x00\xff\xfe", "b.json"),
    F("file-utf16", "u.json", '{"lam_1S": 1}'.encode("utf-16"), "u.json"),
    F("json-mixed-batch", "m.json", b'[{"lam_1S": 2}, {"lam_1S": "x"}, {}]', "[1]"),
    F("json-mixed-batch-rule", "m.json", b'[{}, {"lam_1S": 2}, {"lam_1S": -1}]', "case 2"),
    F("json-empty-array", "m.json", b"[]", "m.json"),
    F("json-array-of-numbers", "m.json", b"[1, 2]", "m.json"),
    F("json-string", "m.json", b'"lam_1S=2"', "m.json"),
    F("json-null", "m.json", b"null", "m.json"),
    F("json-NaN", "m.json", b'{"lam_1S": NaN}', "m.json"),
    F("json-Infinity", "m.json", b'{"lam_1S": Infinity}', "m.json"),
    F("json-minus-Infinity", "m.json", b'{"lam_1S": -Infinity}', "m.json"),
    F("json-overflow", "m.json", b'{"lam_1S": 1e400}', "lam_1S"),
    F("json-huge-int", "m.json", b'{"lam_1S": 1' + b"0" * 400 + b"}", "lam_1S"),
    F("json-underflow", "m.json", b'{"lam_1S": 1e-400}', "lam_1S"),
    F("json-code-value", "m.json", json.dumps({"lam_1S": CODE}).encode(), "lam_1S"),
    F("json-code-key", "m.json", json.dumps({CODE: 1}).encode(), "unknown parameter"),
    F("json-code-key-tmp", "m.json", json.dumps({CODE_TMP: 1}).encode(), "unknown parameter"),
    F("json-duplicated-key", "m.json", b'{"lam_1S": 1, "lam_1S": 2}', "lam_1S"),
    F("json-unknown-key", "m.json", b'{"foo": 1}', "foo"),
    F("json-boolean", "m.json", b'{"lam_1S": true}', "lam_1S"),
    F("json-null-value", "m.json", b'{"lam_1S": null}', "lam_1S"),
    F("json-string-number", "m.json", b'{"lam_1S": "1.0"}', "lam_1S"),
    F("json-nested", "m.json", b'{"lam_1S": {"value": 1}}', "lam_1S"),
    F("json-list-value", "m.json", b'{"lam_1S": [1]}', "lam_1S"),
    F("json-deep-nesting", "m.json", b"[" * 100000 + b"]" * 100000, "m.json"),
    F("json-newline-key", "m.json", b'{"lam\\n1S": 1}', "unknown parameter"),
    F("json-bom", "m.json", b'\xef\xbb\xbf{"lam_1S": 1}', "m.json"),
    F("json-wrong-model-keys", "m.json", b'{"Lbar": 100}', "Lbar", A),
    F("toml-syntax", "p.toml", b"lam_1S = = 1\n", "p.toml"),
    F("toml-truncated", "p.toml", b'lam_1S = "1', "p.toml"),
    F("toml-string", "p.toml", b'lam_1S = "1"\n', "lam_1S"),
    F("toml-boolean", "p.toml", b"lam_1S = true\n", "lam_1S"),
    F("toml-nan", "p.toml", b"lam_1S = nan\n", "lam_1S"),
    F("toml-inf", "p.toml", b"alpha = -inf\n", "alpha"),
    F("toml-date", "p.toml", b"lam_1S = 1979-05-27\n", "lam_1S"),
    F("toml-duplicated-key", "p.toml", b"lam_1S = 1\nlam_1S = 2\n", "p.toml"),
    F("toml-table", "p.toml", b"[lam_1S]\nx = 1\n", "lam_1S"),
    F("toml-array", "p.toml", b"lam_1S = [1, 2]\n", "lam_1S"),
    F("toml-code-string", "p.toml", ('lam_1S = "' + CODE + '"\n').encode(), "lam_1S"),
    F("toml-binary", "p.toml", b"\x00\x01\x02\xff", "p.toml"),
    C(
        "file-good-but-set-bad",
        S + P + ["ok.json", "--set", "L_S=-5"],
        "L_S",
        {"ok.json": b'{"lam_1S": 1.5}'},
    ),
    C("solve-exact-bad-set", S + ["--exact", "--set", "lam_1S=1e-400"], "lam_1S"),
    # ---- conditions
    C("conditions-model", ["conditions", "standrad"], "standrad"),
    C("conditions-model-code", ["conditions", CODE], "MODEL"),
    C("conditions-no-model", ["conditions"], "MODEL"),
    C("conditions-format", ["conditions", "standard", "--format", "xml"], "--format"),
    C("conditions-set", ["conditions", "standard", "--set", "lam_1S=2"], "--set"),
    # ---- claims (validation before any draw)
    C("claims-draws-zero", ["claims", "--draws", "0"], "--draws"),
    C("claims-draws-negative", ["claims", "--draws", "-5"], "--draws"),
    C("claims-draws-float", ["claims", "--draws", "1.5"], "--draws"),
    C("claims-draws-nan", ["claims", "--draws", "nan"], "--draws"),
    C("claims-only-unknown", ["claims", "--only", "X9"], "X9"),
    C("claims-only-empty", ["claims", "--only", ","], "--only"),
    C("claims-only-code", ["claims", "--only", CODE], "--only"),
    C("claims-seed", ["claims", "--seed", "abc"], "--seed"),
    C("claims-format", ["claims", "--format", "xml"], "--format"),
    # ---- policy (validation before any computation)
    C("policy-model", ["policy", "dynamic"], "dynamic"),
    C("policy-model-code", ["policy", CODE], "MODEL"),
    C("policy-tariff-nan", ["policy", "alternative", "--tariff", "nan"], "--tariff"),
    C("policy-tariff-negative", ["policy", "alternative", "--tariff", "-1"], "--tariff"),
    C("policy-subsidy-overflow", ["policy", "alternative", "--subsidy", "1e400"], "--subsidy"),
    C("policy-duration-zero", ["policy", "alternative", "--duration", "0"], "--duration"),
    C("policy-discount-negative", ["policy", "alternative", "--discount", "-0.1"], "--discount"),
    C("policy-speed-nan", ["policy", "alternative", "--speed", "nan"], "--speed"),
    C("policy-sigma-zero", ["policy", "alternative", "--sigma", "0"], "--sigma"),
    C("policy-sector", ["policy", "alternative", "--sector", "3"], "--sector"),
    C("policy-instrument", ["policy", "alternative", "--instruments", "foo"], "--instruments"),
    C("policy-instrument-code", ["policy", "alternative", "--instruments", CODE], "--instruments"),
    C("policy-set", ["policy", "alternative", "--set", "beta=2"], "beta"),
    F("policy-params-binary", "b.json", b"\x00\xff", "b.json", ["policy", "alternative"]),
    C("policy-status-quo", ["policy", "alternative", "--status-quo", "99"], "status_quo"),
    # ---- paths (§4 dynamic model only)
    C("paths-no-options", ["paths"], "--sector"),
    C("paths-sector", PA[:1] + ["--sector", "3", "--technology", "modern"], "sector"),
    C("paths-sector-word", PA[:1] + ["--sector", "x", "--technology", "modern"], "sector"),
    C("paths-sector-code", PA[:1] + ["--sector", CODE, "--technology", "modern"], "sector"),
    C("paths-technology", PA[:1] + ["--sector", "1", "--technology", "foo"], "technology"),
    C("paths-t-max-nan", PA + ["--t-max", "nan"], "t-max"),
    C("paths-t-max-overflow", PA + ["--t-max", "1e400"], "t-max"),
    C("paths-t-max-negative", PA + ["--t-max", "-1"], "t-max"),
    C("paths-points-float", PA + ["--points", "1.5"], "points"),
    C("paths-points-zero", PA + ["--points", "0"], "points"),
    C("paths-law", PA + ["--law", "mid"], "law"),
    C("paths-method", PA + ["--method", "rk"], "method"),
    C("paths-close", PA + ["--close", "2"], "close"),
    C("paths-eps-below-g", PA + ["--set", "g=0.1"], "eps"),
    C("paths-a0-zero", PA + ["--set", "a0_1=0"], "a0_1"),
    C("paths-format", PA + ["--format", "xml"], "--format"),
    C(
        "paths-model-arg",
        ["paths", "standard", "--sector", "1", "--technology", "modern"],
        "standard",
    ),
]


def _materialize(cwd: Path, files: dict, canary: Path) -> None:
    for name, content in files.items():
        if name.endswith("/"):
            (cwd / name).mkdir()
        else:
            (cwd / name).write_bytes(content.replace(CANARY.encode(), str(canary).encode()))


def _check_rejected(run, argv, culprit, files, tmp_path):
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    canary = tmp_path / "pwned"
    tmp_pwned = Path("/tmp/pwned")
    pwned_before = tmp_pwned.exists()
    _materialize(cwd, files, canary)
    before = snapshot(cwd)
    argv = [a.replace(CANARY, str(canary)) for a in argv]
    res = run(argv, cwd)
    assert res.returncode == 2, (res.returncode, res.stdout, res.stderr)
    assert res.stdout == ""
    lines = res.stderr.splitlines()
    assert len(lines) == 1 and res.stderr.endswith("\n"), res.stderr
    assert lines[0].startswith("marshallian: error: "), lines[0]
    assert culprit in lines[0], (culprit, lines[0])
    assert "Traceback" not in res.stderr and "internal error" not in res.stderr
    assert snapshot(cwd) == before, "something was written in the working directory"
    assert not canary.exists(), "an input was evaluated as code"
    assert tmp_pwned.exists() == pwned_before, "an input was evaluated as code"


@pytest.mark.parametrize("argv, culprit, files", CLI_CASES)
def test_cli_rejects_inprocess(argv, culprit, files, tmp_path):
    _check_rejected(run_cli_inprocess, argv, culprit, files, tmp_path)


#: The installed script is exercised on a representative subset (one subprocess costs
#: ~0.5 s, mostly importing SymPy): every case with code in it, and every third other one.
SUBPROCESS_CASES = [c for i, c in enumerate(CLI_CASES) if "code" in c.id or i % 3 == 0]


@pytest.mark.slow
@pytest.mark.parametrize("argv, culprit, files", SUBPROCESS_CASES)
def test_cli_rejects_subprocess(argv, culprit, files, tmp_path):
    _check_rejected(run_cli_subprocess, argv, culprit, files, tmp_path)


def test_battery_is_large_enough():
    assert len(CLI_CASES) >= 40


def test_valid_batch_control(tmp_path):
    """Control: the good cases of the mixed batch do run (so the rejections above are
    about the bad entry, not about the batch format)."""
    (tmp_path / "m.json").write_text('[{"lam_1S": 2}, {}]')
    res = run_cli_inprocess(S + P + ["m.json", "--format", "json"], tmp_path)
    assert res.returncode == 0, res.stderr
    docs = json.loads(res.stdout)
    assert [d["params"]["lam_1S"] for d in docs] == [2.0, 1.0]


# --------------------------------------------------------------------------- API
def _api_cases():
    std = get_model("standard")
    alt_p = get_model("alternative").params()
    nan, inf = math.nan, math.inf
    return [
        ("model-name", lambda: solve("standrad"), "standrad"),
        ("model-type", lambda: solve(42), "model"),
        ("get-model-list", lambda: get_model(["standard"]), "MODEL"),
        ("get-model-none", lambda: get_model(None), "MODEL"),
        ("params-list", lambda: solve("standard", [1, 2]), "params"),
        ("params-string", lambda: solve("standard", "lam_1S=2"), "params"),
        ("params-other-model", lambda: solve("standard", alt_p), "params"),
        ("params-nan", lambda: solve("standard", {"lam_1S": nan}), "lam_1S"),
        ("params-inf", lambda: solve("standard", {"lam_1S": inf}), "lam_1S"),
        ("params-minus-inf", lambda: std.params(alpha=-inf), "alpha"),
        ("params-huge-int", lambda: std.params(lam_1S=10**400), "lam_1S"),
        ("params-huge-float", lambda: std.params(L_S=1e300), "L_S"),
        ("params-tiny", lambda: std.params(alpha=1e-300), "alpha"),
        ("params-bool", lambda: std.params(lam_1S=True), "lam_1S"),
        ("params-string-value", lambda: std.params(lam_1S="1"), "lam_1S"),
        ("params-code-value", lambda: std.params(lam_1S=CODE_TMP), "lam_1S"),
        ("params-code-key", lambda: std.params({CODE_TMP: 1.0}), "unknown parameter"),
        ("params-complex", lambda: std.params(lam_1S=1j), "lam_1S"),
        ("params-none", lambda: std.params(lam_1S=None), "lam_1S"),
        ("params-all-violations", lambda: std.params(lam_1S=-1, lam_2S=nan, foo=1), "foo"),
        ("prices-negative", lambda: solve("standard", prices={1: -1.0, 2: 1.0}), "price_1"),
        ("prices-nan", lambda: solve("standard", prices={1: 1.0, 2: nan}), "price_2"),
        ("prices-missing", lambda: solve("standard", prices={1: 1.0}), "price_2"),
        ("prices-bool", lambda: solve("standard", prices={1: True, 2: 1.0}), "price_1"),
        ("prices-not-mapping", lambda: solve("standard", prices=[1.0, 1.0]), "prices"),
        ("tol-type", lambda: solve("standard", tol=1e-9), "tol"),
        ("tol-nan", lambda: Tolerances(pay_rtol=nan), "pay_rtol"),
        ("tol-big", lambda: Tolerances(verify_rtol=0.5), "verify_rtol"),
        ("north-index", lambda: solve("standard", north=99), "north"),
        ("north-bool", lambda: solve("standard", north=True), "north"),
        ("north-config", lambda: solve("alternative", north={1: "foo"}), "north"),
        ("north-string", lambda: solve("alternative", north="cluster"), "north"),
        ("parse-assignment-code", lambda: parse_assignment("x=" + CODE_TMP), "x"),
        ("parse-assignment-no-equals", lambda: parse_assignment("x"), "--set"),
        ("parse-assignment-inf", lambda: parse_assignment("x=inf"), "x"),
    ]


@pytest.mark.parametrize("call, culprit", [pytest.param(c, n, id=i) for i, c, n in _api_cases()])
def test_api_rejects(call, culprit):
    pwned_before = Path("/tmp/pwned").exists()
    with pytest.raises(InvalidParameterError) as info:
        call()
    msg = str(info.value)
    assert culprit in msg and "\n" not in msg, msg
    assert info.value.violations
    assert Path("/tmp/pwned").exists() == pwned_before


def test_api_lists_every_violation():
    with pytest.raises(InvalidParameterError) as info:
        get_model("standard").params(lam_1S=-1, lam_2S=math.nan, foo=1)
    assert {v.name for v in info.value.violations} == {"lam_1S", "lam_2S", "foo"}


# --------------------------------------------------------------------------- fuzz
_json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=8),
)


def _containers(children):
    # non-empty, so that hypothesis sees the recursion; empty ones are leaves below
    return st.lists(children, min_size=1, max_size=4) | st.dictionaries(
        st.text(max_size=8), children, min_size=1, max_size=4
    )


_json_values = st.recursive(_json_scalars | st.just([]) | st.just({}), _containers, max_leaves=12)
_numbers = st.one_of(
    st.integers(min_value=-(10**6), max_value=10**6),
    st.floats(min_value=-1e100, max_value=1e100, allow_nan=False),
)
_names = st.text(
    st.characters(
        min_codepoint=33,
        max_codepoint=0x2FF,
        exclude_characters='"\\',
        exclude_categories=("Cc", "Cs"),
    ),
    min_size=1,
    max_size=10,
)
FUZZ = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _read(tmp_path, name, data: bytes):
    p = tmp_path / name
    p.write_bytes(data)
    return read_parameter_file(p)


@FUZZ
@given(data=st.binary(max_size=200), suffix=st.sampled_from([".json", ".toml", ""]))
def test_fuzz_reader_bytes(tmp_path, data, suffix):
    try:
        out = _read(tmp_path, "f" + suffix, data)
    except InvalidParameterError as exc:
        assert "\n" not in str(exc)
    else:
        assert all(isinstance(v, float) and math.isfinite(v) for c in out for v in c.values())


@FUZZ
@given(value=_json_values)
def test_fuzz_reader_json(tmp_path, value):
    try:
        out = _read(tmp_path, "f.json", json.dumps(value).encode())
    except InvalidParameterError:
        return
    cases = value if isinstance(value, list) else [value]
    assert out == [{k: float(v) for k, v in c.items()} for c in cases]


@FUZZ
@given(text=st.text(max_size=120))
def test_fuzz_reader_toml_text(tmp_path, text):
    try:
        out = _read(tmp_path, "f.toml", text.encode("utf-8", "surrogatepass"))
    except InvalidParameterError:
        return
    assert all(isinstance(v, float) and math.isfinite(v) for c in out for v in c.values())


@FUZZ
@given(case=st.dictionaries(_names, _numbers, max_size=6))
def test_fuzz_valid_json_and_toml_round_trip(tmp_path, case):
    expected = [{k: float(v) for k, v in case.items()}]
    assert _read(tmp_path, "f.json", json.dumps(case).encode()) == expected
    toml = "".join(f'"{k}" = {float(v)!r}\n' for k, v in case.items())
    assert _read(tmp_path, "f.toml", toml.encode()) == expected
    batch = [case, case]
    assert _read(tmp_path, "b.json", json.dumps(batch).encode()) == expected * 2


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=40))
def test_fuzz_parse_assignment(text):
    try:
        name, value = parse_assignment(text)
    except InvalidParameterError as exc:
        assert "\n" not in str(exc) or "\n" in text
        return
    assert isinstance(value, float) and math.isfinite(value)


@settings(max_examples=200, deadline=None)
@given(
    name=st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,10}", fullmatch=True),
    value=st.floats(allow_nan=False, allow_infinity=False),
)
def test_parse_assignment_round_trip(name, value):
    assert parse_assignment(f"{name}={value!r}") == (name, value)
    assert parse_assignment(f" {name} = {value!r} ") == (name, value)
