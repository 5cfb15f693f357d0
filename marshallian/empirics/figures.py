"""Figure 1 of seed 004: densities of log TFP by export status × agglomeration."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..errors import InvalidParameterError, Violation
from .data import ensure_panel
from .indices import agglomerated
from .ks import GROUP_NAMES

#: Largest sample a kernel density is fitted on (a seeded subsample beyond it).
KDE_MAX_POINTS = 20_000


def tfp_densities(
    data: Any,
    year: int | None = None,
    *,
    region: str = "county",
    value: str = "tfp",
    ax: Any = None,
    points: int = 256,
):
    """Kernel densities of ``value`` (log TFP) for the four groups of Table 2 in ``year``.

    Parameters
    ----------
    data : path, DataFrame or SyntheticPanel
    year : int, optional
        The year drawn (default: the last year, as the paper's 2007).
    region : str
        Region of the LQ defining agglomeration.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.figure.Figure
        One line per non-empty group (Gaussian kernel, Scott's bandwidth).
    """
    import matplotlib
    from matplotlib.figure import Figure

    from ..figures import STYLE

    panel = ensure_panel(data)
    years = panel["year"].to_numpy()
    if year is None:
        year = int(years.max())
    in_year = years == year
    if not in_year.any():
        raise InvalidParameterError(Violation("year", year, "not a year of the panel"))
    agg = agglomerated(panel, region=region)[in_year]
    exp = panel["exports"].to_numpy()[in_year] > 0
    x = panel[value].to_numpy(dtype=float)[in_year]
    with matplotlib.rc_context(STYLE):
        if ax is None:
            fig = Figure(figsize=(6.4, 4.2), layout="constrained")
            ax = fig.subplots()
        else:
            fig = ax.figure
        _draw(ax, x, exp, agg, year, points)
    return fig


def _draw(ax, x, exp, agg, year, points) -> None:
    from scipy.stats import gaussian_kde

    grid = np.linspace(np.percentile(x, 0.5), np.percentile(x, 99.5), points)
    rng = np.random.default_rng(0)
    styles = {
        (False, False): ("C0", "-"),
        (False, True): ("C0", "--"),
        (True, False): ("C3", "-"),
        (True, True): ("C3", "--"),
    }
    for g, label in GROUP_NAMES.items():
        sample = x[(exp == g[0]) & (agg == g[1])]
        if len(sample) < 2:
            continue
        if len(sample) > KDE_MAX_POINTS:
            sample = rng.choice(sample, KDE_MAX_POINTS, replace=False)
        color, ls = styles[g]
        ax.plot(
            grid,
            gaussian_kde(sample)(grid),
            color=color,
            linestyle=ls,
            label=f"{label} (n={int(((exp == g[0]) & (agg == g[1])).sum()):,})",
        )
    ax.set_xlabel("log TFP")
    ax.set_ylabel("density")
    ax.set_title(f"Densities of log TFP, {year} (seed 004, Figure 1)")
    ax.legend(frameon=False, fontsize="small")
