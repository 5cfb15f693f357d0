"""Policy instruments for the small South (``docs/models.md`` §5; paper §2 and §3.1).

A :class:`Policy` is either an ad-valorem **tariff** :math:`\\tau_j` on imports of one
good, or **production subsidies** (to a whole sector, or to one activity such as the
modern technology of a sector), financed by a lump-sum tax. :func:`policy_equilibria`
enumerates *every* equilibrium of South under a policy, stable or not.

Tariff (revenue rebated lump-sum). With world prices :math:`p^*` the domestic price of the
taxed good j depends on South's trade position in j:

* import: :math:`p_j=p_j^*(1+\\tau_j)`;
* self-sufficient: :math:`p_j\\in[p_j^*,p_j^*(1+\\tau_j)]` endogenous, where domestic output
  equals domestic demand;
* export: :math:`p_j=p_j^*` (an import tariff does not bind).

Let :math:`N_j` be South's labor in sector j and :math:`s_j(p)` the expenditure share of
good j. Because every active activity pays the wage, :math:`p_jQ_j=wN_j`, and with the
revenue :math:`R=\\tau_jp_j^*(D_j-Q_j)` rebated, national income is
:math:`I=V^*/(1-t\\,s_j)` with :math:`t=\\tau_j/(1+\\tau_j)` and :math:`V^*=\\sum_kp_k^*Q_k`
(import position) and :math:`I=wL_S` otherwise. Hence the positions are characterised by
labor alone: import iff :math:`N_j<s_jL_S`, export iff :math:`N_j>s_jL_S`,
self-sufficient iff :math:`N_j=s_j(p)L_S`. The first two are solved by the core
:func:`~marshallian.solvers.solve_at` at the position's domestic prices. The
self-sufficient position splits South into two blocks that share one wage: sector j with
labor :math:`n=s_jL_S` (Cobb-Douglas: :math:`n=\\mu_jL_S`, exact) and the other sectors
with :math:`L_S-n` at world prices; each block is enumerated with the core regime
enumeration, and each pair of block equilibria gives :math:`p_j=w/\\pi_j`
(:math:`\\pi_j` the block's wage at price 1), kept when it lies in the band. Under CES the
share depends on :math:`p_j`: the band is scanned (:data:`CES_SCAN_POINTS` points) and
sign changes are refined by Brent's method, so two roots closer than the scan step may be
missed (documented limitation).

Stability under a tariff: import and export positions use the core Marshallian rule at
their (fixed) domestic prices. In the self-sufficient position the price adjusts: with
Cobb-Douglas the value of sector j's output is :math:`\\mu_jI`, so the pay ratio between
sector j and the rest is :math:`\\mu_j(L_S-N_j)/((1-\\mu_j)N_j)`, falling in
:math:`N_j` whatever the externalities — the split between blocks is stable, and
stability is decided inside each block by the core rule. (Under CES the between-block
condition is not assessed; the within-block rule is reported.)

Subsidies. A subsidy :math:`s_k` to an activity multiplies its pay by :math:`1+s_k`
(producer price :math:`p_j(1+s_k)`); consumer prices stay at world prices, the tax is
:math:`T=\\sum_ks_kp_j^*Q_k` and income is :math:`wL_S-T=\\sum_jp_j^*Q_j`. This is a small
generalisation of the core economy: scaling an activity's :math:`c_k` and
:math:`\\alpha_k` by :math:`1+s_k` scales its pay and leaves its labor-productivity map
unchanged, so the core enumeration runs unchanged with these pay factors
(:func:`~marshallian.solvers.solve_at` with ``pay_factors``); certificates recompute
pays independently (:func:`~marshallian.solvers.certify` with the same factors).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..errors import InvalidParameterError, Violation
from ..presentation import Column, Table, Tabular
from ..results import Equilibrium, EquilibriumSet
from ..tolerances import DEFAULT_TOLERANCES
from .welfare import Preferences, Welfare, evaluate, preferences

if TYPE_CHECKING:
    from ..params import Parameters

#: A trade position counts as strictly importing/exporting when the value of net trade
#: exceeds this fraction of national income; otherwise the equilibrium is found in the
#: self-sufficient position (whose band includes its end points within this tolerance).
POSITION_RTOL = 1e-9
#: Points (geometric) scanning the self-sufficient price band under CES preferences.
CES_SCAN_POINTS = 64
#: Largest tariff or subsidy accepted (an ad-valorem rate).
MAX_RATE = 1e6


def check_rate(name: str, value) -> float:
    """A finite ad-valorem rate >= 0, else :class:`InvalidParameterError` (NumPy scalars,
    Decimal and Fraction are numbers)."""
    from ..params import as_real

    given = value
    try:
        value = as_real(name, value)
    except InvalidParameterError:
        raise InvalidParameterError(Violation(name, given, "must be a number")) from None
    if not math.isfinite(value):
        raise InvalidParameterError(Violation(name, value, "must be finite"))
    if value < 0:
        raise InvalidParameterError(Violation(name, value, "must be >= 0"))
    if value > MAX_RATE:
        raise InvalidParameterError(Violation(name, value, f"must be <= {MAX_RATE:g}"))
    return float(value)


def check_positive(name, value) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InvalidParameterError(Violation(name, value, "must be a number"))
    if not math.isfinite(value) or value <= 0:
        raise InvalidParameterError(Violation(name, value, "must be a finite number > 0"))
    return float(value)


# --------------------------------------------------------------------------- policy
@dataclass(frozen=True)
class Policy:
    """A price distortion: a tariff on one good, or production subsidies.

    Theory (§2–§3): the paper compares price distortions (tariffs, subsidies) with
    coordination at world prices.

    Parameters
    ----------
    tariff : dict
        ``{sector: rate}`` with at most one sector: ad-valorem tariff on imports.
    subsidy : dict
        ``{sector: rate}`` (every activity of the sector) and/or
        ``{(sector, technology): rate}`` (one activity, e.g. ``(2, "modern")``).
    name : str
        Label for tables.

    A tariff and subsidies are not combined in one policy (their interaction through the
    self-sufficient position is not modelled).

    Examples
    --------
    >>> import marshallian as m
    >>> m.tariff(2, 0.3)
    Policy(tariff={2: 0.3}, subsidy={}, name='')
    >>> m.FREE_TRADE.name
    'free trade'
    """

    tariff: dict = field(default_factory=dict)
    subsidy: dict = field(default_factory=dict)
    name: str = ""

    def __post_init__(self):
        object.__setattr__(
            self, "tariff", {j: check_rate(f"tariff_{j}", r) for j, r in self.tariff.items()}
        )
        subsidy = {}
        for key, r in self.subsidy.items():
            lab = f"{key[0]}:{key[1]}" if isinstance(key, tuple) else str(key)
            subsidy[key] = check_rate(f"subsidy_{lab}", r)
        object.__setattr__(self, "subsidy", subsidy)
        taxed = [j for j, r in self.tariff.items() if r > 0]
        if len(taxed) > 1:
            raise InvalidParameterError(
                Violation("tariff", self.tariff, "at most one good may be taxed")
            )
        if taxed and any(r > 0 for r in self.subsidy.values()):
            raise InvalidParameterError(
                Violation(
                    "policy",
                    self.name or "tariff+subsidy",
                    "combine a tariff and a subsidy is not supported",
                )
            )

    @property
    def tariff_sector(self):
        taxed = [j for j, r in self.tariff.items() if r > 0]
        return taxed[0] if taxed else None

    @property
    def tariff_rate(self) -> float:
        j = self.tariff_sector
        return 0.0 if j is None else float(self.tariff[j])

    @property
    def is_free_trade(self) -> bool:
        return self.tariff_sector is None and not any(r > 0 for r in self.subsidy.values())

    def validate_for(self, model) -> None:
        """Check sectors and technologies against ``model``."""
        bad = []
        for j in self.tariff:
            if j not in model.sectors:
                bad.append(Violation("tariff sector", j, f"must be one of {model.sectors}"))
        for key in self.subsidy:
            if isinstance(key, tuple):
                try:
                    model.activity_index(*key)
                except KeyError:
                    bad.append(
                        Violation(
                            "subsidy activity",
                            f"{key[0]}:{key[1]}",
                            "is not an activity of the model ("
                            + ", ".join(a.label for a in model.activities)
                            + ")",
                        )
                    )
            elif key not in model.sectors:
                bad.append(Violation("subsidy sector", key, f"must be one of {model.sectors}"))
        if bad:
            raise InvalidParameterError(bad)

    def factors(self, model) -> tuple:
        """Per activity, the producer-price factor :math:`1+s_k`."""
        out = []
        for a in model.activities:
            s = self.subsidy.get(a.sector, 0.0) + self.subsidy.get((a.sector, a.technology), 0.0)
            out.append(1.0 + s)
        return tuple(out)

    def label(self) -> str:
        if self.name:
            return self.name
        if self.is_free_trade:
            return "free trade"
        if self.tariff_sector is not None:
            return f"tariff {self.tariff_rate:g} on good {self.tariff_sector}"
        parts = [
            f"{k[0]}:{k[1]}" if isinstance(k, tuple) else f"sector {k}"
            for k, r in self.subsidy.items()
            if r > 0
        ]
        return "subsidy " + ", ".join(
            f"{p} {r:g}" for p, r in zip(parts, [r for r in self.subsidy.values() if r > 0])
        )

    def to_dict(self) -> dict:
        return {
            "name": self.label(),
            "tariff": {str(k): v for k, v in self.tariff.items()},
            "subsidy": {
                (f"{k[0]}:{k[1]}" if isinstance(k, tuple) else str(k)): v
                for k, v in self.subsidy.items()
            },
        }


FREE_TRADE = Policy(name="free trade")


def tariff(sector: int, rate: float) -> Policy:
    """An ad-valorem tariff ``rate`` on imports of good ``sector``.

    Theory (§2, claim S6): a temporary tariff on good 2 can move South into producing good
    2; it survives free trade again (the Mill test) only under comparative advantage.

    Examples
    --------
    >>> import marshallian as m
    >>> m.tariff(2, 0.3).tariff          # a 30 % ad-valorem tariff on good 2
    {2: 0.3}
    """
    return Policy(tariff={sector: rate})


def subsidy(sector: int, rate: float, technology: str | None = None) -> Policy:
    """A production subsidy to a sector (or to one of its technologies).

    Theory (§2–§3): a subsidy raises the pay of the subsidised activity, which can carry a
    sector past the critical mass of its cluster.

    Examples
    --------
    >>> import marshallian as m
    >>> m.subsidy(1, 0.2, "modern").subsidy   # a 20 % subsidy to good 1's modern technology
    {(1, 'modern'): 0.2}
    """
    key = sector if technology is None else (sector, technology)
    return Policy(subsidy={key: rate})


# --------------------------------------------------------------------------- results
@dataclass(frozen=True)
class PolicyEquilibrium:
    """One equilibrium of South under a policy.

    Theory (§2–§3): under a tariff the domestic price depends on whether South imports,
    exports or is self-sufficient in the good.

    Attributes
    ----------
    equilibrium : Equilibrium
        The production side (activities, wage, clusters, certificate at producer prices).
    position : str or None
        Trade position in the taxed good: ``"import"``, ``"self-sufficient"``,
        ``"export"`` (None without a tariff).
    domestic_prices : dict
        Consumer prices.
    output : dict
        Sector -> :math:`Q_j`.
    net_imports : dict
        Sector -> :math:`D_j-Q_j`.
    welfare : Welfare
    stable : bool
        Marshallian stability under the policy (see the module notes).
    market_residual : float
        :math:`|N_j-s_jL_S|/L_S` in the self-sufficient position (0 otherwise).

    Examples
    --------
    >>> import marshallian as m
    >>> eq = m.policy_equilibria("alternative", None, m.tariff(2, 0.3)).equilibria[1]
    >>> eq.label, eq.position, eq.income_gap, eq.stable
    ('2:modern', 'export', 1.25, True)
    """

    equilibrium: Equilibrium
    position: str | None
    domestic_prices: dict
    output: dict
    net_imports: dict
    welfare: Welfare
    stable: bool
    market_residual: float = 0.0
    labor_force: float = math.nan

    @property
    def stability(self):
        """:class:`~marshallian.results.Stability` under the policy (``stable`` is True only
        for ``Stability.STABLE``)."""
        return self.equilibrium.stability

    @property
    def wage(self) -> float:
        """South's wage at producer prices (includes any subsidy)."""
        return self.equilibrium.wage

    @property
    def income_gap(self) -> float:
        """North's income per worker over South's *real* income per worker at world prices.

        .. math::

            \\mathrm{gap}=\\frac{w_N}{y^*/L_S},\\qquad
            y^*=I\\,\\frac{e(p^*)}{e(p)}=e(p^*)\\,U,

        with :math:`w_N=1` (North's wage, the numeraire: North consumes at world prices),
        :math:`I` South's income (wages plus rebated tariff revenue minus lump-sum taxes),
        :math:`p` its consumer prices, :math:`p^*` world prices, :math:`e` the unit
        expenditure function and :math:`U=I/e(p)` South's utility. :math:`y^*` is South's
        money-metric utility (equivalent income) at world prices, ``welfare.real_income``.
        Under free trade :math:`p=p^*` and :math:`I=wL_S`, so the gap is :math:`1/w`; since
        :math:`y^*` is proportional to :math:`U` at given world prices, the gap always
        moves opposite to South's welfare (a tariff never looks like catch-up while
        welfare falls).
        """
        return self.labor_force / self.welfare.real_income

    @property
    def label(self) -> str:
        return self.equilibrium.label

    def to_dict(self) -> dict:
        d = self.equilibrium.to_dict()
        d["stable"] = self.stable
        d["stability"] = self.stability.value
        d["income_gap"] = self.income_gap
        d.update(
            {
                "position": self.position,
                "domestic_prices": {str(k): v for k, v in self.domestic_prices.items()},
                "output": {str(k): v for k, v in self.output.items()},
                "net_imports": {str(k): v for k, v in self.net_imports.items()},
                "welfare": self.welfare.to_dict(),
                "market_residual": self.market_residual,
            }
        )
        return d


