"""Typed results of the two-country solver: :class:`WorldEquilibrium`, :class:`WorldSolution`.

They reuse the package's result vocabulary (:class:`~marshallian.results.ActivityLabor`,
:class:`~marshallian.results.Certificate`, :class:`~marshallian.results.EquilibriumSet`)
and convert to the JSON shape of ``marshallian solve MODEL --world`` (``docs/world.md``):
every equilibrium carries its own ``prices`` (North's wage is 1), South's ``activities``,
``north_activities``, ``wage`` (South's relative to North's), ``income_gap`` = 1/wage,
``stable`` and ``degenerate``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..._jsonable import json_number
from ...presentation import Column, Table, Tabular, data_columns
from ...results import Certificate, EquilibriumSet, Stability, equilibrium_flags


@dataclass(frozen=True)
class WorldCertificate(Certificate):
    """A :class:`~marshallian.results.Certificate` of both countries plus the goods markets.

    ``max_pay_residual``, ``max_deviation_gain`` and ``labor_residual`` are the larger of
    the two countries' (each relative to that country's wage or labor force);
    ``market_residual`` is :math:`\\max_j|V_j-\\mu_j\\sum_kV_k|/\\sum_kV_k`, with
    :math:`V_j` the value of world output of good j computed from the productivities.

    Examples
    --------
    >>> import marshallian as m
    >>> cert = m.solve_world("alternative").best().certificate
    >>> cert.verified, cert.north_verified, cert.south_verified, cert.market_residual
    (True, True, True, 0.0)
    """

    market_residual: float = 0.0
    north_verified: bool = False
    south_verified: bool = False

    def to_dict(self) -> dict:
        d = super().to_dict()
        d.update(
            market_residual=json_number(self.market_residual),
            north_verified=self.north_verified,
            south_verified=self.south_verified,
        )
        return d


def _acts_label(acts) -> str:
    return (
        " + ".join(
            f"{a.sector}:{a.technology}" + (f"[{a.state}]" if a.state == "rising" else "")
            for a in acts
        )
        or "-"
    )


def _describe(acts, digits=4) -> str:
    return (
        ", ".join(
            f"{a.sector}:{a.technology}={float(a.labor):.{digits}g}"
            + ("~" if a.state == "rising" else "")
            for a in acts
        )
        or "-"
    )


def _interior(acts) -> bool:
    return len(acts) >= 2 and any(a.state == "rising" for a in acts)


@dataclass(frozen=True)
class WorldEquilibrium:
    """One equilibrium of the two-country world (``models.md`` §7.1).

    Attributes
    ----------
    prices : dict
        Sector -> :math:`p_j` (North's wage is 1).
    activities, north_activities : tuple of ActivityLabor
        South's and North's active activities (positive labor).
    wage : float
        :math:`w=w_S/w_N`.
    income_gap : float
        :math:`1/w`.
    stable : bool
        ``stability is Stability.STABLE``.
    stability : Stability
        The package's one rule (:func:`marshallian.solvers.regime_stability`) applied to
        each country's allocation at the equilibrium prices; the world takes the least
        stable of the two: ``unstable`` with a critical mass in some country (or a tie
        pinned by caps, or a weak equilibrium an entrant would tip), ``neutral`` for a
        continuum or a weak equilibrium without externality, else ``stable``.
    degenerate : bool
    degeneracy : str or None
        ``"continuum"`` (see ``vertices``), ``"tie"``, ``"weak"`` (comma-separated).
    clusters, north_clusters : dict
        Sector -> ``"none"``, ``"partial"`` or ``"full"`` in South / North.
    certificate : WorldCertificate
    north_full_clusters : bool
        North produces every good with a full cluster in every sector that can have one
        (the premise behind the small South's world prices, §2–§3).
    vertices : tuple
        For a continuum: its end points, each ``(south activities, north activities)``;
        ``activities`` and ``north_activities`` are then their centroid.
    exact_wage, exact_prices : object
        Exact values (``exact=True``), else None.

    Examples
    --------
    >>> import marshallian as m
    >>> eq = m.solve_world("alternative").best()
    >>> eq.label, eq.prices
    ('S: 2:modern | N: 1:backward + 1:modern[rising] + 2:backward', {1: 1.0, 2: 1.0})
    """

    prices: dict
    activities: tuple
    north_activities: tuple
    wage: float
    income_gap: float
    stable: bool
    stability: Stability
    degenerate: bool
    degeneracy: str | None
    clusters: dict
    north_clusters: dict
    certificate: WorldCertificate
    north_full_clusters: bool = False
    vertices: tuple = ()
    exact_wage: Any = None
    exact_prices: dict = field(default_factory=dict)

    @property
    def interior(self) -> bool:
        """South has a critical mass (two or more activities, one rising)."""
        return _interior(self.activities)

    @property
    def north_interior(self) -> bool:
        return _interior(self.north_activities)

    @property
    def label(self) -> str:
        return f"S: {_acts_label(self.activities)} | N: {_acts_label(self.north_activities)}"

    @property
    def relative_price(self) -> float:
        """:math:`p_2/p_1` when there are sectors 1 and 2."""
        return float(self.prices[2]) / float(self.prices[1])

    def produced_by(self, country: str) -> set:
        acts = self.activities if country == "S" else self.north_activities
        return {a.sector for a in acts}

    def labor(self, sector: int, technology: str, country: str = "S") -> float:
        acts = self.activities if country == "S" else self.north_activities
        return next(
            (a.labor for a in acts if a.sector == sector and a.technology == technology), 0.0
        )

    def flags(self) -> list:
        """Short notes for tables: degeneracy, critical mass (S and N), a failed certificate."""
        interior = {"S": self.interior, "N": self.north_interior}
        return equilibrium_flags(self, [f"critical mass ({c})" for c, on in interior.items() if on])

    def to_dict(self) -> dict:
        d = {
            "prices": {str(k): json_number(v) for k, v in self.prices.items()},
            "activities": [a.to_dict() for a in self.activities],
            "north_activities": [a.to_dict() for a in self.north_activities],
            "wage": json_number(self.wage),
            "income_gap": json_number(self.income_gap),
            "stable": self.stable,
            "stability": self.stability.value,
            "degenerate": self.degenerate,
            "degeneracy": self.degeneracy,
            "interior": self.interior,
            "north_interior": self.north_interior,
            "clusters": {str(k): v for k, v in self.clusters.items()},
            "north_clusters": {str(k): v for k, v in self.north_clusters.items()},
            "north_full_clusters": self.north_full_clusters,
            "certificate": self.certificate.to_dict(),
        }
        if self.vertices:
            d["vertices"] = [
                {
                    "activities": [a.to_dict() for a in s],
                    "north_activities": [a.to_dict() for a in n],
                }
                for s, n in self.vertices
            ]
        if self.exact_wage is not None:
            d["exact_wage"] = str(self.exact_wage)
            d["exact_income_gap"] = str(1 / self.exact_wage)
            d["exact_prices"] = {str(k): str(v) for k, v in self.exact_prices.items()}
        return d


@dataclass(frozen=True)
class WorldSolution(Tabular, EquilibriumSet):
    """Every equilibrium of the two-country world (:func:`marshallian.solve_world`).

    Attributes
    ----------
    model : str
    params : Parameters
    equilibria : tuple of WorldEquilibrium
        Every equilibrium, stable or not, sorted by income gap.
    exact : bool
    tolerances : Tolerances
    wage_range : tuple
        The range of relative wages searched (a necessary condition, see
        :mod:`marshallian.solvers.world.enumeration`).
    regimes : int
        Number of regimes whose equations were solved (after pruning).

    Examples
    --------
    >>> import marshallian as m
    >>> world = m.solve_world("alternative")
    >>> len(world), world.wage_range
    (55, (0.114..., 5.6...))
    """

    model: str
    params: Any
    equilibria: tuple
    exact: bool
    tolerances: Any
    wage_range: tuple = ()
    regimes: int = 0

    def best(self, country: str = "S") -> WorldEquilibrium:
        """The equilibrium best for South (highest wage), or for North (``"N"``)."""
        if country == "N":
            return min(self.equilibria, key=lambda e: e.wage)
        return max(self.equilibria, key=lambda e: e.wage)

    def to_dict(self) -> dict:
        return {
            "model": self.model,
            "world": True,
            "params": self.params.as_dict(),
            "equilibria": [e.to_dict() for e in self.equilibria],
            "exact": self.exact,
        }

    def _activity_labels(self) -> list:
        """(sector, technology) of every activity of the model: fixed columns in a batch."""
        from ...errors import MarshallianError
        from ...models import get_model

        try:
            return [(a.sector, a.technology) for a in get_model(self.model).activities]
        except MarshallianError:  # a user-built model: the activities that appear
            return sorted(
                {
                    (a.sector, a.technology)
                    for e in self.equilibria
                    for acts in (e.activities, e.north_activities)
                    for a in acts
                }
            )

    def _table(self) -> Table:
        sectors = sorted(self.equilibria[0].prices) if self.equilibria else []
        columns = [
            Column("equilibrium", "#", r"\#", fmt=""),
            Column("south", "South (labor)", "South (labor)"),
            Column("north", "North (labor)", "North (labor)"),
            Column("wage", "wage", "$w$"),
            Column("income_gap", "gap", "$1/w$"),
        ]
        columns += [Column(f"price_{j}", f"p{j}", f"$p_{j}$", fmt=".4g") for j in sectors]
        columns += [
            Column("stable", "stable", "stable"),
            Column("stability", "stability", "stability", shown=False),
            Column("note", "note", "note"),
            *data_columns(
                "degenerate",
                "degeneracy",
                "interior",
                "north_interior",
                "north_full_clusters",
                "verified",
            ),
        ]
        labels = [(c, j, t) for c in ("S", "N") for j, t in self._activity_labels()]
        columns += [Column(f"labor_{c}_{j}_{t}", shown=False, fmt="") for c, j, t in labels]
        rows = []
        for i, e in enumerate(self.equilibria, 1):
            row = {
                "equilibrium": i,
                "south": _describe(e.activities),
                "north": _describe(e.north_activities),
                "wage": e.wage,
                "income_gap": e.income_gap,
                "stable": e.stable,
                "stability": e.stability,
                "note": "; ".join(e.flags()),
                "degenerate": e.degenerate,
                "degeneracy": e.degeneracy,
                "interior": e.interior,
                "north_interior": e.north_interior,
                "north_full_clusters": e.north_full_clusters,
                "verified": e.certificate.verified,
            }
            row.update({f"price_{j}": v for j, v in e.prices.items()})
            for c, j, t in labels:
                row[f"labor_{c}_{j}_{t}"] = e.labor(j, t, c)
            rows.append(row)
        params = self.params.as_dict() if hasattr(self.params, "as_dict") else dict(self.params)
        title = (
            f"Model: {self.model} (two-country world)   equilibria: {len(self.equilibria)} "
            f"({len(self.stable)} stable)" + ("   [exact]" if self.exact else ""),
            "wage = w_S/w_N (North's wage is 1); prices in North's labor",
        )
        return Table(
            tuple(columns),
            rows,
            title,
            ("(~ = on the rising part of its externality)",),
            params,
            {"model": self.model},
        )
