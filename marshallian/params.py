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
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from types import MappingProxyType
from typing import Callable, Iterable

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


def check_number(name: str, value, positive: bool = True) -> Violation | None:
    """Return a :class:`Violation` if ``value`` is not an acceptable number, else None."""
    if isinstance(value, bool) or not isinstance(value, (int, float, Fraction)):
        return Violation(name, value, "must be a number")
    if isinstance(value, float) and not math.isfinite(value):
        return Violation(name, value, "must be finite")
    if abs(value) > MAX_MAGNITUDE:
        return Violation(name, value, f"must have magnitude <= {MAX_MAGNITUDE:g}")
    if positive and not value > 0:
        return Violation(name, value, "must be > 0")
    if positive and value < MIN_MAGNITUDE:
        return Violation(name, value, f"must be >= {MIN_MAGNITUDE:g}")
    return None


class Parameters(Mapping):
    """An immutable, validated parameter set of one model.

    Behaves as a read-only mapping ``name -> value`` and exposes values as attributes
    (``params.beta``). Build it with :meth:`Model.params` rather than directly.

    Parameters
    ----------
    specs : sequence of ParameterSpec
        The model's parameters, in their fixed order (the order of :meth:`as_tuple`).
    values : mapping
        Overrides of the defaults; unknown names are violations.
    rules : sequence of callables
        Cross-parameter rules, each yielding :class:`Violation` objects.
    model : str
        Name of the model, for messages.

    Raises
    ------
    InvalidParameterError
        Listing every violation found (unknown names, non-numbers, broken rules).
    """

    __slots__ = ("_values", "_order", "model")

    def __init__(self, specs, values: Mapping | None = None, rules=(), model: str = ""):
        values = dict(values or {})
        known = {s.name: s for s in specs}
        violations = [Violation(k, v, f"unknown parameter for model '{model}' "
                                      f"(known: {', '.join(known)})")
                      for k, v in values.items() if k not in known]
        merged = {}
        for s in specs:
            v = values.get(s.name, s.default)
            bad = check_number(s.name, v, s.positive)
            if bad:
                violations.append(bad)
            elif isinstance(v, int):   # checked first: float() of a huge int overflows
                v = float(v)
            merged[s.name] = v
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

    def __setattr__(self, key, value):
        raise AttributeError("Parameters are immutable; use .replace(name=value)")

    def __getitem__(self, key):
        return self._values[key]

    def __getattr__(self, key):
        try:
            return self._values[key]
        except KeyError:
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

    def as_tuple(self) -> tuple:
        """Values in the model's fixed parameter order (the order lambdified code expects)."""
        return tuple(self._values[k] for k in self._order)

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
