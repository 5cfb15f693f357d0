"""Typed result objects: equilibria with certificates, and the result of a solve.

Results print a summary (``print(result)``), render as HTML in Jupyter, and convert to
the JSON shape fixed by ``docs/commands.md`` with :meth:`Solution.to_dict`.
"""

from __future__ import annotations

import enum
import functools
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

from ._jsonable import json_number
from .presentation import Column, Table, Tabular, data_columns

if TYPE_CHECKING:
    from .params import Parameters


class Stability(enum.StrEnum):
    """Marshallian stability of an equilibrium, in three states (paper §2; docs/models.md §2).

    Labor moves toward activities that pay more than others (firms take the externality
    as given). An equilibrium is

    * ``STABLE``: small reallocations of labor die out (every idle activity pays strictly
      less than the wage; no active activity beside another is on the rising part of its
      externality);
    * ``NEUTRAL``: labor can rest anywhere near it, but is not pulled back: a *continuum*
      (fixed activities paying the same wage, e.g. §2 with every λ = 1, the paper's S1) or
      a *weak* equilibrium whose tied idle activity has no externality and whose active
      activities are fixed (e.g. §3's no-cluster equilibrium with λ = 1, θ₁ = θ₂: claim A2);
    * ``UNSTABLE``: a small reallocation grows: an interior equilibrium (a critical mass),
      a tie pinned by the caps, or a weak equilibrium where an entrant raises the tied
      activity's pay.

    The rule is :func:`marshallian.solvers.stability.regime_stability`.

    Examples
    --------
    >>> Stability.NEUTRAL == "neutral"
    True
    >>> Stability.least(Stability.STABLE, Stability.NEUTRAL)
    <Stability.NEUTRAL: 'neutral'>
    """

    STABLE = "stable"
    NEUTRAL = "neutral"
    UNSTABLE = "unstable"

    @classmethod
    def least(cls, *states: Stability) -> Stability:
        """The least stable of ``states`` (an allocation made of independent parts)."""
        order = (cls.STABLE, cls.NEUTRAL, cls.UNSTABLE)
        return max(states, key=order.index, default=cls.STABLE)


def _settle_stability(result) -> None:
    """Make a frozen result's ``stable`` and ``stability`` agree: a given ``stability``
    decides ``stable``; otherwise ``stable`` decides ``stability`` (stable or unstable)."""
    if result.stability is None:
        state = Stability.STABLE if result.stable else Stability.UNSTABLE
        object.__setattr__(result, "stability", state)
    else:
        object.__setattr__(result, "stability", Stability(result.stability))
        object.__setattr__(result, "stable", result.stability is Stability.STABLE)


def equilibrium_flags(equilibrium: Any, critical_masses: list[str]) -> list[str]:
    """Short notes for an equilibrium's row in a table, in this order: its degeneracy,
    ``critical_masses`` (the notes of the countries at a critical mass), a failed
    certificate. Used by :meth:`Equilibrium.flags` and the world solver's
    ``WorldEquilibrium.flags`` (which names the country: ``critical mass (S)``).

    Examples
    --------
    >>> import marshallian as m
    >>> equilibrium_flags(m.solve("alternative").best(), ["critical mass"])
    ['critical mass']
    """
    out = [f"degenerate ({equilibrium.degeneracy})"] if equilibrium.degenerate else []
    out += critical_masses
    if not equilibrium.certificate.verified:
        out.append("NOT VERIFIED")
    return out


