"""Typed results of the two-country solver: :class:`WorldEquilibrium`, :class:`WorldSolution`.

They reuse the package's result vocabulary (:class:`~marshallian.results.ActivityLabor`,
:class:`~marshallian.results.Certificate`, :class:`~marshallian.results.EquilibriumSet`)
and convert to the JSON shape of ``marshallian solve MODEL --world`` (``docs/world.md``):
every equilibrium carries its own ``prices`` (North's wage is 1), South's ``activities``,
``north_activities``, ``wage`` (South's relative to North's), ``income_gap`` = 1/wage,
``stable`` and ``degenerate``.
"""
from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import Any

from ...results import Certificate, EquilibriumSet, _num


@dataclass(frozen=True)
class WorldCertificate(Certificate):
    """A :class:`~marshallian.results.Certificate` of both countries plus the goods markets.

    ``max_pay_residual``, ``max_deviation_gain`` and ``labor_residual`` are the larger of
    the two countries' (each relative to that country's wage or labor force);
    ``market_residual`` is :math:`\\max_j|V_j-\\mu_j\\sum_kV_k|/\\sum_kV_k`, with
    :math:`V_j` the value of world output of good j computed from the productivities.
    """

    market_residual: float = 0.0
    north_verified: bool = False
    south_verified: bool = False

    def to_dict(self) -> dict:
        d = super().to_dict()
        d.update(market_residual=_num(self.market_residual),
                 north_verified=self.north_verified, south_verified=self.south_verified)
        return d


def _acts_label(acts) -> str:
    return " + ".join(f"{a.sector}:{a.technology}" + (f"[{a.state}]" if a.state == "rising" else "")
                      for a in acts) or "-"


