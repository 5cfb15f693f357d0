"""South's equilibria at world prices set by North (``docs/models.md`` §2–§3), with certificates.

The public entry point is :func:`solve`. North's own equilibria (footnote 13) are found by
the same regime enumeration, applied sector by sector to a closed economy whose sector j
employs :math:`\\mu_jL_N` (Cobb-Douglas), at price 1 and North's wage 1: the sector's
productivity is then the inverse of its world price, :math:`p_j^*=1/\\varphi_{jN}`.
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
import warnings
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Protocol, TypeAlias, TypeVar

from ..errors import (
    DegenerateEquilibriumWarning,
    InvalidParameterError,
    NorthPremiseWarning,
    Violation,
)
from ..params import Parameters
from ..results import ActivityLabor, Equilibrium, NorthEquilibrium, Solution, Stability
from ..tolerances import DEFAULT_TOLERANCES, ORDER_RTOL, Tolerances
from .enumeration import (
    ActivityLike,
    Checked,
    Economy,
    ExactArith,
    FloatArith,
    Regime,
    enumerate_economy,
    in_floats,
)
from .verify import certify

if TYPE_CHECKING:
    from ..models.base import Model
    from ..models.schema import ParameterSchema
    from ..results import Certificate

#: A model, its registry name (``"standard"``, ``"alternative"``, ``"dynamic"``) or its
#: :class:`~marshallian.models.schema.ParameterSchema` (validated without SymPy).
ModelLike: TypeAlias = "str | Model | ParameterSchema"


class _Listed(Protocol):
    """What :func:`in_listing_order` reads of an equilibrium."""

    @property
    def income_gap(self) -> float: ...

    @property
    def label(self) -> str: ...


_E = TypeVar("_E", bound=_Listed)
#: Validated :class:`~marshallian.params.Parameters`, a mapping of overrides, or None
#: (the model's defaults).
ParamsLike: TypeAlias = "Parameters | Mapping[str, Any] | None"
#: North's equilibrium that sets world prices: None (the paper's), an index into
#: :func:`north_equilibria`, or ``{sector: "cluster" | "backward" | "mixed"}``.
NorthChoice: TypeAlias = "int | Mapping[Any, str] | None"
#: ``verifier(labor, wage, regime, regime_name, method)``: a certificate (see :func:`certify`).
Verifier: TypeAlias = "Callable[[Sequence[Any], Any, Regime, str, str], Certificate]"


# --------------------------------------------------------------------------- inputs
def resolve_model(model: ModelLike) -> Model:
    """A :class:`~marshallian.models.base.Model` from a model or a registry name.

    Examples
    --------
    >>> from marshallian.solvers import resolve_model
    >>> resolve_model("alternative").name
    'alternative'
    """
    from ..models import get_model
    from ..models.base import Model
    from ..models.schema import ParameterSchema

    if isinstance(model, Model):
        return model
    if isinstance(model, str):
        return get_model(model)
    if isinstance(model, ParameterSchema):  # validated without SymPy: now the model
        return get_model(model.name)
    raise InvalidParameterError(Violation("model", model, "must be a Model or a model name"))


def resolve_params(model: Model, params: ParamsLike) -> Parameters:
    """Validated :class:`Parameters` of ``model`` from None, a mapping or Parameters.

    Examples
    --------
    >>> from marshallian.solvers import resolve_model, resolve_params
    >>> resolve_params(resolve_model("alternative"), {"lam_2S": 0.9}).lam_2S
    0.9
    """
    if isinstance(params, Parameters):
        if params.model != model.name:
            raise InvalidParameterError(
                Violation("params", params.model, f"are for another model than '{model.name}'")
            )
        return params
    if params is None:
        return model.params()
    if not hasattr(params, "items"):
        raise InvalidParameterError(
            Violation("params", type(params).__name__, "must be a mapping of name: number")
        )
    return model.params(params)


def _arith(exact: bool, tol: Tolerances, labor_scale: Any) -> FloatArith:
    return ExactArith() if exact else FloatArith(tol, labor_scale)


def economy(
    model: Model,
    structure: Any,
    prices: Mapping[int, Any],
    sectors: Sequence[int] | None = None,
    country: str = "S",
    labor: Any = None,
) -> Economy:
    """The :class:`Economy` of one country (or of some of its sectors) at given prices."""
    sectors = tuple(model.sectors if sectors is None else sectors)
    pos = {j: i for i, j in enumerate(sectors)}
    idx = [k for k, a in enumerate(model.activities) if a.sector in pos]
    sidx = [model.sectors.index(j) for j in sectors]
    learner = []
    for j in sectors:
        lk = model.learning_activity(j)
        learner.append(idx.index(lk) if (lk is not None and country == "S") else -1)
    lam = structure.lam_S if country == "S" else structure.lam_N
    # 1 and 0 in the structure's number type (float, exact rational or SymPy expression)
    one, zero = (structure.L_S * 0 + 1, structure.L_S * 0)
    return Economy(
        sector_of=tuple(pos[model.activities[k].sector] for k in idx),
        level=tuple(structure.level[k] for k in idx),
        slope=tuple(structure.slope[k] for k in idx),
        cap=tuple(structure.cap[k] for k in idx),
        learner=tuple(learner),
        price=tuple(prices[j] for j in sectors),
        lam=tuple(lam[i] for i in sidx),
        sigma0=tuple(structure.sigma0[i] if country == "S" else one for i in sidx),
        sigma1=tuple(structure.sigma1[i] if country == "S" else zero for i in sidx),
        labor=structure.L_S if labor is None else labor,
    )


# --------------------------------------------------------------------------- North
def north_equilibria(
    model: ModelLike,
    params: ParamsLike = None,
    *,
    exact: bool = False,
    tol: Tolerances | None = None,
) -> tuple[NorthEquilibrium, ...]:
    """Every closed-economy equilibrium of North (footnote 13), stable or not.

    Theory (§2–§3): North is a closed economy whose equilibrium sets the world prices South
    faces.

    Each sector j employs :math:`\\mu_jL_N` and can be backward, clustered or mixed
    (unstable, modern labor :math:`(1-\\beta)/\\alpha`); an equilibrium is one choice per
    sector. With two sectors that can both cluster there are four stable ones (claim A1).

    Returns
    -------
    tuple of NorthEquilibrium
        Stable ones first, then by descending productivity.

    Examples
    --------
    >>> from marshallian.solvers import north_equilibria
    >>> norths = north_equilibria("alternative")
    >>> len(norths), sum(n.stable for n in norths)   # four stable ones (claim A1)
    (9, 4)
    >>> norths[0].configuration
    {1: 'cluster', 2: 'cluster'}
    """
    model = resolve_model(model)
    params = resolve_params(model, params)
    tol = tol or DEFAULT_TOLERANCES
    st = model.exact_structure(params) if exact else model.structure(params)
    per_sector = []
    for i, j in enumerate(model.sectors):
        labor = st.mu[i] * st.L_N
        econ = economy(model, st, {j: 1}, sectors=(j,), country="N", labor=labor)
        arith = _arith(exact, tol, labor)
        options = []
        rises = tuple(econ.has_slope(k) for k in range(econ.n_activities))
        acts = [a for a in model.activities if a.sector == j]
        for c in enumerate_economy(econ, arith):
            cand = c.candidate
            options.append(
                (
                    cand.regime.configuration(acts),
                    cand.wage,
                    {acts[i2].technology: cand.labor[i2] for i2 in cand.regime.active},
                    c.stability(rises),
                )
            )
        per_sector.append(options)
    out = []
    for combo in itertools.product(*per_sector):
        stability = Stability.least(*(c[3] for c in combo))
        out.append(
            NorthEquilibrium(
                configuration={j: c[0] for j, c in zip(model.sectors, combo)},
                productivity={j: c[1] for j, c in zip(model.sectors, combo)},
                labor={j: c[2] for j, c in zip(model.sectors, combo)},
                stable=stability is Stability.STABLE,
                stability=stability,
            )
        )
    out.sort(key=lambda n: (not n.stable, [-float(v) for v in n.productivity.values()]))
    return tuple(out)


def select_north(
    model: ModelLike,
    params: ParamsLike,
    north: NorthChoice = None,
    *,
    exact: bool = False,
    tol: Tolerances | None = None,
) -> NorthEquilibrium:
    """North's equilibrium that sets world prices.

    Parameters
    ----------
    north : None, int or dict
        None: the paper's choice (§2–§3): in every sector the stable configuration with the
        highest productivity (a full cluster wherever one is possible). An int: index into
        :func:`north_equilibria`. A dict: sector -> ``"cluster"``, ``"backward"`` or
        ``"mixed"``.

    Examples
    --------
    >>> from marshallian.solvers import select_north
    >>> select_north("alternative", None).productivity   # full clusters in both sectors
    {1: 2.5, 2: 3.5}
    >>> select_north("alternative", None, north={1: "backward", 2: "cluster"}).configuration
    {1: 'backward', 2: 'cluster'}
    """
    model = resolve_model(model)
    options = north_equilibria(model, params, exact=exact, tol=tol)
    if north is None:
        return options[0]
    if isinstance(north, int) and not isinstance(north, bool):
        if not 0 <= north < len(options):
            raise InvalidParameterError(
                Violation("north", north, f"must be an index in [0, {len(options) - 1}]")
            )
        return options[north]
    if isinstance(north, dict):
        bad = [
            Violation(
                f"north[{j!r}]",
                c,
                f"sector must be one of {list(model.sectors)} and "
                "configuration one of cluster, backward, mixed",
            )
            for j, c in north.items()
            if isinstance(j, bool)
            or not isinstance(j, (int, str))
            or str(j).strip() not in {str(s) for s in model.sectors}
            or c not in ("cluster", "backward", "mixed")
        ]
        if bad:
            raise InvalidParameterError(bad)
        for n in options:
            if all(n.configuration.get(int(j)) == c for j, c in north.items()):
                return n
        avail = sorted(
            {"{" + ", ".join(f"{j}={c}" for j, c in n.configuration.items()) + "}" for n in options}
        )
        raise InvalidParameterError(
            Violation(
                "north", north, "is not an equilibrium of North; available: " + "; ".join(avail)
            )
        )
    raise InvalidParameterError(Violation("north", north, "must be None, an index or a dict"))


def _north_text(model, structure, n) -> str:
    """``'1=partial cluster,2=cluster'``: a North configuration, partial clusters named."""
    parts = []
    for j in model.sectors:
        conf = n.configuration[j]
        if conf == "cluster":
            k = next(
                (k for k, a in enumerate(model.activities) if a.sector == j and a.has_externality),
                None,
            )
            if k is not None and float(n.labor[j].get(model.activities[k].technology, 0)) < float(
                structure.cap[k]
            ) * (1 - PREMISE_RTOL):
                conf = "partial cluster"
        parts.append(f"{j}={conf}")
    return ",".join(parts)


#: North's externality labor counts as reaching its cap within this relative tolerance.
PREMISE_RTOL = 1e-12


def north_premise(
    model: ModelLike,
    params: ParamsLike = None,
    north_eq: NorthEquilibrium | None = None,
    *,
    tol: Tolerances | None = None,
) -> str | None:
    """Why the paper's North (a full cluster in every sector that can have one) is not an
    equilibrium at ``params``, or None when it is.

    The paper (§2–§3) takes world prices :math:`p_j^*=1/(\\theta_j\\lambda_{jN})` from North
    with full clusters; that needs :math:`\\mu_jL_N\\ge\\bar L_j` in every such sector. The
    message names the sectors that fail, the equilibrium of North that sets prices instead
    (``north_eq``, default :func:`select_north`'s choice) and every stable equilibrium of
    North that exists.

    Examples
    --------
    >>> from marshallian.solvers import north_premise
    >>> north_premise("alternative") is None
    True
    >>> print(north_premise("alternative", {"Lbar_1": 2000.0}))  # doctest: +ELLIPSIS
    North cannot have the paper's full cluster in sector 1 (mu_1*L_N=500 < Lbar_1=2000): world...
    """
    model = resolve_model(model)
    params = resolve_params(model, params)
    st = model.structure(params)
    short = []
    for i, j in enumerate(model.sectors):
        k = next(
            (k for k, a in enumerate(model.activities) if a.sector == j and a.has_externality), None
        )
        if k is None:
            continue
        labor = float(st.mu[i]) * float(st.L_N)
        if labor < float(st.cap[k]) * (1 - PREMISE_RTOL):
            cap = "Lbar" if f"Lbar_{j}" not in params else f"Lbar_{j}"
            short.append(f"sector {j} (mu_{j}*L_N={labor:g} < {cap}={float(st.cap[k]):g})")
    if not short:
        return None
    options = north_equilibria(model, params, tol=tol)
    chosen = north_eq if north_eq is not None else options[0]
    stable = [_north_text(model, st, n) for n in options if n.stable]
    return (
        f"North cannot have the paper's full cluster in {', '.join(short)}: world prices "
        f"come from North's equilibrium {_north_text(model, st, chosen)}; North's stable "
        f"equilibria: {'; '.join(stable)} (choose one with north=/--north)"
    )


# --------------------------------------------------------------------------- South
def degeneracy_text(continuum: bool, tied: bool, weak: bool) -> str | None:
    """How an equilibrium is a knife edge: ``"continuum"``, ``"tie"`` (a tie of fixed
    pays without a continuum), ``"weak"`` (an idle activity pays exactly the wage), joined
    by ``", "``; None when it is not one (:attr:`~marshallian.results.Equilibrium.degeneracy`).

    Examples
    --------
    >>> from marshallian.solvers.equilibrium import degeneracy_text
    >>> degeneracy_text(continuum=True, tied=True, weak=True)
    'continuum, weak'
    >>> degeneracy_text(False, False, False) is None
    True
    """
    flags = (("continuum", continuum), ("tie", tied and not continuum), ("weak", weak))
    return ", ".join(x for x, on in flags if on) or None


def active_activities(
    activities: Sequence[ActivityLike], regime: Regime, labor: Sequence[Any], exact: bool = False
) -> tuple[ActivityLabor, ...]:
    """The :class:`~marshallian.results.ActivityLabor` of every activity that is active in
    ``regime`` and has labor, in model order (exact labor kept when ``exact``)."""
    return tuple(
        ActivityLabor(
            a.sector,
            a.technology,
            float(labor[k]),
            regime.activity_state(k, a.has_externality),
            labor[k] if exact else None,
        )
        for k, a in enumerate(activities)
        if regime[k] and float(labor[k]) > 0
    )


def outcome_fields(wage: Any, stability: Stability, degeneracy: str | None) -> dict[str, Any]:
    """The fields every equilibrium result shares (:class:`~marshallian.results.Equilibrium`,
    :class:`~marshallian.solvers.world.WorldEquilibrium`): the wage, the income gap
    :math:`1/w`, the stability (and ``stable``) and the degeneracy."""
    return {
        "wage": float(wage),
        "income_gap": 1.0 / float(wage),
        "stable": stability is Stability.STABLE,
        "stability": stability,
        "degenerate": degeneracy is not None,
        "degeneracy": degeneracy,
    }


def build_equilibrium(
    model: Model,
    checked: Checked,
    verifier: Verifier,
    exact: bool = False,
    stability: Stability | None = None,
) -> Equilibrium:
    """An :class:`Equilibrium` (with certificate) from a checked regime solution.

    ``verifier(labor, wage, regime, regime_name, method)`` returns a certificate; see
    :func:`marshallian.solvers.verify.certify`. ``stability`` defaults to the one rule
    (:meth:`~marshallian.solvers.enumeration.Regime.stability`) applied to the regime.
    Internal: the public face is :func:`solve_at`.
    """
    cand = checked.candidate
    acts = model.activities
    regime = cand.regime
    w = cand.wage
    degeneracy = degeneracy_text(checked.continuum, checked.tied, bool(checked.weak))
    if stability is None:
        stability = checked.stability(tuple(a.has_externality for a in acts))
    points = cand.continuum or (cand.labor,)
    certs = [verifier(p, w, regime, regime.text(acts), cand.method) for p in points]
    cert = max(certs, key=lambda c: (not c.verified, c.max_pay_residual))
    factors = {}
    if any(model.sector_factor_of(j)[1] != 0 for j in model.sectors):
        factors = {j: float(cand.sector_factor[i]) for i, j in enumerate(model.sectors)}
    return Equilibrium(
        activities=active_activities(acts, regime, cand.labor, exact),
        **outcome_fields(w, stability, degeneracy),
        clusters=regime.clusters(acts, model.sectors),
        certificate=cert,
        vertices=tuple(active_activities(acts, regime, v, exact) for v in cand.continuum),
        exact_wage=w if exact else None,
        sector_factor=factors,
    )


def solve(
    model: ModelLike,
    params: ParamsLike = None,
    *,
    north: NorthChoice = None,
    prices: Mapping[int, Any] | None = None,
    exact: bool = False,
    tol: Tolerances | None = None,
    warn: bool = True,
) -> Solution:
    """Every equilibrium of the small South (``docs/models.md`` §2; paper §2–§4 steady states).

    Parameters
    ----------
    model : str or Model
        ``"standard"`` (§2), ``"alternative"`` (§3), ``"dynamic"`` (§4 steady states) or a
        user-built :class:`~marshallian.models.base.Model` (any J, any technologies).
    params : mapping or Parameters, optional
        Overrides of the model's default calibration.
    north : None, int or dict, optional
        Which of North's equilibria sets world prices (see :func:`select_north`); default
        the paper's (full clusters wherever possible).
    prices : dict, optional
        World prices by sector, overriding North's.
    exact : bool
        Rerun the enumeration in exact rational arithmetic: ties and caps are decided
        exactly; ``exact_wage`` and ``exact_labor`` hold the exact values.
    tol : Tolerances, optional
        None (default): regimes are decided with filtered predicates, so float answers are
        exact mode's (``docs/limits.md``); certificates use
        :data:`~marshallian.tolerances.DEFAULT_TOLERANCES`. Given: regimes are decided
        within its tolerances (pays within ``pay_rtol`` tie, labor within ``labor_rtol``
        of 0 or a cap), as before filtered predicates existed.
    warn : bool
        Emit :class:`~marshallian.errors.DegenerateEquilibriumWarning` for knife edges.

    Returns
    -------
    Solution
        Every equilibrium (stable or not, interior ones included), each with its
        certificate, sorted by income gap.

    Raises
    ------
    InvalidParameterError
        For invalid parameters or choices, listing every violation.

    Examples
    --------
    The default §3 calibration of the alternative model has seven equilibria; the best
    (a full cluster in good 1) closes the income gap:

    >>> from marshallian.solvers import solve
    >>> sol = solve("alternative")
    >>> len(sol), sol.best().label, sol.best().income_gap
    (7, '1:modern', 1.0)
    """
    model = resolve_model(model)
    params = resolve_params(model, params)
    filtered = tol is None  # default: filtered predicates (exact mode's answers)
    tol = _check_tol(tol)
    north_eq = None
    notes: tuple = ()
    if prices is None:
        north_eq = select_north(model, params, north, exact=exact, tol=tol)
        st = model.exact_structure(params) if exact else model.structure(params)
        _check_north_learns_at_g(model, st, north_eq)
        prices = {j: 1 / v for j, v in north_eq.productivity.items()}
        premise = north_premise(model, params, north_eq, tol=tol) if north is None else None
        if premise is not None:
            notes = (premise,)
            if warn:
                warnings.warn(f"{model.name}: {premise}", NorthPremiseWarning, stacklevel=2)
    else:
        prices = check_prices(model, prices, exact)

    def exact_prices():  # the exact prices North's float productivities approximate
        n = select_north(model, params, north, exact=True)
        return {j: 1 / v for j, v in n.productivity.items()}

    eqs = _enumerate_at(
        model,
        params,
        prices,
        None,
        tol,
        exact,
        exact_prices if north_eq is not None else None,
        filtered=filtered,
    )
    if warn:
        for e in eqs:
            if e.degenerate:
                warnings.warn(
                    f"{model.name}: degenerate equilibrium ({e.degeneracy}): {e.label}",
                    DegenerateEquilibriumWarning,
                    stacklevel=2,
                )
    return Solution(
        model=model.name,
        params=params,
        prices={j: float(v) for j, v in prices.items()},
        equilibria=eqs,
        north=north_eq,
        exact=exact,
        tolerances=tol,
        warnings=notes,
    )


def _check_tol(tol: Tolerances | None) -> Tolerances:
    tol = tol or DEFAULT_TOLERANCES
    if not isinstance(tol, Tolerances):
        raise InvalidParameterError(Violation("tol", tol, "must be a Tolerances instance"))
    return tol


def check_prices(model: Model, prices: Mapping[int, Any], exact: bool = False) -> dict[int, Any]:
    """Validated prices ``{sector: price}`` (finite, > 0; exact numbers in exact mode)."""
    if not hasattr(prices, "get"):
        raise InvalidParameterError(
            Violation("prices", type(prices).__name__, "must be a mapping sector: price")
        )
    from ..params import coerce_number, exact_number

    bad, out = [], {}
    for j in model.sectors:
        p, ex, why = coerce_number(f"price_{j}", prices.get(j), positive=True)
        if why is not None:
            bad.append(Violation(f"price_{j}", prices.get(j), "must be a finite number > 0"))
        else:  # NumPy scalars, Decimal, Fraction accepted (a Decimal keeps its exact value)
            out[j] = ex if ex is not None else p
    if bad:
        raise InvalidParameterError(bad)
    if exact:
        return {j: exact_number(out[j]) for j in model.sectors}
    return {j: float(out[j]) for j in model.sectors}


def check_pay_factors(
    model: Model, pay_factors: Sequence[float] | None
) -> tuple[float, ...] | None:
    """Validated per-activity pay factors (finite, > 0), or None when all are 1."""
    if pay_factors is None:
        return None
    try:
        f = tuple(pay_factors)
    except TypeError:
        raise InvalidParameterError(
            Violation("pay_factors", pay_factors, "must be a sequence, one factor per activity")
        ) from None
    if len(f) != len(model.activities):
        raise InvalidParameterError(
            Violation(
                "pay_factors",
                len(f),
                f"must have one factor per activity ({len(model.activities)})",
            )
        )
    bad = [
        Violation(f"pay_factor_{a.label}", x, "must be a finite number > 0")
        for x, a in zip(f, model.activities)
        if isinstance(x, bool) or not isinstance(x, (int, float)) or not 0 < x < float("inf")
    ]
    if bad:
        raise InvalidParameterError(bad)
    return None if all(x == 1 for x in f) else tuple(float(x) for x in f)


def solve_at(
    model: ModelLike,
    params: ParamsLike,
    prices: Mapping[int, Any],
    pay_factors: Sequence[float] | None = None,
    *,
    tol: Tolerances | None = None,
    exact: bool = False,
    filtered: bool = False,
) -> tuple[Equilibrium, ...]:
    """Every equilibrium of South at given prices, each with its certificate.

    The engine's public face (used by :func:`solve`, the policy layer and sweeps): the
    regime enumeration of :mod:`~marshallian.solvers.enumeration` at the producer prices
    ``prices``, every answer re-checked by :func:`~marshallian.solvers.verify.certify` and
    classified by the one stability rule
    (:meth:`Regime.stability <marshallian.solvers.enumeration.Regime.stability>`).

    Parameters
    ----------
    model : str or Model
    params : mapping or Parameters
    prices : dict
        Producer prices by sector (North's wage is 1).
    pay_factors : sequence of float, optional
        Per activity of ``model``, a factor on its pay (a production subsidy :math:`s_k`
        gives :math:`1+s_k`). Scaling an activity's level and slope scales its pay and
        leaves its labor-productivity map unchanged, so the same enumeration applies.
    tol : Tolerances, optional
    exact : bool
        Exact rational arithmetic (not with ``pay_factors``).
    filtered : bool
        Decide knife edges as exact mode does, reading ``prices`` as the decimals they
        print as (filtered predicates, ``docs/limits.md``). Default False: prices given
        here are usually computed (world equilibria, distorted prices) and only
        approximate exact ones, so knife edges are decided within the tolerances.

    Returns
    -------
    tuple of Equilibrium
        Sorted by income gap (then label); no warnings are emitted.

    Examples
    --------
    >>> from marshallian.solvers import solve_at
    >>> eqs = solve_at("standard", None, {1: 1.0, 2: 0.5})
    >>> [(e.label, e.stability.value) for e in eqs]   # doctest: +NORMALIZE_WHITESPACE
    [('2:standard', 'stable'), ('1:standard', 'stable'),
     ('1:standard + 2:standard[rising]', 'unstable')]
    """
    model = resolve_model(model)
    params = resolve_params(model, params)
    tol = _check_tol(tol)
    prices = check_prices(model, prices, exact)
    factors = check_pay_factors(model, pay_factors)
    if exact and factors is not None:
        raise InvalidParameterError(
            Violation("pay_factors", pay_factors, "are supported in float arithmetic only")
        )
    # prices here are usually computed (world equilibria, distorted prices): knife edges
    # are decided within the tolerances, as before; solve() decides them exactly
    return _enumerate_at(model, params, prices, factors, tol, exact, filtered=filtered)


def _enumerate_at(
    model, params, prices, factors, tol, exact, exact_prices=None, *, filtered=True
) -> tuple:
    """Certified equilibria at ``prices``; floats use filtered predicates (exact mode's
    answers, see :func:`_enumerate_filtered`) unless ``filtered`` is False (a caller gave
    its own ``tol``: decisions within its tolerances, e.g. to mirror another float
    implementation); ``exact_prices()`` gives the exact prices the float ones approximate
    (default: the decimals they print as)."""
    if exact or not filtered:
        st = model.exact_structure(params) if exact else model.structure(params)
        econ = economy(model, st, prices)
        if factors is not None:
            econ = _scaled_economy(econ, factors)
        found = enumerate_economy(econ, _arith(exact, tol, st.L_S))
    else:
        found = _enumerate_filtered(model, params, prices, factors, exact_prices)
    _check_wage_range(found)

    verifier = functools.partial(
        certify, model, params, prices, tol=tol, exact=exact, pay_factors=factors
    )
    eqs = [build_equilibrium(model, c, verifier, exact) for c in found]
    return tuple(in_listing_order(eqs))


def in_listing_order(eqs: Sequence[_E]) -> list[_E]:
    """Equilibria in the order results list them: by income gap, then by label.

    Gaps within :data:`~marshallian.tolerances.ORDER_RTOL` of each other (the same wage
    computed by two regimes' formulas) count as equal, so float, exact and batch answers
    list ties alike: after sorting by ``(income_gap, label)``, odd-even transposition
    passes put every adjacent pair of near-equal gaps in label order (the rule of the
    batch engine's ``_order``).

    Examples
    --------
    >>> from types import SimpleNamespace as E
    >>> eqs = [E(income_gap=2.0, label="b"), E(income_gap=1.0 + 2e-16, label="a"),
    ...        E(income_gap=1.0, label="c")]
    >>> [e.label for e in in_listing_order(eqs)]
    ['a', 'c', 'b']
    """
    out = sorted(eqs, key=lambda e: (e.income_gap, e.label))
    for _ in range(len(out)):
        moved = False
        for parity in (0, 1):
            for c in range(parity, len(out) - 1, 2):
                a, b = out[c], out[c + 1]
                if b.income_gap <= a.income_gap * (1 + ORDER_RTOL) and b.label < a.label:
                    out[c], out[c + 1] = b, a
                    moved = True
        if not moved:
            break
    return out


def _scaled_economy(econ, factors):
    """The economy with every activity's pay multiplied by its factor."""
    return dataclasses.replace(
        econ,
        level=tuple(c * x for c, x in zip(econ.level, factors)),
        slope=tuple(a * x for a, x in zip(econ.slope, factors)),
    )


def _enumerate_filtered(model, params, prices, factors=None, exact_prices=None) -> list:
    """South's equilibria in floats with filtered predicates (see :mod:`.filtered`).

    Every regime is decided in floats when its margins exceed their rounding-error
    bounds, else exactly (exact structure, exact world prices): the answer is exact
    mode's, equilibrium for equilibrium and flag for flag.

    Only relative pays matter, so prices are first multiplied by a power of two that puts
    the largest :math:`p_j\\lambda_{jS}` near 1 (exact in binary): South/North
    productivity ratios far outside the float range (1e-180, 1e160) then cost nothing;
    wages are scaled back at the end.
    """
    import math

    from ..params import exact_number
    from .filtered import Approx, FilteredArith, Undecided, approx_price, approx_structure

    st_float = model.structure(params)
    top = max(
        abs(float(prices[j])) * abs(float(st_float.lam_S[i])) for i, j in enumerate(model.sectors)
    )
    if factors is not None:
        top *= max(abs(float(x)) for x in factors)
    shift = -math.frexp(top)[1] if 0 < top < math.inf else 0
    scale = 2.0**shift if abs(shift) < 1000 else 1.0

    def exact_pair():
        ex_st = model.exact_structure(params)
        if exact_prices is None:
            ex_prices = {j: exact_number(prices[j]) for j in model.sectors}
        else:
            ex_prices = exact_prices()
        factor = exact_number(2) ** shift if scale != 1.0 else 1
        econ = economy(model, ex_st, {j: p * factor for j, p in ex_prices.items()})
        if factors is not None:
            econ = _scaled_economy(econ, [exact_number(float(x)) for x in factors])
        return econ, ExactArith()

    try:
        st = approx_structure(model, params)
        if exact_prices is None:  # prices as given: the decimals they print as
            aprices = {j: Approx.of(prices[j]) for j in model.sectors}
        else:  # computed from North's equilibrium in floats
            aprices = {j: approx_price(prices[j]) for j in model.sectors}
        aprices = {j: Approx(p.value * scale, p.error * scale) for j, p in aprices.items()}
        econ = economy(model, st, aprices)
        if factors is not None:
            econ = _scaled_economy(econ, [approx_price(x) for x in factors])
    except Undecided:
        econ = None
    if econ is None:  # inputs outside the float range: every regime exactly
        ex_econ, ex_arith = exact_pair()
        found = [
            c.with_candidate(c.candidate, decided_exactly=True)
            for c in enumerate_economy(ex_econ, ex_arith)
        ]
    else:
        found = enumerate_economy(econ, FilteredArith(), exact_fallback=exact_pair)
    # numbers as floats (already so from the filtered enumeration), wages scaled back
    return [c.with_candidate(in_floats(c.candidate, scale)) for c in found]


#: Wages (South's, relative to North's 1) a float result can hold: 1/w is the income gap.
WAGE_RANGE = (1e-300, 1e300)


def _check_wage_range(found) -> None:
    """Refuse an answer whose wage (or income gap) is not a finite normal float."""
    lo, hi = WAGE_RANGE
    for c in found:
        w = float(c.candidate.wage)
        if not lo <= w <= hi:
            raise InvalidParameterError(
                Violation(
                    "params",
                    f"wage {w:g}",
                    f"South's wage relative to North's must lie in "
                    f"[{lo:g}, {hi:g}] to be reported in floats (only productivity ratios "
                    f"matter: rescale lam_jS against lam_jN)",
                )
            )


def _check_north_learns_at_g(model, structure, north_eq) -> None:
    """§4 steady states assume North has a full cluster (learns at g) in every sector.

    South's steady-state relative productivity :math:`a_j(m)=1-(g/\\varepsilon)(1-m/\\bar L_j)`
    solves :math:`h_S+\\varepsilon(1-a)=g`; with North learning at a lower rate in a sector
    the steady state differs (and is not affine in m when South leads), so such a choice of
    North is refused rather than answered wrongly.
    """
    learning = [j for j in model.sectors if model.sector_factor_of(j)[1] != 0]
    bad = []
    for j in learning:
        k = model.learning_activity(j)
        tech = model.activities[k].technology
        labor = north_eq.labor[j].get(tech, 0)
        if north_eq.configuration[j] != "cluster" or float(labor) < float(structure.cap[k]):
            bad.append(f"{j}={north_eq.configuration[j]}")
    if bad:
        raise InvalidParameterError(
            Violation(
                "north",
                ",".join(bad),
                "the §4 steady states assume North has a full cluster in "
                "every sector (paper §4; needs mu_j*L_N >= Lbar_j); use marshallian.solvers."
                "dynamics.integrate for other configurations",
            )
        )
