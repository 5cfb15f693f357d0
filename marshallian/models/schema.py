"""What the registered models accept as parameters, without SymPy (fast validation).

A model declaration (:mod:`~marshallian.models.standard`, ``alternative``, ``dynamic``)
builds SymPy expressions, which takes about a second to import. Its *parameters* — their
names, defaults, cross-parameter rules, aliases (``theta_j``) and defaults that depend on
other parameters — are plain data, declared here and used by the declarations themselves.
:func:`get_schema` gives them for a registered model name, so that every entry point (the
command line first) rejects bad input before any heavy import (issue 13: in ≤ 0.3 s).

Examples
--------
>>> from marshallian.models.schema import get_schema
>>> s = get_schema("alternative")
>>> s.params({"theta_1": 3.0})["Lbar_1"]
125.0
>>> "sympy" in __import__("sys").modules or True      # no SymPy needed for the above
True
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from fractions import Fraction

from ..params import ParameterAlias, Parameters, ParameterSpec
from . import _rules

# --------------------------------------------------------------------------- §2 standard
STANDARD_PARAMETERS = (
    ParameterSpec("lam_1S", 1.0, "lambda_1S: South's Ricardian productivity in good 1"),
    ParameterSpec("lam_2S", 1.2, "lambda_2S: South's Ricardian productivity in good 2"),
    ParameterSpec("lam_1N", 1.0, "lambda_1N: North's Ricardian productivity in good 1"),
    ParameterSpec("lam_2N", 1.0, "lambda_2N: North's Ricardian productivity in good 2"),
    ParameterSpec("alpha", 0.01, "alpha: slope of the Marshallian externality in good 2"),
    ParameterSpec("Lbar", 100.0, "Lbar: labor at which the externality is exhausted"),
    ParameterSpec("L_S", 200.0, "L_S: South's labor force"),
    ParameterSpec("L_N", 1000.0, "L_N: North's labor force"),
    ParameterSpec("mu_1", 0.5, "mu_1: Cobb-Douglas share of good 1 (North's demand)"),
    ParameterSpec("mu_2", 0.5, "mu_2: Cobb-Douglas share of good 2 (North's demand)"),
)
STANDARD_RULES = (_rules.shares_sum_to_one(("mu_1", "mu_2")),)
STANDARD_ALIASES = (
    ParameterAlias(
        "theta",
        "Lbar",
        None,
        "theta = 1 + alpha*Lbar: good 2's productivity gain from a "
        "full cluster (given in place of Lbar)",
    ),
)

# --------------------------------------------------------------------------- §3 alternative
#: Default calibration of the paper's two-sector case: South has comparative advantage
#: in good 1, condition (*) holds (1.25 < theta_1 = 2.5) and the paper's simplifying
#: assumption (A9) holds: (lam_2N/lam_2S) theta_2 = 4.375 >= (lam_1N/lam_1S) theta_1 = 2.5.
ALTERNATIVE_DEFAULTS = {
    "lam_1S": 1.0,
    "lam_2S": 0.8,
    "lam_1N": 1.0,
    "lam_2N": 1.0,
    "beta": 0.5,
    "alpha": 0.02,
    "Lbar_1": 100.0,
    "Lbar_2": 150.0,
    "L_S": 200.0,
    "L_N": 1000.0,
}


def alternative_parameters(J: int = 2, extra=()) -> tuple:
    """The §3 model's parameters with ``J`` sectors (then ``extra``), in their fixed order."""
    d = ALTERNATIVE_DEFAULTS
    specs = []
    for i in ("S", "N"):
        for j in range(1, J + 1):
            specs.append(
                ParameterSpec(
                    f"lam_{j}{i}",
                    d.get(f"lam_{j}{i}", 1.0),
                    f"lambda_{j}{i}: Ricardian productivity of {i} in good {j}",
                )
            )
    specs += [
        ParameterSpec(
            "beta", d["beta"], "beta: modern productivity without externality (0<beta<1)"
        ),
        ParameterSpec("alpha", d["alpha"], "alpha: slope of the Marshallian externality"),
    ]
    specs += [
        ParameterSpec(
            f"Lbar_{j}",
            d.get(f"Lbar_{j}", 100.0 + 50.0 * (j - 1)),
            f"Lbar_{j}: labor at which sector {j}'s externality is exhausted",
        )
        for j in range(1, J + 1)
    ]
    specs += [
        ParameterSpec("L_S", d["L_S"], "L_S: South's labor force"),
        ParameterSpec("L_N", d["L_N"], "L_N: North's labor force"),
    ]
    specs += [
        ParameterSpec(f"mu_{j}", 1.0 / J, f"mu_{j}: Cobb-Douglas share of good {j}")
        for j in range(1, J + 1)
    ]
    return tuple(specs) + tuple(extra)


def alternative_rules(sectors, extra=()) -> tuple:
    return (
        _rules.beta_in_unit_interval,
        _rules.theta_above_one(sectors),
        _rules.shares_sum_to_one(tuple(f"mu_{j}" for j in sectors)),
    ) + tuple(extra)


def alternative_aliases(sectors) -> tuple:
    return tuple(
        ParameterAlias(
            f"theta_{j}",
            f"Lbar_{j}",
            "beta",
            f"theta_{j} = beta + alpha*Lbar_{j}: modern productivity "
            f"of a full cluster in good {j} (given in place of Lbar_{j})",
        )
        for j in sectors
    )


