"""Model declarations: activities, parameters, world-price rule (kept apart from solvers).

A model is data (dolo-style): a set of *activities* ``k = (sector j, technology t)`` whose
productivity in country ``i`` is (``docs/models.md`` §1, paper eqs. in §2 and §3)

.. math::

    \\varphi_k(L_k) = \\lambda_{ji}\\, s_j\\, \\bigl(c_t + \\alpha_t \\min(\\bar L_j, L_k)\\bigr),

where ``s_j`` is a sector factor: 1 in the static models, and South's steady-state relative
productivity :math:`a_j(m_j) = 1-(g/\\varepsilon)(1-\\min(m_j,\\bar L_j)/\\bar L_j)` in the
§4 model (``m_j`` the labor of the sector's *learning* activity, its modern technology).
Every coefficient is a SymPy expression in fixed parameter symbols; :meth:`Model.compile`
lambdifies them once into a function of the parameter tuple (fixed order).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field

import sympy as sp

from .._frozen import frozen
from ..params import Parameters
from .schema import DeclaresParameters


def symbol(name: str) -> sp.Symbol:
    """The package's one symbol for a parameter name (positive, real).

    Examples
    --------
    >>> from marshallian.models.base import symbol
    >>> symbol("beta") == symbol("beta"), symbol("beta").is_positive
    (True, True)
    """
    return sp.Symbol(name, positive=True)


@dataclass(frozen=True)
class Activity:
    """One activity: a sector and a technology with piecewise-linear productivity.

    Parameters
    ----------
    sector : int
        Sector (good) number, 1-based as in the paper.
    technology : str
        ``"standard"`` (§2), ``"backward"`` or ``"modern"`` (§3, §4), or any name.
    level : sympy.Expr
        :math:`c_t`, productivity without externality (1 for backward, :math:`\\beta`
        for modern).
    slope : sympy.Expr
        :math:`\\alpha_t` (0 for activities without a Marshallian externality).
    cap : sympy.Expr or None
        :math:`\\bar L_j`, labor at which the externality is exhausted; None if slope is 0.
    learns : bool
        Whether this activity drives the sector's learning by doing (§4): at most one per
        sector, with ``slope > 0``; the sector factor then uses the same cap.

    Examples
    --------
    >>> import marshallian as m
    >>> modern_1 = m.get_model("alternative").activities[1]
    >>> modern_1.sector, modern_1.technology, modern_1.level, modern_1.slope, modern_1.cap
    (1, 'modern', beta, alpha, Lbar_1)
    """

    sector: int
    technology: str
    level: sp.Expr
    slope: sp.Expr = sp.Integer(0)
    cap: sp.Expr | None = None
    learns: bool = False

    @property
    def has_externality(self) -> bool:
        return self.slope != 0

    @property
    def label(self) -> str:
        return f"{self.sector}:{self.technology}"


@dataclass(frozen=True)
class Structure:
    """Numeric coefficients of a model at one parameter point (output of the compile step).

    Attributes are tuples aligned with ``Model.activities`` / ``Model.sectors``.
    """

    level: tuple
    slope: tuple
    cap: tuple
    lam_S: tuple
    lam_N: tuple
    sigma0: tuple
    sigma1: tuple
    mu: tuple
    L_S: float
    L_N: float


@dataclass(frozen=True, eq=False)
class Model(DeclaresParameters):
    """A North–South model with Marshallian externalities, as data.

    Parameters
    ----------
    name : str
        Registry name (``"standard"``, ``"alternative"``, ``"dynamic"`` or user's).
    sectors : tuple of int
        Sector numbers ``1..J``.
    activities : tuple of Activity
        Every (sector, technology) pair; both countries share them.
    parameters : tuple of ParameterSpec
        Declared parameters in their fixed order (the lambdify argument order).
    lam_S, lam_N : dict
        Sector -> Ricardian productivity symbol :math:`\\lambda_{jS}`, :math:`\\lambda_{jN}`.
    L_S, L_N : sympy.Symbol
        Labor endowments.
    mu : dict
        Sector -> Cobb-Douglas share expression (North's demand, footnote 13).
    sector_factor : dict
        Sector -> (sigma0, sigma1) with :math:`s_j = \\sigma_0+\\sigma_1\\min(\\bar L_j,m_j)`.
        Missing sectors have (1, 0).
    rules : tuple of callables
        Cross-parameter rules yielding violations.
    aliases : tuple of ParameterAlias
        Other names accepted for declared parameters (``theta_j`` for ``Lbar_j``).
    derived_defaults : tuple of (str, callable)
        Parameters whose default depends on others: ``(name, f)`` sets ``name`` to
        ``f(values)`` when it is not given (e.g. §4's ``a0_j`` = â = 1 − g/ε).
    definitions : dict
        Named derived quantities shown in conditions (e.g. ``theta_1``).
    description : str
        One line for summaries.

    Examples
    --------
    >>> import marshallian as m
    >>> model = m.get_model("alternative")
    >>> model.name, len(model.activities)
    ('alternative', 4)
    >>> model.parameters[1].name, model.parameters[1].default
    ('lam_2S', 0.8)
    """

    name: str
    sectors: tuple
    activities: tuple
    parameters: tuple
    lam_S: dict
    lam_N: dict
    L_S: sp.Symbol
    L_N: sp.Symbol
    mu: dict
    sector_factor: dict = field(default_factory=dict)
    rules: tuple = ()
    definitions: dict = field(default_factory=dict)
    description: str = ""
    aliases: tuple = ()
    derived_defaults: tuple = ()

    def __post_init__(self):
        # a model is shared by every caller (``get_model`` caches it): read-only mappings
        for name in ("lam_S", "lam_N", "mu", "sector_factor", "definitions"):
            object.__setattr__(self, name, frozen(getattr(self, name)))
        for j in self.sectors:
            learners = [a for a in self.activities if a.sector == j and a.learns]
            if len(learners) > 1 or any(not a.has_externality for a in learners):
                raise ValueError(f"sector {j}: at most one learning activity, with slope > 0")
        for a in self.activities:
            if a.sector not in self.sectors:
                raise ValueError(f"activity {a.label}: unknown sector")
            if a.has_externality and a.cap is None:
                raise ValueError(f"activity {a.label}: an externality needs a cap")

    # ------------------------------------------------------------------ parameters
    @property
    def symbols(self) -> tuple:
        """Parameter symbols in the fixed order."""
        return tuple(symbol(n) for n in self.parameter_names)

    def defaults(self) -> Parameters:
        return self.params()

    # ------------------------------------------------------------------ structure
    def activity_index(self, sector: int, technology: str) -> int:
        for k, a in enumerate(self.activities):
            if a.sector == sector and a.technology == technology:
                return k
        raise KeyError((sector, technology))

    def learning_activity(self, sector: int):
        """Index of the sector's learning activity, or None."""
        for k, a in enumerate(self.activities):
            if a.sector == sector and a.learns:
                return k
        return None

    def sector_factor_of(self, j):
        return self.sector_factor.get(j, (sp.Integer(1), sp.Integer(0)))

    def structure_expressions(self) -> list:
        """Flat list of the SymPy expressions that :class:`Structure` holds, in order."""
        acts = self.activities
        return (
            [a.level for a in acts]
            + [a.slope for a in acts]
            + [a.cap if a.cap is not None else sp.oo for a in acts]
            + [self.lam_S[j] for j in self.sectors]
            + [self.lam_N[j] for j in self.sectors]
            + [self.sector_factor_of(j)[0] for j in self.sectors]
            + [self.sector_factor_of(j)[1] for j in self.sectors]
            + [self.mu.get(j, sp.nan) for j in self.sectors]
            + [self.L_S, self.L_N]
        )

    def _pack(self, values) -> Structure:
        K, J = len(self.activities), len(self.sectors)
        v = list(values)
        cut = [
            0,
            K,
            2 * K,
            3 * K,
            3 * K + J,
            3 * K + 2 * J,
            3 * K + 3 * J,
            3 * K + 4 * J,
            3 * K + 5 * J,
        ]
        level, slope, cap, lam_S, lam_N, sigma0, sigma1, mu = (
            tuple(v[cut[i] : cut[i + 1]]) for i in range(len(cut) - 1)
        )
        return Structure(level, slope, cap, lam_S, lam_N, sigma0, sigma1, mu, L_S=v[-2], L_N=v[-1])

    @functools.cached_property
    def _structure_function(self) -> Callable:
        # One compile step: every coefficient as a function of the parameter tuple.
        exprs = [sp.Float("inf") if e is sp.oo else e for e in self.structure_expressions()]
        return sp.lambdify([self.symbols], exprs, modules="math", cse=True)

    def structure(self, params: Parameters) -> Structure:
        """Float coefficients at ``params`` (compiled once per model)."""
        return self._pack(self._structure_function(params.as_tuple()))

    def exact_structure(self, params: Parameters) -> Structure:
        """Rational coefficients at ``params`` (floats read as the decimals they print as,
        see :func:`~marshallian.params.exact_number`, then evaluated exactly)."""
        subs = dict(zip(self.symbols, params.exact_tuple()))
        return self._pack(
            [e if e is sp.oo else sp.sympify(e).subs(subs) for e in self.structure_expressions()]
        )

    # ------------------------------------------------------------------ symbolic
    def productivity(
        self, activity: Activity, country: str = "S", labor=None, sector_labor=None
    ) -> sp.Expr:
        """SymPy productivity :math:`\\lambda_{ji} s_j (c_t+\\alpha_t\\min(\\bar L_j,L))`.

        ``labor`` defaults to a symbol ``L_<sector><tech>``; ``sector_labor`` is the
        labor of the sector's learning activity (only used where a sector factor exists).
        """
        L = (
            labor
            if labor is not None
            else sp.Symbol(f"L_{activity.sector}{activity.technology}", nonnegative=True)
        )
        lam = (self.lam_S if country == "S" else self.lam_N)[activity.sector]
        own = activity.level + (
            activity.slope * sp.Min(activity.cap, L) if activity.has_externality else 0
        )
        s0, s1 = self.sector_factor_of(activity.sector)
        factor = s0
        if country == "S" and s1 != 0:
            learner = self.activities[self.learning_activity(activity.sector)]
            m = sector_labor if sector_labor is not None else L
            factor = s0 + s1 * sp.Min(learner.cap, m)
        elif country == "N":
            factor = sp.Integer(1)
        return lam * factor * own

    def __repr__(self):
        return (
            f"Model({self.name!r}, sectors={self.sectors}, activities="
            f"{[a.label for a in self.activities]})"
        )
