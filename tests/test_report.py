"""The report (``marshallian report --out DIR``): one Markdown document with the derived
conditions, every equilibrium, the claims and the figures, plus results.json; atomic
writes, clean overwrite, bad input exits 2 writing nothing."""

from __future__ import annotations

import json
import os
import re

import pytest

from marshallian.cli import main
from marshallian.report import ReportResult, Section, _figures_md, build_report
from marshallian.solvers.equilibrium import solve

FAST = ["--draws", "2", "--grid", "12,8"]


@pytest.fixture(scope="module")
def report_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("report") / "out"
    code = main(["report", "--out", str(out), "--quiet"] + FAST)
    assert code == 0
    return out


@pytest.fixture(scope="module")
def md(report_dir):
    return (report_dir / "report.md").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def results(report_dir):
    return json.loads((report_dir / "results.json").read_text(encoding="utf-8"))


def test_report_has_every_section(md):
    heads = re.findall(r"^## (\d+)\. (.+)$", md, re.M)
    titles = [t for _, t in heads]
    assert [int(n) for n, _ in heads] == list(range(1, len(heads) + 1))
    for head in (
        "Calibration",
        "Derived existence conditions",
        "Equilibria",
        "Policy: free trade, tariffs, subsidies, coordination",
        "The paper's claims",
        "Figures",
    ):
        assert head in titles
    assert (
        titles.index("Equilibria")
        < titles.index("Policy: free trade, tariffs, subsidies, coordination")
        < titles.index("Figures")
    )
    # conditions and equilibria; policy for §2 and §3
    for model, n in (
        ("§2 standard model", 3),
        ("§3 alternative model", 3),
        ("§4 dynamic model", 2),
    ):
        assert md.count(f"### {model}") == n


def test_conditions_are_in_latex(md, results):
    assert "$$" in md and r"\lambda_{1S}" in md and r"\theta_{1}" in md
    # §3 condition (*) for spec. in 2 with a cluster appears in the derived entries
    entries = {
        tuple(map(tuple, e["activities"])): e
        for e in results["conditions"]["alternative"]["entries"]
    }
    assert ((2, "modern"),) in entries
    assert "theta_1" in entries[((2, "modern"),)]["condition"]
    assert "exactly the equilibria found by `solve`" in md
    assert all(e["holds"] is not None for e in results["conditions"]["standard"]["entries"])


def test_equilibrium_tables_match_solve(md, results):
    # counts first (default calibrations): §2 3 equilibria, §3 7, §4 7
    for model, n in (("standard", 3), ("alternative", 7), ("dynamic", 7)):
        sol = solve(model, warn=False)
        assert len(sol.equilibria) == n
        assert len(results["models"][model]["equilibria"]) == n
        gaps = [e["income_gap"] for e in results["models"][model]["equilibria"]]
        assert gaps == pytest.approx([e.income_gap for e in sol.equilibria], rel=1e-12)
    # §3: the paper's three stable equilibria and their gaps (A3): λ1N/λ1S = 1,
    # λ2N/λ2S = 1.25, θ1 λ1N/λ1S = 2.5
    for label, gap in (
        ("spec. in 1, cluster", "| 1 |"),
        ("spec. in 2, cluster", "| 1.25 |"),
        ("spec. in 1, no cluster", "| 2.5 |"),
    ):
        row = next(line for line in md.splitlines() if f"| {label} |" in line)
        assert gap in row
    assert "North's closed-economy equilibria (footnote 13)" in md


def test_claims_table(md, results):
    claims = results["claims"]
    assert results["sections"]["claims"]["available"]
    ids = [c["id"] for c in claims]
    assert ids[:2] == ["S1", "S2"] and len(ids) == len(set(ids))
    for c in claims:
        assert c["draws"] >= 1
        assert re.search(rf"^\| {c['id']} \|", md, re.M)


def test_figures_are_linked_relatively_and_exist(report_dir, md, results):
    links = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", md)
    assert links, "no figure in the report"
    for link in links:
        assert not os.path.isabs(link)
        assert (report_dir / link).is_file()
    written = [f for f in results["figures"] if f["status"] == "ok"]
    assert len(links) == len(written)
    for f in results["figures"]:
        if f["status"] != "ok":
            assert f"section not available: {f['reason']}" in md


def test_results_json_is_strict_json(report_dir):
    text = (report_dir / "results.json").read_text(encoding="utf-8")
    json.loads(text, parse_constant=lambda c: pytest.fail(f"non-finite number {c}"))