@dataclass(frozen=True)
class PolicyOutcome(Tabular, EquilibriumSet):
    """Every equilibrium of South under one policy, with welfare.

    Attributes
    ----------
    model : str
    params : Parameters
    policy : Policy
    world_prices : dict
    equilibria : tuple of PolicyEquilibrium
        Sorted by descending utility.
    preferences : Preferences

    Examples
    --------
    >>> import marshallian as m
    >>> out = m.policy_equilibria("alternative", None, m.tariff(2, 0.3))
    >>> out.world_prices                       # North's prices (§3)
    {1: 0.4, 2: 0.2857...}
    >>> len(out.stable)
    3
    """

    model: str
    params: Parameters
    policy: Policy
    world_prices: dict
    equilibria: tuple
    preferences: Preferences

    def best(self) -> PolicyEquilibrium:
        return max(self.equilibria, key=lambda e: e.welfare.utility)

    def to_dict(self) -> dict:
        return {
            "model": self.model,
            "params": self.params.as_dict(),
            "policy": self.policy.to_dict(),
            "world_prices": {str(k): v for k, v in self.world_prices.items()},
            "preferences": self.preferences.to_dict(),
            "equilibria": [e.to_dict() for e in self.equilibria],
        }

    def _table(self) -> Table:
        """One row per equilibrium: activities, position, wage, gap, utility, stability,
        with prices, output and net imports by sector as data."""
        sectors = sorted(self.world_prices)
        columns = [
            Column("equilibrium", "#", r"\#", fmt=""),
            Column("activities", "activities (labor)"),
            Column("position", "position"),
            Column("wage", "wage", "$w$", fmt=".5g"),
            Column("income_gap", "gap", "$L_S/y^*$", fmt=".5g"),
            Column("utility", "utility", "$U$", fmt=".5g"),
            Column("real_income", "real income", "real income", fmt=".5g", shown=False),
            Column("stable", "stable", shown=False),
            Column("stability", "stability"),
        ]
        columns += [
            Column(f"{what}_{j}", shown=False)
            for what in ("domestic_price", "output", "net_imports")
            for j in sectors
        ]
        rows = []
        for i, e in enumerate(self.equilibria, 1):
            row = {
                "equilibrium": i,
                "activities": e.equilibrium.describe_activities(),
                "position": e.position,
                "wage": e.wage,
                "income_gap": e.income_gap,
                "utility": e.welfare.utility,
                "real_income": e.welfare.real_income,
                "stable": e.stable,
                "stability": e.stability.value,
            }
            for j in sectors:
                row[f"domestic_price_{j}"] = e.domestic_prices.get(j)
                row[f"output_{j}"] = e.output.get(j)
                row[f"net_imports_{j}"] = e.net_imports.get(j)
            rows.append(row)
        title = (
            f"Model: {self.model}   policy: {self.policy.label()}   equilibria: "
            f"{len(self.equilibria)} ({len(self.stable)} stable)",
            "World prices: " + ", ".join(f"p{k}={v:.6g}" for k, v in self.world_prices.items()),
        )
        context = {"model": self.model, "policy": self.policy.label()}
        context.update({f"price_{j}": self.world_prices[j] for j in sectors})
        return Table(tuple(columns), rows, title, (), self.params.as_dict(), context)


