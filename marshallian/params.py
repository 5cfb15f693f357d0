"""Validated, immutable parameter sets and the numbers-only parameter-file reader.

A model declares its parameters as :class:`ParameterSpec` entries (name, default,
description) plus cross-parameter rules (e.g. :math:`0<\\beta<1`,
:math:`\\theta_j=\\beta+\\alpha\\bar L_j>1`). :class:`Parameters` checks every rule and
raises one :class:`~marshallian.errors.InvalidParameterError` listing all violations.

Parameter files are *data*: JSON is parsed with :mod:`json` (``NaN``/``Infinity`` and
duplicated keys rejected), TOML with :mod:`tomllib`; values must be numbers. Nothing is
ever evaluated as code.
"""
from __future__ import annotations

import json
import math
import sys
import tomllib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from types import MappingProxyType
from typing import Any

from .errors import InvalidParameterError, Violation

#: Values above this magnitude are rejected: they overflow products of a few terms.
MAX_MAGNITUDE = 1e150
#: Positive values below this are rejected as underflow-prone.
MIN_MAGNITUDE = 1e-150


@dataclass(frozen=True)
class ParameterSpec:
    """One model parameter.

    Parameters
    ----------
    name : str
        ASCII name used on the command line and in files (e.g. ``"lam_1S"``).
    default : float
        Default calibration value.
    description : str
        What it is, in the paper's notation.
    positive : bool
        Whether the value must be strictly positive (all current parameters are).
    """

    name: str
    default: float
    description: str
    positive: bool = True


Rule = Callable[[Mapping[str, float]], Iterable[Violation]]


@dataclass(frozen=True)
class ParameterAlias:
    """Another way to give a declared parameter: :math:`\\theta` in place of :math:`\\bar L`.

    The paper states its conditions in :math:`\\theta\\equiv1+\\alpha\\bar L` (§2) and
    :math:`\\theta_j\\equiv\\beta+\\alpha\\bar L_j` (§3, §4). Giving ``name`` sets
    ``target`` to :math:`(\\theta-c)/\\alpha`, with :math:`c` the value of ``level`` (a
    parameter name) or 1 when ``level`` is None. Giving both ``name`` and ``target`` is
    bad input.

    Parameters
    ----------
    name : str
        The alias, e.g. ``"theta_1"``.
    target : str
        The declared parameter it sets, e.g. ``"Lbar_1"``.
    level : str or None
        Parameter holding :math:`c` (``"beta"``), or None for :math:`c=1`.
    description : str
        What it is, in the paper's notation.

    Examples
    --------
    >>> from marshallian.models import get_model
    >>> get_model("alternative").params(theta_1=2.5, alpha=0.02, beta=0.5)["Lbar_1"]
    100.0
    """

    name: str
    target: str
    level: str | None = None
    description: str = ""

    def value(self, values: Mapping) -> object:
        """:math:`\\theta` at ``values`` (which hold the target), e.g. ``beta + alpha*Lbar_1``."""
        c = 1 if self.level is None else values[self.level]
        return c + values["alpha"] * values[self.target]

    def solve(self, theta, values: Mapping):
        """The target's value for ``theta``: exact (a Fraction) from exact inputs.

        Returns ``(value, exact)``: ``value`` is a float when any input is a float (then
        ``exact`` is the rational the decimals stand for, for exact mode), else a
        :class:`~fractions.Fraction` (and ``exact`` is None).
        """
        c = 1 if self.level is None else values[self.level]
        alpha = values["alpha"]
        parts = (theta, c, alpha)
        exact = (_fraction(theta) - _fraction(c)) / _fraction(alpha)
        if any(isinstance(x, float) for x in parts):
            return float(exact), exact
        return exact, None


class _ExactFloat(float):
    """A float that carries the exact rational it stands for (internal: ``replace``)."""

    exact: Fraction

    def __new__(cls, value: float, exact: Fraction):
        self = super().__new__(cls, value)
        self.exact = exact
        return self


def _fraction(value) -> Fraction:
    """The rational a number stands for (floats read as the decimal they print as)."""
    if isinstance(value, float):
        return Fraction(float.__repr__(value))
    return Fraction(value)


