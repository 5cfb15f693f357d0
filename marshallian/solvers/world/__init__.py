r"""A large South: every equilibrium of the two-country world (``models.md`` §7.1).

:func:`solve_world` enumerates every equilibrium of the §2 and §3 models (and of any
static model declaration: J goods, several technologies per sector) when South is no
longer small: prices and the relative wage :math:`w=w_S/w_N` are endogenous, goods
markets clear under identical Cobb–Douglas preferences (shares :math:`\mu_j`).
How completeness is guaranteed is stated in :mod:`marshallian.solvers.world.enumeration`;
every reported equilibrium is re-verified independently
(:mod:`marshallian.solvers.world.certificate`).

Example
-------
Footnote 10 of the paper: no Ricardian differences, equal sizes, :math:`1<\mu_2/\mu_1<\theta`.
The country that captures the clustered good earns :math:`\mu_2/\mu_1` times the other's wage:

>>> from marshallian.solvers.world import solve_world
>>> sol = solve_world("standard", {"lam_2S": 1.0, "L_S": 1000.0, "L_N": 1000.0,
...                                "mu_1": 0.4, "mu_2": 0.6}, warn=False)
>>> [round(e.wage, 6) for e in sol.stable]
[1.5, 0.666667]
>>> [e.degeneracy for e in sol if e.degenerate]      # lambda = 1 is a knife edge
['continuum', 'weak', 'weak']
"""

from __future__ import annotations

import functools
import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ...errors import DegenerateEquilibriumWarning, InvalidParameterError, Violation
from ...results import Stability
from ..enumeration import FIXED, IDLE, ExactArith, FloatArith, Regime
from ..equilibrium import (
    _check_tol,
    active_activities,
    degeneracy_text,
    in_listing_order,
    outcome_fields,
    resolve_model,
    resolve_params,
)
from .certificate import as_country, certify_world
from .enumeration import WorldData
from .limit import SmallSouthLimit, small_south_limit
from .result import WorldCertificate, WorldEquilibrium, WorldSolution

if TYPE_CHECKING:
    from ...models.base import Model
    from ...tolerances import Tolerances
    from ..equilibrium import ModelLike, ParamsLike

__all__ = [
    "SmallSouthLimit",
    "WorldCertificate",
    "WorldEquilibrium",
    "WorldSolution",
    "check_world_model",
    "small_south_limit",
    "solve_world",
]


def check_world_model(model: Model) -> None:
    """Refuse models the world solver does not cover (a country-specific sector factor).

    Raises
    ------
    InvalidParameterError
        For the §4 model (its steady states assume North learns at g in every sector and
        South's relative productivity is not a property of the activity).

    Examples
    --------
    >>> import marshallian as m
    >>> from marshallian.solvers.world import check_world_model
    >>> check_world_model(m.get_model("alternative"))      # covered: returns None
    >>> check_world_model(m.get_model("dynamic"))
    Traceback (most recent call last):
    ...
    marshallian.errors.InvalidParameterError: MODEL='dynamic': ...
    """
    if any(
        model.sector_factor_of(j)[1] != 0 or model.sector_factor_of(j)[0] != 1
        for j in model.sectors
    ):
        raise InvalidParameterError(
            Violation(
                "MODEL",
                model.name,
                "the two-country equilibrium (--world) is defined for the "
                "static models (standard, alternative); §4's steady states assume North learns at g",
            )
        )
    missing = [j for j in model.sectors if model.mu.get(j) is None]
    if missing:
        raise InvalidParameterError(
            Violation(
                "MODEL", model.name, f"needs Cobb-Douglas shares mu_j (missing for {missing})"
            )
        )


@dataclass(frozen=True, eq=False)
class _Layout:
    """What result building needs to know about the model's activities (computed once)."""

    sector: tuple
    externality: tuple
    sectors: tuple

    @classmethod
    @functools.lru_cache(maxsize=32)
    def of(cls, model) -> _Layout:
        acts = model.activities
        return cls(
            tuple(a.sector for a in acts),
            tuple(bool(a.has_externality) for a in acts),
            tuple(model.sectors),
        )

    @functools.cached_property
    def sector_acts(self) -> tuple:
        """Per sector: its activities and those with an externality."""
        return tuple(
            (
                tuple(k for k, j2 in enumerate(self.sector) if j2 == j),
                tuple(k for k, j2 in enumerate(self.sector) if j2 == j and self.externality[k]),
            )
            for j in self.sectors
        )

    def full_clusters(self, states, labor) -> bool:
        """North produces every good, with a capped externality activity wherever the
        sector has one."""
        for ks, ext in self.sector_acts:
            if not any(states[k] != IDLE and labor[k] > 0 for k in ks):
                return False
            if ext and not any(states[k] == FIXED for k in ext):
                return False
        return True