# --------------------------------------------------------------------------- helpers
def _world(model, params, north=None, world_prices=None) -> dict:
    from ..solvers import select_north

    if world_prices is not None:
        return {j: float(world_prices[j]) for j in model.sectors}
    n = select_north(model, params, north)
    return {j: 1.0 / float(v) for j, v in n.productivity.items()}


def outputs(model, params, labor) -> dict:
    """Sector outputs :math:`Q_j=\\sum_{k\\in j}\\varphi_k(L_k)L_k` at an allocation."""
    from ..solvers import pays

    phi = pays(model, params, {j: 1.0 for j in model.sectors}, labor)
    out = {j: 0.0 for j in model.sectors}
    for k, a in enumerate(model.activities):
        out[a.sector] += phi[k] * float(labor[k])
    return out


def _labor_vector(model, eq: Equilibrium) -> list:
    return [eq.labor(a.sector, a.technology) for a in model.activities]


def _sector_labor(model, labor, j) -> float:
    return sum(float(x) for x, a in zip(labor, model.activities) if a.sector == j)


# --------------------------------------------------------------------------- enumeration
def policy_equilibria(
    model,
    params=None,
    policy: Policy = FREE_TRADE,
    *,
    prefs=None,
    north=None,
    world_prices=None,
    tol=None,
) -> PolicyOutcome:
    """Every equilibrium of South under ``policy`` (stable or not), with welfare.

    Parameters
    ----------
    model : str or Model
    params : mapping or Parameters, optional
    policy : Policy
        :data:`FREE_TRADE`, :func:`tariff` or :func:`subsidy`.
    prefs : Preferences, optional
        Default: Cobb-Douglas with the model's ``mu_j``.
    north : optional
        North's equilibrium setting world prices (see
        :func:`~marshallian.solvers.select_north`).
    world_prices : dict, optional
        Override world prices.
    tol : Tolerances, optional

    Returns
    -------
    PolicyOutcome

    Examples
    --------
    A 30 % tariff on good 2 at the default §3 calibration keeps seven equilibria:

    >>> import marshallian as m
    >>> out = m.policy_equilibria("alternative", None, m.tariff(2, 0.3))
    >>> len(out.equilibria), out.best().label, out.best().position
    (7, '1:modern', 'import')
    """
    from ..solvers import resolve_model, resolve_params

    model = resolve_model(model)
    params = resolve_params(model, params)
    if not isinstance(policy, Policy):
        raise InvalidParameterError(Violation("policy", policy, "must be a Policy"))
    policy.validate_for(model)
    prefs = prefs or preferences(model, params)
    tol = tol or DEFAULT_TOLERANCES
    world = _world(model, params, north, world_prices)
    if policy.tariff_sector is not None:
        eqs = _tariff_equilibria(model, params, policy, prefs, world, tol)
    else:
        eqs = _subsidy_equilibria(model, params, policy, prefs, world, tol)
    eqs.sort(key=lambda e: (-e.welfare.utility, e.label))
    return PolicyOutcome(model.name, params, policy, world, tuple(eqs), prefs)