@dataclass(frozen=True)
class ActivityLabor:
    """Labor employed in one active activity."""

    sector: int
    technology: str
    labor: float
    state: str  # "rising" (on the externality's rising part), "capped" or "flat"
    exact_labor: object = None

    def to_dict(self) -> dict:
        d = {
            "sector": self.sector,
            "technology": self.technology,
            "labor": json_number(self.labor),
            "state": self.state,
        }
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
        return {
            "max_pay_residual": json_number(self.max_pay_residual),
            "max_deviation_gain": json_number(self.max_deviation_gain),
            "labor_residual": json_number(self.labor_residual),
            "regime": self.regime,
            "method": self.method,
            "verified": self.verified,
        }


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
        ``stability is Stability.STABLE`` (strict idle inequalities; no rising activity
        when two or more are active).
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
    stability : Stability
        Stable, neutral (a continuum, or a weak equilibrium on which labor can rest) or
        unstable; see :class:`Stability`. When not given it is read from ``stable``
        (stable or unstable).

    Examples
    --------
    >>> import marshallian as m
    >>> best = m.solve("alternative").best()
    >>> best.label, best.wage, best.income_gap, best.clusters
    ('1:modern', 1.0, 1.0, {1: 'full', 2: 'none'})
    >>> best.certificate.verified
    True
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
    exact_wage: Any = None
    sector_factor: dict = field(default_factory=dict)
    stability: Stability | None = None

    def __post_init__(self):
        _settle_stability(self)

    @property
    def interior(self) -> bool:
        """Two or more active activities, one on its rising part (a critical mass)."""
        return len(self.activities) >= 2 and any(a.state == "rising" for a in self.activities)

    @property
    def label(self) -> str:
        """Short description, e.g. ``'1:modern (full cluster)'``."""
        parts = []
        for a in self.activities:
            parts.append(
                f"{a.sector}:{a.technology}" + (f"[{a.state}]" if a.state == "rising" else "")
            )
        return " + ".join(parts)

    def describe_activities(self, rising_mark: str = "~", sep: str = "=", digits: int = 4) -> str:
        """``'1:backward=175, 1:modern=25~'``: labor by activity, rising parts marked."""
        return ", ".join(
            f"{a.sector}:{a.technology}{sep}{float(a.labor):.{digits}g}"
            + (rising_mark if a.state == "rising" else "")
            for a in self.activities
        )

    def flags(self) -> list:
        """Short notes for tables: degeneracy, critical mass, a failed certificate."""
        return equilibrium_flags(self, ["critical mass"] if self.interior else [])

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
        d = {
            "activities": [a.to_dict() for a in self.activities],
            "wage": json_number(self.wage),
            "income_gap": json_number(self.income_gap),
            "stable": self.stable,
            "stability": cast(Stability, self.stability).value,
            "degenerate": self.degenerate,
            "degeneracy": self.degeneracy,
            "interior": self.interior,
            "clusters": {str(k): v for k, v in self.clusters.items()},
            "certificate": self.certificate.to_dict(),
        }
        if self.vertices:
            d["vertices"] = [[a.to_dict() for a in v] for v in self.vertices]
        if self.exact_wage is not None:
            d["exact_wage"] = str(self.exact_wage)
            d["exact_income_gap"] = str(1 / self.exact_wage)
        if self.sector_factor:
            d["relative_productivity"] = {
                str(k): json_number(v) for k, v in self.sector_factor.items()
            }
        return d


@dataclass(frozen=True)
class NorthEquilibrium:
    """One of North's closed-economy equilibria (footnote 13): a configuration per sector."""

    configuration: dict  # sector -> "backward" | "cluster" | "mixed" | technology label
    productivity: dict  # sector -> productivity of the sector (wage/price)
    labor: dict  # sector -> {technology: labor}
    stable: bool
    stability: Stability | None = None

    def __post_init__(self):
        _settle_stability(self)

    @property
    def prices(self) -> dict:
        return {j: 1.0 / float(v) for j, v in self.productivity.items()}

    def to_dict(self) -> dict:
        return {
            "configuration": {str(k): v for k, v in self.configuration.items()},
            "prices": {str(k): json_number(v) for k, v in self.prices.items()},
            "labor": {
                str(k): {t: json_number(x) for t, x in v.items()} for k, v in self.labor.items()
            },
            "stable": self.stable,
            "stability": cast(Stability, self.stability).value,
        }


class EquilibriumSet:
    """Sequence behaviour shared by results holding an ``equilibria`` tuple."""

    equilibria: tuple  # declared by the subclasses (dataclass fields)

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

    @property
    def neutral(self) -> tuple:
        """The neutrally stable equilibria (a continuum, or weak and labor can rest there)."""
        return tuple(e for e in self.equilibria if e.stability is Stability.NEUTRAL)

    @property
    def stable_or_neutral(self) -> tuple:
        """The equilibria that are not unstable: where labor can stay."""
        return tuple(e for e in self.equilibria if e.stability is not Stability.UNSTABLE)