def solve_world(
    model: ModelLike,
    params: ParamsLike = None,
    *,
    exact: bool = False,
    tol: Tolerances | None = None,
    warn: bool = True,
) -> WorldSolution:
    """Every equilibrium of the two-country world, each with its certificate.

    Parameters
    ----------
    model : str or Model
        ``"standard"`` (§2), ``"alternative"`` (§3) or a static
        :class:`~marshallian.models.base.Model` (any J, any technologies per sector).
    params : mapping or Parameters, optional
        Overrides of the default calibration; ``L_S``, ``L_N`` and the shares ``mu_j``
        (which must sum to 1) matter here.
    exact : bool
        Exact rational arithmetic (roots as rationals, surds or ``CRootOf``).
    tol : Tolerances, optional
    warn : bool
        Emit :class:`~marshallian.errors.DegenerateEquilibriumWarning` for knife edges.

    Returns
    -------
    WorldSolution
        Every equilibrium (stable or not), sorted by income gap.

    Raises
    ------
    InvalidParameterError
        Invalid parameters (all violations listed), an unknown model or the §4 model.

    Examples
    --------
    Both countries' labor markets clear at common prices (§7); at the default calibration the
    world has 55 equilibria, each with its certificate:

    >>> import marshallian as m
    >>> world = m.solve_world("alternative")
    >>> len(world), len(world.stable), world.best().certificate.verified
    (55, 11, True)
    """
    model = resolve_model(model)
    params = resolve_params(model, params)
    check_world_model(model)
    tol = _check_tol(tol)
    st = model.exact_structure(params) if exact else model.structure(params)
    arith_n: FloatArith
    arith_s: FloatArith
    if exact:
        arith_n, arith_s = ExactArith(), ExactArith()
    else:
        arith_n, arith_s = FloatArith(tol, st.L_N), FloatArith(tol, st.L_S)
    data = WorldData(model, st, arith_n, arith_s)
    candidates = data.enumerate()
    north_params = as_country(model, params, "N")
    shares = tuple(float(x) for x in model.structure(params).mu)
    layout = _Layout.of(model)
    eqs = [_build(model, params, north_params, shares, layout, c, tol, exact) for c in candidates]
    eqs = in_listing_order(eqs)
    if warn:
        for e in eqs:
            if e.degenerate:
                warnings.warn(
                    f"{model.name} (world): degenerate equilibrium ({e.degeneracy}): {e.label}",
                    DegenerateEquilibriumWarning,
                    stacklevel=2,
                )
    return WorldSolution(
        model=model.name,
        params=params,
        equilibria=tuple(eqs),
        exact=exact,
        tolerances=tol,
        wage_range=tuple(float(x) for x in data.wage_bounds()),
        regimes=data.regimes_solved,
    )


def _build(model, params, north_params, shares, layout, cand, tol, exact) -> WorldEquilibrium:
    regime = cand.regime
    north_labor, south_labor = cand.labor
    prices = {j: cand.prices[i] for i, j in enumerate(model.sectors)}
    w = cand.wage
    points = cand.vertices or [cand.labor]
    certs = [
        certify_world(
            model,
            params,
            prices,
            n,
            s,
            w,
            regime,
            cand.method,
            tol,
            exact,
            north_params=north_params,
            shares=shares,
        )
        for n, s in points
    ]
    cert = max(certs, key=lambda c: (not c.verified, c.max_pay_residual, c.market_residual))
    degeneracy = degeneracy_text(bool(cand.vertices), cand.tie, bool(cand.weak))
    acts = model.activities
    north_regime, south_regime = Regime(regime[0]), Regime(regime[1])
    # the one stability rule, country by country; the world takes the least stable
    stability = Stability.least(
        *(
            r.stability(
                layout.externality,
                weak=tuple(k for cc, k in cand.weak if cc == c),
                continuum=bool(cand.vertices),
                tied=cand.tie,
            )
            for c, r in enumerate((north_regime, south_regime))
        )
    )
    return WorldEquilibrium(
        prices={j: float(v) for j, v in prices.items()},
        activities=active_activities(acts, south_regime, south_labor, exact),
        north_activities=active_activities(acts, north_regime, north_labor, exact),
        **outcome_fields(w, stability, degeneracy),
        clusters=south_regime.clusters(acts, model.sectors),
        north_clusters=north_regime.clusters(acts, model.sectors),
        certificate=cert,
        north_full_clusters=layout.full_clusters(regime[0], north_labor),
        vertices=tuple(
            (
                active_activities(acts, south_regime, s, exact),
                active_activities(acts, north_regime, n, exact),
            )
            for n, s in cand.vertices
        ),
        exact_wage=w if exact else None,
        exact_prices=dict(prices) if exact else {},
    )