def coerce_number(name: str, value, positive: bool = True):
    """``(number, exact, violation)``: ``value`` as the package stores it, or why not.

    Accepted: ``int``, ``float``, :class:`~fractions.Fraction`, :class:`~decimal.Decimal`
    and NumPy integer and floating scalars (never ``bool`` or strings). Integers and NumPy
    scalars become floats; a Decimal becomes the float nearest to it, with its exact value
    kept in ``exact`` for exact mode; a Fraction stays a Fraction.
    """
    exact = None
    if isinstance(value, _ExactFloat):
        return float(value), value.exact, None
    if isinstance(value, bool) or value is None:
        return value, None, Violation(name, value, "must be a number")
    if not isinstance(value, (int, float, Fraction, Decimal)):
        np_kind = _numpy_kind(value)
        if np_kind == "int":
            value = int(value)
        elif np_kind == "float":
            value = float(value)
        else:
            return value, None, Violation(name, value, "must be a number")
    if isinstance(value, Decimal) and not value.is_finite():
        return value, None, Violation(name, value, "must be finite")
    bad = check_number(name, value, positive)
    if bad:
        return value, None, bad
    if isinstance(value, Decimal):
        exact = Fraction(value)
        value = float(value)
        if exact == Fraction(float.__repr__(value)):
            exact = None
    elif isinstance(value, int):   # checked first: float() of a huge int overflows
        value = float(value)
    return value, exact, None


def _numpy_kind(value) -> str | None:
    np = sys.modules.get("numpy")   # a NumPy scalar implies NumPy is imported
    if np is None:
        return None
    if isinstance(value, np.integer):
        return "int"
    if isinstance(value, np.floating):
        return "float"
    return None


def check_number(name: str, value: object, positive: bool = True) -> Violation | None:
    """Return a :class:`Violation` if ``value`` is not an acceptable number, else None."""
    if isinstance(value, bool) or not isinstance(value, (int, float, Fraction, Decimal)):
        return Violation(name, value, "must be a number")
    if isinstance(value, (float, Decimal)) and not math.isfinite(value):
        return Violation(name, value, "must be finite")
    v: Any = value               # a real number: int, float, Fraction or Decimal
    if abs(v) > MAX_MAGNITUDE:
        return Violation(name, value, f"must have magnitude <= {MAX_MAGNITUDE:g}")
    if positive and not v > 0:
        return Violation(name, value, "must be > 0")
    if positive and v < MIN_MAGNITUDE:
        return Violation(name, value, f"must be >= {MIN_MAGNITUDE:g}")
    return None