@dataclass(frozen=True)
class Solution(Tabular, EquilibriumSet):
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
    warnings : tuple of str
        What the answer rests on that the user should know, e.g. that North cannot have
        the paper's full clusters (:func:`marshallian.solvers.north_premise`).

    Examples
    --------
    >>> import marshallian as m
    >>> sol = m.solve("alternative")          # the default §3 calibration
    >>> len(sol), len(sol.stable)
    (7, 3)
    >>> [round(e.income_gap, 2) for e in sol.stable]
    [1.0, 1.25, 2.5]
    """

    model: str
    params: Parameters
    prices: dict
    equilibria: tuple
    north: NorthEquilibrium | None
    exact: bool
    tolerances: object
    warnings: tuple = ()

    def best(self) -> Equilibrium:
        """The equilibrium with the highest wage (smallest income gap)."""
        return min(self.equilibria, key=lambda e: e.income_gap)

    def find(self, **where):
        """Equilibria whose active activities match, e.g. ``find(sector=1, technology='modern')``."""
        return tuple(
            e
            for e in self.equilibria
            if any(all(getattr(a, k) == v for k, v in where.items()) for a in e.activities)
        )

    def to_dict(self) -> dict:
        d = {
            "model": self.model,
            "params": {k: json_number(v) for k, v in self.params.as_dict().items()},
            "prices": {str(k): json_number(v) for k, v in self.prices.items()},
            "equilibria": [e.to_dict() for e in self.equilibria],
            "exact": self.exact,
        }
        if self.north is not None:
            d["north"] = self.north.to_dict()
        if self.warnings:
            d["warnings"] = list(self.warnings)
        return d

    def _table(self) -> Table:
        return equilibria_table(self)

    def _display_table(self) -> Table:
        import dataclasses

        return dataclasses.replace(
            self._table(),
            title=tuple(f"Warning: {w}" for w in self.warnings)
            + (
                f"Model: {self.model}   equilibria: {len(self.equilibria)} "
                f"({len(self.stable)} stable"
                + (f", {len(self.neutral)} neutral" if self.neutral else "")
                + ")"
                + ("   [exact]" if self.exact else ""),
                "World prices: "
                + ", ".join(f"p{k}={float(v):.6g}" for k, v in self.prices.items()),
            ),
        )


def _activity_labels(model_name: str, equilibria) -> list:
    """``sector:technology`` of every activity of the model (fixed columns for a batch),
    or of the equilibria's activities if the model is not a registered one."""
    labels = _registered_activity_labels(model_name)
    if labels is not None:
        return labels
    return sorted({(a.sector, a.technology) for e in equilibria for a in e.activities})


@functools.lru_cache(maxsize=64)
def _registered_activity_labels(model_name: str):
    from .errors import MarshallianError
    from .models import get_model

    try:
        return [(a.sector, a.technology) for a in get_model(model_name).activities]
    except MarshallianError:  # a user-built model
        return None


#: Columns of every table of equilibria (Solution, and results that list equilibria).
EQUILIBRIUM_COLUMNS = (
    Column("equilibrium", "#", r"\#", fmt=""),
    Column("activities", "activities (labor)", "activities (labor)"),
    Column("wage", "wage", "$w$"),
    Column("income_gap", "gap", "$1/w$"),
    Column("stable", "stable", "stable"),
    Column("note", "note", "note"),
    *data_columns("degenerate", "degeneracy", "interior", "verified"),
)


def equilibrium_row(i: int, e) -> dict:
    """One equilibrium as a row of :data:`EQUILIBRIUM_COLUMNS` (plus labor columns)."""
    row = {
        "equilibrium": i,
        "activities": e.describe_activities(),
        "wage": e.wage,
        "income_gap": e.income_gap,
        "stable": e.stable,
        "note": "; ".join(e.flags()),
        "degenerate": e.degenerate,
        "degeneracy": e.degeneracy,
        "interior": e.interior,
        "verified": e.certificate.verified,
    }
    stability = getattr(e, "stability", None)
    if stability is not None:
        row["stability"] = stability
    for a in e.activities:
        row[f"labor_{a.sector}_{a.technology}"] = a.labor
    return row


@functools.lru_cache(maxsize=64)
def _equilibrium_columns(labels: tuple, has_stability: bool) -> tuple:
    columns = list(EQUILIBRIUM_COLUMNS)
    if has_stability:
        # three states printed; the boolean ``stable`` stays in the data (CSV, frames)
        columns[4] = Column("stable", "stable", "stable", shown=False)
        columns.insert(5, Column("stability", "stability", "stability"))
    columns += [Column(f"labor_{j}_{t}", shown=False, fmt="") for j, t in labels]
    return tuple(columns)


