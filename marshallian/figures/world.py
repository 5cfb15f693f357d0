"""The two-country world as South shrinks: wages converge to the small South's (``docs/world.md``)."""

from __future__ import annotations

import math

from ._labels import MODEL_TITLES
from ._style import COLORS, figure_function, new_figure


@figure_function
def world_limit(models=("standard", "alternative"), params=None, ratios=None, limits=None):
    """Every world equilibrium's wage against :math:`L_S/L_N`, and the rate of convergence.

    One panel per model: the relative wage :math:`w=w_S/w_N` of every world equilibrium
    (filled: stable; open: unstable or degenerate; circles: North has full clusters in
    every sector; crosses: another North) as :math:`L_S/L_N` falls from 1 to
    :math:`10^{-4}` (South's labor fixed, North's growing), with the small-South wages as
    dashed lines. Last panel: the distance between the full-cluster world equilibria and
    the small-South ones, in wages (exactly 0 below a threshold, drawn at the floor) and in
    North's labor shares :math:`\\max_j|L_{jN}/L_N-\\mu_j|`, which falls like
    :math:`L_S/L_N` (the fitted slope is printed).

    Parameters
    ----------
    models : sequence of str
    params : dict, optional
        ``{model: overrides or Parameters}``; ``L_N`` is the axis (``L_S / ratio``).
    ratios : sequence of float, optional
        Values of :math:`L_S/L_N` (default 29 points from 1 to 1e-4).
    limits : dict, optional
        ``{model: SmallSouthLimit}`` already computed.

    Returns
    -------
    matplotlib.figure.Figure
    """
    import numpy as np

    from ..solvers.world.limit import small_south_limit

    if ratios is None:
        ratios = np.logspace(0, -4, 29)  # 7 points a decade
    limits = dict(limits or {})
    for m in models:
        if m not in limits:
            limits[m] = small_south_limit(m, (params or {}).get(m), ratios)
    fig = new_figure(7.2, 2.7 * (len(models) + 1))
    axes = fig.subplots(len(models) + 1, 1, squeeze=False)[:, 0]
    for ax, m in zip(axes, models):
        lim = limits[m]
        for y in sorted({round(e.wage, 12) for e in lim.small}):
            ax.axhline(y, color=COLORS["grey"], ls="--", lw=0.9, zorder=0)
        for full, marker in ((True, "o"), (False, "x")):
            for stable in (True, False):
                xs, ys = [], []
                for r, sol in zip(lim.ratios, lim.worlds):
                    for e in sol:
                        if e.north_full_clusters == full and e.stable == stable:
                            xs.append(r)
                            ys.append(e.wage)
                if not xs:
                    continue
                color = COLORS["blue"] if full else COLORS["orange"]
                label = (
                    ("North full clusters" if full else "other North")
                    + ", "
                    + ("stable" if stable else "unstable/degenerate")
                )
                if marker == "x":
                    ax.scatter(
                        xs,
                        ys,
                        s=14,
                        marker="x",
                        color=color,
                        alpha=0.9 if stable else 0.45,
                        label=label,
                        linewidths=0.9,
                    )
                else:
                    ax.scatter(
                        xs,
                        ys,
                        s=16,
                        marker="o",
                        label=label,
                        facecolors=color if stable else "none",
                        edgecolors=color,
                        linewidths=0.8,
                    )
        ax.set_xscale("log")
        ax.invert_xaxis()
        ax.set_ylabel(r"relative wage $w = w_S/w_N$")
        ax.set_title(
            f"{MODEL_TITLES.get(m, m)}: every world equilibrium (dashed: small-South wages)",
            loc="left",
            fontsize=10,
        )
    handles: dict = {}
    for ax in axes[:-1]:
        for h, lab in zip(*ax.get_legend_handles_labels()):
            handles.setdefault(lab, h)
    axes[0].legend(
        list(handles.values()),
        list(handles),
        loc="upper left",
        bbox_to_anchor=(0.0, -0.12),
        fontsize=7.5,
        ncols=2,
        frameon=False,
    )
    ax = axes[-1]
    floor = 1e-17
    colors = (COLORS["blue"], COLORS["red"], COLORS["green"])
    for m, c in zip(models, colors):
        lim = limits[m]
        wd = [max(d, floor) if math.isfinite(d) else float("nan") for d in lim.wage_distance]
        ax.plot(
            lim.ratios, wd, ls=":", marker=".", color=c, label=f"{m}: wages (0 drawn at {floor:g})"
        )
        ax.plot(
            lim.ratios,
            lim.share_deviation,
            ls="-",
            color=c,
            label=f"{m}: North's shares, slope {lim.rate():.3f}",
        )
        if math.isfinite(lim.threshold):
            ax.axvline(lim.threshold, color=c, lw=0.8, ls="--")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.invert_xaxis()
    ax.set_xlabel(r"$L_S/L_N$ (South's labor fixed)")
    ax.set_ylabel("distance to the small South")
    ax.set_title(
        "Convergence: wages coincide below the dashed ratio; North's labor shares "
        r"$\to\mu_j$ at rate $L_S/L_N$",
        loc="left",
        fontsize=10,
    )
    ax.legend(loc="best", fontsize=7.5)
    from ..solvers.equilibrium import resolve_model, resolve_params
    from ._labels import calibration_note

    shown = []
    for m in models:  # L_N is the figure's axis: the note names the other values
        model = resolve_model(m)
        p = resolve_params(model, (params or {}).get(m))
        shown.append(model.params({**dict(p), model.L_N.name: model.params()[model.L_N.name]}))
    fig.suptitle(
        "A large South: the two-country equilibria and the small-South limit "
        f"({calibration_note(*shown)})",
        fontsize=11,
    )
    return fig
