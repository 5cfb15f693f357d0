"""Income gaps :math:`w_N/w_S=1/w` of every equilibrium, by model (paper §2–§4)."""

from __future__ import annotations

import warnings

from ._labels import MODEL_TITLES, calibration_note, equilibrium_label
from ._style import COLORS, figure_function, new_figure


def _solutions(models, params):
    from ..errors import DegenerateEquilibriumWarning
    from ..solvers import solve

    params = params or {}
    out = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegenerateEquilibriumWarning)
        for m in models:
            out[m] = solve(m, params.get(m))
    return out


@figure_function
def income_gaps(models=("standard", "alternative", "dynamic"), params=None, solutions=None):
    """Horizontal bars of the income gap of every equilibrium, one panel per model.

    Stable equilibria are solid, unstable ones (critical masses) hatched; a dotted line
    marks gap 1 (no income gap).

    Parameters
    ----------
    models : sequence of str
        Model names (default: the paper's three).
    params : dict, optional
        ``{model name: parameter overrides}``; default calibrations otherwise.
    solutions : dict, optional
        ``{model name: Solution}`` already computed (skips solving).

    Returns
    -------
    matplotlib.figure.Figure
    """
    sols = dict(solutions or {})
    missing = [m for m in models if m not in sols]
    sols.update(_solutions(missing, params))
    heights = [max(len(sols[m].equilibria), 1) for m in models]
    fig = new_figure(7.2, 1.0 + 0.36 * sum(heights) + 0.45 * len(models))
    axes = fig.subplots(
        len(models), 1, sharex=True, squeeze=False, gridspec_kw={"height_ratios": heights}
    )[:, 0]
    gmax = max((e.income_gap for s in sols.values() for e in s.equilibria), default=1.0)
    for ax, m in zip(axes, models):
        sol = sols[m]
        eqs = list(sol.equilibria)[::-1]  # best equilibrium on top
        y = range(len(eqs))
        for yi, e in zip(y, eqs):
            state = e.stability.value  # stable solid, neutral light, unstable hatched
            ax.barh(
                yi,
                e.income_gap,
                height=0.62,
                color={"stable": COLORS["blue"], "neutral": COLORS["sky"]}.get(state, "white"),
                edgecolor=COLORS["blue"],
                hatch="////" if state == "unstable" else None,
                linewidth=1.0,
            )
            ax.text(
                e.income_gap + 0.02 * gmax,
                yi,
                f"{e.income_gap:.3g}",
                va="center",
                ha="left",
                fontsize=8.5,
            )
        ax.set_yticks(list(y), [equilibrium_label(e) for e in eqs], fontsize=8.5)
        ax.axvline(1.0, color=COLORS["grey"], ls=":", lw=1.0)
        ax.set_title(MODEL_TITLES.get(m, m), loc="left", fontsize=10)
        ax.set_ylim(-0.6, len(eqs) - 0.4)
    axes[-1].set_xlim(0, gmax * 1.15)
    axes[-1].set_xlabel(r"income gap $w_N/w_S = 1/w$")
    from matplotlib.patches import Patch

    handles = [
        Patch(facecolor=COLORS["blue"], edgecolor=COLORS["blue"], label="stable"),
        Patch(
            facecolor=COLORS["sky"], edgecolor=COLORS["blue"], label="neutral (continuum or weak)"
        ),
        Patch(
            facecolor="white",
            edgecolor=COLORS["blue"],
            hatch="////",
            label="unstable (critical mass)",
        ),
    ]
    fig.legend(handles=handles, loc="outside lower center", ncols=3, frameon=False)
    note = calibration_note(*(sols[m].params for m in models))
    fig.suptitle(f"Income gap of every equilibrium ({note})", fontsize=11)
    return fig
