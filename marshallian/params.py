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

import contextlib
import json
import math
import os
import re
import stat
import sys
import tomllib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from types import MappingProxyType
from typing import Any

from ._jsonable import finite_float
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

    Examples
    --------
    >>> import marshallian as m
    >>> spec = m.get_model("alternative").parameters[1]
    >>> spec.name, spec.default, spec.positive
    ('lam_2S', 0.8, True)
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
    elif isinstance(value, int):  # checked first: float() of a huge int overflows
        value = float(value)
    return value, exact, None


def as_real(name: str, value, positive: bool = False) -> float:
    """``value`` as a float if it is a real number :func:`coerce_number` accepts (NumPy
    scalars, Decimal, Fraction included), else :class:`InvalidParameterError` naming
    ``name``. Used for the numbers public functions take besides parameters (prices,
    horizons, fractions, rates).

    >>> from decimal import Decimal
    >>> as_real("t_max", Decimal("2.5"))
    2.5
    """
    number, _, bad = coerce_number(name, value, positive)
    if bad is not None:
        raise InvalidParameterError(bad)
    return float(number)


def _numpy_kind(value) -> str | None:
    np = sys.modules.get("numpy")  # a NumPy scalar implies NumPy is imported
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
    v: Any = value  # a real number: int, float, Fraction or Decimal
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

    def __init__(self, specs, values: Mapping | None = None, rules=(), model: str = "", aliases=()):
        values = dict(values or {})
        known = {s.name: s for s in specs}
        by_alias = {a.name: a for a in aliases}
        violations = []
        for k, v in values.items():
            if k not in known and k not in by_alias:
                names = ", ".join(list(known) + list(by_alias))
                violations.append(
                    Violation(k, v, f"unknown parameter for model '{model}' (known: {names})")
                )
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
                violations.append(
                    Violation(
                        a.name,
                        theta,
                        f"give {a.name} or {a.target} (={values[a.target]!r}), not both",
                    )
                )
                continue
            if not theta > 1:
                violations.append(Violation(a.name, theta, "must be > 1"))
                continue
            try:
                source = {k: exact.get(k, x) for k, x in merged.items()}
                value, ex2 = a.solve(theta if ex is None else ex, source)
            except (TypeError, ValueError, ArithmeticError):
                continue  # alpha or beta is itself invalid: reported above
            bad = check_number(a.target, value, known[a.target].positive)
            if bad:
                violations.append(
                    Violation(a.name, theta, f"gives {a.target}={value!r}: {bad.rule}")
                )
                continue
            merged[a.target] = value
            if ex2 is not None:
                exact[a.target] = ex2
        for rule in rules:
            # a rule over values that are themselves invalid is skipped, not crashed
            with contextlib.suppress(TypeError, ValueError, ArithmeticError):
                violations.extend(rule(merged))
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
        body = ", ".join(
            f"{k}={v:g}" if isinstance(v, float) else f"{k}={v}" for k, v in self._values.items()
        )
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


#: Largest parameter or points file read (bytes); larger inputs are refused (exit 2).
MAX_INPUT_BYTES = 256 * 2**20

#: A number in text (``--set``, CSV cells): ASCII digits only, optional sign, point and
#: exponent. No ``inf``/``nan``, no ``_`` separators, no hex, no Unicode digits.
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?", re.ASCII)
_ASCII_SPACE = " \t\r\n\f\v"


def parse_number(text: str) -> float | None:
    """The finite float that ``text`` writes in ASCII decimal notation, else None.

    Examples
    --------
    >>> parse_number(" 1.5e-3 "), parse_number("1_000"), parse_number("\u0661")
    (0.0015, None, None)
    """
    digits = _matching(text, _NUMBER)
    if digits is None:
        return None
    return finite_float(digits)


_INTEGER = re.compile(r"[+-]?[0-9]+", re.ASCII)


def parse_integer(text: str) -> int | None:
    """The integer ``text`` writes in ASCII digits (at most 30 of them), else None.

    Examples
    --------
    >>> parse_integer(" 42 "), parse_integer("\u0664\u0662"), parse_integer("1e3")
    (42, None, None)
    """
    digits = _matching(text, _INTEGER)
    return None if digits is None or len(digits) > 31 else int(digits)


def _matching(text: str, pattern: re.Pattern) -> str | None:
    """``text`` without surrounding ASCII white space, if ``pattern`` matches all of it."""
    text = text.strip(_ASCII_SPACE)
    return text if pattern.fullmatch(text) else None


def _input_name(path) -> str:
    return f"file {str(path)!r}"


