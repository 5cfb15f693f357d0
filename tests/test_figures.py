"""Figures: every figure function returns a Figure, files are written atomically, the
region maps agree with the paper's analytic boundaries, and ``marshallian figures`` obeys
the command-line contract (bad input: exit 2, one line, nothing written)."""

from __future__ import annotations

import os

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from marshallian.cli import main  # noqa: E402
from marshallian.figures import FIGURES, make_figure, save, write_figures  # noqa: E402
from marshallian.figures._labels import equilibrium_label, type_label  # noqa: E402
from marshallian.figures.regions import compute_regions, point_params  # noqa: E402
from marshallian.models import get_model  # noqa: E402
from marshallian.solvers.equilibrium import solve  # noqa: E402

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
PDF_MAGIC = b"%PDF"
SMALL_GRID = (14, 9)


@pytest.fixture(scope="module")
def context():
    """Shared inputs: a small region grid keeps the module fast."""
    return {"grid": SMALL_GRID}


@pytest.mark.parametrize("name", list(FIGURES))
def test_every_figure_function_returns_a_figure(name, context):
    fig = make_figure(name, context)
    assert isinstance(fig, Figure)
    assert fig.axes, "a figure with no axes"
    for ax in fig.axes:
        assert ax.has_data()


def test_registry_lists_the_figures_of_the_issue():
    assert {
        "fig1_ppf",
        "income_gaps",
        "regions_standard",
        "regions_alternative",
        "regions_dynamic",
        "catchup_paths",
        "welfare_tariff",
    } <= set(FIGURES)


def test_write_figures_writes_png_and_pdf(tmp_path, context):
    recs = write_figures(tmp_path, ["income_gaps", "regions_standard"], context=context)
    assert [r.status for r in recs] == ["ok", "ok"]
    for r in recs:
        assert len(r.files) == 2
        png, pdf = (tmp_path / f"{r.name}.png"), (tmp_path / f"{r.name}.pdf")
        assert png.read_bytes()[:8] == PNG_MAGIC
        assert pdf.read_bytes()[:4] == PDF_MAGIC
    assert not [p for p in os.listdir(tmp_path) if p.endswith(".tmp")]


def test_figure_error_is_recorded_not_hidden_and_stale_files_removed(tmp_path, monkeypatch):
    from marshallian.figures import registry

    (tmp_path / "income_gaps.png").write_bytes(b"stale")

    def broken(ctx):
        raise ZeroDivisionError("boom")

    monkeypatch.setitem(
        registry.FIGURES, "income_gaps", registry.FigureSpec("income_gaps", "t", "c", broken)
    )
    (rec,) = write_figures(tmp_path, ["income_gaps"])
    assert rec.status == "error" and "ZeroDivisionError" in rec.reason
    assert not (tmp_path / "income_gaps.png").exists()


def test_interrupted_save_leaves_previous_file_intact(tmp_path, monkeypatch):
    """A write interrupted at the rename keeps the old file and leaves no temp file."""
    from marshallian.cli import common

    target = tmp_path / "x.png"
    target.write_bytes(b"previous")
    fig = make_figure("income_gaps")

    def fail(src, dst):
        raise KeyboardInterrupt

    monkeypatch.setattr(common.os, "replace", fail)
    with pytest.raises(KeyboardInterrupt):
        save(fig, tmp_path, "x", ("png",))
    assert target.read_bytes() == b"previous"
    assert sorted(os.listdir(tmp_path)) == ["x.png"]


def test_save_rejects_unknown_format(tmp_path):
    with pytest.raises(ValueError):
        save(make_figure("income_gaps"), tmp_path, "x", ("gif",))


# --------------------------------------------------------------------------- labels
@pytest.mark.parametrize("model", ["standard", "alternative", "dynamic"])
def test_type_labels_match_equilibrium_labels(model):
    """The sweep's type labels and solve's equilibria get the same names."""
    m = get_model(model)
    for e in solve(model):
        assert type_label(e.label, m) == equilibrium_label(e)


def test_labels_of_the_paper_equilibria():
    # §3, default calibration: spec. in 1 with and without a cluster, spec. in 2 with one
    names = {equilibrium_label(e) for e in solve("alternative").stable}
    assert names == {"spec. in 1, cluster", "spec. in 1, no cluster", "spec. in 2, cluster"}


# --------------------------------------------------------------------------- regions
def _x_theta(rg):
    return np.meshgrid(rg.x, rg.theta)


@pytest.mark.parametrize("model", ["standard", "alternative", "dynamic"])
def test_sweep_and_solve_region_grids_agree(model):
    a = compute_regions(model, grid=SMALL_GRID, method="sweep")
    b = compute_regions(model, grid=SMALL_GRID, method="solve")
    assert a.index.shape == b.index.shape == (SMALL_GRID[1], SMALL_GRID[0])
    ta = [a.types[i] for i in a.index.ravel()]
    tb = [b.types[i] for i in b.index.ravel()]
    assert ta == tb


def _far(values, boundary, rtol=0.03):
    return np.abs(values / boundary - 1) > rtol


