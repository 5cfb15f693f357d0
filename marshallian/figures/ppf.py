"""Fig. 1 of the paper: specialization in the presence of clusters (§2, claim S7).

South's production possibility frontier in the standard model is convex while
:math:`Q_2<\\lambda_{2S}\\theta\\bar L` (:math:`L_2<\\bar L`) and linear beyond, with slope
:math:`\\lambda_{1S}/(\\theta\\lambda_{2S})`; PPF\\ :sub:`NC` (no externality, :math:`\\alpha=0`)
is the Ricardian line of slope :math:`\\lambda_{1S}/\\lambda_{2S}`, the PPF's slope at the
good-1 corner. World prices :math:`p_2^*/p_1^*` below :math:`\\lambda_{1S}/\\lambda_{2S}` make
specialization in 1 an equilibrium, above :math:`\\lambda_{1S}/(\\theta\\lambda_{2S})`
specialization in 2: condition (P) gives both, and the good-2 one a higher budget line.

The frontier is the policy engine's (:func:`marshallian.policy.ppf.ppf`); the equilibria
are :func:`~marshallian.solvers.equilibrium.solve`'s.
"""

from __future__ import annotations

import warnings

from ._labels import calibration_note, equilibrium_label
from ._style import COLORS, figure_function, new_figure


def production_point(model, params, eq) -> tuple:
    """Outputs :math:`(Q_1, Q_2)` of an equilibrium (via the policy engine's ``outputs``)."""
    from ..policy.instruments import outputs

    labor = [eq.labor(a.sector, a.technology) for a in model.activities]
    q = outputs(model, params, labor)
    return float(q[1]), float(q[2])


@figure_function
def fig1_ppf(params=None, n: int = 401):
    """Fig. 1 (§2): PPF, PPF_NC, world price lines, every equilibrium marked.

    Parameters
    ----------
    params : mapping, optional
        Standard-model parameters (default calibration otherwise).
    n : int
        Points on the frontier.

    Returns
    -------
    matplotlib.figure.Figure
    """
    from ..errors import DegenerateEquilibriumWarning
    from ..models import get_model
    from ..policy.ppf import ppf
    from ..solvers import solve

    model = get_model("standard")
    p = model.params(params)
    f = ppf(model, p, n)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegenerateEquilibriumWarning)
        sol = solve(model, p, warn=False)
    p1, p2 = sol.prices[1], sol.prices[2]
    rel = p2 / p1
    theta = 1 + p["alpha"] * p["Lbar"]
    lam1, lam2 = p["lam_1S"], p["lam_2S"]

    fig = new_figure(6.6, 5.2)
    ax = fig.add_subplot()
    convex = f.Q2 <= f.kink_Q2 * (1 + 1e-12)
    ax.plot(
        f.Q2[convex],
        f.Q1[convex],
        color=COLORS["blue"],
        lw=2.2,
        label=r"PPF (convex while $Q_2<\lambda_{2S}\theta\bar L$)",
    )
    ax.plot(
        f.Q2[~convex | (f.Q2 >= f.kink_Q2 * (1 - 1e-9))],
        f.Q1[~convex | (f.Q2 >= f.kink_Q2 * (1 - 1e-9))],
        color=COLORS["blue"],
        lw=2.2,
        ls="-",
    )
    ax.plot(
        f.Q2_nc,
        f.Q1_nc,
        color=COLORS["grey"],
        lw=1.6,
        ls="--",
        label=r"PPF$_{NC}$ ($\alpha=0$), slope $\lambda_{1S}/\lambda_{2S}$",
    )
    kink_q1 = float(f.Q1[convex][-1]) if convex.any() else None
    if kink_q1 is not None and f.kink_Q2 < f.Q2[-1]:
        ax.plot([f.kink_Q2], [kink_q1], marker="|", ms=12, color=COLORS["blue"], mew=1.5)
        ax.annotate(
            r"$Q_2=\lambda_{2S}\theta\bar L$: linear beyond,"
            + "\n"
            + rf"slope $\lambda_{{1S}}/(\theta\lambda_{{2S}})={lam1 / (theta * lam2):.3g}$",
            (f.kink_Q2, kink_q1),
            xytext=(12, 18),
            textcoords="offset points",
            fontsize=8.5,
            arrowprops={"arrowstyle": "-", "color": "0.4", "lw": 0.8},
        )
    # budget (world price) lines through each stable equilibrium's production point
    qmax2 = max(float(f.Q2.max()), float(f.Q2_nc.max()))
    first = True
    colours = [COLORS["orange"], COLORS["green"], COLORS["purple"]]
    for i, e in enumerate(sol.equilibria):
        q1, q2 = production_point(model, p, e)
        stable = e.stability.value != "unstable"  # stable or neutral: labor rests there
        if stable:
            value = p1 * q1 + p2 * q2
            x_end = min(value / p2, qmax2 * 1.12)
            ax.plot(
                [0, x_end],
                [value / p1, value / p1 - rel * x_end],
                color=colours[i % len(colours)],
                lw=1.3,
                ls="-.",
                label=(
                    f"world price line through {equilibrium_label(e)}"
                    + (rf", slope $p_2^*/p_1^*={rel:.3g}$" if first else "")
                ),
            )
            first = False
        ax.plot(
            [q2],
            [q1],
            marker="o",
            ms=8,
            zorder=5,
            clip_on=False,
            mfc=(colours[i % len(colours)] if stable else "white"),
            mec=COLORS["black"],
            mew=1.0,
            ls="none",
        )
        corner2 = q1 <= 1e-9 * max(q2, 1.0)
        ax.annotate(
            equilibrium_label(e)
            + rf"  ($w={e.wage:.3g}$)"
            + ("" if e.stable else f", {e.stability.value}"),
            (q2, q1),
            xytext=(-10, 22) if corner2 else (8, 8),
            textcoords="offset points",
            ha="right" if corner2 else "left",
            fontsize=8.5,
            bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.85},
        )
    ax.set_xlim(0, qmax2 * 1.15)
    ax.set_ylim(0, None)
    ax.set_xlabel(r"output of good 2 (Marshallian externality), $Q_2$ (units of good 2)")
    ax.set_ylabel(r"output of good 1, $Q_1$ (units of good 1)")
    lo, hi = lam1 / (theta * lam2), lam1 / lam2
    holds = lo < rel < hi
    # the chain is written out only when it holds (a failing one would print a falsehood)
    ax.text(
        0.98,
        0.97,
        "condition (P), "
        + r"$\lambda_{1S}/\theta\lambda_{2S} < p_2^*/p_1^* < \lambda_{1S}/\lambda_{2S}$: "
        + (
            rf"${lo:.3g} < {rel:.3g} < {hi:.3g}$, holds"
            if holds
            else rf"${lo:.3g}$, ${rel:.3g}$, ${hi:.3g}$: fails"
        ),
        transform=ax.transAxes,
        ha="right",
        va="top",
        fontsize=8.5,
        bbox={"boxstyle": "round,pad=0.3", "fc": "white", "ec": "0.7"},
    )
    ax.legend(loc="upper right", bbox_to_anchor=(1.0, 0.91), fontsize=8.5)
    ax.set_title(
        f"Fig. 1: specialization in the presence of clusters (§2)\n{calibration_note(p)}",
        loc="left",
        fontsize=10.5,
    )
    return fig