def read_input(path, limit: int | None = None, what: str = "--params") -> bytes:
    """The bytes of an input file, read once, with a size cap.

    Regular files, pipes (``/dev/stdin``, ``<(...)``), sockets and terminals are read;
    other files (``/dev/zero``, directories, devices) are refused, and so is anything
    larger than ``limit`` (default :data:`MAX_INPUT_BYTES`). A pipe can be read only once,
    so callers read here and parse the bytes.

    Raises
    ------
    InvalidParameterError
        Empty name, unreadable or refused file, input above the limit.
    """
    limit = MAX_INPUT_BYTES if limit is None else limit
    if path is None or str(path) == "":
        raise InvalidParameterError(
            Violation(what, "" if path is None else str(path), "must name a file")
        )
    fname = _input_name(path)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
    except (OSError, ValueError) as exc:
        raise InvalidParameterError(
            Violation(fname, getattr(exc, "strerror", None) or str(exc), "must be a readable file")
        ) from None
    mode = os.fstat(fd).st_mode
    if stat.S_ISDIR(mode):
        os.close(fd)
        raise InvalidParameterError(Violation(fname, "a directory", "must be a readable file"))
    with os.fdopen(fd, "rb", buffering=0) as fh:
        if not (stat.S_ISREG(mode) or stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode) or os.isatty(fd)):
            raise InvalidParameterError(
                Violation(fname, "not a regular file or a pipe", "must be a regular file or a pipe")
            )
        if stat.S_ISREG(mode) and os.fstat(fd).st_size > limit:
            raise InvalidParameterError(
                Violation(fname, f"{os.fstat(fd).st_size} bytes", f"must be at most {limit} bytes")
            )
        chunks, size = [], 0
        try:
            while size <= limit:
                chunk = fh.read(min(1 << 20, limit + 1 - size))
                if not chunk:
                    break
                chunks.append(chunk)
                size += len(chunk)
        except OSError as exc:
            raise InvalidParameterError(
                Violation(fname, exc.strerror or str(exc), "must be a readable file")
            ) from None
    if size > limit:
        raise InvalidParameterError(
            Violation(fname, f"more than {limit} bytes", f"must be at most {limit} bytes")
        )
    return b"".join(chunks)


@dataclass(frozen=True)
class RawCase:
    """One case read from a parameter input, before validation against a model.

    Attributes
    ----------
    index : int
        Case number in the batch (0-based, the ``case`` column of outputs).
    where : str
        Where it comes from, for messages: ``"case 2"``, ``"file 'b.csv', row 4 (case 2)"``.
    values : dict
        Overrides name -> number (the cells that could be read).
    violations : tuple of Violation
        What was wrong while reading it (blank or non-numeric cells, non-numbers); the
        case is invalid when this is not empty.
    """

    index: int
    where: str
    values: dict
    violations: tuple = ()


@dataclass(frozen=True)
class ParameterInput:
    """Every case of a parameter file (read once), with the file's shape.

    Attributes
    ----------
    source : str
        The file, as named.
    kind : str
        ``"json"``, ``"toml"`` or ``"csv"``.
    batch : bool
        A JSON array or a CSV file (one result per case, in order), not one object.
    cases : tuple of RawCase
    columns : tuple of str
        CSV header (empty for JSON/TOML).
    """

    source: str
    kind: str
    batch: bool
    cases: Sequence[RawCase]
    columns: tuple = ()


def _sniff(path, text: str) -> str:
    suffix = Path(str(path)).suffix.lower()
    if suffix in (".json", ".toml", ".csv"):
        return suffix[1:]
    head = text.lstrip(_ASCII_SPACE + "\ufeff")
    if not head or head[0] in "[{":
        return "json"
    first = head.split("\n", 1)[0]
    if "=" in first or first.startswith("#"):
        return "toml"
    if "," in first or _NAME.fullmatch(first.strip(_ASCII_SPACE)):
        return "csv"
    return "json"


_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*", re.ASCII)


class LazyCases(Sequence):
    """The cases of a CSV input, parsed again on every iteration from the text kept in
    memory (a few bytes per case), so that a long batch never holds all its cases as
    objects at once. Indexing and ``len`` iterate."""

    def __init__(self, factory: Callable[[], Iterator[RawCase]]):
        self._factory = factory

    def __iter__(self) -> Iterator[RawCase]:
        return self._factory()

    def __len__(self) -> int:
        return sum(1 for _ in self._factory())

    def __getitem__(self, i):
        if isinstance(i, slice):
            return tuple(self)[i]
        if i < 0:
            i += len(self)
        for k, case in enumerate(self._factory()):
            if k == i:
                return case
        raise IndexError(i)


def _csv_header(fname: str, text: str):
    import csv
    import io

    rows = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(rows, None)
        while header is not None and not any(h.strip(_ASCII_SPACE) for h in header):
            header = next(rows, None)  # leading blank lines
    except csv.Error as exc:
        raise InvalidParameterError(Violation(fname, str(exc), "must be valid CSV")) from None
    if header is None:
        raise InvalidParameterError(
            Violation(fname, "", "must have a header of parameter names and at least one row")
        )
    return rows, tuple(h.strip(_ASCII_SPACE) for h in header)