def _subsidy_equilibria(model, params, policy, prefs, world, tol) -> list:
    from ..solvers import solve_at

    out = []
    for eq in solve_at(model, params, world, policy.factors(model), tol=tol):
        labor = _labor_vector(model, eq)
        Q = outputs(model, params, labor)
        # national income at world prices; at free trade it is exactly w L_S (no tax)
        V = (
            eq.wage * float(params["L_S"])
            if policy.is_free_trade
            else sum(world[j] * Q[j] for j in model.sectors)
        )
        tax = eq.wage * float(params["L_S"]) - V
        wf = evaluate(prefs, world, V, world, transfers=-tax)
        D = prefs.demand(world, V)
        out.append(
            PolicyEquilibrium(
                eq,
                None,
                dict(world),
                Q,
                {j: D[j] - Q[j] for j in model.sectors},
                wf,
                eq.stable,
                0.0,
                float(params["L_S"]),
            )
        )
    return out


def _tariff_equilibria(model, params, policy, prefs, world, tol) -> list:
    from ..solvers import solve_at

    j = policy.tariff_sector
    tau = policy.tariff_rate
    L = float(params["L_S"])
    hi = dict(world)
    hi[j] = world[j] * (1 + tau)
    out = []
    # import position: domestic price p*(1+tau), N_j < s_j L_S
    for eq in solve_at(model, params, hi, tol=tol):
        labor = _labor_vector(model, eq)
        s = prefs.shares(hi)[j]
        if _sector_labor(model, labor, j) < s * L * (1 - POSITION_RTOL) - POSITION_RTOL * L:
            out.append(
                _tariff_record(
                    model, params, prefs, world, hi, eq, labor, "import", eq.stable, j, tau
                )
            )
    # export position: world prices, N_j > s_j L_S
    for eq in solve_at(model, params, world, tol=tol):
        labor = _labor_vector(model, eq)
        s = prefs.shares(world)[j]
        if _sector_labor(model, labor, j) > s * L * (1 + POSITION_RTOL) + POSITION_RTOL * L:
            out.append(
                _tariff_record(
                    model, params, prefs, world, world, eq, labor, "export", eq.stable, j, tau
                )
            )
    out.extend(_self_sufficient(model, params, prefs, world, j, tau, tol))
    return out