def _describe(acts, digits=4) -> str:
    return ", ".join(f"{a.sector}:{a.technology}={float(a.labor):.{digits}g}"
                     + ("~" if a.state == "rising" else "") for a in acts) or "-"


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
        Stable under Marshallian adjustment in both countries: no knife edge, and in
        neither country two or more active activities with one on its rising part.
    stability : str
        ``"stable"``, ``"neutral"`` (a knife edge: weak, tie or continuum) or
        ``"unstable"`` (a critical mass in some country).
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
    """

    prices: dict
    activities: tuple
    north_activities: tuple
    wage: float
    income_gap: float
    stable: bool
    stability: str
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
        return next((a.labor for a in acts if a.sector == sector and a.technology == technology), 0.0)

    def flags(self) -> list:
        out = []
        if self.degenerate:
            out.append(f"degenerate ({self.degeneracy})")
        if self.interior:
            out.append("critical mass (S)")
        if self.north_interior:
            out.append("critical mass (N)")
        if not self.certificate.verified:
            out.append("NOT VERIFIED")
        return out

    def to_dict(self) -> dict:
        d = {"prices": {str(k): _num(v) for k, v in self.prices.items()},
             "activities": [a.to_dict() for a in self.activities],
             "north_activities": [a.to_dict() for a in self.north_activities],
             "wage": _num(self.wage), "income_gap": _num(self.income_gap),
             "stable": self.stable, "stability": self.stability,
             "degenerate": self.degenerate, "degeneracy": self.degeneracy,
             "interior": self.interior, "north_interior": self.north_interior,
             "clusters": {str(k): v for k, v in self.clusters.items()},
             "north_clusters": {str(k): v for k, v in self.north_clusters.items()},
             "north_full_clusters": self.north_full_clusters,
             "certificate": self.certificate.to_dict()}
        if self.vertices:
            d["vertices"] = [{"activities": [a.to_dict() for a in s],
                              "north_activities": [a.to_dict() for a in n]}
                             for s, n in self.vertices]
        if self.exact_wage is not None:
            d["exact_wage"] = str(self.exact_wage)
            d["exact_income_gap"] = str(1 / self.exact_wage)
            d["exact_prices"] = {str(k): str(v) for k, v in self.exact_prices.items()}
        return d


@dataclass(frozen=True)
class WorldSolution(EquilibriumSet):
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
        return {"model": self.model, "world": True, "params": self.params.as_dict(),
                "equilibria": [e.to_dict() for e in self.equilibria], "exact": self.exact}

    def to_frame(self):
        """One row per equilibrium (pandas DataFrame)."""
        import pandas as pd

        rows = []
        for i, e in enumerate(self.equilibria, 1):
            row = {"equilibrium": i, "south": _describe(e.activities),
                   "north": _describe(e.north_activities), "wage": e.wage,
                   "income_gap": e.income_gap}
            row.update({f"p_{k}": float(v) for k, v in e.prices.items()})
            row.update(stable=e.stable, stability=e.stability, degeneracy=e.degeneracy or "",
                       verified=e.certificate.verified)
            rows.append(row)
        return pd.DataFrame(rows)

    def summary(self) -> str:
        sectors = sorted(self.equilibria[0].prices) if self.equilibria else []
        south = [_describe(e.activities) for e in self.equilibria]
        north = [_describe(e.north_activities) for e in self.equilibria]
        ws = max([len("South (labor)")] + [len(x) for x in south])
        wn = max([len("North (labor)")] + [len(x) for x in north])
        head = "  ".join(f"{'p' + str(j):>9}" for j in sectors)
        lines = [f"Model: {self.model} (two-country world)   equilibria: {len(self.equilibria)} "
                 f"({len(self.stable)} stable)" + ("   [exact]" if self.exact else ""),
                 "wage = w_S/w_N (North's wage is 1); prices in North's labor",
                 (f"{'#':>2}  {'South (labor)':<{ws}}  {'North (labor)':<{wn}}  {'wage':>9} "
                  f"{'gap':>9}  {head}  {'stable':<6} note")]
        for i, e in enumerate(self.equilibria):
            ps = "  ".join(f"{float(e.prices[j]):>9.4g}" for j in sectors)
            lines.append(f"{i + 1:>2}  {south[i]:<{ws}}  {north[i]:<{wn}}  {e.wage:>9.5g} "
                         f"{e.income_gap:>9.5g}  {ps}  {'yes' if e.stable else 'no':<6} "
                         f"{'; '.join(e.flags())}".rstrip())
        lines.append("(~ = on the rising part of its externality)")
        return "\n".join(lines)

    __str__ = summary

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<tr><td>{i}</td><td>{html.escape(_describe(e.activities))}</td>"
            f"<td>{html.escape(_describe(e.north_activities))}</td><td>{e.wage:.6g}</td>"
            f"<td>{e.income_gap:.6g}</td><td>"
            + ", ".join(f"{float(v):.4g}" for v in e.prices.values())
            + f"</td><td>{html.escape(e.stability)}</td><td>{html.escape(e.degeneracy or '')}</td></tr>"
            for i, e in enumerate(self.equilibria, 1))
        return (f"<p><b>{html.escape(self.model)}</b> model, two-country world: "
                f"{len(self.equilibria)} equilibria ({len(self.stable)} stable)</p>"
                "<table><tr><th>#</th><th>South</th><th>North</th><th>wage</th>"
                f"<th>income gap</th><th>prices</th><th>stability</th><th>degenerate</th></tr>{rows}</table>")

    def to_latex(self) -> str:
        """A LaTeX tabular of the equilibria."""
        out = [r"\begin{tabular}{rllrrl}", r"\hline",
               r"\# & South & North & $w$ & $1/w$ & stable \\", r"\hline"]
        tilde, end = r"$^\sim$", " \\\\"
        for i, e in enumerate(self.equilibria, 1):
            south = _describe(e.activities).replace("~", tilde)
            north = _describe(e.north_activities).replace("~", tilde)
            out.append(f"{i} & {south} & {north} & {e.wage:.6g} & {e.income_gap:.6g} & "
                       f"{e.stability}" + end)
        out += [r"\hline", r"\end{tabular}"]
        return "\n".join(out)
