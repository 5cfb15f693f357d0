"""Typed result objects: equilibria with certificates, and the result of a solve.

Results print a summary (``print(result)``), render as HTML in Jupyter, and convert to
the JSON shape fixed by ``docs/commands.md`` with :meth:`Solution.to_dict`.
"""
from __future__ import annotations

import html
import math
from dataclasses import dataclass, field


def _num(x):
    """JSON-friendly float (exact numbers are converted; inf becomes None)."""
    try:
        v = float(x)
    except TypeError:
        return str(x)
    return v if math.isfinite(v) else None


@dataclass(frozen=True)
class ActivityLabor:
    """Labor employed in one active activity."""

    sector: int
    technology: str
    labor: float
    state: str            # "rising" (on the externality's rising part), "capped" or "flat"
    exact_labor: object = None

    def to_dict(self) -> dict:
        d = {"sector": self.sector, "technology": self.technology,
             "labor": _num(self.labor), "state": self.state}
        if self.exact_labor is not None:
            d["exact_labor"] = str(self.exact_labor)
        return d


@dataclass(frozen=True)
class Certificate:
    """How an equilibrium was verified, independently of how it was found.

    Attributes
    ----------
    max_pay_residual : float
        :math:`\\max_{k\\,\\mathrm{active}} |p_j\\varphi_k(L_k)-w|/w`.
    max_deviation_gain : float
        :math:`\\max_{k\\,\\mathrm{idle}} (p_j\\varphi_k(0)-w)/w` (<= 0 up to tolerance:
        no profitable deviation).
    labor_residual : float
        :math:`|\\sum_k L_k-L_S|/L_S`.
    regime : str
        The regime the equilibrium was found in (activity: idle/rising/fixed).
    method : str
        How the regime was solved.
    verified : bool
        All residuals below the verification tolerance.
    """

    max_pay_residual: float
    max_deviation_gain: float
    labor_residual: float
    regime: str
    method: str
    verified: bool

    def to_dict(self) -> dict:
        return {"max_pay_residual": _num(self.max_pay_residual),
                "max_deviation_gain": _num(self.max_deviation_gain),
                "labor_residual": _num(self.labor_residual),
                "regime": self.regime, "method": self.method, "verified": self.verified}


@dataclass(frozen=True)
class Equilibrium:
    """One equilibrium of South (``docs/models.md`` §2).

    Attributes
    ----------
    activities : tuple of ActivityLabor
        Active activities only (positive labor).
    wage : float
        South's wage :math:`w` (North's wage is 1).
    income_gap : float
        :math:`w_N/w_S = 1/w`.
    stable : bool
        Marshallian stability (strict idle inequalities; no rising activity when two or
        more are active).
    degenerate : bool
        A knife edge: a continuum (``vertices`` given) or a weak equilibrium.
    degeneracy : str or None
        Comma-separated: ``"continuum"`` (a set of allocations, see ``vertices``), ``"tie"``
        (fixed pays tie but every lower bound binds: one point), ``"weak"`` (an idle
        activity pays exactly the wage); None if not degenerate.
    vertices : tuple
        For a continuum, the end points (each a tuple of ActivityLabor); the
        ``activities`` are then their centroid.
    clusters : dict
        Sector -> ``"none"``, ``"partial"`` (externality activity active below its cap)
        or ``"full"``.
    certificate : Certificate
    exact_wage : object
        The exact wage (SymPy number) in exact mode, else None.
    """

    activities: tuple
    wage: float
    income_gap: float
    stable: bool
    degenerate: bool
    degeneracy: str | None
    clusters: dict
    certificate: Certificate
    vertices: tuple = ()
    exact_wage: object = None
    sector_factor: dict = field(default_factory=dict)

    @property
    def interior(self) -> bool:
        """Two or more active activities, one on its rising part (a critical mass)."""
        return len(self.activities) >= 2 and any(a.state == "rising" for a in self.activities)

    @property
    def label(self) -> str:
        """Short description, e.g. ``'1:modern (full cluster)'``."""
        parts = []
        for a in self.activities:
            parts.append(f"{a.sector}:{a.technology}" + (f"[{a.state}]" if a.state == "rising" else ""))
        return " + ".join(parts)

    def describe_activities(self, rising_mark: str = "~", sep: str = "=", digits: int = 4) -> str:
        """``'1:backward=175, 1:modern=25~'``: labor by activity, rising parts marked."""
        return ", ".join(f"{a.sector}:{a.technology}{sep}{float(a.labor):.{digits}g}"
                         + (rising_mark if a.state == "rising" else "") for a in self.activities)

    def flags(self) -> list:
        """Short notes for tables: degeneracy, critical mass, a failed certificate."""
        out = []
        if self.degenerate:
            out.append(f"degenerate ({self.degeneracy})")
        if self.interior:
            out.append("critical mass")
        if not self.certificate.verified:
            out.append("NOT VERIFIED")
        return out

    def labor(self, sector: int, technology: str) -> float:
        for a in self.activities:
            if a.sector == sector and a.technology == technology:
                return a.labor
        return 0.0

    def specialized_in(self):
        """The sector South produces if it produces exactly one, else None."""
        sectors = {a.sector for a in self.activities}
        return sectors.pop() if len(sectors) == 1 else None

    def to_dict(self) -> dict:
        d = {"activities": [a.to_dict() for a in self.activities],
             "wage": _num(self.wage), "income_gap": _num(self.income_gap),
             "stable": self.stable, "degenerate": self.degenerate,
             "degeneracy": self.degeneracy, "interior": self.interior,
             "clusters": {str(k): v for k, v in self.clusters.items()},
             "certificate": self.certificate.to_dict()}
        if self.vertices:
            d["vertices"] = [[a.to_dict() for a in v] for v in self.vertices]
        if self.exact_wage is not None:
            d["exact_wage"] = str(self.exact_wage)
            d["exact_income_gap"] = str(1 / self.exact_wage)
        if self.sector_factor:
            d["relative_productivity"] = {str(k): _num(v) for k, v in self.sector_factor.items()}
        return d