def _iter_csv(fname: str, text: str) -> Iterator[RawCase]:
    import csv

    rows, columns = _csv_header(fname, text)
    n = 0
    try:
        for cells in rows:
            row = rows.line_num
            if not any(c.strip(_ASCII_SPACE) for c in cells):
                continue  # blank lines between or after rows
            where = f"{fname}, row {row} (case {n})"
            if len(cells) != len(columns):
                yield RawCase(
                    n,
                    where,
                    {},
                    (
                        Violation(
                            f"{fname}, row {row}",
                            f"{len(cells)} cells",
                            f"every row must have {len(columns)} cells, as the header",
                        ),
                    ),
                )
                n += 1
                continue
            values, bad = {}, []
            for name, cell in zip(columns, cells):
                number = parse_number(cell)
                if number is not None:
                    values[name] = number
                    continue
                cname = f"{fname}, row {row}, column {name}"
                if not cell.strip(_ASCII_SPACE):
                    bad.append(Violation(cname, cell, "blank cell: every cell must be a number"))
                else:
                    bad.append(Violation(cname, cell, "must be a finite ASCII decimal number"))
            yield RawCase(n, where, values, tuple(bad))
            n += 1
    except csv.Error as exc:
        raise InvalidParameterError(
            Violation(f"{fname}, row {rows.line_num}", str(exc), "must be valid CSV")
        ) from None


def _parse_csv(fname: str, text: str) -> tuple[tuple, LazyCases]:
    """(columns, cases) of a CSV parameter file; cell problems are kept per case; the
    cases are parsed lazily (:class:`LazyCases`)."""
    _, columns = _csv_header(fname, text)
    for k, c in enumerate(columns, 1):
        if not c:
            raise InvalidParameterError(
                Violation(f"{fname}, row 1, column {k}", c, "header cells must name parameters")
            )
    dup = sorted({c for c in columns if columns.count(c) > 1})
    if dup:
        raise InvalidParameterError(
            Violation(f"{fname}, row 1, column {dup[0]}", dup[0], "duplicated column")
        )
    cases = LazyCases(lambda: _iter_csv(fname, text))
    if next(iter(cases), None) is None:
        raise InvalidParameterError(
            Violation(fname, "header only", "must hold at least one row of numbers")
        )
    return columns, cases


def parse_parameter_text(raw: bytes, source, kind: str | None = None) -> ParameterInput:
    """Parse the bytes of a parameter file (see :func:`read_parameter_input`)."""
    fname = _input_name(source)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidParameterError(Violation(fname, "<binary>", "must be UTF-8 text")) from None
    kind = kind or _sniff(source, text)
    if kind == "csv":
        columns, cases = _parse_csv(fname, text)
        return ParameterInput(str(source), "csv", True, cases, columns)
    if kind == "toml":
        try:
            data = tomllib.loads(text)
        except (tomllib.TOMLDecodeError, ValueError, RecursionError) as exc:
            # ValueError: e.g. an integer of more digits than Python converts
            raise InvalidParameterError(
                Violation(fname, str(exc).split("\n")[0], "must be valid TOML")
            ) from None
    else:
        try:
            data = json.loads(
                text, parse_constant=_reject_constant, object_pairs_hook=_no_duplicates
            )
        except (ValueError, RecursionError) as exc:
            raise InvalidParameterError(
                Violation(fname, str(exc).split("\n")[0], "must be valid JSON")
            ) from None
    batch = isinstance(data, list)
    items = data if batch else [data]
    if not items:
        raise InvalidParameterError(Violation(fname, "[]", "a batch must hold at least one object"))
    parsed: list[RawCase] = []
    for i, case in enumerate(items):
        where = f"{fname}[{i}]" if batch else fname
        if not isinstance(case, dict):
            parsed.append(
                RawCase(
                    i,
                    f"case {i}" if batch else fname,
                    {},
                    (Violation(where, type(case).__name__, "must be an object of name: number"),),
                )
            )
            continue
        values, bad = {}, []
        for k, v in case.items():
            problem = check_number(f"{where}: {k}", v, positive=False)
            if problem:
                bad.append(problem)
            else:
                values[k] = float(v)
        parsed.append(RawCase(i, f"case {i}" if batch else fname, values, tuple(bad)))
    return ParameterInput(str(source), kind, batch, tuple(parsed))