def equilibria_table(sol, title=(), extra_columns=()) -> Table:
    """The table of a result listing equilibria (``sol.equilibria``, ``sol.params``,
    ``sol.prices``, ``sol.model``): one row per equilibrium, labor by activity as data."""
    eqs = sol.equilibria
    has_stability = any(getattr(e, "stability", None) is not None for e in eqs)
    labels = tuple(_activity_labels(sol.model, eqs))
    columns = _equilibrium_columns(labels, has_stability) + tuple(extra_columns)
    zeros = {f"labor_{j}_{t}": 0.0 for j, t in labels}
    rows = []
    for i, e in enumerate(eqs, 1):
        row = dict(zeros)
        row.update(equilibrium_row(i, e))
        rows.append(row)
    params = sol.params.as_dict() if hasattr(sol.params, "as_dict") else dict(sol.params or {})
    context = {"model": sol.model}
    context.update({f"price_{k}": v for k, v in sol.prices.items()})
    return Table(
        tuple(columns),
        rows,
        tuple(title),
        ("(~ = on the rising part of its externality)",),
        params,
        context,
    )


class ConditionTable(Tabular):
    """The derived existence conditions of a model (entries of
    :func:`marshallian.derive_conditions`), presented: one row per equilibrium type.

    Examples
    --------
    >>> import marshallian as m
    >>> t = ConditionTable(m.derive_conditions("standard"))
    >>> list(t.to_frame().columns)[:3]
    ['model', 'equilibrium_type', 'activities']
    """

    COLUMNS = (
        Column("equilibrium_type", "type"),
        Column("activities", shown=False),
        Column("stable", "stable"),
        Column("condition_text", "exists iff", data=False),
        Column("condition", shown=False),
        Column("wage", "wage", shown=False),
        Column("note", shown=False),
    )

    def __init__(self, entries):
        self.entries = tuple(entries)

    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self):
        return iter(self.entries)

    def to_dict(self) -> list:
        return [e.to_dict() for e in self.entries]

    def _table(self) -> Table:
        rows = []
        for e in self.entries:
            d = e.to_dict()
            rows.append(
                {
                    "equilibrium_type": e.label,
                    "activities": " + ".join(f"{j}:{t}" for j, t in e.activities),
                    "stable": e.stable,
                    "condition": d["condition"],
                    "condition_text": (
                        f"no closed form ({e.note})" if e.condition is None else str(e.condition)
                    ),
                    "wage": d["wage"],
                    "note": e.note,
                }
            )
        defs = {str(k): str(v) for e in self.entries for k, v in e.definitions.items()}
        title = (f"Premise: {self.entries[0].premise}",) if self.entries else ()
        notes = (
            ("Definitions: " + "; ".join(f"{k} = {v}" for k, v in sorted(defs.items())),)
            if defs
            else ()
        )
        model = self.entries[0].model if self.entries else ""
        return Table(self.COLUMNS, rows, title, notes, None, {"model": model})


class ClaimTable(Tabular):
    """The paper's claims checked on seeded draws (:func:`marshallian.run_claims`),
    presented: one row per claim.

    Examples
    --------
    >>> import marshallian as m
    >>> t = ClaimTable(m.run_claims(["S1"], draws=3, seed=1), seed=1, draws=3)
    >>> t.to_frame()[["id", "holds"]].values.tolist()
    [['S1', True]]
    """

    COLUMNS = (
        Column("id", "id"),
        Column("holds", "result", text=lambda v: "holds" if v else "FAILS"),
        Column("draws", "draws", fmt=""),
        Column("counterexamples", "counterexamples", fmt=""),
        Column("statement", "statement"),
        Column("notes", shown=False),
    )

    def __init__(self, results, seed=None, draws=None):
        self.results, self.seed, self.draws = tuple(results), seed, draws

    def _table(self) -> Table:
        rows = [
            {
                "id": r.id,
                "holds": r.holds,
                "draws": r.draws,
                "counterexamples": len(r.counterexamples),
                "statement": r.statement,
                "notes": r.notes,
            }
            for r in self.results
        ]
        n_ok = sum(r.holds for r in self.results)
        notes = (
            f"{n_ok}/{len(self.results)} claims hold (seed {self.seed}, {self.draws} draws each)",
        )
        return Table(
            self.COLUMNS, rows, (), notes, None, {"seed": self.seed, "draws_per_claim": self.draws}
        )
