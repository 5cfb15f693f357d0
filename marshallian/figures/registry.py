"""The list of the package's figures and :func:`write_figures`, which writes them all.

Each :class:`FigureSpec` names a builder ``build(context) -> Figure``; the context carries
things several figures share (solutions of the default calibrations, region grids) so the
report computes them once. A figure whose prerequisites are missing from the installation
raises :class:`~marshallian.figures._style.FigureUnavailable`; :func:`write_figures`
records why and removes any stale file of that figure from an earlier run.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from ._style import FORMATS, FigureUnavailable, save


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
    """

    name: str
    title: str
    caption: str
    build: Callable


@dataclass
class FigureRecord:
    """What happened to one figure in :func:`write_figures`.

    ``status`` is ``"ok"`` (``files`` written), ``"unavailable"`` (a prerequisite is not
    installed; ``reason`` says which) or ``"error"`` (an unexpected exception; ``reason``
    holds its type and message).
    """

    name: str
    title: str
    caption: str
    status: str
    files: list = field(default_factory=list)
    reason: str = ""
    seconds: float = 0.0

    def to_dict(self) -> dict:
        return {"name": self.name, "title": self.title, "caption": self.caption,
                "status": self.status, "files": [str(f) for f in self.files],
                "reason": self.reason, "seconds": round(self.seconds, 3)}


# --------------------------------------------------------------------------- builders
def _ppf(ctx):
    from .ppf import fig1_ppf
    return fig1_ppf()


def _gaps(ctx):
    from .gaps import income_gaps
    return income_gaps(solutions=ctx.get("solutions"))


def _regions(model):
    def build(ctx):
        from .regions import compute_regions, region_map
        grids = ctx.setdefault("regions", {})
        if model not in grids:
            grids[model] = compute_regions(model, grid=ctx.get("grid") or _default_grid())
        return region_map(model, regions=grids[model])
    return build


def _default_grid():
    from .regions import GRID
    return GRID


def _paths(ctx):
    from .paths import catchup_paths
    return catchup_paths()


def _welfare(ctx):
    from .welfare import welfare_tariff
    return welfare_tariff()


def _world(ctx):
    from .world import world_limit
    return world_limit(limits=ctx.get("world_limits"))


FIGURES: dict = {s.name: s for s in (
    FigureSpec("fig1_ppf", "Fig. 1: specialization in the presence of clusters (§2)",
               "South's production possibilities frontier (PPF) in the standard model: convex "
               "while Q2 < λ2S·θ·L̄, linear beyond; PPF_NC (no externality, α = 0) and the world "
               "price line; the two specialized equilibria marked (claim S7, condition P).",
               _ppf),
    FigureSpec("income_gaps", "Income gap of every equilibrium (§2, §3, §4)",
               "Income gap w_N/w_S = 1/w of every equilibrium found by solve for the default "
               "calibration of each model; stable equilibria solid, unstable (critical masses) "
               "hatched (claims S4, A2–A4, D2–D4).", _gaps),
    FigureSpec("regions_standard", "Region map, §2 standard model",
               "Which stable equilibria exist over comparative advantage x = (λ1S/λ1N)/(λ2S/λ2N) "
               "and θ = 1 + αL̄, every grid point solved; lines: the paper's conditions S2 "
               "(x = 1/θ) and CA (x = 1).", _regions("standard")),
    FigureSpec("regions_alternative", "Region map, §3 alternative model",
               "Which stable equilibria exist over x and θ1; lines: condition (*) x = θ1, the "
               "paper's simplifying assumption A9 (x = θ1/θ2) and its mirror x = 1/θ2.",
               _regions("alternative")),
    FigureSpec("regions_dynamic", "Region map, §4 dynamic model (steady states)",
               "Which stable steady-state equilibria exist over x and θ1; the spec.-in-2 "
               "cluster boundary moves from x = θ1 (§3) to x = θ1/â, â = 1 − g/ε (claim D4).",
               _regions("dynamic")),
    FigureSpec("catchup_paths", "Catch-up paths, §4",
               "A_jS/A_jN and the income gap over time when South forms a cluster "
               "(claims D1, D3, D5).", _paths),
    FigureSpec("welfare_tariff", "Welfare against the tariff on good 2 (§2, §3.1)",
               "South's welfare against the ad-valorem tariff rate on good 2 "
               "(claims S6, A7, A8).", _welfare),
    FigureSpec("world_limit", "A large South: every two-country equilibrium as L_S/L_N falls",
               "The relative wage of every world equilibrium (prices and wages endogenous) "
               "of the §2 and §3 models as L_S/L_N falls from 1 to 1e-4; those where North "
               "has full clusters converge to the small-South wages (dashed) and coincide "
               "with them below a threshold, North's labor shares approach mu_j at rate "
               "L_S/L_N (claims W1, W2).", _world),
)}


# --------------------------------------------------------------------------- API
def make_figure(name: str, context: dict | None = None):
    """Build one registered figure (a :class:`matplotlib.figure.Figure`)."""
    if name not in FIGURES:
        from ..errors import InvalidParameterError, Violation
        raise InvalidParameterError(Violation("figure", name, f"must be one of {', '.join(FIGURES)}"))
    return FIGURES[name].build(context if context is not None else {})


def _remove_stale(out_dir: Path, name: str) -> None:
    for fmt in FORMATS:
        try:
            (out_dir / f"{name}.{fmt}").unlink()
        except FileNotFoundError:
            pass


def write_figures(out_dir, names=None, formats=("png", "pdf"), context=None,
                  progress=None) -> list:
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
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    ctx = context if context is not None else {}
    names = list(FIGURES) if names is None else list(names)
    for n in names:
        if n not in FIGURES:
            from ..errors import InvalidParameterError, Violation
            raise InvalidParameterError(Violation("figure", n, f"must be one of {', '.join(FIGURES)}"))
    records = []
    for n in names:
        spec = FIGURES[n]
        t0 = time.perf_counter()
        rec = FigureRecord(spec.name, spec.title, spec.caption, "ok")
        try:
            fig = spec.build(ctx)
            rec.files = save(fig, out_dir, spec.name, formats)
        except FigureUnavailable as exc:
            rec.status, rec.reason = "unavailable", str(exc)
            _remove_stale(out_dir, spec.name)
        except Exception as exc:  # reported, never hidden: the CLI exits 1
            rec.status, rec.reason = "error", f"{type(exc).__name__}: {exc}"
            _remove_stale(out_dir, spec.name)
        rec.seconds = time.perf_counter() - t0
        records.append(rec)
        if progress:
            progress(rec)
    return records