@pytest.fixture
def light(monkeypatch):
    """A light in-process report: the symbolic jobs stubbed out (they fail), one figure."""
    import marshallian.report as rep

    def stubbed(*args):
        raise RuntimeError("stubbed")

    for job in ("_conditions_job", "_claims_job", "_policy_job"):
        monkeypatch.setattr(rep, job, stubbed)

    def run(out):
        return build_report(out, draws=1, workers=False, figures=["income_gaps"], formats=("png",))

    return run


def test_second_run_overwrites_cleanly(tmp_path, light):
    out = tmp_path / "r"
    first = light(out)
    (out / "report.md").write_text("stale", encoding="utf-8")
    (out / "results.json").write_text("{}", encoding="utf-8")
    second = light(out)
    text = (out / "report.md").read_text(encoding="utf-8")
    assert text.startswith("# Clusters and comparative advantage")
    assert "> section not available: error: RuntimeError: stubbed" in text
    assert (
        json.loads((out / "results.json").read_text())["sections"]["claims"]["reason"]
        == "error: RuntimeError: stubbed"
    )
    assert first.report == second.report
    assert [p for p in out.rglob("*") if p.name.endswith(".tmp")] == []


def test_interrupted_run_never_leaves_a_half_written_report(tmp_path, monkeypatch, light):
    """Interrupt the final rename: report.md of the earlier run stays whole."""
    from marshallian.cli import common

    out = tmp_path / "r"
    out.mkdir()
    (out / "report.md").write_text("previous report\n", encoding="utf-8")
    real_replace = os.replace

    def replace(src, dst):
        if str(dst).endswith("report.md"):
            raise KeyboardInterrupt
        real_replace(src, dst)

    monkeypatch.setattr(common.os, "replace", replace)
    with pytest.raises(KeyboardInterrupt):
        light(out)
    assert (out / "report.md").read_text(encoding="utf-8") == "previous report\n"
    assert [p for p in out.rglob("*") if p.name.endswith(".tmp")] == []


def test_a_failing_section_is_reported_and_flagged(tmp_path, monkeypatch, light):
    import marshallian.report as rep

    def boom(*args):
        raise RuntimeError("claims exploded")

    monkeypatch.setattr(rep, "_claims_job", boom)
    res = light(tmp_path / "r")
    assert not res.ok and any("claims exploded" in e for e in res.errors)
    assert "section not available: error: RuntimeError: claims exploded" in res.report.read_text()


