r"""A synthetic firm-year panel with known truth: an export-entry model (seed 004, §3.3).

No public firm-level export panel can ship with a package, so the package generates one
from a model whose parameters are known; the estimators are tested on it.

The model
---------
Firms :math:`f` sit in a 3-digit industry :math:`i` and a county :math:`c` nested in a
province :math:`r`; they are indigenous or foreign-invested. Log TFP follows an AR(1)
around a firm level and a common trend,

.. math:: \omega_{ft} = a_t + \mu_f + \rho(\omega_{f,t-1} - a_{t-1} - \mu_f) + \sigma u_{ft}.

A firm exports in year :math:`t` when the latent profit of exporting is positive,

.. math::
   y^*_{ft} = \beta_0 + \delta_t + \gamma_i + \kappa_c + \beta_\omega \omega_{f,t-1}
   + \beta_L \ln L_{f,t-1} + \beta_W \ln W_{f,t-1}
   - (1 - y_{f,t-1})\,(K - \phi\, n_{ci,t-1}) + e_{ft}, \qquad e_{ft}\sim N(0, 1),

where the sunk entry cost :math:`K` is paid only by last year's non-exporters and falls by
:math:`\phi` with every incumbent exporter :math:`n_{ci,t-1}` in the same county and
industry (excluding the firm itself: ``agg1_1``). The index is linear in
``export_lag`` (coefficient :math:`K`), ``entry_agg1_1`` :math:`=(1-y_{f,t-1})\,n_{ci,t-1}`
(coefficient :math:`\phi`), the lagged firm variables and year, industry and county
effects, with a standard normal error: a probit with these regressors and fixed effects
is correctly specified and recovers :math:`(K, \phi, \beta_\omega, \beta_L, \beta_W)`.
The paper's reduced form (``agg1_1`` without the interaction, province effects) is not,
which is the point of reporting both (:func:`true_margins`).

The defaults give moments near Table 1 of seed 004: an export share of about a quarter
and strong persistence (most exporters export again the next year).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from ..errors import InvalidParameterError, Violation

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

#: Structural parameters of the default generator (the truth the estimators must find).
TRUE_COEFFICIENTS = {
    "export_lag": 2.3,  # K: sunk entry cost (in units of the shock's s.d.)
    "tfp_lag": 0.08,  # beta_omega
    "ln_employment_lag": 0.12,  # beta_L
    "ln_wage_lag": 0.15,  # beta_W
    "entry_agg1_1": 0.02,  # phi: fall of the entry cost per incumbent exporter
}
#: Regressors and fixed effects of the correctly specified probit for the synthetic panel.
CORRECT_X = tuple(TRUE_COEFFICIENTS)
CORRECT_FE = ("year", "industry", "county")


@dataclass(frozen=True)
class SyntheticPanel:
    """A generated panel and the truth behind it.

    Attributes
    ----------
    panel : pandas.DataFrame
        The firm-year panel (the columns of :data:`marshallian.empirics.REQUIRED_COLUMNS`
        plus ``coastal`` and ``hightech``, 0/1).
    coefficients : dict
        The true index coefficients of :data:`CORRECT_X`.
    intercept : float
        The index's constant :math:`\\beta_0 - K`.
    effects : dict
        True fixed effects: ``{"year": {2001: ...}, "industry": {...}, "county": {...}}``.
    agg1_1 : numpy.ndarray
        The generator's own count of incumbent exporters in the firm's county and industry
        (year t-1, the firm excluded), aligned with ``panel`` (NaN in a firm's first year):
        an independent reference for :func:`marshallian.empirics.build_regressors`.
    seed : int
    settings : dict

    Examples
    --------
    >>> from marshallian.empirics import simulate_panel
    >>> sim = simulate_panel(firms=500, seed=0)
    >>> sim.coefficients["export_lag"], sim.intercept, len(sim.panel)   # 500 firms, 8 years
    (2.3, -3.25, 4000)
    """

    panel: pd.DataFrame
    coefficients: dict
    intercept: float
    effects: dict
    agg1_1: np.ndarray = field(repr=False)
    seed: int = 0
    settings: dict = field(default_factory=dict)

    @property
    def correct_x(self) -> tuple:
        return CORRECT_X

    @property
    def correct_fe(self) -> tuple:
        return CORRECT_FE

    def __str__(self) -> str:
        p = self.panel
        share = float((p["exports"] > 0).mean())
        return (
            f"SyntheticPanel: {len(p):,} firm-years, {p['firm'].nunique():,} firms, "
            f"years {p['year'].min()}-{p['year'].max()}, export share {share:.3f}, "
            f"seed {self.seed}"
        )


def _whole_workers(ln_emp: np.ndarray) -> np.ndarray:
    """Log employment of a whole number (>= 1) of workers: the recorded value is the one
    the index uses, so the probit sees exactly the model's regressor."""
    return np.log(np.maximum(1.0, np.round(np.exp(ln_emp))))


def _check_settings(
    firms, first_year, years, provinces, counties, industries, exit_rate, burn_in
) -> None:
    bad = []

    def need(name, value, ok, rule):
        if not ok:
            bad.append(Violation(name, value, rule))

    def is_int(v):
        return isinstance(v, (int, np.integer)) and not isinstance(v, bool)

    need("firms", firms, is_int(firms) and firms >= 10, "must be an integer >= 10")
    need("first_year", first_year, is_int(first_year), "must be an integer")
    need("years", years, is_int(years) and 2 <= years <= 200, "must be an integer in [2, 200]")
    need("provinces", provinces, is_int(provinces) and provinces >= 1, "must be an integer >= 1")
    need(
        "counties",
        counties,
        is_int(counties) and is_int(provinces) and counties >= max(provinces, 1),
        "must be an integer >= provinces",
    )
    need(
        "industries", industries, is_int(industries) and industries >= 2, "must be an integer >= 2"
    )
    need(
        "exit_rate",
        exit_rate,
        isinstance(exit_rate, (int, float)) and 0 <= exit_rate < 1,
        "must be a number in [0, 1)",
    )
    need(
        "burn_in", burn_in, is_int(burn_in) and 0 <= burn_in <= 50, "must be an integer in [0, 50]"
    )
    if bad:
        raise InvalidParameterError(bad)


def simulate_panel(
    firms: int = 20_000,
    *,
    seed: int = 0,
    first_year: int = 2000,
    years: int = 8,
    provinces: int = 31,
    counties: int = 714,
    industries: int = 170,
    exit_rate: float = 0.05,
    burn_in: int = 5,
    coefficients: dict | None = None,
) -> SyntheticPanel:
    """Generate a firm-year panel from the export-entry model (module docstring).

    Vectorised over firms, one step per year; seeded (same arguments, same panel).

    Parameters
    ----------
    firms : int
        Firms alive each year (exiting firms are replaced by entrants). The panel has
        ``firms * years`` rows; about ``firms * (years - 1) * (1 - exit_rate)`` have a
        previous year (the estimation sample).
    seed : int
    first_year, years : int
        The recorded years (``burn_in`` earlier years are simulated and not recorded).
    provinces, counties, industries : int
        Geography (counties nested in provinces) and 3-digit industries.
    exit_rate : float
        Yearly exit probability.
    coefficients : dict, optional
        Override entries of :data:`TRUE_COEFFICIENTS`.

    Returns
    -------
    SyntheticPanel

    Examples
    --------
    >>> sim = simulate_panel(firms=2000, seed=3)
    >>> len(sim.panel)
    16000
    >>> bool(0.15 < (sim.panel["exports"] > 0).mean() < 0.4)
    True
    """
    import pandas as pd

    _check_settings(firms, first_year, years, provinces, counties, industries, exit_rate, burn_in)
    coef = dict(TRUE_COEFFICIENTS)
    if coefficients:
        unknown = [k for k in coefficients if k not in coef]
        if unknown:
            raise InvalidParameterError(
                Violation(
                    unknown[0],
                    coefficients[unknown[0]],
                    f"unknown coefficient (known: {', '.join(coef)})",
                )
            )
        coef.update({k: float(v) for k, v in coefficients.items()})
    rng = np.random.default_rng(seed)
    R, C, Ind = provinces, counties, industries

    # geography: counties in provinces (each province at least one), skewed sizes
    county_province = np.concatenate([np.arange(R), rng.integers(0, R, C - R)])
    rng.shuffle(county_province)
    coastal_province = np.zeros(R, dtype=bool)
    coastal_province[rng.permutation(R)[: max(1, round(0.4 * R))]] = True
    county_size = rng.lognormal(0.0, 1.0, C)
    county_size *= np.where(coastal_province[county_province], 2.5, 1.0)
    industry_size = rng.lognormal(0.0, 0.8, Ind)
    hightech_industry = rng.random(Ind) < 0.15
    # industry-specific clusters: affinity of each industry for each county
    affinity = np.exp(1.2 * rng.standard_normal((C, Ind)))
    cell_weight = (county_size[:, None] * industry_size[None, :] * affinity).ravel()
    cell_weight /= cell_weight.sum()
    cell_cdf = np.cumsum(cell_weight)

    # true fixed effects (the index's), centred
    year_list = np.arange(first_year - burn_in, first_year + years)
    T = len(year_list)
    year_effect = np.linspace(0.05, -0.2, T)
    industry_effect = 0.3 * rng.standard_normal(Ind)
    industry_effect -= industry_effect.mean()
    county_effect = 0.3 * rng.standard_normal(C)
    county_effect -= county_effect.mean()
    tfp_trend = np.linspace(2.4, 3.6, T)
    rho, sigma = 0.7, 0.6
    intercept = -0.95 - coef["export_lag"]  # beta_0 - K: tuned for an export share ~ 1/4

    def draw_cells(n):
        cells = np.searchsorted(cell_cdf, rng.random(n) * cell_cdf[-1], side="right")
        cells = np.minimum(cells, C * Ind - 1)
        return cells // Ind, cells % Ind

    def new_firms(n):
        cty, ind = draw_cells(n)
        coastal = coastal_province[county_province[cty]]
        foreign = rng.random(n) < np.where(coastal, 0.3, 0.08)
        mu = 0.9 * rng.standard_normal(n) + 0.3 * foreign
        size = 4.6 + 0.6 * rng.standard_normal(n) + 0.3 * foreign
        wage_level = 6.6 + 0.5 * rng.standard_normal(n) + 0.2 * foreign
        return cty, ind, foreign, mu, size, wage_level

    n = int(firms)
    firm_id = np.arange(n, dtype=np.int64)
    next_id = n
    cty, ind, foreign, mu, size, wage_level = new_firms(n)
    tfp = tfp_trend[0] + mu + sigma / np.sqrt(1 - rho**2) * rng.standard_normal(n)
    ln_emp = _whole_workers(size + 0.25 * mu + 0.3 * rng.standard_normal(n))
    ln_wage = wage_level + 0.2 * mu + 0.3 * rng.standard_normal(n)
    exporter = np.zeros(n, dtype=bool)
    has_lag = np.zeros(n, dtype=bool)  # alive last year (a continuing firm)
    prev_counts: np.ndarray = np.zeros(C * Ind)

    records = []
    for t in range(T):
        # last year's values (for entrants this year: their current draws, unused later)
        tfp_lag, emp_lag, wage_lag, y_lag = (
            tfp.copy(),
            ln_emp.copy(),
            ln_wage.copy(),
            exporter.copy(),
        )
        # incumbents' counts of last year's exporters in the firm's county x industry,
        # minus the firm itself when it exported last year
        agg = prev_counts[cty * Ind + ind] - (y_lag & has_lag)
        # this year's firm variables
        shock = rng.standard_normal(n)
        tfp = np.where(
            has_lag,
            tfp_trend[t] + mu + rho * (tfp_lag - tfp_trend[max(t - 1, 0)] - mu) + sigma * shock,
            tfp,
        )
        ln_emp = np.where(
            has_lag,
            0.8 * ln_emp
            + 0.2 * (size + 0.25 * mu)
            + 0.05 * (tfp - tfp_trend[t] - mu)
            + 0.15 * rng.standard_normal(n),
            ln_emp,
        )
        ln_emp = _whole_workers(ln_emp)
        ln_wage = np.where(
            has_lag,
            0.7 * ln_wage + 0.3 * (wage_level + 0.2 * mu) + 0.02 * t + 0.2 * rng.standard_normal(n),
            ln_wage,
        )
        entrant_lag = np.where(has_lag, y_lag, False)
        index = (
            intercept
            + year_effect[t]
            + industry_effect[ind]
            + county_effect[cty]
            + coef["tfp_lag"] * tfp_lag
            + coef["ln_employment_lag"] * emp_lag
            + coef["ln_wage_lag"] * wage_lag
            + coef["export_lag"] * entrant_lag
            + coef["entry_agg1_1"] * (1 - entrant_lag) * agg
        )
        exporter = index + rng.standard_normal(n) > 0
        year = year_list[t]
        if year >= first_year:
            records.append(
                (
                    year,
                    firm_id.copy(),
                    cty.copy(),
                    ind.copy(),
                    foreign.copy(),
                    tfp.copy(),
                    ln_emp.copy(),
                    ln_wage.copy(),
                    exporter.copy(),
                    np.where(has_lag, agg, np.nan),
                )
            )
        prev_counts = np.bincount(cty * Ind + ind, weights=exporter, minlength=C * Ind)
        # exits, replaced by entrants (new ids, new places)
        has_lag = np.ones(n, dtype=bool)
        leave = rng.random(n) < exit_rate
        k = int(leave.sum())
        if k:
            firm_id[leave] = np.arange(next_id, next_id + k)
            next_id += k
            c2, i2, f2, m2, s2, w2 = new_firms(k)
            cty[leave], ind[leave], foreign[leave] = c2, i2, f2
            mu[leave], size[leave], wage_level[leave] = m2, s2, w2
            tfp[leave] = tfp_trend[min(t + 1, T - 1)] + m2 + sigma * rng.standard_normal(k)
            ln_emp[leave] = _whole_workers(s2 + 0.25 * m2 + 0.3 * rng.standard_normal(k))
            ln_wage[leave] = w2 + 0.2 * m2 + 0.3 * rng.standard_normal(k)
            exporter[leave] = False
            has_lag[leave] = False

    cols = list(zip(*records))
    year = np.concatenate([np.full(len(r[1]), r[0]) for r in records])
    firm = np.concatenate(cols[1])
    cty_all = np.concatenate(cols[2])
    ind_all = np.concatenate(cols[3])
    foreign_all = np.concatenate(cols[4])
    tfp_all = np.concatenate(cols[5])
    emp_all = np.concatenate(cols[6])
    wage_all = np.concatenate(cols[7])
    exp_all = np.concatenate(cols[8])
    agg_all = np.concatenate(cols[9])
    m = len(year)
    output = np.exp(1.0 + 0.5 * tfp_all + 0.9 * emp_all + 0.2 * rng.standard_normal(m))
    export_share = rng.beta(2.0, 3.0, m)
    exports = np.where(exp_all, output * export_share, 0.0)
    industry_code = 131 + np.arange(Ind)  # 3-digit labels
    frame = pd.DataFrame(
        {
            "firm": firm,
            "year": year.astype(np.int64),
            "industry": industry_code[ind_all],
            "county": cty_all + 1,
            "province": county_province[cty_all] + 1,
            "output": output,
            "exports": exports,
            "tfp": tfp_all,
            "employment": np.round(np.exp(emp_all)),
            "wage": np.exp(wage_all),
            "ownership": pd.Categorical.from_codes(
                foreign_all.astype(np.int8), ["indigenous", "foreign"]
            ),
            "coastal": coastal_province[county_province[cty_all]].astype(np.int8),
            "hightech": hightech_industry[ind_all].astype(np.int8),
        }
    )
    order = np.lexsort((frame["year"].to_numpy(), frame["firm"].to_numpy()))
    frame = frame.iloc[order].reset_index(drop=True)
    agg_sorted = agg_all[order]
    effects = {
        "year": {int(y): float(e) for y, e in zip(year_list, year_effect) if y >= first_year},
        "industry": {int(industry_code[i]): float(industry_effect[i]) for i in range(Ind)},
        "county": {int(c + 1): float(county_effect[c]) for c in range(C)},
    }
    settings = {
        "firms": firms,
        "first_year": first_year,
        "years": years,
        "provinces": provinces,
        "counties": counties,
        "industries": industries,
        "exit_rate": exit_rate,
        "burn_in": burn_in,
        "rho": rho,
        "sigma": sigma,
    }
    return SyntheticPanel(
        panel=frame,
        coefficients=coef,
        intercept=float(intercept),
        effects=effects,
        agg1_1=agg_sorted,
        seed=int(seed),
        settings=settings,
    )


def true_margins(sim: SyntheticPanel, result: Any) -> pd.DataFrame:
    r"""The structural model's marginal effects beside a fitted probit's.

    For every regressor of ``result`` (any specification, e.g. the paper's reduced form
    with ``agg1_1`` and no interaction), the true derivative of
    :math:`P(y_{ft}=1)=\Phi(\eta^{\rm true}_{ft})` with respect to it:
    ``export_lag`` moves the index by :math:`K-\phi\,\mathrm{agg1\_1}`, ``agg1_1`` by
    :math:`\phi\,(1-\mathrm{export\_lag})`, the lagged firm variables by their
    coefficients, and every other regressor (``agg1_2``, ``agg2_*``, ``agg3_*``) by 0.

    Returns
    -------
    pandas.DataFrame
        ``regressor``, ``true_me`` (at the sample means of the structural regressors and
        fixed effects, as the estimate's), ``estimated_me`` with ``estimated_me_se``,
        ``true_ame`` (average over the firm-years with a previous year) and
        ``estimated_ame`` with ``estimated_ame_se``.

    Examples
    --------
    >>> from marshallian.empirics import probit, simulate_panel, true_margins
    >>> sim = simulate_panel(firms=1000, seed=0)
    >>> res = probit(sim, ["export_lag", "tfp_lag"], ["year"])
    >>> true_margins(sim, res)["regressor"].tolist()
    ['export_lag', 'tfp_lag']
    """
    import pandas as pd

    from .regressors import build_regressors

    reg = build_regressors(sim, [*CORRECT_X, "agg1_1"])
    ok = reg["has_lag"].to_numpy()
    panel = sim.panel
    b = sim.coefficients
    xs = {v: reg[v].to_numpy()[ok] for v in CORRECT_X}
    eta = sim.intercept + sum(b[v] * xs[v] for v in CORRECT_X)
    for g in CORRECT_FE:
        eff = sim.effects[g]
        eta = eta + panel[g].map(eff).to_numpy(dtype=float)[ok]
    phi = np.exp(-0.5 * eta**2) / np.sqrt(2 * np.pi)
    eta_bar = float(eta.mean())
    phi_bar = float(np.exp(-0.5 * eta_bar**2) / np.sqrt(2 * np.pi))
    lag, agg = xs["export_lag"], reg["agg1_1"].to_numpy()[ok]
    slope = {
        "export_lag": b["export_lag"] - b["entry_agg1_1"] * agg,
        "agg1_1": b["entry_agg1_1"] * (1 - lag),
        "entry_agg1_1": np.full(len(eta), b["entry_agg1_1"]),
    }
    for v in ("tfp_lag", "ln_employment_lag", "ln_wage_lag"):
        slope[v] = np.full(len(eta), b[v])
    rows = []
    for v in result.x:
        s = slope.get(v, np.zeros(len(eta)))
        rows.append(
            {
                "regressor": v,
                "true_me": phi_bar * float(s.mean()),
                "estimated_me": result.me[v],
                "estimated_me_se": result.me_se[v],
                "true_ame": float((phi * s).mean()),
                "estimated_ame": result.ame[v],
                "estimated_ame_se": result.ame_se[v],
            }
        )
    return pd.DataFrame(rows)