class Parameters(Mapping):
    """An immutable, validated parameter set of one model.

    Behaves as a read-only mapping ``name -> value`` and exposes values as attributes
    (``params.beta``). Build it with :meth:`Model.params` rather than directly; change it
    with :meth:`replace`. Aliases (``theta_j``) read as attributes too.

    Parameters
    ----------
    specs : sequence of ParameterSpec
        The model's parameters, in their fixed order (the order of :meth:`as_tuple`).
    values : mapping
        Overrides of the defaults; unknown names are violations. Numbers may be ``int``,
        ``float``, ``Fraction``, ``Decimal`` or NumPy scalars.
    rules : sequence of callables
        Cross-parameter rules, each yielding :class:`Violation` objects.
    model : str
        Name of the model, for messages.
    aliases : sequence of ParameterAlias
        Other names that set a declared parameter (``theta_j`` for ``Lbar_j``).

    Raises
    ------
    InvalidParameterError
        Listing every violation found (unknown names, non-numbers, broken rules).

    Examples
    --------
    >>> from marshallian.models import get_model
    >>> p = get_model("standard").params(theta=3)      # Lbar = (theta - 1)/alpha
    >>> p["Lbar"], p.theta
    (200.0, 3.0)
    >>> p.replace(alpha=0.02)["alpha"]
    0.02
    """

    __slots__ = ("_aliases", "_exact", "_order", "_rules", "_specs", "_values", "model")

    def __init__(self, specs, values: Mapping | None = None, rules=(), model: str = "",
                 aliases=()):
        values = dict(values or {})
        known = {s.name: s for s in specs}
        by_alias = {a.name: a for a in aliases}
        violations = []
        for k, v in values.items():
            if k not in known and k not in by_alias:
                names = ", ".join(list(known) + list(by_alias))
                violations.append(Violation(k, v, f"unknown parameter for model '{model}' "
                                                  f"(known: {names})"))
        merged: dict = {}
        exact: dict = {}
        for s in specs:
            v, ex, bad = coerce_number(s.name, values.get(s.name, s.default), s.positive)
            if bad:
                violations.append(bad)
            elif ex is not None:
                exact[s.name] = ex
            merged[s.name] = v
        for a in aliases:
            if a.name not in values:
                continue
            theta, ex, bad = coerce_number(a.name, values[a.name], positive=True)
            if bad:
                violations.append(bad)
                continue
            if a.target in values:
                violations.append(Violation(a.name, theta, f"give {a.name} or {a.target} "
                                                           f"(={values[a.target]!r}), not both"))
                continue
            if not theta > 1:
                violations.append(Violation(a.name, theta, "must be > 1"))
                continue
            try:
                source = {k: exact.get(k, x) for k, x in merged.items()}
                value, ex2 = a.solve(theta if ex is None else ex, source)
            except (TypeError, ValueError, ArithmeticError):
                continue                 # alpha or beta is itself invalid: reported above
            bad = check_number(a.target, value, known[a.target].positive)
            if bad:
                violations.append(Violation(a.name, theta, f"gives {a.target}={value!r}: "
                                                           f"{bad.rule}"))
                continue
            merged[a.target] = value
            if ex2 is not None:
                exact[a.target] = ex2
        for rule in rules:
            try:  # a rule over values that are themselves invalid is skipped, not crashed
                violations.extend(rule(merged))
            except (TypeError, ValueError, ArithmeticError):
                pass
        if violations:
            raise InvalidParameterError(violations)
        object.__setattr__(self, "_values", MappingProxyType(merged))
        object.__setattr__(self, "_order", tuple(s.name for s in specs))
        object.__setattr__(self, "model", model)
        object.__setattr__(self, "_exact", MappingProxyType(exact))
        object.__setattr__(self, "_specs", tuple(specs))
        object.__setattr__(self, "_rules", tuple(rules))
        object.__setattr__(self, "_aliases", tuple(aliases))

    def __setattr__(self, key, value):
        raise AttributeError("Parameters are immutable; use .replace(name=value)")

    def __getitem__(self, key):
        return self._values[key]

    def __getattr__(self, key):
        if key.startswith("_"):
            raise AttributeError(key)
        try:
            return self._values[key]
        except KeyError:
            pass
        for a in self._aliases:
            if a.name == key:
                return a.value(self._values)
        raise AttributeError(key) from None

    def __iter__(self):
        return iter(self._order)

    def __len__(self):
        return len(self._order)

    def __hash__(self):
        return hash((self.model, tuple(self._values.items())))

    def __eq__(self, other):
        if not isinstance(other, Parameters):
            return NotImplemented
        return self.model == other.model and dict(self._values) == dict(other._values)

    def __repr__(self):
        body = ", ".join(f"{k}={v:g}" if isinstance(v, float) else f"{k}={v}"
                         for k, v in self._values.items())
        return f"Parameters[{self.model}]({body})"

    def _given(self) -> dict:
        out = dict(self._values)
        for k, ex in self._exact.items():
            out[k] = _ExactFloat(out[k], ex)
        return out

    def replace(self, **changes) -> Parameters:
        """A new, validated parameter set with ``changes`` applied.

        An alias replaces its target (``replace(theta_1=3)`` recomputes ``Lbar_1`` from the
        other values).

        Raises
        ------
        InvalidParameterError
            As the constructor: every violation of the new set.
        """
        values = self._given()
        for a in self._aliases:
            if a.name in changes:
                values.pop(a.target, None)
        values.update(changes)
        return Parameters(self._specs, values, self._rules, self.model, self._aliases)

    def as_tuple(self) -> tuple:
        """Values in the model's fixed parameter order (the order lambdified code expects)."""
        return tuple(self._values[k] for k in self._order)

    def exact_tuple(self) -> tuple:
        """Exact (SymPy rational) values in the fixed order, for exact mode.

        Floats are read as the decimals they print as (:func:`exact_number`); a value
        derived from ``theta`` or given as a ``Decimal`` is its exact rational.
        """
        return tuple(exact_number(self._exact.get(k, self._values[k])) for k in self._order)

    def as_dict(self) -> dict:
        return dict(self._values)