@pytest.mark.parametrize(
    "command, argv, fragment",
    [
        ("report", ["--out", "{file}"], "must be a directory"),
        ("report", ["--out", "{dir}", "--draws", "0"], "--draws"),
        ("report", ["--out", "{dir}", "--grid", "1,x"], "--grid"),
        ("report", ["--out", "{dir}", "--figure-format", "bmp"], "--format"),
        ("figures", ["--out", "{file}"], "must be a directory"),
        ("figures", ["--out", "{dir}", "--format", "gif"], "--format"),
        ("figures", ["--out", "{dir}", "--only", "nope"], "--only"),
    ]
    + [
        (command, ["--out", "{dir}"] + argv, fragment)
        for command in ("report", "figures")
        for argv, fragment in (
            (["--set", "nonsense=1"], "nonsense=1.0: is not a parameter of any of the models"),
            (["--set", "beta=1.5"], "beta (alternative model)=1.5"),
            (["--params", "{batch}"], "must hold one calibration"),
        )
    ],
)
def test_bad_input_exits_2_with_one_line_and_writes_nothing(
    tmp_path, capsys, command, argv, fragment
):
    a_file = tmp_path / "a_file"
    a_file.write_text("x")
    batch = tmp_path / "batch.json"
    batch.write_text('[{"beta": 0.4}, {"beta": 0.5}]')
    target = tmp_path / "new"
    argv = [a.format(file=a_file, dir=target, batch=batch) for a in argv]
    assert main([command] + argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and fragment in err and "Traceback" not in err
    assert not target.exists()
    assert a_file.read_text() == "x"


def test_summary_names_the_report_and_unavailable_sections(tmp_path):
    res = ReportResult(
        report=tmp_path / "report.md",
        results=tmp_path / "results.json",
        sections={"claims": Section("claims", False, "no claim registered")},
        figures=[],
        claims=[],
        equilibria={"standard": (3, 2)},
        seconds=1.0,
    )
    text = res.summary()
    assert str(tmp_path / "report.md") in text
    assert "claims: section not available: no claim registered" in text


def test_failed_figure_says_why():
    from marshallian.figures import FigureRecord

    rec = FigureRecord("fig1_ppf", "Fig. 1", "caption", "error", reason="ValueError: boom")
    assert "> section not available: ValueError: boom" in "\n".join(_figures_md([rec], "figures"))


# --------------------------------------------------------------------------- user calibration
USER = ["--set", "lam_2S=0.9", "--set", "beta=0.4"]


@pytest.fixture(scope="module")
def user_report(tmp_path_factory):
    out = tmp_path_factory.mktemp("report_user") / "out"
    code = main(
        [
            "report",
            "--out",
            str(out),
            "--quiet",
            "--draws",
            "1",
            "--grid",
            "12,8",
            "--figure-format",
            "png",
        ]
        + USER
    )
    assert code == 0
    return (
        out,
        (out / "report.md").read_text(encoding="utf-8"),
        json.loads((out / "results.json").read_text(encoding="utf-8")),
    )


def test_results_json_records_the_parameters_used(user_report):
    _, _, res = user_report
    assert res["calibration"]["overrides"] == {"lam_2S": 0.9, "beta": 0.4}
    # each value goes to every model it is a parameter of, and only there
    assert res["params"]["standard"]["lam_2S"] == 0.9 and "beta" not in res["params"]["standard"]
    assert res["params"]["alternative"]["beta"] == 0.4
    assert res["params"]["dynamic"]["beta"] == 0.4 and res["params"]["dynamic"]["lam_2S"] == 0.9


def test_user_report_answers_at_the_user_calibration(user_report):
    _, md, res = user_report
    for model, over in (
        ("standard", {"lam_2S": 0.9}),
        ("alternative", {"lam_2S": 0.9, "beta": 0.4}),
        ("dynamic", {"lam_2S": 0.9, "beta": 0.4}),
    ):
        sol = solve(model, over, warn=False)
        got = [e["income_gap"] for e in res["models"][model]["equilibria"]]
        assert len(got) == len(sol.equilibria)
        assert got == pytest.approx([e.income_gap for e in sol.equilibria], rel=1e-12)
    # §2 with lam_2S = 0.9: South has lost CA in good 2, so only specialization in 1 (S3)
    assert len(res["models"]["standard"]["equilibria"]) == 1
    assert "the paper at the user's calibration" in md
    assert "calibration: lam_2S = 0.9, beta = 0.4" in md
    assert "default calibration" not in md.split("## 2.")[0].replace("its default", "")
    assert "at this calibration the derived conditions hold for exactly" in md.lower()


def test_figures_state_the_user_calibration(user_report):
    _, _, res = user_report
    for f in res["figures"]:
        assert f["status"] == "ok"
        assert "default calibration" not in f["caption"]
        assert "lam_2S = 0.9" in f["caption"]


def test_policy_section_at_the_user_calibration(user_report):
    from marshallian.policy.comparison import compare_instruments

    _, md, res = user_report
    section = md.split("Policy: free trade, tariffs, subsidies, coordination\n")[-1].split("\n## ")[
        0
    ]
    for words in (
        "free trade (the status quo)",
        "permanent tariff",
        "temporary tariff",
        "production subsidy",
        "coordination",
        "Mill",
        "Bastable",
        "critical mass",
    ):
        assert words in section
    lib = compare_instruments("alternative", {"lam_2S": 0.9, "beta": 0.4}).to_dict()
    assert res["policy"]["alternative"] == json.loads(json.dumps(lib))
    coord = next(r for r in lib["rows"] if r["instrument"] == "coordination")
    # §3 at beta = 0.4: the critical mass of a cluster is (1 - beta)/alpha = 30 workers
    assert coord["critical_mass"] == pytest.approx((1 - 0.4) / 0.02)
    assert "critical mass 30 workers" in section


def test_sections_can_be_added(tmp_path, light, monkeypatch):
    from marshallian import report as rep

    monkeypatch.setattr(rep, "SECTIONS", list(rep.SECTIONS))
    rep.add_section(
        rep.ReportSection(
            "extra",
            "An added section",
            lambda data: [f"{len(data.solutions)} models.", ""],
            collect=lambda data: {"n": len(data.solutions)},
        )
    )
    res = light(tmp_path / "r")
    text = res.report.read_text()
    heads = re.findall(r"^## \d+\. (.+)$", text, re.M)
    assert heads.index("An added section") == heads.index("The paper's claims") - 1
    assert "3 models." in text
    assert json.loads(res.results.read_text())["extra"] == {"n": 3}


def test_policy_command_and_library_list_the_same_instruments():
    from marshallian.cli.policy import INSTRUMENTS as CLI
    from marshallian.policy.comparison import INSTRUMENTS as LIBRARY

    assert CLI == LIBRARY


# --------------------------------------------------------------------------- speed (issue 16)
def test_a_subset_of_sections_writes_those_sections_only(tmp_path):
    res = build_report(tmp_path / "r", sections=["equilibria", "calibration"], workers=False)
    text = res.report.read_text(encoding="utf-8")
    assert re.findall(r"^## (.+)$", text, re.M) == ["1. Calibration", "2. Equilibria"]
    doc = json.loads(res.results.read_text(encoding="utf-8"))
    assert sorted(doc["sections"]) == ["equilibria"]
    assert doc["claims"] == [] and doc["figures"] == [] and doc["conditions"] is None
    assert doc["world"] is None and not (tmp_path / "r" / "figures").exists()
    # the equilibria are the same as in a whole report
    assert [e["income_gap"] for e in doc["models"]["alternative"]["equilibria"]] == [
        e.income_gap for e in solve("alternative", warn=False).equilibria
    ]


def test_an_unknown_section_is_bad_input(tmp_path):
    from marshallian.errors import InvalidParameterError

    with pytest.raises(InvalidParameterError, match="sections"):
        build_report(tmp_path / "r", sections=["equilibria", "appendix"])
    assert not (tmp_path / "r").exists()


@pytest.mark.parametrize(
    "overrides", [None, {"lam_2S": 0.9, "beta": 0.4}, {"lam_1S": 0.5, "g": 0.01}]
)
def test_cached_conditions_hold_where_condition_holds_says(overrides):
    """The report evaluates the conditions with code kept in the cache: the same answers
    as evaluating each derived entry afresh."""
    from marshallian.cache import derive_conditions
    from marshallian.calibration import calibrate
    from marshallian.models import get_model
    from marshallian.report import MODELS, conditions_payload
    from marshallian.solvers.conditions import condition_holds

    cal = calibrate(overrides)
    for m in MODELS:
        model = get_model(m)
        at = model.params(cal.applies[m])
        want = [condition_holds(e, at) for e in derive_conditions(model)]
        got = [e["holds"] for e in conditions_payload(m, cal.applies[m])["entries"]]
        assert len(got) == len(want) and got == want


def test_claims_are_checked_once_per_code_draws_and_seed(monkeypatch, tmp_path):
    import marshallian.report as rep

    monkeypatch.setenv("MARSHALLIAN_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("MARSHALLIAN_NO_CACHE", raising=False)
    calls = []

    def check(draws, seed):
        calls.append((draws, seed))
        return [{"id": "S1", "holds": True, "draws": draws, "counterexamples": []}]

    monkeypatch.setattr(rep, "_check_claims", check)
    first = rep._claims_job(2, 0)
    assert rep._claims_job(2, 0) == first and calls == [(2, 0)]
    rep._claims_job(3, 0)
    rep._claims_job(2, 1)
    assert calls == [(2, 0), (3, 0), (2, 1)]
    monkeypatch.setenv("MARSHALLIAN_NO_CACHE", "1")
    rep._claims_job(2, 0)
    assert len(calls) == 4


def test_claims_whose_json_would_print_differently_are_not_kept(monkeypatch, tmp_path):
    import marshallian.report as rep

    monkeypatch.setenv("MARSHALLIAN_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("MARSHALLIAN_NO_CACHE", raising=False)
    calls = []

    def check(draws, seed):
        calls.append(1)
        return [{"id": "S1", "holds": False, "counterexamples": [{"params": (1.0, 2.0)}]}]

    monkeypatch.setattr(rep, "_check_claims", check)
    for _ in range(2):
        assert rep._claims_job(2, 0)[0]["counterexamples"] == [{"params": (1.0, 2.0)}]
    assert len(calls) == 2


def test_the_report_collects_garbage_less_often_and_puts_the_thresholds_back():
    import gc

    from marshallian.report import REPORT_GC_THRESHOLDS, _fewer_collections

    before = gc.get_threshold()
    with pytest.raises(RuntimeError), _fewer_collections():
        inside = gc.get_threshold()
        raise RuntimeError("a failing part")
    assert all(t >= max(r, b) for t, r, b in zip(inside, REPORT_GC_THRESHOLDS, before))
    assert inside != before
    assert gc.get_threshold() == before