def test_standard_regions_follow_S2_and_CA():
    """§2: spec. in 1 iff x > 1/θ (S2); spec. in 2 iff x < 1 (CA, S3)."""
    rg = compute_regions("standard", grid=(24, 12), method="solve")
    X, T = _x_theta(rg)
    keys = np.array([[rg.types[i] for i in row] for row in rg.index], dtype=object)
    has1 = np.vectorize(lambda k: "spec. in 1" in k)(keys)
    has2 = np.vectorize(lambda k: "spec. in 2" in k)(keys)
    far1, far2 = _far(X, 1 / T), _far(X, 1.0)
    assert far1.sum() > 100 and far2.sum() > 100
    assert np.array_equal(has1[far1], (X > 1 / T)[far1])
    assert np.array_equal(has2[far2], (X < 1)[far2])


def test_alternative_regions_follow_condition_star_and_A9():
    """§3: spec. in 2 with a cluster iff x < θ1 (condition (*)); spec. in 2 without a
    cluster iff x < θ1/θ2 (the paper's assumption A9 fails)."""
    m = get_model("alternative")
    rg = compute_regions(m, grid=(24, 12))
    base = m.params().as_dict()
    theta2 = base["beta"] + base["alpha"] * base["Lbar_2"]
    X, T = _x_theta(rg)
    keys = np.array([[rg.types[i] for i in row] for row in rg.index], dtype=object)
    c2 = np.vectorize(lambda k: "spec. in 2, cluster" in k)(keys)
    n2 = np.vectorize(lambda k: "spec. in 2, no cluster" in k)(keys)
    far, far9 = _far(X, T), _far(X, T / theta2)
    assert np.array_equal(c2[far], (X < T)[far])
    assert np.array_equal(n2[far9], (X < T / theta2)[far9])
    assert c2.any() and (~c2).any() and n2.any()


def test_dynamic_regions_follow_D4():
    """§4: spec. in 2 with a cluster iff x < θ1/â, â = 1 − g/ε (claim D4)."""
    m = get_model("dynamic")
    rg = compute_regions(m, grid=(20, 8))
    base = m.params().as_dict()
    ahat = 1 - base["g"] / base["eps"]
    X, T = _x_theta(rg)
    keys = np.array([[rg.types[i] for i in row] for row in rg.index], dtype=object)
    c2 = np.vectorize(lambda k: "spec. in 2, cluster" in k)(keys)
    far = _far(X, T / ahat)
    assert np.array_equal(c2[far], (X < T / ahat)[far])
    assert (~c2).any()


def test_point_params_hit_the_requested_ratio_and_theta():
    m = get_model("alternative")
    p = m.params(point_params(m, m.params().as_dict(), 2.5, 3.0))
    x = (p["lam_1S"] / p["lam_1N"]) / (p["lam_2S"] / p["lam_2N"])
    assert x == pytest.approx(2.5, rel=1e-12)
    assert p["beta"] + p["alpha"] * p["Lbar_1"] == pytest.approx(3.0, rel=1e-12)


# --------------------------------------------------------------------------- CLI
def test_cli_figures_writes_files(tmp_path, capsys):
    out = tmp_path / "figs"
    code = main(["figures", "--out", str(out), "--only", "income_gaps", "--format", "png,svg"])
    assert code == 0
    assert (out / "income_gaps.png").read_bytes()[:8] == PNG_MAGIC
    assert (out / "income_gaps.svg").read_text().lstrip().startswith(("<?xml", "<svg"))
    assert "1/1 figures written" in capsys.readouterr().out


def test_cli_figures_list(capsys):
    assert main(["figures", "--list"]) == 0
    assert "fig1_ppf" in capsys.readouterr().out


# (bad input of ``marshallian figures``: tests/test_report.py, with the report's)


# --------------------------------------------------------------------------- calibration
def _texts(fig):
    out = [t.get_text() for t in fig.texts] + ([fig._suptitle.get_text()] if fig._suptitle else [])
    for ax in fig.axes:
        out += [ax.get_title(loc=loc) for loc in ("left", "center", "right")]
    return " ".join(out)


@pytest.mark.parametrize("name", list(FIGURES))
def test_figures_state_their_calibration(name):
    """Titles say the calibration: never "default" when it is not."""
    from marshallian.calibration import calibrate

    assert "default calibration" in _texts(make_figure(name, {"grid": SMALL_GRID}))
    fig = make_figure(name, {"grid": SMALL_GRID, "calibration": calibrate({"L_S": 260.0})})
    text = _texts(fig)
    assert "default calibration" not in text and "L_S = 260" in text


def test_region_legends_use_the_papers_words():
    """No internal claim ids in legends (S2, A9, D4 ...)."""
    import re

    for model in ("standard", "alternative", "dynamic"):
        fig = make_figure(f"regions_{model}", {"grid": SMALL_GRID})
        labels = [t.get_text() for leg in fig.legends for t in leg.get_texts()]
        assert labels
        for text in labels:
            assert not re.search(r"\b[SAD]\d\b", text), text


