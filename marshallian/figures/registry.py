"""The list of the package's figures and :func:`write_figures`, which writes them all.

Each :class:`FigureSpec` names a builder ``build(context) -> Figure``; the context carries
the calibration (``calibration``: a :class:`~marshallian.calibration.Calibration`; the
defaults when absent) and things several figures share (``solutions``, region grids) so
the report computes them once. A figure that fails is recorded with the error, and any
stale file of that figure from an earlier run is removed.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ._style import FORMATS, save


@dataclass(frozen=True)
class FigureSpec:
    """One figure of the package.

    Attributes
    ----------
    name : str
        File stem (``name.png``, ``name.pdf``).
    title : str
        One line, used as the report's heading.
    caption : str
        What the figure shows and which part of the paper it reproduces.
    build : callable
        ``build(context: dict) -> matplotlib.figure.Figure``.

    Examples
    --------
    >>> from marshallian.figures import FIGURES
    >>> spec = FIGURES["fig1_ppf"]
    >>> spec.name, spec.title.startswith("Fig. 1")
    ('fig1_ppf', True)
    """

    name: str
    title: str
    caption: str
    build: Callable


@dataclass
class FigureRecord:
    """What happened to one figure in :func:`write_figures`.

    ``status`` is ``"ok"`` (``files`` written) or ``"error"`` (an exception; ``reason``
    holds its type and message).

    Examples
    --------
    >>> import tempfile
    >>> from marshallian.figures import write_figures
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     record = write_figures(tmp, names=["fig1_ppf"], formats=("png",))[0]
    >>> record.name, record.status, record.reason
    ('fig1_ppf', 'ok', '')
    """

    name: str
    title: str
    caption: str
    status: str
    files: list = field(default_factory=list)
    reason: str = ""
    seconds: float = 0.0

    def to_dict(self) -> dict:
        return {
            "name": self.name,
            "title": self.title,
            "caption": self.caption,
            "status": self.status,
            "files": [str(f) for f in self.files],
            "reason": self.reason,
            "seconds": round(self.seconds, 3),
        }


# --------------------------------------------------------------------------- builders
def _calibration(ctx):
    from ..calibration import calibrate

    if "calibration" not in ctx:
        ctx["calibration"] = calibrate()
    return ctx["calibration"]


def _params(ctx, model):
    return _calibration(ctx).params_for(model)


def _ppf(ctx):
    from .ppf import fig1_ppf

    return fig1_ppf(_params(ctx, "standard"))


def _gaps(ctx):
    from ._labels import MODEL_TITLES
    from .gaps import income_gaps

    return income_gaps(
        params={m: _params(ctx, m) for m in MODEL_TITLES}, solutions=ctx.get("solutions")
    )


def _regions(model):
    def build(ctx):
        from .regions import GRID, compute_regions, region_map

        grids = ctx.setdefault("regions", {})
        if model not in grids:
            grids[model] = compute_regions(model, _params(ctx, model), grid=ctx.get("grid") or GRID)
        return region_map(model, regions=grids[model])

    return build


def _paths(ctx):
    from .paths import catchup_paths

    # the user's values only: the figure's own initial productivities a_j(0) stay unless given
    return catchup_paths(dict(_calibration(ctx).applies["dynamic"]))


def _welfare(ctx):
    from .welfare import welfare_tariff

    return welfare_tariff({m: _params(ctx, m) for m in ("standard", "alternative")})


def _world(ctx):
    from .world import world_limit

    return world_limit(
        params={m: _params(ctx, m) for m in ("standard", "alternative")},
        limits=ctx.get("world_limits"),
    )


FIGURES: dict = {
    s.name: s
    for s in (
        FigureSpec(
            "fig1_ppf",
            "Fig. 1: specialization in the presence of clusters (§2)",
            "South's production possibilities frontier (PPF) in the standard model: convex "
            "while Q2 < λ2S·θ·L̄, linear beyond; PPF_NC (no externality, α = 0) and the world "
            "price lines through the specialized equilibria; condition (P) (the paper's "
            "Fig. 1; claim S7 of the claims table).",
            _ppf,
        ),
        FigureSpec(
            "income_gaps",
            "Income gap of every equilibrium (§2, §3, §4)",
            "Income gap w_N/w_S = 1/w of every equilibrium found by solve in each model; "
            "stable equilibria solid, unstable ones (critical masses) hatched.",
            _gaps,
        ),
        FigureSpec(
            "regions_standard",
            "Region map, §2 standard model",
            "Which stable equilibria exist over comparative advantage x = (λ1S/λ1N)/(λ2S/λ2N) "
            "(moved through λ1S) and θ = 1 + αL̄ (moved through α); lines: the paper's "
            "conditions for specialization in 1 (x = 1/θ) and CA (x = 1).",
            _regions("standard"),
        ),
        FigureSpec(
            "regions_alternative",
            "Region map, §3 alternative model",
            "Which stable equilibria exist over x (moved through λ1S) and θ1 (moved through "
            "L̄1); lines: condition (*) x = θ1, the boundary x = θ1/θ2 of the paper's "
            "simplifying assumption (below it South also has a stable equilibrium "
            "specialized in 2 without a cluster) and its mirror x = 1/θ2.",
            _regions("alternative"),
        ),
        FigureSpec(
            "regions_dynamic",
            "Region map, §4 dynamic model (steady states)",
            "Which stable steady-state equilibria exist over x and θ1; the boundary of "
            "specialization in 2 with a cluster moves from x = θ1 (§3) to x = θ1/â, "
            "â = 1 − g/ε.",
            _regions("dynamic"),
        ),
        FigureSpec(
            "catchup_paths",
            "Catch-up paths, §4",
            "A_jS/A_jN and the income gap over time when South forms a cluster in good 1, "
            "in good 2, or none.",
            _paths,
        ),
        FigureSpec(
            "welfare_tariff",
            "Welfare against the tariff on good 2 (§2, §3.1)",
            "South's real income per worker in each stable equilibrium against a permanent "
            "ad-valorem tariff on good 2 (infant-industry protection in §2, import "
            "substitution in §3.1).",
            _welfare,
        ),
        FigureSpec(
            "world_limit",
            "A large South: every two-country equilibrium as L_S/L_N falls",
            "The relative wage of every world equilibrium (prices and wages endogenous) "
            "of the §2 and §3 models as L_S/L_N falls from 1 to 1e-4; those where North "
            "has full clusters converge to the small-South wages (dashed) and coincide "
            "with them below a threshold, North's labor shares approach mu_j at rate "
            "L_S/L_N (claims W1, W2).",
            _world,
        ),
    )
}


# --------------------------------------------------------------------------- API
def make_figure(name: str, context: dict | None = None):
    """Build one registered figure (a :class:`matplotlib.figure.Figure`).

    Examples
    --------
    Fig. 1 of the paper (§2): South's PPF with the world price lines:

    >>> import matplotlib.pyplot as plt
    >>> from marshallian.figures import make_figure
    >>> fig = make_figure("fig1_ppf")
    >>> len(fig.axes)
    1
    >>> plt.close(fig)
    """
    if name not in FIGURES:
        from ..errors import InvalidParameterError, Violation

        raise InvalidParameterError(
            Violation("figure", name, f"must be one of {', '.join(FIGURES)}")
        )
    return FIGURES[name].build(context if context is not None else {})


def _remove_stale(out_dir: Path, name: str) -> None:
    for fmt in FORMATS:
        with contextlib.suppress(FileNotFoundError):
            (out_dir / f"{name}.{fmt}").unlink()


def write_figures(out_dir, names=None, formats=("png", "pdf"), context=None, progress=None) -> list:
    """Write every registered figure (or ``names``) to ``out_dir`` in each format.

    Parameters
    ----------
    out_dir : path
        Created if missing. Files are written atomically; a figure that cannot be drawn
        this time has its files from earlier runs removed, so the folder never mixes runs.
    names : iterable of str, optional
        Subset of :data:`FIGURES` (default: all, in registry order).
    formats : iterable of str
        Among ``png``, ``pdf``, ``svg``.
    context : dict, optional
        Shared inputs (``solutions``, ``regions``, ``grid``); filled as figures compute.
    progress : callable, optional
        Called with each :class:`FigureRecord` as it is done.

    Returns
    -------
    list of FigureRecord

    Examples
    --------
    >>> import tempfile
    >>> from marshallian.figures import write_figures
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     [record] = write_figures(tmp, names=["fig1_ppf"], formats=("png",))
    ...     record.status, [f.name for f in record.files]
    ('ok', ['fig1_ppf.png'])
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    ctx = context if context is not None else {}
    names = list(FIGURES) if names is None else list(names)
    for n in names:
        if n not in FIGURES:
            from ..errors import InvalidParameterError, Violation

            raise InvalidParameterError(
                Violation("figure", n, f"must be one of {', '.join(FIGURES)}")
            )
    records = []
    for n in names:
        spec = FIGURES[n]
        t0 = time.perf_counter()
        rec = FigureRecord(
            spec.name, spec.title, f"{spec.caption} At the {_calibration(ctx).describe()}.", "ok"
        )
        try:
            fig = spec.build(ctx)
            rec.files = save(fig, out_dir, spec.name, formats)
        except Exception as exc:  # reported, never hidden: the CLI exits 1
            rec.status, rec.reason = "error", f"{type(exc).__name__}: {exc}"
            _remove_stale(out_dir, spec.name)
        rec.seconds = time.perf_counter() - t0
        records.append(rec)
        if progress:
            progress(rec)
    return records