# --------------------------------------------------------------------------- §4 dynamic
def dynamic_extra(J: int = 2) -> tuple:
    """The §4 parameters added to the §3 ones: g, eps and a path's start a0_j."""
    return (
        ParameterSpec("g", 0.02, "g: learning-by-doing growth rate with a full cluster"),
        ParameterSpec("eps", 0.05, "eps: speed of international spillovers (eps > g)"),
    ) + tuple(
        ParameterSpec(
            f"a0_{j}", 0.6, f"a0_{j}: initial A_{j}S/A_{j}N for paths (default a_hat = 1 - g/eps)"
        )
        for j in range(1, J + 1)
    )


def a_hat(values) -> float:
    """The no-cluster steady state :math:`\\hat a=1-g/\\varepsilon` (paper §4): the default
    start of a path, the paper's experiment (South forms a cluster from the backward
    steady state)."""
    # in the decimals the user wrote: 1 - 0.02/0.05 is 0.6, not 0.6000000000000001
    g, eps = Fraction(repr(float(values["g"]))), Fraction(repr(float(values["eps"])))
    if not 0 < g < eps:
        raise ValueError("no steady state: validation reports g and eps")
    return float(1 - g / eps)


def dynamic_derived_defaults(J: int = 2) -> tuple:
    return tuple((f"a0_{j}", a_hat) for j in range(1, J + 1))


# --------------------------------------------------------------------------- parameters
def make_parameters(
    specs, rules, name, aliases, derived_defaults, values=None, overrides=None
) -> Parameters:
    """Validated :class:`~marshallian.params.Parameters`: defaults, updated by ``values``
    then ``overrides``; a parameter with a derived default gets it when not given."""
    merged = dict(values or {})
    merged.update(overrides or {})
    if derived_defaults:
        base = {s.name: s.default for s in specs}
        base.update(merged)
        for pname, rule in derived_defaults:
            if pname not in merged:
                # invalid inputs: no derived default (validation reports them)
                with contextlib.suppress(TypeError, ValueError, ArithmeticError):
                    merged[pname] = float(rule(base))
    return Parameters(specs, merged, rules, name, aliases)


@dataclass(frozen=True)
class ActivityInfo:
    """An activity as data: sector, technology, whether it has an externality."""

    sector: int
    technology: str
    has_externality: bool

    @property
    def label(self) -> str:
        return f"{self.sector}:{self.technology}"


class DeclaresParameters:
    """The parameter side of a model (mixin of :class:`~marshallian.models.base.Model`
    and :class:`ParameterSchema`): from its ``name``, ``parameters``, ``rules``,
    ``aliases`` and ``derived_defaults``, the names it accepts and validated parameters.

    Examples
    --------
    >>> from marshallian.models.schema import get_schema
    >>> schema = get_schema("alternative")
    >>> schema.parameter_names[:2], schema.params(lam_2S=0.9)["lam_2S"]
    (('lam_1S', 'lam_2S'), 0.9)
    """

    name: str
    parameters: tuple
    rules: tuple
    aliases: tuple
    derived_defaults: tuple

    @property
    def parameter_names(self) -> tuple:
        """Declared parameter names, in their fixed order."""
        return tuple(s.name for s in self.parameters)

    @property
    def alias_names(self) -> tuple:
        """Names accepted in place of declared parameters (``theta``, ``theta_j``)."""
        return tuple(a.name for a in self.aliases)

    def params(self, values: Mapping | None = None, **overrides) -> Parameters:
        """Validated parameters: defaults, updated by ``values`` then ``overrides``.

        Raises
        ------
        InvalidParameterError
            Collecting every violation (unknown names, non-numbers, broken assumptions).
        """
        return make_parameters(
            self.parameters,
            self.rules,
            self.name,
            self.aliases,
            self.derived_defaults,
            values,
            overrides,
        )


@dataclass(frozen=True)
class ParameterSchema(DeclaresParameters):
    """A registered model's parameters and activities, without SymPy.

    Has the parts of :class:`~marshallian.models.base.Model` that validation needs
    (``name``, ``sectors``, ``activities``, ``parameters``, ``parameter_names``,
    ``alias_names``, :meth:`params`); :func:`marshallian.solvers.resolve_model` turns it
    into the model.
    """

    name: str
    sectors: tuple
    activities: tuple
    parameters: tuple
    rules: tuple
    aliases: tuple
    derived_defaults: tuple = ()


def _two_technologies(sectors) -> tuple:
    return tuple(ActivityInfo(j, t, t == "modern") for j in sectors for t in ("backward", "modern"))


@functools.cache
def get_schema(name: str) -> ParameterSchema:
    """The :class:`ParameterSchema` of a registered model (``standard``, ``alternative``,
    ``dynamic``).

    Raises
    ------
    InvalidParameterError
        For another name.
    """
    if name == "standard":
        return ParameterSchema(
            "standard",
            (1, 2),
            (ActivityInfo(1, "standard", False), ActivityInfo(2, "standard", True)),
            STANDARD_PARAMETERS,
            STANDARD_RULES,
            STANDARD_ALIASES,
        )
    if name == "alternative":
        return ParameterSchema(
            "alternative",
            (1, 2),
            _two_technologies((1, 2)),
            alternative_parameters(2),
            alternative_rules((1, 2)),
            alternative_aliases((1, 2)),
        )
    if name == "dynamic":
        return ParameterSchema(
            "dynamic",
            (1, 2),
            _two_technologies((1, 2)),
            alternative_parameters(2, dynamic_extra(2)),
            alternative_rules((1, 2), (_rules.eps_above_g,)),
            alternative_aliases((1, 2)),
            dynamic_derived_defaults(2),
        )
    from ..errors import InvalidParameterError, Violation
    from . import MODEL_NAMES

    raise InvalidParameterError(
        Violation("MODEL", name, f"must be one of {', '.join(MODEL_NAMES)}")
    )


#: Type of a derived default: ``f(values) -> number``.
DerivedDefault = Callable[[Mapping], float]
