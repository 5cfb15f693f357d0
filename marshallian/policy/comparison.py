"""Free trade against tariffs, subsidies, coordination and promotion at one calibration.

:func:`compare_instruments` applies each instrument of the paper's policy discussion
(§2 infant-industry protection, §3.1 import substitution and cluster promotion) to South's
status quo — by default its worst stable free-trade equilibrium — follows the Marshallian
adjustment (:func:`~marshallian.policy.adjustment.run_policy`) and reports the equilibrium
reached, its wage, income gap and welfare, the Mill test (the protected activity survives
at world prices once protection ends) and the Bastable test (discounted gains cover the
discounted costs). Coordination (:func:`~marshallian.policy.coordination.coordination`)
adds the critical mass and the smallest temporary subsidy that gets past it.

The ``marshallian policy`` command and the report's policy section both print this
function's result.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field

from .._jsonable import json_safe
from ..presentation import Column, Table, Tabular, data_columns
from . import INSTRUMENTS

#: Default ad-valorem rate of the tariff and of the subsidies: equal rates, so that the
#: classic ranking shows (at equal rates a production subsidy costs less than a tariff,
#: which also distorts consumption).
DEFAULT_RATE = 1.0


def _schema(model):
    """``model``, or the parameter schema of a model name (no SymPy needed)."""
    if isinstance(model, str):
        from ..models.schema import get_schema

        return get_schema(model)
    return model


def available_instruments(model, sector: int = 2) -> tuple:
    """The instruments of :data:`INSTRUMENTS` that exist in ``model`` for ``sector``.

    ``modern-subsidy`` (a subsidy to the sector's externality technology alone) exists only
    when the sector has another technology beside it (§3); in §2 it would be the sector
    subsidy again. Coordination and promotion need an externality somewhere.

    Examples
    --------
    >>> from marshallian.policy.comparison import available_instruments
    >>> "modern-subsidy" in available_instruments("standard")
    False
    >>> available_instruments("alternative") == INSTRUMENTS
    True
    """
    model = _schema(model)
    acts = [a for a in model.activities if a.sector == sector]
    out = []
    for name in INSTRUMENTS:
        if name == "modern-subsidy" and not (
            len(acts) > 1 and any(a.has_externality for a in acts)
        ):
            continue
        if name in ("coordination", "promotion") and not any(
            a.has_externality for a in model.activities
        ):
            continue
        out.append(name)
    return tuple(out)


def check_instruments(model, instruments, sector: int = 2, name: str = "instrument") -> tuple:
    """``instruments`` validated against :func:`available_instruments` (else
    :class:`~marshallian.errors.InvalidParameterError` naming the first bad one, as the
    parameter ``name``: ``marshallian policy`` passes ``--instruments``).

    Examples
    --------
    >>> from marshallian.policy.comparison import check_instruments
    >>> check_instruments("alternative", ["tariff", "promotion"])
    ('tariff', 'promotion')
    >>> check_instruments("standard", ["modern-subsidy"])
    Traceback (most recent call last):
    ...
    marshallian.errors.InvalidParameterError: instrument='modern-subsidy': does not exist in the standard model for sector 2; available: free-trade, tariff, temporary-tariff, subsidy, coordination, promotion
    """
    from ..errors import InvalidParameterError, Violation

    model = _schema(model)
    instruments = tuple(instruments)
    avail = available_instruments(model, sector)
    for n in instruments:
        if n not in INSTRUMENTS:
            raise InvalidParameterError(
                Violation(name, n, f"unknown instrument; must be one of {', '.join(INSTRUMENTS)}")
            )
        if n not in avail:
            raise InvalidParameterError(
                Violation(
                    name,
                    n,
                    f"does not exist in the {model.name} model for sector {sector}; "
                    f"available: {', '.join(avail)}",
                )
            )
    return instruments


#: What each instrument does, in words (tables and the report).
DESCRIPTIONS = {
    "free-trade": "free trade (the status quo)",
    "tariff": "permanent tariff on the good",
    "temporary-tariff": "temporary tariff on the good",
    "subsidy": "temporary production subsidy to the sector",
    "modern-subsidy": "temporary subsidy to the sector's modern technology",
    "coordination": "coordination: a temporary subsidy just past the critical mass",
    "promotion": "promotion: the smallest permanent subsidy making a full cluster an equilibrium",
}


def _num(x) -> str:
    return "-" if x is None else f"{x:.4g}"


def _verdict(x) -> str:
    return "-" if x is None else ("pass" if x else "fail")


@dataclass(frozen=True)
class InstrumentOutcome:
    """One instrument applied to the status quo.

    Attributes
    ----------
    instrument : str
        One of :data:`INSTRUMENTS`.
    equilibrium : str or None
        Label of the equilibrium reached (None when the instrument does not apply).
    position : str or None
        South's trade position in the good under the policy.
    wage, income_gap, utility, real_income : float or None
    mill, bastable : bool or None
        The Mill and Bastable verdicts (None where the test does not apply).
    extra : dict
        Instrument-specific numbers (``gains``, ``costs``, ``rate``, ``duration``,
        ``notes``; coordination: ``target``, ``critical_mass``, ``min_subsidy``,
        ``reaches_target``; promotion: ``subsidy_needed``, ``distorted``,
        ``welfare_change``).
    """

    instrument: str
    equilibrium: str | None
    position: str | None = None
    wage: float | None = None
    income_gap: float | None = None
    utility: float | None = None
    real_income: float | None = None
    mill: bool | None = None
    bastable: bool | None = None
    extra: dict = field(default_factory=dict)
    note: str = ""

    @property
    def comparable(self) -> bool:
        """Whether the row compares like with like (same rate and duration as the others,
        an equilibrium reached); ``note`` says why not."""
        return not self.note

    def to_dict(self) -> dict:
        """The row as ``marshallian policy --format json`` prints it."""
        d = {
            "instrument": self.instrument,
            "equilibrium": self.equilibrium,
            "position": self.position,
            "wage": self.wage,
            "income_gap": self.income_gap,
            "utility": self.utility,
            "real_income": self.real_income,
            "mill": self.mill,
            "bastable": self.bastable,
            "comparable": self.comparable,
            "note": self.note,
        }
        d.update(self.extra)
        return d


def _outcome(name, pe, mill=None, bastable=None, extra=None) -> InstrumentOutcome:
    if pe is None:
        return InstrumentOutcome(name, None, mill=mill, bastable=bastable, extra=extra or {})
    return InstrumentOutcome(
        name,
        pe.label,
        pe.position,
        pe.wage,
        pe.income_gap,
        pe.welfare.utility,
        pe.welfare.real_income,
        mill,
        bastable,
        extra or {},
    )


def _run_outcome(name, run, rate, duration) -> InstrumentOutcome:
    """The row of a tariff or subsidy at ``rate`` applied for ``duration`` (None:
    permanent), from its :class:`~marshallian.policy.adjustment.PolicyRun`."""
    extra = {
        "gains": run.gains,
        "costs": run.costs,
        "rate": rate,
        "duration": duration,
        "notes": list(run.notes),
    }
    return _outcome(name, run.reached, run.mill, run.bastable, extra)


@dataclass(frozen=True)
class InstrumentComparison(Tabular):
    """Every instrument at one calibration (:func:`compare_instruments`).

    Attributes
    ----------
    model : str
    params : dict
        The calibration.
    preferences : dict
        Welfare's preferences (:meth:`Preferences.to_dict`).
    status_quo : str
        Label of the free-trade equilibrium the policies start from.
    sector : int
        The good protected, subsidised or promoted.
    discount, speed : float
        Bastable's discount rate ρ and the adjustment speed κ.
    outcomes : tuple of InstrumentOutcome

    Examples
    --------
    >>> import marshallian as m
    >>> comparison = m.compare_instruments("alternative")
    >>> comparison.status_quo, [o.instrument for o in comparison.outcomes][:3]
    ('1:backward', ['free-trade', 'tariff', 'temporary-tariff'])
    """

    model: str
    params: dict
    preferences: dict
    status_quo: str
    sector: int
    discount: float
    speed: float
    outcomes: tuple

    def __iter__(self):
        return iter(self.outcomes)

    def __getitem__(self, instrument: str) -> InstrumentOutcome:
        for o in self.outcomes:
            if o.instrument == instrument:
                return o
        raise KeyError(instrument)

    @property
    def coordination(self) -> InstrumentOutcome | None:
        """The coordination row (critical mass, smallest subsidy), if compared."""
        return next((o for o in self.outcomes if o.instrument == "coordination"), None)

    def to_dict(self) -> dict:
        """JSON-ready (non-finite numbers become None), as ``marshallian policy`` prints."""
        return json_safe(
            {
                "model": self.model,
                "params": dict(self.params),
                "preferences": dict(self.preferences),
                "status_quo": self.status_quo,
                "sector": self.sector,
                "discount": self.discount,
                "speed": self.speed,
                "rows": [o.to_dict() for o in self.outcomes],
            }
        )

    COLUMNS = (
        Column("instrument", "instrument"),
        Column("equilibrium", "equilibrium reached"),
        Column("wage", "wage", "$w$", fmt=".5g"),
        Column("income_gap", "gap", "gap", fmt=".5g"),
        Column("utility", "utility", "$U$", fmt=".5g"),
        Column("real_income", "real inc.", "real income", fmt=".5g"),
        Column("mill", "Mill", "Mill", text=_verdict),
        Column("bastable", "Bastable", "Bastable", text=_verdict),
        Column("gains", "gains", "gains", fmt=".4g"),
        Column("costs", "costs", "costs", fmt=".4g"),
        Column("note", "note (not comparable)", "note", text=lambda v: v or ""),
        *data_columns(
            "comparable",
            "position",
            "rate",
            "duration",
            "target",
            "critical_mass",
            "min_subsidy",
            "reaches_target",
            "subsidy_needed",
            "distorted",
            "welfare_change",
        ),
    )

    def _table(self) -> Table:
        """One row per instrument (the presentation layer gives ``__str__``,
        ``_repr_html_``, ``to_frame()`` with the calibration as columns, ``to_latex()``)."""
        rows = [json_safe(o.to_dict()) for o in self.outcomes]
        notes = []
        for r in rows:
            if r["instrument"] == "coordination":
                notes.append(
                    f"coordination: target {r.get('target')}, critical mass "
                    f"{_num(r.get('critical_mass'))}, smallest subsidy "
                    f"{_num(r.get('min_subsidy'))}, reaches target: "
                    f"{r.get('reaches_target')}"
                )
            if r["instrument"] == "promotion":
                notes.append(
                    f"promotion: subsidy needed {_num(r.get('subsidy_needed'))} "
                    f"(price distortion: {r.get('distorted')})"
                )
        notes.append(
            "gap = North's income per worker / South's real income per worker at world "
            "prices (1/w under free trade); Mill: protected activity survives at world "
            "prices; Bastable: discounted gains >= costs"
        )
        title = (
            (
                f"Model: {self.model}   status quo: {self.status_quo}   sector: "
                f"{self.sector}   rho={self.discount:g} kappa={self.speed:g}   "
                f"preferences: {self.preferences.get('kind')}"
            ),
        )
        context = {
            "model": self.model,
            "status_quo": self.status_quo,
            "sector": self.sector,
            "discount": self.discount,
            "speed": self.speed,
            "preferences": self.preferences.get("kind"),
        }
        return Table(self.COLUMNS, rows, title, tuple(notes), dict(self.params), context)


def _note(name, tariff_rate, subsidy_rate, duration, reached=True) -> str:
    """Why a row is not comparable with the others ("" when it is)."""
    notes = []
    if not reached:
        notes.append("no equilibrium reached")
    if name == "tariff":
        notes.append(f"permanent (the others last {duration:g})")
    if name in ("tariff", "temporary-tariff") and tariff_rate != subsidy_rate:
        notes.append(f"rate {tariff_rate:g} differs from the subsidy's {subsidy_rate:g}")
    if name in ("subsidy", "modern-subsidy") and tariff_rate != subsidy_rate:
        notes.append(f"rate {subsidy_rate:g} differs from the tariff's {tariff_rate:g}")
    if name == "coordination":
        notes.append("own rate (just past the critical mass), until the adjustment settles")
    if name == "promotion":
        notes.append("own permanent rate (the smallest making the cluster an equilibrium)")
    return "; ".join(notes)


def compare_instruments(
    model,
    params=None,
    instruments=None,
    *,
    sector: int = 2,
    tariff_rate: float = DEFAULT_RATE,
    subsidy_rate: float = DEFAULT_RATE,
    duration: float = 20.0,
    rho: float = 0.05,
    kappa: float = 1.0,
    sigma: float | None = None,
    status_quo=None,
) -> InstrumentComparison:
    """Apply each instrument to South's status quo and compare the outcomes.

    Parameters
    ----------
    model : str or Model
        ``"standard"`` or ``"alternative"``.
    params : mapping or Parameters, optional
        The calibration (defaults otherwise).
    instruments : iterable of str, optional
        Among :func:`available_instruments` (the default: all of them).
    sector : int
        Good protected, subsidised or promoted (the paper: good 2).
    tariff_rate, subsidy_rate : float
        Ad-valorem rates (default :data:`DEFAULT_RATE` both, so rows compare at equal
        rates; a row that is not comparable carries a ``note``).
    duration : float
        Length of the temporary policies.
    rho, kappa : float
        Discount rate of the Bastable test and adjustment speed (> 0).
    sigma : float, optional
        CES elasticity of substitution (Cobb-Douglas by default).
    status_quo : int, optional
        Index of the starting free-trade equilibrium by descending welfare (default: the
        worst stable one, the paper's starting point in §3.1).

    Returns
    -------
    InstrumentComparison

    Examples
    --------
    >>> from marshallian.policy.comparison import compare_instruments
    >>> c = compare_instruments("standard", instruments=("free-trade", "temporary-tariff"))
    >>> c["temporary-tariff"].mill       # CA holds at the default calibration (§2, S6)
    True
    """
    from ..solvers import resolve_model, resolve_params
    from .adjustment import run_policy, status_quo_equilibrium
    from .coordination import coordination, promote_cluster
    from .instruments import subsidy, tariff
    from .welfare import preferences

    model = resolve_model(model)
    params = resolve_params(model, params)
    instruments = (
        available_instruments(model, sector)
        if instruments is None
        else check_instruments(model, instruments, sector)
    )
    prefs = preferences(model, params, sigma=sigma)
    sq = status_quo_equilibrium(model, params, status_quo, prefs=prefs)
    common = {"status_quo": sq, "kappa": kappa, "rho": rho, "prefs": prefs}
    ext = [a for a in model.activities if a.sector == sector and a.has_externality]
    rows = []
    for name in instruments:
        if name == "free-trade":
            rows.append(_outcome(name, sq))
        elif name in ("tariff", "temporary-tariff"):
            dur = math.inf if name == "tariff" else duration
            r = run_policy(model, params, tariff(sector, tariff_rate), duration=dur, **common)
            rows.append(_run_outcome(name, r, tariff_rate, None if math.isinf(dur) else dur))
        elif name in ("subsidy", "modern-subsidy"):
            if name == "subsidy":
                pol = subsidy(sector, subsidy_rate)
            elif not ext:
                rows.append(_outcome(name, None, extra={"notes": ["no externality activity"]}))
                continue
            else:
                pol = subsidy(sector, subsidy_rate, ext[0].technology)
            r = run_policy(model, params, pol, duration=duration, **common)
            rows.append(_run_outcome(name, r, subsidy_rate, duration))
        elif name == "coordination":
            c = coordination(model, params, status_quo=sq, kappa=kappa, rho=rho, prefs=prefs)
            run = c.run
            rows.append(
                _outcome(
                    name,
                    run.reached if run else c.target,
                    run.mill if run else None,
                    run.bastable if run else None,
                    {
                        "target": c.target.label,
                        "critical_mass": c.critical_mass,
                        "min_subsidy": c.min_subsidy,
                        "reaches_target": c.reaches_target,
                        "gains": run.gains if run else None,
                        "costs": run.costs if run else None,
                    },
                )
            )
        elif name == "promotion":
            pr = promote_cluster(model, params, sector, status_quo=sq, prefs=prefs)
            rows.append(
                _outcome(
                    name,
                    pr.equilibrium,
                    (not pr.distorted) if pr.equilibrium else None,
                    None,
                    {
                        "subsidy_needed": pr.subsidy,
                        "distorted": pr.distorted,
                        "welfare_change": pr.welfare_change,
                    },
                )
            )
    rows = [
        dataclasses.replace(
            r,
            note=_note(
                r.instrument, tariff_rate, subsidy_rate, duration, r.equilibrium is not None
            ),
        )
        if r.instrument != "free-trade"
        else r
        for r in rows
    ]
    return InstrumentComparison(
        model.name, params.as_dict(), prefs.to_dict(), sq.label, sector, rho, kappa, tuple(rows)
    )