def read_parameter_input(path, limit: int | None = None) -> ParameterInput:
    """Read a parameter file once (a pipe works) and parse it as data only.

    Parameters
    ----------
    path : str or Path
        A JSON object (one case) or array of objects (a batch), a TOML table (``.toml``),
        or a CSV file (``.csv``: a header of parameter names, one case per row). Without
        one of these suffixes (e.g. ``/dev/stdin``) the format is recognised from the text.
    limit : int, optional
        Size cap in bytes (default :data:`MAX_INPUT_BYTES`).

    Returns
    -------
    ParameterInput
        File-level problems raise; problems of one case (a blank or non-numeric cell, a
        value that is not a number) are kept in that case's ``violations`` so that a
        batch can skip it.

    Raises
    ------
    InvalidParameterError
        Unreadable or refused file, too large, not UTF-8, malformed JSON/TOML/CSV.

    Examples
    --------
    >>> import os, tempfile
    >>> import marshallian as m
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = os.path.join(tmp, "cases.csv")
    ...     with open(path, "w") as f:
    ...         _ = f.write("lam_2S,beta\\n0.8,0.5\\n0.9,0.5\\n")
    ...     parsed = m.read_parameter_input(path)
    >>> len(parsed.cases)
    2
    """
    return parse_parameter_text(read_input(path, limit), path)


def read_parameter_file(path) -> list[dict]:
    """Read parameter overrides from a JSON, TOML or CSV file, as data only.

    Parameters
    ----------
    path : str or Path
        See :func:`read_parameter_input`.

    Returns
    -------
    list of dict
        One dict of overrides per case; a single object gives a one-element list.

    Raises
    ------
    InvalidParameterError
        Unreadable file, malformed content, non-numeric values, duplicated keys (the first
        invalid case's problems).

    Examples
    --------
    >>> import json, os, tempfile
    >>> import marshallian as m
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = os.path.join(tmp, "cases.json")
    ...     with open(path, "w") as f:
    ...         json.dump([{"lam_2S": 0.8}, {"lam_2S": 0.9}], f)
    ...     m.read_parameter_file(path)
    [{'lam_2S': 0.8}, {'lam_2S': 0.9}]
    """
    data = read_parameter_input(path)
    for case in data.cases:
        if case.violations:
            raise InvalidParameterError(case.violations)
    return [case.values for case in data.cases]


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
    """Parse one ``NAME=VALUE`` command-line override; VALUE must be an ASCII decimal number.

    Examples
    --------
    >>> parse_assignment("theta_1=2.5")
    ('theta_1', 2.5)
    """
    if "=" not in text:
        raise InvalidParameterError(Violation("--set", text, "must be NAME=VALUE"))
    name, _, value = text.partition("=")
    name = name.strip(_ASCII_SPACE)
    number = parse_number(value)
    if number is None:
        stripped = value.strip(_ASCII_SPACE)
        rule = (
            "must be finite"
            if stripped.lower().lstrip("+-") in ("inf", "infinity", "nan")
            else "must be a number (ASCII decimal notation)"
        )
        raise InvalidParameterError(Violation(name or "--set", stripped, rule))
    return name, number


def validate_columns(model, base: Mapping, columns: Mapping, label: str = "point") -> None:
    """Check that every case of ``columns`` (name -> 1-D float array, one length), with
    ``base`` for the other names, is a valid parameter set of ``model``.

    Fast path: every value positive and finite, and every corner of the cases' bounding
    box valid (the rules are multilinear in each parameter, so then every case is);
    otherwise each case is checked with ``model.params`` and the first invalid one is
    named ``f"{label} {i}"``. Used by the sweep's points and by ``solve_batch``.

    Raises
    ------
    InvalidParameterError
        Naming the first invalid case and its parameter.

    Examples
    --------
    >>> import numpy as np
    >>> import marshallian as m
    >>> model = m.get_model("alternative")
    >>> validate_columns(model, {}, {"beta": np.array([0.5, 1.5])}, label="case")
    Traceback (most recent call last):
    ...
    marshallian.errors.InvalidParameterError: case 1: beta=1.5: must satisfy 0 < beta < 1
    """
    import itertools

    import numpy as np

    n = len(next(iter(columns.values())))
    for k, v in columns.items():
        bad = ~(np.isfinite(v) & (v > 0))
        if bad.any():
            i = int(np.argmax(bad))
            raise InvalidParameterError(Violation(f"{label} {i}: {k}", float(v[i]), "must be > 0"))
    names = list(columns)
    if len(names) <= 12:
        ends = [(float(columns[k].min()), float(columns[k].max())) for k in names]
        try:
            for corner in itertools.product(*ends):
                merged = dict(base)
                merged.update(zip(names, corner))
                model.params(merged)
            return
        except InvalidParameterError:
            pass  # some corner is invalid: check case by case
    cols = [columns[k] for k in names]
    for i in range(n):
        merged = dict(base)
        merged.update({k: float(c[i]) for k, c in zip(names, cols)})
        try:
            model.params(merged)
        except InvalidParameterError as exc:
            raise InvalidParameterError(
                [Violation(f"{label} {i}: {v.name}", v.value, v.rule) for v in exc.violations]
            ) from None