# --------------------------------------------------------------------------- files
def _reject_constant(token):
    raise ValueError(f"non-finite number {token} is not allowed")


def _no_duplicates(pairs):
    seen = {}
    for k, v in pairs:
        if k in seen:
            raise ValueError(f"duplicated key '{k}'")
        seen[k] = v
    return seen


def read_parameter_file(path) -> list[dict]:
    """Read parameter overrides from a JSON or TOML file, as data only.

    Parameters
    ----------
    path : str or Path
        ``.toml`` files are TOML tables; anything else is JSON: an object (one case) or a
        non-empty array of objects (a batch).

    Returns
    -------
    list of dict
        One dict of overrides per case; a single object gives a one-element list.

    Raises
    ------
    InvalidParameterError
        Unreadable file, malformed content, non-numeric values, duplicated keys.
    """
    p = Path(path)
    fname = f"file {str(path)!r}"
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise InvalidParameterError(Violation(fname, exc.strerror or str(exc),
                                              "must be a readable file")) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidParameterError(Violation(fname, "<binary>", "must be UTF-8 text")) from None
    if p.suffix.lower() == ".toml":
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise InvalidParameterError(Violation(fname, str(exc), "must be valid TOML")) from None
    else:
        try:
            data = json.loads(text, parse_constant=_reject_constant,
                              object_pairs_hook=_no_duplicates)
        except (ValueError, RecursionError) as exc:
            raise InvalidParameterError(Violation(fname, str(exc).split("\n")[0],
                                                  "must be valid JSON")) from None
    cases = data if isinstance(data, list) else [data]
    if not cases:
        raise InvalidParameterError(Violation(fname, "[]", "a batch must hold at least one object"))
    out = []
    for i, case in enumerate(cases):
        where = fname if not isinstance(data, list) else f"{fname}[{i}]"
        if not isinstance(case, dict):
            raise InvalidParameterError(Violation(where, type(case).__name__,
                                                  "must be an object of name: number"))
        for k, v in case.items():
            bad = check_number(f"{where}: {k}", v, positive=False)
            if bad:
                raise InvalidParameterError(bad)
        out.append({k: float(v) for k, v in case.items()})
    return out


def exact_number(value):
    """The exact rational number a parameter value stands for (exact mode).

    Integers and fractions are taken as they are; a float is taken as the decimal it is
    written as (its shortest ``repr``, which round-trips), e.g. ``0.01`` -> ``1/100``,
    not the nearest binary fraction ``5764607523034235/576460752303423488``. Parameters
    come from decimal text (files, ``--set``), so knife edges that hold in the decimals
    (e.g. ``theta = 1 + 0.01*100 = 2``) are decided as such.
    """
    import sympy as sp

    if isinstance(value, float):
        return sp.Rational(float.__repr__(value))
    if isinstance(value, Fraction):
        return sp.Rational(value.numerator, value.denominator)
    return sp.Rational(value)


def parse_assignment(text: str) -> tuple[str, float]:
    """Parse one ``NAME=VALUE`` command-line override; VALUE must be a decimal number."""
    if "=" not in text:
        raise InvalidParameterError(Violation("--set", text, "must be NAME=VALUE"))
    name, _, value = text.partition("=")
    name, value = name.strip(), value.strip()
    try:
        number = float(value)
    except ValueError:
        raise InvalidParameterError(Violation(name or "--set", value, "must be a number")) from None
    if not math.isfinite(number):
        raise InvalidParameterError(Violation(name, value, "must be finite"))
    return name, number
