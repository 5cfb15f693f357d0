"""South's welfare against the tariff rate on good 2 (§2 infant industry, §3.1 import
substitution; claims S6, A7, A8).

For each tariff rate :math:`\\tau_2` every stable equilibrium of South under the tariff is
found by the policy engine (:func:`marshallian.policy.instruments.policy_equilibria`:
trade position import / self-sufficient / export, revenue rebated) and its real income
per worker, :math:`I\\,e(p^*)/e(p)/L_S` (:math:`=w` at free trade; North's wage is 1), is
plotted. A permanent tariff only lowers welfare in each equilibrium; in the standard model
it can move South to the good-2 equilibrium (the infant-industry case, S6), in the
alternative model good 2 can always be produced backward (A7).
"""

from __future__ import annotations

from ._labels import MODEL_TITLES, calibration_note, equilibrium_label
from ._style import COLORS, figure_function, new_figure

#: Tariff rates drawn (ad valorem).
RATES = tuple(i / 40 for i in range(0, 81))  # 0 .. 2 in steps of 0.025
_CYCLE = (
    COLORS["blue"],
    COLORS["green"],
    COLORS["orange"],
    COLORS["red"],
    COLORS["purple"],
    COLORS["sky"],
    COLORS["grey"],
    COLORS["black"],
)


def welfare_curves(model, params=None, rates=RATES, sector: int = 2) -> dict:
    """Real income per worker of every stable (or neutral) equilibrium type along the tariffs.

    Returns
    -------
    dict
        ``{"rates": list, "curves": {label: list (NaN where absent)}}``; a label is the
        equilibrium's name and its trade position in the taxed good.
    """
    import math

    from ..policy import instruments

    curves: dict = {}
    for i, r in enumerate(rates):
        out = instruments.policy_equilibria(model, params, instruments.tariff(sector, float(r)))
        for e in out.stable_or_neutral:
            key = (
                equilibrium_label(e.equilibrium).replace(" (critical mass)", "")
                + f" [{_position(e, sector)}]"
            )
            curves.setdefault(key, [math.nan] * len(rates))
            value = e.welfare.real_income / e.labor_force
            prev = curves[key][i]
            curves[key][i] = value if math.isnan(prev) else max(prev, value)
    return {"rates": list(rates), "curves": curves}


def _position(e, sector: int) -> str:
    """Trade position in the taxed good (also at a zero tariff, from net imports)."""
    if e.position:
        return e.position
    net = e.net_imports.get(sector, 0.0)
    scale = max(abs(v) for v in e.output.values()) or 1.0
    if abs(net) <= 1e-9 * scale:
        return "self-sufficient"
    return "import" if net > 0 else "export"


@figure_function
def welfare_tariff(params=None, rates=RATES, models=("standard", "alternative")):
    """Real income per worker of each stable equilibrium against the tariff on good 2.

    Parameters
    ----------
    params : dict, optional
        ``{model name: overrides}``.
    rates : sequence of float
    models : sequence of str

    Returns
    -------
    matplotlib.figure.Figure
    """
    import numpy as np

    params = params or {}
    data = {m: welfare_curves(m, params.get(m), rates) for m in models}
    fig = new_figure(4.9 * len(models), 5.6)
    axes = fig.subplots(1, len(models), squeeze=False)[0]
    for ax, m in zip(axes, models):
        d = data[m]
        r = np.asarray(d["rates"])
        order = sorted(d["curves"].items(), key=lambda kv: -np.nanmax(kv[1]))
        for n, (label, ys) in enumerate(order):
            ys = np.asarray(ys, dtype=float)
            c = _CYCLE[n % len(_CYCLE)]
            ax.plot(r, ys, color=c, lw=1.8, label=label)
            ok = np.isfinite(ys)
            if ok.sum() <= 2:  # isolated points stay visible
                ax.plot(r[ok], ys[ok], "o", color=c, ms=4)
        ax.set_xlabel(r"tariff rate on good 2, $\tau_2$")
        ax.set_ylabel("real income per worker (free trade: $w$)")
        ax.set_title(MODEL_TITLES.get(m, m), loc="left", fontsize=10)
        ax.set_ylim(0, None)
        ax.set_xlim(r[0], r[-1])
        leg = ax.legend(
            loc="upper left",
            bbox_to_anchor=(0.0, -0.16),
            fontsize=7.8,
            title="stable equilibria [trade position in good 2]",
            title_fontsize=8,
            frameon=False,
        )
        leg._legend_box.align = "left"
    from ..models import get_model

    note = calibration_note(*(get_model(m).params(params.get(m)) for m in models))
    fig.suptitle(
        f"Welfare against a permanent tariff on good 2 (every stable equilibrium)\n{note}",
        fontsize=10.5,
    )
    return fig
