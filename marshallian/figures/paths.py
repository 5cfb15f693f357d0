"""§4 catch-up paths: :math:`A_{jS}/A_{jN}` and the income gap over time.

With learning by doing at rate :math:`g` in a full cluster and international spillovers
:math:`\\varepsilon(1-a)` (``docs/models.md`` §4; the paper's ``max`` read as ``min``), South's relative
productivity :math:`a_j=A_{jS}/A_{jN}` follows a logistic law: without a cluster it
settles at :math:`\\hat a=1-g/\\varepsilon` (claim D1), with a full cluster it converges
to 1 and the income gap closes (D3), growing faster than :math:`g` on the way. Paths come
from the dynamics engine (:func:`marshallian.solvers.dynamics.path`, closed forms
checked against numerical integration).
"""

from __future__ import annotations

from ._labels import calibration_note
from ._style import COLORS, figure_function, new_figure

#: Initial relative productivities of the figure (below â, so that catch-up shows).
A0 = 0.35
#: Scenarios of the income-gap panel: South's whole labor force in (sector, technology).
SCENARIOS = (
    (1, "modern", "cluster in 1 (1: modern)", COLORS["blue"]),
    (2, "modern", "cluster in 2 (2: modern)", COLORS["green"]),
    (1, "backward", "no cluster (1: backward)", COLORS["red"]),
)


@figure_function
def catchup_paths(params=None, t_max: float = 150.0, points: int = 301):
    r"""Relative productivities and the income gap over time (§4, claims D1, D3, D5).

    Left: :math:`A_{1S}/A_{1N}` with a cluster in 1 (to 1), without (to :math:`\hat a`,
    from below and from above), and :math:`A_{2S}/A_{2N}` of the good South does not
    produce (spillovers only). Right: the income gap for a cluster in 1, a cluster in 2,
    and no cluster.

    Parameters
    ----------
    params : mapping, optional
        Dynamic-model parameters; default: the calibration with
        :math:`a_{0,1}=a_{0,2}=` :data:`A0`.
    t_max : float
    points : int

    Returns
    -------
    matplotlib.figure.Figure
    """
    from ..solvers.dynamics import path

    base = {"a0_1": A0, "a0_2": A0}
    base.update(params or {})

    def run(j, t, **over):
        return path(dict(base, **over), sector=j, technology=t, t_max=t_max, points=points)

    runs = [(run(j, t), label, c) for j, t, label, c in SCENARIOS]
    par = runs[0][0].params
    ahat = 1 - par["g"] / par["eps"]
    above = min(0.5 * (1 + ahat), 0.95)
    high = run(1, "backward", a0_1=above)
    fig = new_figure(9.8, 4.3)
    ax1, ax2 = fig.subplots(1, 2)
    clus, none = runs[0][0], runs[2][0]
    # (path, good, colour, line style, line width, label)
    for pth, j, colour, ls, lw, label in (
        (clus, 1, "blue", "-", None, "good 1 with a cluster: $a_1 \\to 1$"),
        (none, 1, "red", "-", None, r"good 1 without a cluster: $a_1 \to \hat a$"),
        (
            high,
            1,
            "red",
            "-.",
            1.3,
            rf"same, from $a_1(0)={above:.2g}$ (diverges down to $\hat a$)",
        ),
        (clus, 2, "grey", "--", None, r"good 2, not produced: spillovers only, $a_2 \to \hat a$"),
    ):
        ax1.plot(
            pth.t, pth.relative_productivity[j], color=COLORS[colour], ls=ls, lw=lw, label=label
        )
    ax1.axhline(
        ahat,
        color=COLORS["grey"],
        ls=":",
        lw=1.0,
        label=rf"$\hat a = 1-g/\varepsilon = {ahat:.3g}$",
    )
    ax1.axhline(1.0, color=COLORS["grey"], ls=":", lw=1.0)
    ax1.set_ylim(0, 1.08)
    ax1.set_xlabel("time $t$")
    ax1.set_ylabel(r"$a_j = A_{jS}/A_{jN}$")
    ax1.set_title("relative productivity", loc="left", fontsize=10)
    ax1.legend(loc="lower right", fontsize=7.8)
    for pth, label, c in runs:
        ax2.plot(
            pth.t,
            pth.income_gap,
            color=c,
            lw=1.8,
            label=f"{label}: limit {pth.limit_income_gap:.3g}",
        )
    ax2.axhline(1.0, color=COLORS["grey"], ls=":", lw=1.0)
    ax2.set_xlabel("time $t$")
    ax2.set_ylabel(r"income gap $w_N/w_S$")
    ax2.set_title("income gap", loc="left", fontsize=10)
    ax2.set_ylim(0, None)
    ax2.legend(loc="upper right", fontsize=7.8)
    from ..models import get_model

    shown = get_model("dynamic").params({k: v for k, v in par.items() if not k.startswith("a0_")})
    fig.suptitle(
        rf"§4 catch-up paths ($g={par['g']:g}$, $\varepsilon={par['eps']:g}$, "
        rf"$a_j(0)={par['a0_1']:g}$; spillovers with min, not the printed max)"
        f"\n{calibration_note(shown)}",
        fontsize=10.5,
    )
    return fig
