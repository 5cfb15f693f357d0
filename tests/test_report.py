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
    for head in ("## 1. Calibration", "## 2. Derived existence conditions", "## 3. Equilibria",
                 "## 4. The paper's claims", "## 5. Figures"):
        assert head in md
    for model in ("§2 standard model", "§3 alternative model", "§4 dynamic model"):
        assert md.count(f"### {model}") == 2        # conditions and equilibria


def test_conditions_are_in_latex(md, results):
    assert "$$" in md and r"\lambda_{1S}" in md and r"\theta_{1}" in md
    # §3 condition (*) for spec. in 2 with a cluster appears in the derived entries
    entries = {tuple(map(tuple, e["activities"])): e for e in results["conditions"]["alternative"]["entries"]}
    assert ((2, "modern"),) in entries
    assert "theta_1" in entries[((2, "modern"),)]["condition"]
    assert "exactly the equilibria found by `solve`" in md


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
    for label, gap in (("spec. in 1, cluster", "| 1 |"), ("spec. in 2, cluster", "| 1.25 |"),
                       ("spec. in 1, no cluster", "| 2.5 |")):
        row = next(line for line in md.splitlines() if f"| {label} |" in line)
        assert gap in row
    assert "North's closed-economy equilibria (footnote 13)" in md


def test_claims_table(md, results):
    claims = results["claims"]
    if not results["sections"]["claims"]["available"]:
        assert "> section not available:" in md.split("## 4.")[1].split("## 5.")[0]
        return
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
    """A light in-process report: the symbolic jobs stubbed out, one figure."""
    import marshallian.report as rep

    monkeypatch.setattr(rep, "_conditions_job", lambda models: {"unavailable": "stubbed"})
    monkeypatch.setattr(rep, "_claims_job", lambda draws, seed: {"unavailable": "stubbed"})

    def run(out):
        return build_report(out, draws=1, workers=False, figures=["income_gaps"],
                            formats=("png",))
    return run


def test_second_run_overwrites_cleanly(tmp_path, light):
    out = tmp_path / "r"
    first = light(out)
    (out / "report.md").write_text("stale", encoding="utf-8")
    (out / "results.json").write_text("{}", encoding="utf-8")
    second = light(out)
    text = (out / "report.md").read_text(encoding="utf-8")
    assert text.startswith("# Clusters and comparative advantage")
    assert "> section not available: stubbed" in text
    assert json.loads((out / "results.json").read_text())["sections"]["claims"]["reason"] == "stubbed"
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

    def boom(draws, seed):
        raise RuntimeError("claims exploded")

    monkeypatch.setattr(rep, "_claims_job", boom)
    res = light(tmp_path / "r")
    assert not res.ok and any("claims exploded" in e for e in res.errors)
    assert "section not available: error: RuntimeError: claims exploded" in res.report.read_text()


@pytest.mark.parametrize("argv, fragment", [
    (["--out", "{file}"], "must be a directory"),
    (["--out", "{dir}", "--draws", "0"], "--draws"),
    (["--out", "{dir}", "--grid", "1,x"], "--grid"),
    (["--out", "{dir}", "--figure-format", "bmp"], "--format"),
])
def test_bad_input_exits_2_with_one_line_and_writes_nothing(tmp_path, capsys, argv, fragment):
    a_file = tmp_path / "a_file"
    a_file.write_text("x")
    target = tmp_path / "new"
    argv = [a.format(file=a_file, dir=target) for a in argv]
    assert main(["report"] + argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and fragment in err and "Traceback" not in err
    assert not target.exists()


def test_summary_names_the_report_and_unavailable_sections(tmp_path):
    res = ReportResult(report=tmp_path / "report.md", results=tmp_path / "results.json",
                       sections={"claims": Section("claims", False, "no claim registered")},
                       figures=[], claims=[], equilibria={"standard": (3, 2)}, seconds=1.0)
    text = res.summary()
    assert str(tmp_path / "report.md") in text
    assert "claims: section not available: no claim registered" in text


def test_unavailable_figure_says_why():
    from marshallian.figures import FigureRecord

    rec = FigureRecord("fig1_ppf", "Fig. 1", "caption", "unavailable", reason="needs policy")
    assert "> section not available: needs policy" in "\n".join(_figures_md([rec], "figures"))