@dataclass(frozen=True)
class NorthEquilibrium:
    """One of North's closed-economy equilibria (footnote 13): a configuration per sector."""

    configuration: dict     # sector -> "backward" | "cluster" | "mixed" | technology label
    productivity: dict      # sector -> productivity of the sector (wage/price)
    labor: dict             # sector -> {technology: labor}
    stable: bool

    @property
    def prices(self) -> dict:
        return {j: 1.0 / float(v) for j, v in self.productivity.items()}

    def to_dict(self) -> dict:
        return {"configuration": {str(k): v for k, v in self.configuration.items()},
                "prices": {str(k): _num(v) for k, v in self.prices.items()},
                "labor": {str(k): {t: _num(x) for t, x in v.items()} for k, v in self.labor.items()},
                "stable": self.stable}


class EquilibriumSet:
    """Sequence behaviour shared by results holding an ``equilibria`` tuple."""

    def __len__(self):
        return len(self.equilibria)

    def __iter__(self):
        return iter(self.equilibria)

    def __getitem__(self, i):
        return self.equilibria[i]

    @property
    def stable(self) -> tuple:
        """The stable equilibria."""
        return tuple(e for e in self.equilibria if e.stable)


@dataclass(frozen=True)
class Solution(EquilibriumSet):
    """The result of :func:`marshallian.solve`: every equilibrium of South.

    Attributes
    ----------
    model : str
    params : Parameters
    prices : dict
        World prices by sector (North's wage is 1).
    equilibria : tuple of Equilibrium
        Every equilibrium, stable or not, sorted by income gap.
    north : NorthEquilibrium or None
        North's equilibrium that set the prices (None if prices were given).
    exact : bool
        Whether exact rational arithmetic was used.
    tolerances : Tolerances
    """

    model: str
    params: object
    prices: dict
    equilibria: tuple
    north: NorthEquilibrium | None
    exact: bool
    tolerances: object

    def best(self) -> Equilibrium:
        """The equilibrium with the highest wage (smallest income gap)."""
        return min(self.equilibria, key=lambda e: e.income_gap)

    def find(self, **where):
        """Equilibria whose active activities match, e.g. ``find(sector=1, technology='modern')``."""
        return tuple(e for e in self.equilibria if any(
            all(getattr(a, k) == v for k, v in where.items()) for a in e.activities))

    def to_dict(self) -> dict:
        d = {"model": self.model,
             "params": {k: _num(v) for k, v in self.params.as_dict().items()},
             "prices": {str(k): _num(v) for k, v in self.prices.items()},
             "equilibria": [e.to_dict() for e in self.equilibria],
             "exact": self.exact}
        if self.north is not None:
            d["north"] = self.north.to_dict()
        return d

    def summary(self) -> str:
        lines = [f"Model: {self.model}   equilibria: {len(self.equilibria)} "
                 f"({len(self.stable)} stable)" + ("   [exact]" if self.exact else ""),
                 "World prices: " + ", ".join(f"p{k}={float(v):.6g}" for k, v in self.prices.items()),
                 f"{'#':>2}  {'activities (labor)':<44} {'wage':>10} {'gap':>10}  {'stable':<6} note"]
        for i, e in enumerate(self.equilibria, 1):
            acts = e.describe_activities()
            note = e.flags()
            lines.append(f"{i:>2}  {acts:<44} {float(e.wage):>10.6g} {float(e.income_gap):>10.6g}  "
                         f"{'yes' if e.stable else 'no':<6} {'; '.join(note)}")
        lines.append("(~ = on the rising part of its externality)")
        return "\n".join(lines)

    __str__ = summary

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<tr><td>{i}</td><td>{html.escape(e.label)}</td><td>{float(e.wage):.6g}</td>"
            f"<td>{float(e.income_gap):.6g}</td><td>{'yes' if e.stable else 'no'}</td>"
            f"<td>{html.escape(e.degeneracy or '')}</td></tr>"
            for i, e in enumerate(self.equilibria, 1))
        prices = ", ".join(f"p<sub>{k}</sub>={float(v):.6g}" for k, v in self.prices.items())
        return (f"<p><b>{html.escape(self.model)}</b> model: {len(self.equilibria)} equilibria; "
                f"world prices {prices}</p><table><tr><th>#</th><th>activities</th><th>wage</th>"
                f"<th>income gap</th><th>stable</th><th>degenerate</th></tr>{rows}</table>")