def _tariff_record(
    model, params, prefs, world, dom, eq, labor, position, stable, j, tau, residual=0.0
) -> PolicyEquilibrium:
    Q = outputs(model, params, labor)
    V_star = sum(world[k] * Q[k] for k in model.sectors)
    V_dom = sum(dom[k] * Q[k] for k in model.sectors)
    if position == "import":
        t = tau / (1 + tau)
        income = V_star / (1 - t * prefs.shares(dom)[j])
    else:
        income = V_dom
    transfers = income - V_dom
    D = prefs.demand(dom, income)
    wf = evaluate(prefs, dom, income, world, transfers=transfers)
    return PolicyEquilibrium(
        eq,
        position,
        dict(dom),
        Q,
        {k: D[k] - Q[k] for k in model.sectors},
        wf,
        stable,
        residual,
        float(params["L_S"]),
    )


def _self_sufficient(model, params, prefs, world, j, tau, tol) -> list:
    """Equilibria with domestic output of j equal to demand, price in the tariff band.

    Each is an equilibrium of the split economy (:func:`~marshallian.solvers.split_equilibria`)
    in which sector j employs its demand :math:`s_j(p)L_S`; its stability is the least
    stable of the two blocks' (the split between them is stable, see the module notes).
    """
    import numpy as np

    from ..solvers import split_equilibria

    L = float(params["L_S"])
    lo, hi = world[j], world[j] * (1 + tau)

    def combos(p):
        dom = dict(world)
        dom[j] = p
        n = prefs.shares(dom)[j] * L
        return {s.regime: s for s in split_equilibria(model, params, world, j, n, tol=tol)}

    found = []
    if prefs.sigma is None:
        for s in combos(lo).values():
            if lo * (1 - POSITION_RTOL) <= s.price <= hi * (1 + POSITION_RTOL):
                found.append(s)
    else:
        from scipy.optimize import brentq

        grid = [lo] if hi <= lo else list(np.geomspace(lo, hi, CES_SCAN_POINTS))
        vals = [combos(p) for p in grid]
        for i, p in enumerate(grid):
            for key, s in vals[i].items():
                if abs(s.price - p) <= POSITION_RTOL * p:
                    found.append(s)
                elif i + 1 < len(grid) and key in vals[i + 1]:
                    q = grid[i + 1]
                    g0, g1 = s.price - p, vals[i + 1][key].price - q
                    if g0 * g1 < 0 and abs(g1) > POSITION_RTOL * q:

                        def g(x, key=key):
                            c = combos(x)
                            if key not in c:
                                raise ValueError("regime left")
                            return c[key].price - x

                        try:
                            root = brentq(g, p, q, xtol=1e-14 * q, rtol=1e-13)
                        except ValueError:
                            continue
                        found.append(combos(root)[key])
    out = []
    for s in found:
        dom = dict(world)
        dom[j] = s.price
        eq = s.equilibrium
        labor = _labor_vector(model, eq)
        resid = abs(_sector_labor(model, labor, j) - prefs.shares(dom)[j] * L) / L
        out.append(
            _tariff_record(
                model,
                params,
                prefs,
                world,
                dom,
                eq,
                labor,
                "self-sufficient",
                eq.stable,
                j,
                tau,
                resid,
            )
        )
    return out


