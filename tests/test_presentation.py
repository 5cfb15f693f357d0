"""One presentation layer (issue 10 item 3, issue 14 items 3 and 5): every result prints,
renders in Jupyter, gives a tidy DataFrame (one row per equilibrium / point / path point /
policy row, the case's parameters as columns) and LaTeX; the README's names import."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

import marshallian as m
from marshallian.policy.comparison import compare_instruments
from marshallian.presentation import Column, ResultBatch, Table, Tabular, render_latex

ROOT = Path(__file__).resolve().parents[1]


def _results():
    alt = m.get_model("alternative")
    sol = m.solve("alternative", {"lam_2S": 0.8})
    return {
        "solution": (sol, len(sol), True),
        "policy_outcome": (m.policy_equilibria(alt, None, m.tariff(2, 0.5)), None, True),
        "path": (m.path(sector=1, technology="modern", t_max=10, points=4), 4, True),
        "sweep": (m.sweep.sweep("alternative", {"lam_1S": "0.5:2:5"}), 5, False),
        "conditions": (m.ConditionTable(m.derive_conditions("standard")), 4, False),
        "coordination": (m.coordination(alt), 1, False),
        "batch": (ResultBatch([sol, m.solve("alternative", {"lam_2S": 1.2})]), None, True),
        "comparison": (compare_instruments("alternative", None, ("free-trade", "tariff")), 2, True),
    }


@pytest.fixture(scope="module")
def results():
    return _results()


@pytest.mark.parametrize(
    "name",
    [
        "solution",
        "policy_outcome",
        "path",
        "sweep",
        "conditions",
        "coordination",
        "batch",
        "comparison",
    ],
)
def test_every_result_presents_itself(results, name):
    res, n_rows, has_params = results[name]
    assert isinstance(res, Tabular)
    text = str(res)
    assert text and ("\n" in text or name == "coordination")
    assert "<" in res._repr_html_()
    frame = res.to_frame()
    assert isinstance(frame, pd.DataFrame) and len(frame) >= 1
    if n_rows is not None:
        assert len(frame) == n_rows
    if has_params:
        assert {"lam_1S", "lam_2S", "alpha", "L_S"} <= set(frame.columns)
    latex = res.to_latex()
    if name != "coordination":
        assert "\\toprule" in latex and "\\bottomrule" in latex


def test_solution_frame_is_tidy(results):
    sol = results["solution"][0]
    f = sol.to_frame()
    assert list(f["equilibrium"]) == list(range(1, len(sol) + 1))
    assert list(f["wage"]) == [e.wage for e in sol]
    assert list(f["stable"]) == [e.stable for e in sol]
    assert (f["lam_2S"] == 0.8).all() and (f["model"] == "alternative").all()
    # labor by activity: one column per activity of the model, adding up to L_S
    labor = f[[c for c in f.columns if c.startswith("labor_")]]
    assert list(labor.columns) == [
        "labor_1_backward",
        "labor_1_modern",
        "labor_2_backward",
        "labor_2_modern",
    ]
    assert labor.sum(axis=1).tolist() == pytest.approx([200.0] * len(sol))


def test_batch_frame_has_a_case_column(results):
    batch = results["batch"][0]
    f = batch.to_frame()
    assert list(f.columns[:2]) == ["case", "model"]
    assert sorted(set(f["case"])) == [0, 1]
    assert len(f) == sum(len(r) for r in batch)
    assert set(f.loc[f["case"] == 1, "lam_2S"]) == {1.2}


def test_path_frame_one_row_per_time_point(results):
    p = results["path"][0]
    f = p.to_frame()
    assert f["t"].tolist() == pytest.approx(p.t.tolist())
    assert f["a_1"].tolist() == pytest.approx(p.relative_productivity[1].tolist())
    assert "half of the gap" in str(p)  # the printed digest is kept


def test_sweep_frame_one_row_per_point(results):
    r = results["sweep"][0]
    f = r.to_frame()
    assert f["lam_1S"].tolist() == pytest.approx([0.5, 0.875, 1.25, 1.625, 2.0])
    for k, t in enumerate(r.types):
        assert f[f"exists:{t}"].tolist() == r.exists[..., k].tolist()


def test_latex_escapes_and_booktabs():
    t = Table((Column("name", "a_b & c"), Column("x", "x", "$x$")), [{"name": "50%~#", "x": 1.5}])
    out = render_latex(t)
    assert "a\\_b \\& c & $x$ \\\\" in out and "50\\%\\~{}\\# & 1.5 \\\\" in out


def test_readme_names_import():
    readme = (ROOT / "README.md").read_text()
    names = set(re.findall(r"\bm\.([A-Za-z_]\w*)", readme))
    names |= {
        n.strip()
        for imp in re.findall(r"from marshallian import ([\w, ]+)", readme)
        for n in imp.split(",")
    }
    missing = [n for n in sorted(names) if not hasattr(m, n)]
    assert not missing
    for n in ("promote_cluster", "Policy", "PolicyOutcome", "Model", "SweepResult", "tariff"):
        assert hasattr(m, n)
    three = m.models.alternative.build(3)
    assert len(m.solve(three)) >= 1
    assert callable(m.sweep.sweep)