def test_region_grid_is_fine_by_default():
    from marshallian.figures.regions import GRID

    assert GRID[0] * GRID[1] >= 200_000


@pytest.mark.parametrize("name", ["fig1_ppf", "regions_alternative"])
def test_save_lays_out_once_and_writes_what_savefig_writes(tmp_path, name):
    """save() draws the figure once for its layout and tight box, then saves each format:
    the PNG is byte for byte what a plain savefig writes, and the layout engine is back."""
    import io

    from marshallian.figures._style import STYLE

    context = {"grid": (24, 16)}
    plain = make_figure(name, context)
    buf = io.BytesIO()
    with matplotlib.rc_context(STYLE):
        plain.savefig(buf, format="png", metadata={"Creator": "marshallian"})
    fig = make_figure(name, context)
    engine = fig.get_layout_engine()
    [png, pdf] = save(fig, tmp_path, name, ("png", "pdf"))
    assert png.read_bytes() == buf.getvalue()
    assert pdf.read_bytes().startswith(b"%PDF")
    assert fig.get_layout_engine() is engine


def test_save_draws_once_for_the_layout_and_once_per_format(tmp_path, monkeypatch):
    """No format draws the figure a second time (savefig does when the figure still has a
    layout engine, even a placeholder)."""
    fig = make_figure("fig1_ppf")
    draws = []
    draw = fig.draw
    monkeypatch.setattr(fig, "draw", lambda renderer: draws.append(renderer) or draw(renderer))
    save(fig, tmp_path, "fig1_ppf", ("png", "pdf"))
    assert len(draws) == 3


def test_mathtext_is_parsed_once_per_string_and_resolution(tmp_path):
    """The renderers of save() share one parser: saving the same figure again parses
    nothing, and a shared parse is what matplotlib's own parser returns."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.mathtext import MathTextParser

    from marshallian.figures import _render

    save(make_figure("fig1_ppf"), tmp_path, "first", ("png",))
    misses = _render._parse.cache_info().misses
    save(make_figure("fig1_ppf"), tmp_path, "second", ("png",))
    assert _render._parse.cache_info().misses == misses
    assert (tmp_path / "first.png").read_bytes() == (tmp_path / "second.png").read_bytes()
    s, prop = r"slope $\lambda_{1S}/(\theta\lambda_{2S})$", FontProperties(size=8.5)
    shared = _render.shared_parser("path", _render._settings()).parse(s, 200, prop)
    own = MathTextParser("path").parse(s, 200, prop)
    assert (shared.width, shared.height, shared.depth) == (own.width, own.height, own.depth)
    assert shared.glyphs == own.glyphs and shared.rects == own.rects


def test_shared_parses_follow_the_font_settings(tmp_path):
    """A parse kept under some settings is not reused under others: a mathtext label saved
    after a change of font draws what matplotlib alone draws."""
    import io

    from marshallian.figures._style import STYLE, new_figure

    def figure():
        with matplotlib.rc_context(STYLE):
            fig = new_figure(3, 1)
            fig.text(0.1, 0.5, r"mixed $\alpha_1 = \hat a$ text")
            return fig

    save(figure(), tmp_path, "sans", ("png",))
    with matplotlib.rc_context({"font.sans-serif": ["DejaVu Serif"]}):
        [png] = save(figure(), tmp_path, "serif", ("png",))
        buf = io.BytesIO()
        with matplotlib.rc_context(STYLE):
            figure().savefig(buf, format="png", metadata={"Creator": "marshallian"})
    assert png.read_bytes() == buf.getvalue()
    assert png.read_bytes() != (tmp_path / "sans.png").read_bytes()


def test_shared_parser_passes_matplotlib_37s_parse_signature(tmp_path, monkeypatch):
    """matplotlib 3.7 (allowed by pyproject) has ``parse(s, dpi=72, prop=None)``, without
    the ``antialiased`` keyword of 3.8: the shared parser passes on exactly the keywords the
    renderer gives, so figures still save (they raised TypeError before)."""
    from matplotlib.mathtext import MathTextParser

    from marshallian.figures import _render

    parse = MathTextParser.parse

    def parse_37(self, s, dpi=72, prop=None):
        return parse(self, s, dpi, prop)

    def draw_mathtext_37(renderer, gc, x, y, s, prop, angle):
        # 3.7's Agg renderer: parse without the antialiasing keyword
        parsed = renderer.mathtext_parser.parse(s, renderer.dpi, prop)
        glyphs = ((f, size, i, 0, 1, dx, dy) for f, size, _c, i, dx, dy in parsed.glyphs)
        renderer._draw_text_glyphs_and_boxes(gc, x, y, angle, glyphs, parsed.rects)

    from matplotlib.backends.backend_agg import RendererAgg

    monkeypatch.setattr(MathTextParser, "parse", parse_37)
    monkeypatch.setattr(RendererAgg, "draw_mathtext", draw_mathtext_37)
    _render._parse.cache_clear()
    [png] = save(make_figure("fig1_ppf"), tmp_path, "fig1_ppf", ("png",))
    assert png.read_bytes().startswith(b"\x89PNG")
    _render._parse.cache_clear()
