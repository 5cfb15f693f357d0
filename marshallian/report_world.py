"""The report's two-country section: the world equilibria at the report's calibration.

:func:`collect_world` computes (``solve_world`` for the §2 and §3 models at the
calibration of the report's own solutions, and footnote 10's example) and
:func:`world_md` renders Markdown; the report's section ``world`` calls both
(``marshallian/report.py``).
"""

from __future__ import annotations

import warnings

#: Models of the section and their titles.
WORLD_MODELS = {"standard": "§2 standard model", "alternative": "§3 alternative model"}
#: Footnote 10's example: lambda = 1, equal sizes, mu_2/mu_1 = 1.5 < theta = 2.
FOOTNOTE10 = {
    "lam_1S": 1.0,
    "lam_2S": 1.0,
    "lam_1N": 1.0,
    "lam_2N": 1.0,
    "alpha": 0.01,
    "Lbar": 100.0,
    "L_S": 1000.0,
    "L_N": 1000.0,
    "mu_1": 0.4,
    "mu_2": 0.6,
}


def world_json(data: dict) -> dict:
    """The section's ``results.json`` entry: every world solution as its JSON document."""
    return {k: sol.to_dict() for k, sol in data["solutions"].items()}


def collect_world(solutions=None) -> dict:
    """World solutions keyed ``standard``, ``alternative`` and ``footnote10``.

    ``solutions`` (the report's small-South ones) give the calibration; default ones
    otherwise.
    """
    from .errors import DegenerateEquilibriumWarning
    from .solvers.world import solve_world

    out = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegenerateEquilibriumWarning)
        for m in WORLD_MODELS:
            params = solutions[m].params if solutions and m in solutions else None
            out[m] = solve_world(m, params, warn=False)
        out["footnote10"] = solve_world("standard", FOOTNOTE10, warn=False)
    return {"solutions": out}


def _acts(acts) -> str:
    return (
        ", ".join(
            f"{a.sector}:{a.technology} = {a.labor:.4g}" + ("↑" if a.state == "rising" else "")
            for a in acts
        )
        or "—"
    )


def _table(sol, stable_only: bool) -> list:
    rows = [e for e in sol if e.stable or not stable_only]
    lines = [
        (
            "| # | South (labor) | North (labor) | wage $w_S/w_N$ | income gap | prices | "
            "stability | certificate |"
        ),
        "|---:|---|---|---:|---:|---|---|---|",
    ]
    for i, e in enumerate(rows, 1):
        prices = ", ".join(f"{v:.4g}" for v in e.prices.values())
        c = e.certificate
        resid = max(abs(c.max_pay_residual), c.labor_residual, c.market_residual)
        cert = ("verified" if c.verified else "**NOT verified**") + f" ({resid:.1e})"
        note = e.stability + (f" ({e.degeneracy})" if e.degeneracy else "")
        lines.append(
            f"| {i} | {_acts(e.activities)} | {_acts(e.north_activities)} | "
            f"{e.wage:.6g} | {e.income_gap:.6g} | {prices} | {note} | {cert} |"
        )
    return lines


def world_md(data: dict) -> list:
    """Markdown lines of the section (its heading is the report's)."""
    sols = data["solutions"]
    lines = [
        (
            "South is no longer small: prices and the relative wage are solved for, goods "
            "markets clear under Cobb–Douglas demand (`marshallian solve MODEL --world`). "
            "Every world equilibrium is found by regime enumeration in both countries "
            "(each regime reduced to one polynomial equation in the wage, every root "
            "bracketed) and re-verified independently (pays, entry, labor, goods markets)."
        ),
        "",
    ]
    for m, title in WORLD_MODELS.items():
        sol = sols[m]
        full = sum(1 for e in sol if e.north_full_clusters)
        lines += [
            (
                f"**{title}** at the calibration above: {len(sol)} world equilibria, "
                f"{len(sol.stable)} stable, {full} with North's full clusters in every "
                "sector (those are the small-South equilibria once L_S/L_N is small: "
                "claim W2). The stable ones:"
            ),
            "",
        ]
        lines += _table(sol, stable_only=True) + [""]
    fn = sols["footnote10"]
    lines += [
        (
            "**Footnote 10** (λ = 1, L_S = L_N, μ₂/μ₁ = 1.5 < θ = 2): every world "
            "equilibrium. The country that captures the clustered good 2 earns μ₂/μ₁ = 1.5 "
            "times the other's wage (claim W1); λ = 1 is a knife edge, so both countries "
            "in both goods is a continuum (reported with its end points)."
        ),
        "",
    ]
    lines += _table(fn, stable_only=False) + [""]
    return lines