# --------------------------------------------------------------------------- convenience
def welfare_vs_tariff(model, params, sector: int, rates, *, prefs=None, north=None):
    """Welfare of every stable equilibrium along a grid of tariff rates (for plots).

    Parameters
    ----------
    model, params
    sector : int
        The taxed good.
    rates : sequence of float
        Tariff rates (each validated: finite, >= 0).

    Returns
    -------
    dict of numpy arrays
        ``rates`` (n,), ``best_utility`` / ``worst_utility`` (n,): highest / lowest utility
        among the stable equilibria at each rate (NaN if none), and ``n_equilibria`` /
        ``n_stable`` (n,). ``positions`` is a list (per rate) of the
        stable equilibria's positions.

    Examples
    --------
    >>> import marshallian as m
    >>> curve = m.welfare_vs_tariff("alternative", None, 2, [0.0, 0.3])
    >>> curve["n_equilibria"].tolist(), curve["best_utility"].round(1).tolist()
    ([7, 7], [295.8, 293.3])
    """
    import numpy as np

    from ..solvers import resolve_model, resolve_params

    model = resolve_model(model)
    params = resolve_params(model, params)
    rates = [check_rate("tariff", r) for r in rates]
    best, worst, n_eq, n_st, positions = [], [], [], [], []
    for r in rates:
        out = policy_equilibria(model, params, tariff(sector, r), prefs=prefs, north=north)
        u = [e.welfare.utility for e in out.stable] or [math.nan]
        best.append(max(u))
        worst.append(min(u))
        n_eq.append(len(out))
        n_st.append(len(out.stable))
        positions.append([e.position for e in out.stable])
    return {
        "rates": np.asarray(rates),
        "best_utility": np.asarray(best),
        "worst_utility": np.asarray(worst),
        "n_equilibria": np.asarray(n_eq),
        "n_stable": np.asarray(n_st),
        "positions": positions,
    }
