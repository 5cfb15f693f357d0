"""Region maps at scale: which equilibria exist where in parameter space (spec §7).

The existence condition of every equilibrium type (a *regime*: which activities are
active, each on the rising or the fixed part of its productivity) is derived once by
SymPy (:func:`marshallian.solvers.conditions.derive_conditions`, given North's default
full-cluster prices, paper §2–§3). This module compiles those conditions **once** into a
vectorised numeric kernel and evaluates it over parameter grids or clouds of points, in
chunks that fit in cache, so that memory stays flat whatever the grid size.

Compilation (:func:`compile_conditions`)
    Each condition is put in negation normal form (And/Or over inequalities). Each
    inequality :math:`a \\gtrless b` becomes a polynomial sign test
    :math:`n(\\theta)>0` (or :math:`\\ge 0`) with its positive denominators cleared
    (every parameter is positive, so a denominator that SymPy proves positive is dropped:
    no division at run time). Its *relative margin* is

    .. math:: m(\\theta)=\\frac{|n(\\theta)|}{\\sum_t |n_t(\\theta)|},

    where :math:`n_t` are the monomials of :math:`n`: the share of the terms that
    survives cancellation (the scale is :math:`P+Q` when :math:`n=P-Q` with :math:`P,Q`
    sums of positive monomials, so it costs one addition). Sign tests that differ only
    by sign or strictness are computed once. All sign tests and scales share one
    common-subexpression elimination and are printed into one generated, branch-free
    kernel, run either by NumPy (on chunks of :data:`CHUNK_POINTS` points, so that the
    temporaries stay in cache) or, when Numba is installed (extra ``fast``), inlined
    into a compiled loop over the points (no temporaries at all; LLVM vectorises it).

Boundaries (:data:`BOUNDARY_RTOL`)
    An inequality whose margin is at most the tolerance is *undecided*. Because the
    formula is monotone in its atoms (negation normal form), a type's existence is
    settled iff the formula has the same value with every undecided atom set true and
    set false; otherwise the point is flagged in ``near_boundary`` for that type and
    never guessed: ``exists`` holds only where the type surely exists (the lower bound),
    so a flagged type reads ``exists=False, near_boundary=True``.

Everything returned is a :class:`SweepResult`: a bit set per point (bit *i* = type *i*
of :attr:`SweepResult.types`), NumPy/xarray/pandas-friendly views and ``.save``.
Sweeps that outgrow one machine run on Dask: pass ``client=`` (a
``dask.distributed.Client``); the blocks are evaluated on the workers and gathered.
"""
from __future__ import annotations

import functools
import hashlib
import math
import os
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .errors import InvalidParameterError, Violation

#: Relative margin (see module docstring) at or below which an inequality is undecided and
#: the point is flagged ``near_boundary`` instead of classified. 10x the enumeration's
#: pay tie tolerance (:data:`marshallian.tolerances.PAY_RTOL`), so that every knife edge
#: the exact enumeration reports as degenerate is flagged here too.
BOUNDARY_RTOL = 1e-8
#: Points per chunk of the NumPy kernel: its temporaries (512 KiB each) stay in the
#: last-level cache; measured 2.4x faster than whole-array NumPy on 2e6 points, and
#: faster than 4096- or 16384-point chunks (Python overhead per chunk).
CHUNK_POINTS = 65536
#: Points per Dask task (and per progress-bar step of the compiled kernel).
BLOCK_POINTS = 1 << 20
#: ``backend="auto"`` uses Numba (when installed) from this many points on: the first
#: Numba call compiles machine code (~1.5-4 s per model and pattern of swept parameters),
#: which the ~10x faster loop pays back only on large sweeps.
NUMBA_MIN_POINTS = 1 << 24
#: ... or from this many points once the Numba loop is compiled in this process.
NUMBA_MIN_POINTS_WARM = 100_000


# =========================================================================== axes
@dataclass(frozen=True)
class Axis:
    """One grid axis: a parameter and its values (linear or log spaced)."""

    name: str
    values: np.ndarray
    spec: str = ""
    log: bool = False

    def __len__(self):
        return len(self.values)


def make_axis(name: str, start, stop, num, log: bool = False, *, spec: str | None = None) -> Axis:
    """A validated axis of ``num`` values from ``start`` to ``stop`` (both included).

    Raises
    ------
    InvalidParameterError
        Non-finite ends, ``num < 1``, an inverted (``start > stop``) or empty
        (``start == stop`` with ``num > 1``) range, or a log range through zero.
    """
    kind = "log:" if log else ""
    spec = spec or f"{name}={kind}{start}:{stop}:{num}"
    try:
        start, stop = float(start), float(stop)
    except (TypeError, ValueError):
        raise InvalidParameterError(Violation(name, spec, "range ends must be numbers")) from None
    if isinstance(num, bool) or not isinstance(num, (int, np.integer)) and not (
            isinstance(num, float) and num.is_integer()):
        raise InvalidParameterError(Violation(name, spec, "the number of points must be an integer"))
    num = int(num)
    if not (math.isfinite(start) and math.isfinite(stop)):
        raise InvalidParameterError(Violation(name, spec, "range ends must be finite"))
    if num < 1:
        raise InvalidParameterError(Violation(name, spec, "an axis needs at least one point"))
    if start > stop:
        raise InvalidParameterError(Violation(name, spec, "inverted range: START must be <= STOP"))
    if start == stop and num > 1:
        raise InvalidParameterError(Violation(name, spec,
                                              "empty range: START == STOP with more than one point"))
    if log:
        if start <= 0 or stop <= 0:
            raise InvalidParameterError(Violation(name, spec,
                                                  "a log range must not reach or cross zero"))
        values = np.geomspace(start, stop, num)
    else:
        values = np.linspace(start, stop, num)
    if num > 1:     # exact end points (geomspace/linspace may round the last one)
        values[0], values[-1] = start, stop
    return Axis(name, values, spec, log)


def parse_axis(text: str) -> Axis:
    """Parse ``NAME=START:STOP:N`` or ``NAME=log:START:STOP:N`` (numbers only, never code)."""
    name, eq, rest = text.partition("=")
    name = name.strip()
    if not eq or not name:
        raise InvalidParameterError(Violation("--axis", text, "must be NAME=START:STOP:N "
                                                              "or NAME=log:START:STOP:N"))
    parts = [p.strip() for p in rest.split(":")]
    log = bool(parts) and parts[0].lower() == "log"
    if log:
        parts = parts[1:]
    if len(parts) != 3:
        raise InvalidParameterError(Violation(name, text, "must be NAME=START:STOP:N "
                                                          "or NAME=log:START:STOP:N"))
    try:
        start, stop = float(parts[0]), float(parts[1])
    except ValueError:
        raise InvalidParameterError(Violation(name, text, "range ends must be numbers")) from None
    try:
        num = int(parts[2])
    except ValueError:
        raise InvalidParameterError(Violation(name, text,
                                              "the number of points must be an integer")) from None
    return make_axis(name, start, stop, num, log, spec=text.strip())


def _as_axis(name, spec) -> Axis:
    if isinstance(spec, Axis):
        if spec.name != name:
            raise InvalidParameterError(Violation(name, spec.name, "axis keyed by another name"))
        return spec
    if isinstance(spec, str):
        return parse_axis(f"{name}={spec}")
    if isinstance(spec, tuple) and len(spec) in (3, 4) and not isinstance(spec[0], str):
        return make_axis(name, *spec)
    if isinstance(spec, tuple) and len(spec) == 4 and spec[0] == "log":
        return make_axis(name, *spec[1:], log=True)
    values = np.asarray(spec, dtype=float)
    if values.ndim != 1 or values.size < 1:
        raise InvalidParameterError(Violation(name, f"shape {values.shape}",
                                              "axis values must be a non-empty 1-D sequence"))
    if not np.all(np.isfinite(values)):
        raise InvalidParameterError(Violation(name, "non-finite", "axis values must be finite"))
    return Axis(name, values.copy(), f"{name}=<{values.size} values>")


# =========================================================================== compile
def _nnf(expr):
    import sympy as sp

    return sp.to_nnf(expr, simplify=False) if isinstance(expr, sp.logic.boolalg.Boolean) else expr


def _positive_polynomial(expr, symbols) -> bool:
    """Whether ``expr`` expands to a polynomial with positive coefficients only."""
    import sympy as sp

    e = sp.expand(expr)
    if e == 0 or not e.is_polynomial(*symbols):
        return False
    return all(t.as_coeff_Mul()[0] > 0 for t in sp.Add.make_args(e))


def _sign_test(rel, symbols):
    """(kind, code, scale, key) of one relational atom: ``kind(code)`` <=> atom.

    kind is ``">"``, ``">="``, ``"=="`` or ``"!="``. Denominators are cleared when SymPy
    proves them positive. When both sides are then positive polynomials ``A`` and ``B``
    (the usual case: products of positive parameters), the test is ``A - B`` in their
    factored form, with scale ``A + B`` (``|A-B|/(A+B)`` is the relative difference of
    the two sides, and bounds the floating-point error of the difference); otherwise the
    expanded numerator, with scale the sum of its monomials' absolute values. ``key`` is
    the expanded numerator (to share tests that are equal up to sign).
    """
    import sympy as sp

    op = rel.rel_op
    if op in (">", ">=", "==", "!="):
        big, small, kind = rel.lhs, rel.rhs, op
    elif op in ("<", "<="):
        big, small, kind = rel.rhs, rel.lhs, {"<": ">", "<=": ">="}[op]
    else:                                       # pragma: no cover - sympy has no other
        raise ValueError(f"unsupported relation {op}")
    bn, bd = sp.fraction(sp.together(big))
    sn, sd = sp.fraction(sp.together(small))
    if bd.is_positive and sd.is_positive:
        A, B = bn * sd, sn * bd
        if _positive_polynomial(A, symbols) and _positive_polynomial(B, symbols):
            return kind, A - B, A + B, sp.expand(A - B)
    g = big - small
    num, den = sp.fraction(sp.together(g))
    if den.is_positive:
        pass
    elif den.is_negative:
        num = -num
    elif kind in ("==", "!="):
        pass                                    # sign irrelevant: zero iff numerator zero
    else:                                       # unknown sign: keep the product's sign
        num = num * den
    num = sp.expand(num)
    if num.is_polynomial(*symbols):
        terms = sp.Add.make_args(num)
        scale = sp.Add(*[abs(t.as_coeff_Mul()[0]) * t.as_coeff_Mul()[1] for t in terms])
    else:                                       # e.g. radicals: margin relative to both sides
        num = sp.expand(g) if kind in ("==", "!=") else g
        scale = abs(rel.lhs) + abs(rel.rhs)
    return kind, num, scale, num


def _emit_formula(expr, literal):
    """Python source of an NNF boolean, each relational replaced by ``literal[atom]``.

    Uses ``&`` and ``|``, which are element-wise on NumPy arrays and branch-free logical
    operations on booleans in Numba.
    """
    import sympy as sp

    if isinstance(expr, (sp.And, sp.Or)):
        op = " & " if isinstance(expr, sp.And) else " | "
        return "(" + op.join(_emit_formula(a, literal) for a in expr.args) + ")"
    return literal[expr]


#: Word holding both bit sets of a point in the Numba kernel.
_WIDE = {np.uint8: np.uint16, np.uint16: np.uint32, np.uint32: np.uint64}


def _word_dtype(n_types):
    for bits, dt in ((8, np.uint8), (16, np.uint16), (32, np.uint32), (64, np.uint64)):
        if n_types <= bits:
            return dt
    raise InvalidParameterError(Violation("types", n_types, "at most 64 equilibrium types per sweep"))


def generate_kernel_source(names, conditions, rtol, backend="numpy", premise=None,
                           near="full"):
    """Source of the generated kernel.

    NumPy: ``f(*params) -> (exists_bits, near_bits)`` on arrays. Numba: a scalar function
    ``f(*params) -> word`` (``near_bits`` in the upper half of ``word``), inlined into a
    loop over the points by :func:`_numba_loop`.

    Parameters
    ----------
    names : sequence of str
        Parameter names, the kernel's argument order.
    conditions : sequence of sympy Boolean or None
        One existence condition per equilibrium type (bit i = condition i). None: no
        closed form; the type is flagged undecided everywhere.
    rtol : float
        Boundary tolerance on the relative margin.
    backend : {"numpy", "numba"}
    premise : sympy Boolean, optional
        Where the conditions apply (North's full-cluster premise). Bit ``n`` (n = number of
        types) of ``exists`` is set where it holds; where it fails every type bit is
        cleared; where it is undecided every ``near`` bit is set.
    near : {"full", "any"}
        Numba only: ``"any"`` makes a cheaper first-pass kernel whose near half is
        non-zero wherever some sign test is undecided (a superset of the flagged points).
    """
    import sympy as sp
    from sympy.printing.numpy import NumPyPrinter
    from sympy.printing.pycode import PythonCodePrinter

    symbols = [sp.Symbol(n, positive=True) for n in names]
    sym_of = {s.name: s for s in symbols}
    atom_name, atom_test = {}, []        # relational -> index; index -> (number index, op)
    numbers, number_of = [], {}          # distinct sign-test polynomials (up to sign)

    def register(atom):
        kind, num, scale, key = _sign_test(atom, symbols)
        # Canonical sign: the coefficient of the first monomial in a fixed order.
        terms = sorted((t.as_coeff_Mul() for t in sp.Add.make_args(key)),
                       key=lambda cm: sp.default_sort_key(cm[1]))
        flip = bool(terms and terms[0][0] < 0) if key != 0 else False
        if flip:
            key, num = sp.expand(-key), -num
        if key not in number_of:
            number_of[key] = len(numbers)
            numbers.append((num, scale))
        if flip:
            kind = {">": "<", ">=": "<="}.get(kind, kind)
        atom_name[atom] = len(atom_test)
        atom_test.append((number_of[key], kind))

    def prepare(c):
        if c is None:
            return None
        c = sp.sympify(c) if isinstance(c, bool) else c
        # Rebind any symbol of the same name to the positive one (assumptions differ).
        c = c.xreplace({s: sym_of[s.name] for s in c.free_symbols if s.name in sym_of})
        unknown = sorted(s.name for s in c.free_symbols if s.name not in sym_of)
        if unknown:
            raise ValueError(f"condition uses symbols that are not parameters: {unknown}")
        c = _nnf(c)
        for atom in sorted(c.atoms(sp.core.relational.Relational), key=sp.default_sort_key):
            if atom not in atom_name:
                register(atom)
        return c

    nnf = [prepare(c) for c in conditions]
    prem = prepare(premise) if premise is not None else None
    exprs = []
    for num, scale in numbers:
        exprs += [num, scale]
    repl, reduced = sp.cse(exprs, symbols=sp.numbered_symbols("_x")) if exprs else ([], [])
    printer = (PythonCodePrinter if backend == "numba" else NumPyPrinter)(
        {"fully_qualified_modules": True, "inline": True, "allow_unknown_functions": False})
    n = len(conditions)
    nbits = n + (premise is not None)
    word = _word_dtype(nbits)
    full = (1 << nbits) - 1
    numba = backend == "numba"
    lines = [f"def _kernel({', '.join(names)}):"]
    for sym, e in repl:
        lines.append(f"    {sym} = {printer.doprint(e)}")
    for k in range(len(numbers)):
        s, c = printer.doprint(reduced[2 * k]), printer.doprint(reduced[2 * k + 1])
        lines.append(f"    _s{k} = {s}")
        if numba:
            lines.append(f"    _n{k} = abs(_s{k}) <= {rtol!r} * ({c})")
        else:   # NumPy booleans even when every input is a Python float (~ is logical)
            lines.append(f"    _n{k} = _np.less_equal(abs(_s{k}), {rtol!r} * ({c}))")
    # Per sign test k: G = s > 0, N = undecided, U = G | N (true unless surely <= 0),
    # L = G & ~N (surely > 0). Strict and non-strict tests differ only where s = 0, which
    # is undecided, so both use U/L; a reversed test uses ~L / ~U.
    for k in range(len(numbers)):
        gt = f"(_s{k} > 0)" if numba else f"_np.greater(_s{k}, 0)"
        lines.append(f"    _U{k} = {gt} | _n{k}")
        lines.append(f"    _L{k} = {gt} & ~_n{k}")
    upper, lower = {}, {}
    for atom, i in atom_name.items():
        k, kind = atom_test[i]
        upper[atom], lower[atom] = {
            ">": (f"_U{k}", f"_L{k}"), ">=": (f"_U{k}", f"_L{k}"),
            "<": (f"~_L{k}", f"~_U{k}"), "<=": (f"~_L{k}", f"~_U{k}"),
            "==": (f"_n{k}", "False"), "!=": ("True", f"~_n{k}")}[kind]

    def pair(c):
        """(exists, near): exists where the formula surely holds (lower bound), near where
        the bounds disagree. NNF formulas are monotone in their atoms."""
        if c is None:                       # no closed form: never decided
            return "False", "True"
        if c is sp.true or c is True:
            return "True", "False"
        if c is sp.false or c is False:
            return "False", "False"
        lo = _emit_formula(c, lower)
        up = _emit_formula(c, upper)
        if lo == "False":
            return "False", up
        if up == "True":
            return lo, f"~({lo})"
        return lo, f"({up}) & ~({lo})"

    if numba:
        # Computed in the wide word (both bit sets in one integer): keeps the loop
        # vectorisable. With near="any", the high half is only "some test undecided"
        # (the caller recomputes those rare points with the full kernel).
        wt = np.dtype(_WIDE[word]).name
        shift = 8 * np.dtype(word).itemsize
        lines += [f"    _e = {wt}(0)", f"    _d = {wt}(0)"]
        for t, c in enumerate(nnf):
            e, d = pair(c)
            lines.append(f"    _e |= {wt}({e}) << {wt}({t})")
            if near == "full" or c is None:
                lines.append(f"    _d |= {wt}({d}) << {wt}({t})")
        if prem is not None:
            e, d = pair(prem)
            lines += [f"    _ok = {e}", f"    _e = (_e | {wt}({1 << n})) * {wt}(_ok)"]
            if near == "full":
                lines += [f"    _pn = {d}",
                          f"    _d = _d * {wt}(_ok & ~_pn) + {wt}({full}) * {wt}(_pn)"]
        if near == "any" and numbers:
            lines.append(f"    _d |= {wt}({' | '.join(f'_n{k}' for k in range(len(numbers)))})")
        lines.append(f"    return _e | (_d << {wt}({shift}))")
    else:
        dt = f"_np.{np.dtype(word).name}"
        lines += [f"    _e = _np.asarray(0, dtype={dt})", f"    _d = _np.asarray(0, dtype={dt})"]
        for t, c in enumerate(nnf):
            e, d = pair(c)
            lines.append(f"    _e = _e | (_np.asarray({e}, dtype={dt}) << {dt}({t}))")
            lines.append(f"    _d = _d | (_np.asarray({d}, dtype={dt}) << {dt}({t}))")
        if prem is not None:
            e, d = pair(prem)
            lines += [f"    _ok = _np.asarray({e})", f"    _pn = _np.asarray({d})",
                      f"    _e = _np.where(_ok, _e | {dt}({1 << n}), {dt}(0))",
                      f"    _d = _np.where(_pn, {dt}({full}), _np.where(_ok, _d, {dt}(0)))"]
        lines.append("    return _e, _d")
    return "\n".join(lines) + "\n"


def _exec_source(src, extra=None):
    glb = {"_np": np, "numpy": np, "math": math}
    glb.update(extra or {})
    code = compile(src, "<marshallian.sweep kernel>", "exec")
    exec(code, glb)   # generated from SymPy expressions built in code, never user text
    return glb["_kernel"]


def numba_available() -> bool:
    try:
        import numba  # noqa: F401
    except ImportError:
        return False
    return True


class CompiledConditions:
    """Existence conditions compiled once into a vectorised kernel.

    Parameters
    ----------
    names : sequence of str
        Every parameter name of the model, in the model's fixed order (kernel argument
        order).
    conditions : sequence of sympy Boolean or None
        Condition of each equilibrium type, in terms of positive Symbols named as the
        parameters; None where no closed form exists (always flagged undecided).
    labels : sequence of str
        Equilibrium-type labels (same order).
    stable : sequence of bool, optional
    premise : sympy Boolean, optional
        Where the conditions apply (see :func:`generate_kernel_source`).
    rtol : float
        :data:`BOUNDARY_RTOL` by default.

    Notes
    -----
    Picklable (it pickles its SymPy input and recompiles, once per process), so that Dask
    workers rebuild the kernel instead of shipping machine code.
    """

    def __init__(self, names, conditions, labels=None, stable=None, premise=None, *,
                 rtol=BOUNDARY_RTOL):
        if isinstance(rtol, bool) or not (isinstance(rtol, (int, float)) and 0 <= rtol <= 1e-2):
            raise InvalidParameterError(Violation("rtol", rtol, "must be a number in [0, 1e-2]"))
        self.names = tuple(names)
        self.conditions = tuple(conditions)
        self.labels = tuple(labels) if labels is not None else tuple(
            f"type{i}" for i in range(len(self.conditions)))
        self.stable = tuple(bool(s) for s in stable) if stable is not None else (False,) * len(
            self.conditions)
        if not (len(self.labels) == len(self.conditions) == len(self.stable)):
            raise ValueError("labels, stable and conditions must have the same length")
        self.premise = premise
        self.rtol = float(rtol)
        self.n_types = len(self.conditions)
        self.word = _word_dtype(self.n_types + (premise is not None))
        t0 = time.perf_counter()
        self.numpy_source = generate_kernel_source(self.names, self.conditions, self.rtol,
                                                   "numpy", premise)
        self._numpy_kernel = _exec_source(self.numpy_source)
        self.compile_seconds = time.perf_counter() - t0
        self._numba_kernel = None

    def __reduce__(self):
        return (_rebuild_compiled, (self.names, self.conditions, self.labels, self.stable,
                                    self.premise, self.rtol))

    # ------------------------------------------------------------------ kernels
    def numba_kernel(self):
        """The Numba loop ``f(out_exists, out_near, *params)`` (None without Numba).

        The generated scalar kernel is inlined into a loop over the points; each parameter
        is either a contiguous float64 array or a float (held fixed), and Numba compiles
        one specialisation per such pattern on first use (about 1-2 s). Serial on
        purpose: the loop runs near memory bandwidth on one core (see the benchmark).
        """
        if self._numba_kernel is None and numba_available() and self.word in _WIDE:
            src = generate_kernel_source(self.names, self.conditions, self.rtol, "numba",
                                         self.premise)
            fast = generate_kernel_source(self.names, self.conditions, self.rtol, "numba",
                                          self.premise, near="any")
            self.numba_source = src
            self._numba_kernel = _numba_loop(src, fast, self.names)
        return self._numba_kernel

    def evaluate(self, values: dict, out_exists=None, out_near=None, backend="numpy",
                 chunk=CHUNK_POINTS):
        """Bit sets ``(exists, near)`` for the 1-D point arrays (or scalars) in ``values``.

        ``values`` maps every parameter name to a float, or a 1-D array (all of one
        length ``n``). The NumPy kernel runs over chunks of ``chunk`` points; the Numba
        loop over all of them at once (no temporaries).
        """
        args = [values[n] for n in self.names]
        if not any(np.ndim(a) == 1 for a in args):     # kernels need one array (bool ops)
            args[0] = np.atleast_1d(np.asarray(args[0], dtype=float))
        n = max((np.shape(a)[0] for a in args if np.ndim(a) == 1), default=1)
        if out_exists is None:
            out_exists = np.empty(n, self.word)
            out_near = np.empty(n, self.word)
        if backend == "numba":
            loop = self.numba_kernel()
            if loop is None:
                raise InvalidParameterError(Violation("backend", "numba", "Numba is not installed"))
            # The kernel returns one wide word per point (types in the low half, near
            # flags in the high half); the loop stores both halves (truncating casts).
            wide = _WIDE[self.word]
            loop(out_exists, out_near, wide(8 * np.dtype(self.word).itemsize),
                 *[np.ascontiguousarray(a, dtype=np.float64) if np.ndim(a) == 1 else float(a)
                   for a in args])
            return out_exists, out_near
        kern = self._numpy_kernel
        for a in range(0, n, chunk):
            b = min(n, a + chunk)
            e, d = kern(*[x[a:b] if np.ndim(x) == 1 else x for x in args])
            out_exists[a:b] = e
            out_near[a:b] = d
        return out_exists, out_near


def _numba_loop(kernel_source, fast_source, names):
    """Compile the kernels and a two-pass loop over the points around them (Numba).

    Pass 1 runs the cheap kernel (exists bits, and "some test undecided") over every
    point, vectorised; pass 2 recomputes the full near-boundary bits of the (rare)
    points where some test is undecided, by index (a branch inside one loop would be
    if-converted by LLVM, computing the full kernel everywhere).
    """
    import numba
    from numba import types
    from numba.extending import overload

    glb = {"uint8": np.uint8, "uint16": np.uint16, "uint32": np.uint32, "uint64": np.uint64}
    kernel = numba.njit(inline="always")(_exec_source(kernel_source, glb))
    fast = numba.njit(inline="always")(_exec_source(fast_source, glb))

    def at(x, i):   # pragma: no cover - replaced by the overload inside Numba
        return x[i] if np.ndim(x) else x

    @overload(at, inline="always")
    def _at(x, i):
        if isinstance(x, types.Array):
            return lambda x, i: x[i]
        return lambda x, i: x

    args = ", ".join(names)
    call = ", ".join(f"_at({a}, i)" for a in names)
    src = (f"def _pass1(out_e, out_d, shift, {args}):\n"
           f"    for i in range(out_e.shape[0]):\n"
           f"        w = _fast({call})\n"
           f"        out_e[i] = w\n"
           f"        out_d[i] = w >> shift\n"
           f"def _pass2(index, out_e, out_d, shift, {args}):\n"
           f"    for j in range(index.shape[0]):\n"
           f"        i = index[j]\n"
           f"        w = _kern({call})\n"
           f"        out_e[i] = w\n"
           f"        out_d[i] = w >> shift\n")
    glb2 = {"_kern": kernel, "_fast": fast, "_at": at}
    exec(compile(src, "<marshallian.sweep loop>", "exec"), glb2)
    pass1 = numba.njit(nogil=True)(glb2["_pass1"])
    pass2 = numba.njit(nogil=True)(glb2["_pass2"])

    def loop(out_e, out_d, shift, *args):
        pass1(out_e, out_d, shift, *args)
        if out_d.any():                     # some point has an undecided test (rare)
            pass2(np.flatnonzero(out_d), out_e, out_d, shift, *args)

    return loop


def _digest(*parts) -> str:
    import sympy as sp

    h = hashlib.sha256()
    for p in parts:
        h.update(repr([sp.srepr(x) if isinstance(x, sp.Basic) else repr(x) for x in
                       (p if isinstance(p, tuple) else (p,))]).encode())
    return h.hexdigest()


_COMPILED_CACHE: dict = {}


def _rebuild_compiled(names, conditions, labels, stable, premise, rtol):
    key = _digest(names, conditions, labels, stable, premise, rtol)
    obj = _COMPILED_CACHE.get(key)
    if obj is None:
        obj = _COMPILED_CACHE[key] = CompiledConditions(names, conditions, labels, stable,
                                                        premise, rtol=rtol)
    return obj


def compile_conditions(names, conditions, labels=None, stable=None, premise=None, *,
                       rtol=BOUNDARY_RTOL):
    """Compile SymPy existence conditions once (cached by content); see
    :class:`CompiledConditions`."""
    return _rebuild_compiled(tuple(names), tuple(conditions),
                             tuple(labels) if labels is not None else None,
                             tuple(stable) if stable is not None else None, premise,
                             float(rtol))


# =========================================================================== types
def equilibrium_type(eq) -> str:
    """Type label of one :class:`~marshallian.results.Equilibrium` found by ``solve``: its
    ``label`` (e.g. ``'1:backward + 1:modern[rising]'``), the same text as the derived
    :attr:`ConditionEntry.label <marshallian.solvers.conditions.ConditionEntry.label>`."""
    return eq.label


def north_premise(model):
    """Where the derived conditions apply: North has a full cluster in every sector that
    can have one, :math:`\\mu_j L_N \\ge \\bar L_j` (the paper's default prices, §2–§3;
    the premise stated by :func:`~marshallian.solvers.conditions.derive_conditions`).
    None when no sector has an externality."""
    import sympy as sp

    rels = []
    for j in model.sectors:
        ext = [a for a in model.activities if a.sector == j and a.has_externality]
        if ext:
            rels.append(sp.GreaterThan(model.mu[j] * model.L_N, ext[0].cap))
    return sp.And(*rels) if rels else None


def model_conditions(model, *, rtol=BOUNDARY_RTOL) -> CompiledConditions:
    """The model's derived conditions (:func:`derive_conditions`), compiled once."""
    from .solvers.equilibrium import resolve_model

    return _model_conditions(resolve_model(model), float(rtol))


@functools.lru_cache(maxsize=32)
def _model_conditions(model, rtol):
    from .solvers.conditions import derive_conditions

    entries = derive_conditions(model)
    conds = [e.primitive_condition() if e.condition is not None else None for e in entries]
    return compile_conditions(model.parameter_names, conds, [e.label for e in entries],
                              [e.stable for e in entries], north_premise(model), rtol=rtol)


# =========================================================================== result
@dataclass(frozen=True, eq=False)
class SweepResult:
    """Which equilibrium types exist at every point of a sweep.

    Attributes
    ----------
    model : str
    types : tuple of str
        Equilibrium-type labels; bit ``i`` of :attr:`bits` is type ``i``.
    stable : np.ndarray of bool, shape (n_types,)
        Whether each type is a stable equilibrium.
    bits : np.ndarray of unsigned int, shape = :attr:`shape`
        Bit set of the existing types (the *category* of the point).
    near_bits : np.ndarray, same shape
        Bit set of the types whose existence is undecided at :attr:`rtol` (flagged, not
        guessed).
    axes : dict
        Grid axes name -> 1-D values (empty for a sweep over points).
    points : dict
        Point coordinates name -> 1-D array (empty for a grid).
    fixed : dict
        Parameters held fixed (the rest of the model's parameters).
    rtol : float
    backend : str
    seconds : float
        Wall time of the evaluation.
    premise : str or None
        Where the conditions apply (North's full clusters); bit ``n_types`` of
        :attr:`bits` is set where it holds (see :attr:`applies`).
    no_closed_form : tuple of str
        Types whose condition has no closed form: undecided (flagged) everywhere; ask
        ``solve`` at the points of interest.
    """

    model: str
    types: tuple
    stable: np.ndarray
    bits: np.ndarray
    near_bits: np.ndarray
    axes: dict
    points: dict
    fixed: dict
    rtol: float
    backend: str
    seconds: float = 0.0
    premise: str | None = None
    no_closed_form: tuple = ()

    @property
    def shape(self) -> tuple:
        return self.bits.shape

    @property
    def size(self) -> int:
        return self.bits.size

    def _unpack(self, words):
        k = np.arange(len(self.types), dtype=words.dtype)
        return ((words[..., None] >> k) & words.dtype.type(1)).astype(bool)

    @property
    def exists(self) -> np.ndarray:
        """Bool array ``[..., n_types]``: type i surely exists at the point (False where
        it is undecided: see :attr:`near_boundary`)."""
        return self._unpack(self.bits)

    @property
    def near_boundary(self) -> np.ndarray:
        """Bool array ``[..., n_types]``: type i is within :attr:`rtol` of its boundary."""
        return self._unpack(self.near_bits)

    @property
    def type_bits(self) -> np.ndarray:
        """:attr:`bits` without the premise bit: the category code of the point."""
        mask = self.bits.dtype.type((1 << len(self.types)) - 1)
        return self.bits & mask

    @property
    def applies(self) -> np.ndarray:
        """Bool array ``[...]``: the derived conditions apply (North's full-cluster premise
        holds; elsewhere North's default prices differ and every type bit is 0)."""
        if self.premise is None:
            return np.ones(self.shape, dtype=bool)
        return (self.bits >> self.bits.dtype.type(len(self.types))) & self.bits.dtype.type(1) == 1

    @property
    def near_any(self) -> np.ndarray:
        """Bool array ``[...]``: some type is undecided at the point."""
        return self.near_bits != 0

    def category_label(self, code: int) -> str:
        """The set of types in a bit set ``code``, joined by ``' | '`` (``'none'`` if empty)."""
        names = [t for i, t in enumerate(self.types) if int(code) >> i & 1]
        return " | ".join(names) if names else "none"

    def counts(self) -> dict:
        """Type label -> number of points where it exists (decided points only)."""
        decided = self.exists & ~self.near_boundary
        return {t: int(decided[..., i].sum()) for i, t in enumerate(self.types)}

    def categories(self) -> dict:
        """Distinct bit sets -> number of points (points flagged near a boundary, or where
        the premise fails, excluded)."""
        keep = ~self.near_any & self.applies
        codes, n = np.unique(self.type_bits[keep], return_counts=True)
        return {int(c): int(k) for c, k in zip(codes, n)}

    def to_arrays(self) -> dict:
        """Plain NumPy arrays (what :meth:`save` writes)."""
        out = {"bits": self.bits, "near_bits": self.near_bits,
               "types": np.array(self.types, dtype=str), "stable": np.asarray(self.stable),
               "model": np.array(self.model), "rtol": np.array(self.rtol),
               "premise": np.array(self.premise or ""),
               "axis_names": np.array(list(self.axes), dtype=str),
               "fixed_names": np.array(list(self.fixed), dtype=str),
               "fixed_values": np.array(list(self.fixed.values()), dtype=float)}
        for k, v in self.axes.items():
            out[f"axis_{k}"] = v
        for k, v in self.points.items():
            out[f"point_{k}"] = v
        return out

    def to_xarray(self):
        """An ``xarray.Dataset`` (``exists``/``near_boundary`` over the axes and ``type``)."""
        try:
            import xarray as xr
        except ImportError as exc:   # optional dependency
            raise ImportError("to_xarray() needs xarray (pip install xarray)") from exc
        dims = list(self.axes) if self.axes else ["point"]
        coords = {k: v for k, v in self.axes.items()}
        coords["type"] = list(self.types)
        if self.points:
            coords.update({k: ("point", v) for k, v in self.points.items()})
        return xr.Dataset(
            {"exists": (dims + ["type"], self.exists),
             "near_boundary": (dims + ["type"], self.near_boundary),
             "applies": (dims, self.applies), "bits": (dims, self.bits)},
            coords=coords, attrs={"model": self.model, "rtol": self.rtol,
                                  **{f"fixed_{k}": v for k, v in self.fixed.items()}})

    def to_pandas(self):
        """A ``pandas.DataFrame``: one row per point, its coordinates, ``bits``, ``near_bits``
        and one bool column per type."""
        import pandas as pd

        return pd.DataFrame(self._flat_columns())

    def _flat_columns(self) -> dict:
        cols = {}
        if self.axes:
            mesh = np.meshgrid(*self.axes.values(), indexing="ij")
            cols.update({k: m.ravel() for k, m in zip(self.axes, mesh)})
        cols.update({k: v for k, v in self.points.items()})
        cols["bits"] = self.bits.ravel()
        cols["near_bits"] = self.near_bits.ravel()
        cols["applies"] = self.applies.ravel()
        ex = self.exists.reshape(-1, len(self.types))
        for i, t in enumerate(self.types):
            cols[t] = ex[:, i]
        return cols

    def save(self, path) -> Path:
        """Write ``.npz`` (or ``.parquet`` if pyarrow is installed), atomically."""
        path = Path(path)
        suffix = path.suffix.lower()
        if suffix == ".parquet":
            try:
                import pyarrow as pa
                import pyarrow.parquet as pq
            except ImportError:
                raise InvalidParameterError(Violation("output", str(path),
                                                      "Parquet needs pyarrow (pip install pyarrow); "
                                                      "use .npz")) from None
            table = pa.table(self._flat_columns())
            table = table.replace_schema_metadata({"types": "\n".join(self.types),
                                                   "model": self.model, "rtol": repr(self.rtol)})
            return _atomic_file(path, lambda fh: pq.write_table(table, fh))
        if suffix != ".npz":
            raise InvalidParameterError(Violation("output", str(path),
                                                  "must end in .npz or .parquet"))
        arrays = self.to_arrays()
        return _atomic_file(path, lambda fh: np.savez_compressed(fh, **arrays))

    def summary(self) -> str:
        n = self.size
        near = int(self.near_any.sum())
        outside = int((~self.applies & ~self.near_any).sum())
        lines = [f"Sweep of model {self.model}: {n} points "
                 f"({' x '.join(f'{k}[{len(v)}]' for k, v in self.axes.items()) or 'points'}), "
                 f"{self.seconds:.3g} s ({self.backend}); points with an undecided type: {near}"
                 + (f"; premise fails ({self.premise}): {outside}" if outside else ""),
                 f"{'#':>3}  {'equilibrium type':<52} {'stable':<6} {'points':>10} {'share':>8} "
                 f"{'undecided':>10}"]
        undecided = self.near_boundary.reshape(-1, len(self.types)).sum(axis=0)
        for i, (t, c) in enumerate(self.counts().items()):
            note = "  (no closed form: use solve)" if t in self.no_closed_form else ""
            lines.append(f"{i:>3}  {t:<52} {'yes' if self.stable[i] else 'no':<6} "
                         f"{c:>10} {c / max(n, 1):>8.2%} {int(undecided[i]):>10}{note}")
        return "\n".join(lines)

    __str__ = summary

    def to_dict(self) -> dict:
        """JSON-friendly summary (not the arrays)."""
        return {"model": self.model, "shape": list(self.shape), "types": list(self.types),
                "stable": [bool(s) for s in self.stable],
                "axes": {k: [float(v[0]), float(v[-1]), len(v)] for k, v in self.axes.items()},
                "fixed": dict(self.fixed), "rtol": self.rtol, "points": self.size,
                "counts": self.counts(), "near_boundary": int(self.near_any.sum()),
                "premise": self.premise, "no_closed_form": list(self.no_closed_form),
                "premise_fails": int((~self.applies & ~self.near_any).sum()),
                "categories": {self.category_label(c): k for c, k in self.categories().items()},
                "seconds": self.seconds, "backend": self.backend}


def _atomic_file(path: Path, write) -> Path:
    """Temp file in the target folder, written by ``write(fh)``, then renamed over ``path``."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent or ".")
    try:
        with os.fdopen(fd, "wb") as fh:
            write(fh)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)     # mkstemp makes 0600; give the usual mode
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    return path


def check_output_path(path) -> Path:
    """Validate an output file path before any work: suffix, folder exists and writable."""
    p = Path(path)
    if p.suffix.lower() not in (".npz", ".parquet"):
        raise InvalidParameterError(Violation("--out", str(path), "must end in .npz or .parquet"))
    if p.suffix.lower() == ".parquet":
        try:
            import pyarrow  # noqa: F401
        except ImportError:
            raise InvalidParameterError(Violation("--out", str(path),
                                                  "Parquet needs pyarrow; use .npz")) from None
    parent = p.parent if str(p.parent) else Path(".")
    if p.is_dir():
        raise InvalidParameterError(Violation("--out", str(path), "is a directory"))
    if not parent.is_dir() or not os.access(parent, os.W_OK | os.X_OK):
        raise InvalidParameterError(Violation("--out", str(path),
                                              "its folder must exist and be writable"))
    return p


# =========================================================================== points
def load_points(path) -> dict:
    """Points from a file: CSV (header of parameter names), NPZ (one 1-D array per
    name) or JSON/TOML (an array of objects, read by the core's numbers-only reader).

    Returns
    -------
    dict
        name -> 1-D float array, all of one length (>= 1).
    """
    from .params import read_parameter_file

    p = Path(path)
    fname = f"file {str(path)!r}"
    suffix = p.suffix.lower()
    if suffix == ".npz":
        try:
            with np.load(p, allow_pickle=False) as z:
                data = {k: np.asarray(z[k]) for k in z.files}
        except (OSError, ValueError) as exc:
            raise InvalidParameterError(Violation(fname, str(exc).split("\n")[0],
                                                  "must be a readable .npz of 1-D arrays")) from None
    elif suffix == ".csv":
        try:
            with open(p, encoding="utf-8") as fh:
                header = fh.readline().strip()
                names = [h.strip() for h in header.split(",")]
                if not header or not all(names):
                    raise ValueError("missing header of parameter names")
                arr = np.loadtxt(fh, delimiter=",", dtype=float, ndmin=2)
        except (OSError, ValueError, UnicodeDecodeError) as exc:
            raise InvalidParameterError(Violation(fname, str(exc).split("\n")[0],
                                                  "must be a CSV with a header and numbers")) from None
        if arr.size and arr.shape[1] != len(names):
            raise InvalidParameterError(Violation(fname, f"{arr.shape[1]} columns",
                                                  f"header names {len(names)}"))
        if len(set(names)) != len(names):
            raise InvalidParameterError(Violation(fname, header, "duplicated column name"))
        data = {n: arr[:, i] if arr.size else np.empty(0) for i, n in enumerate(names)}
    else:
        cases = read_parameter_file(p)
        names = list(cases[0])
        for i, c in enumerate(cases):
            if list(c) != names and set(c) != set(names):
                raise InvalidParameterError(Violation(f"{fname}[{i}]", sorted(c),
                                                      f"every point must set the same names {names}"))
        data = {n: np.array([c[n] for c in cases], dtype=float) for n in names}
    out = {}
    length = None
    for k, v in data.items():
        if v.ndim != 1 or v.dtype.kind not in "fiu":
            raise InvalidParameterError(Violation(f"{fname}: {k}", f"shape {v.shape} {v.dtype}",
                                                  "must be a 1-D array of numbers"))
        if length is None:
            length = v.size
        if v.size != length:
            raise InvalidParameterError(Violation(f"{fname}: {k}", v.size,
                                                  f"every column must have {length} values"))
        out[k] = v.astype(float)
    if not out or not length:
        raise InvalidParameterError(Violation(fname, 0, "must hold at least one point"))
    return out


# =========================================================================== sweep
def _resolve_fixed(model, fixed) -> dict:
    from .params import Parameters

    if fixed is None:
        return {}
    if isinstance(fixed, Parameters):
        if fixed.model != model.name:
            raise InvalidParameterError(Violation("fixed", fixed.model,
                                                  f"are for another model than '{model.name}'"))
        return fixed.as_dict()
    if not hasattr(fixed, "items"):
        raise InvalidParameterError(Violation("fixed", type(fixed).__name__,
                                              "must be a mapping of name: number or Parameters"))
    return dict(fixed)


def _check_names(model, names, what):
    known = model.parameter_names
    bad = [Violation(n, what, f"unknown parameter for model '{model.name}' (known: "
                              f"{', '.join(known)})") for n in names if n not in known]
    if bad:
        raise InvalidParameterError(bad)


def _validate_box(model, base: dict, axes: list):
    """Every corner of the grid box is a valid parameter set (exact for rules that are
    multilinear in each parameter, which all current rules are: 0<beta<1,
    theta_j = beta + alpha*Lbar_j > 1, sum mu_j = 1, eps > g)."""
    import itertools

    for i, ax in enumerate(axes):   # every axis value positive & finite (spec rules)
        bad = ~(np.isfinite(ax.values) & (ax.values > 0))
        if bad.any():
            raise InvalidParameterError(Violation(ax.name, float(ax.values[bad][0]), "must be > 0"))
    ends = [(ax.values.min(), ax.values.max()) for ax in axes]
    for corner in itertools.product(*ends):
        merged = dict(base)
        merged.update({ax.name: float(v) for ax, v in zip(axes, corner)})
        try:
            model.params(merged)
        except InvalidParameterError as exc:
            where = ", ".join(f"{ax.name}={float(v):g}" for ax, v in zip(axes, corner))
            raise InvalidParameterError([Violation(f"grid corner ({where}): {v.name}", v.value,
                                                   v.rule) for v in exc.violations]) from None


def _validate_points(model, base: dict, points: dict):
    """Every point is a valid parameter set.

    Fast path: when every corner of the points' bounding box is valid, so is every point
    (same argument as :func:`_validate_box`). Otherwise each point is checked with
    ``model.params`` (about 10 µs a point) and the first invalid one is named.
    """
    import itertools

    n = len(next(iter(points.values())))
    for k, v in points.items():
        bad = ~(np.isfinite(v) & (v > 0))
        if bad.any():
            i = int(np.argmax(bad))
            raise InvalidParameterError(Violation(f"point {i}: {k}", float(v[i]), "must be > 0"))
    names = list(points)
    if len(names) <= 12:
        ends = [(float(points[k].min()), float(points[k].max())) for k in names]
        try:
            for corner in itertools.product(*ends):
                merged = dict(base)
                merged.update(zip(names, corner))
                model.params(merged)
            return
        except InvalidParameterError:
            pass                        # some corner is invalid: check point by point
    cols = [points[k] for k in names]
    for i in range(n):
        merged = dict(base)
        merged.update({k: float(c[i]) for k, c in zip(names, cols)})
        try:
            model.params(merged)
        except InvalidParameterError as exc:
            raise InvalidParameterError([Violation(f"point {i}: {v.name}", v.value, v.rule)
                                         for v in exc.violations]) from None


class _Progress:
    """A one-line progress bar on stderr (only when asked or when stderr is a TTY)."""

    def __init__(self, total, enabled):
        self.total, self.enabled, self.done = total, enabled, 0
        self.t0 = time.perf_counter()

    def update(self, k):
        if not self.enabled:
            return
        self.done += k
        frac = self.done / max(self.total, 1)
        bar = "#" * int(30 * frac)
        sys.stderr.write(f"\rsweep [{bar:<30}] {frac:6.1%} {self.done}/{self.total} points "
                         f"{time.perf_counter() - self.t0:6.1f} s")
        sys.stderr.flush()

    def close(self):
        if self.enabled:
            sys.stderr.write("\n")
            sys.stderr.flush()


def _grid_block(axes_values, shape, start, stop):
    """Coordinates of flat grid indices [start, stop) (C order), one 1-D array per axis."""
    idx = np.arange(start, stop, dtype=np.int64)
    coords = np.unravel_index(idx, shape)
    return [v[c] for v, c in zip(axes_values, coords)]


def _eval_block(compiled, base, axis_names, axes_values, shape, point_block, start, stop,
                backend, out_e=None, out_d=None):
    """One block of a sweep (also the Dask task): returns (start, exists, near).

    Writes into ``out_e``/``out_d`` when given (slices of the result: no copy)."""
    values = dict(base)
    if axis_names:
        values.update(zip(axis_names, _grid_block(axes_values, shape, start, stop)))
    if point_block is not None:
        values.update(point_block)
    values = {k: (v if np.ndim(v) == 1 else float(v)) for k, v in values.items()}
    if not any(np.ndim(v) == 1 for v in values.values()):   # nothing varies: one point
        values[compiled.names[0]] = np.full(stop - start, values[compiled.names[0]])
    e, d = compiled.evaluate(values, out_e, out_d, backend=backend)
    return start, e, d


def sweep(model, axes=None, fixed=None, *, points=None, rtol=BOUNDARY_RTOL, backend="auto",
          client=None, progress=None, validate=True, conditions=None,
          block=BLOCK_POINTS) -> SweepResult:
    """Which equilibrium types exist over a grid or a set of points (spec §7).

    Parameters
    ----------
    model : str or Model
    axes : dict, optional
        Parameter name -> axis: an :class:`Axis`, a spec string (``"0.5:2:101"``,
        ``"log:0.1:10:50"``), a tuple ``(start, stop, n)``, or explicit 1-D values. The
        result has one dimension per axis, in the dict's order.
    fixed : dict or Parameters, optional
        Parameters held fixed (the rest keep the model's defaults).
    points : dict, optional
        Instead of axes: name -> 1-D array of one length (e.g. random draws, or
        :func:`load_points`). The result is 1-D.
    rtol : float
        Boundary tolerance (:data:`BOUNDARY_RTOL`).
    backend : {"auto", "numpy", "numba"}
        ``auto``: the Numba loop for sweeps of at least :data:`NUMBA_MIN_POINTS` points
        (:data:`NUMBA_MIN_POINTS_WARM` once compiled) when Numba is installed, the
        chunked NumPy kernel otherwise.
    client : dask.distributed.Client, optional
        Evaluate blocks of ``block`` points on the cluster's workers.
    progress : bool, optional
        Progress bar on stderr; default: only if stderr is a TTY and the sweep has at
        least 8 blocks.
    validate : bool
        Check the parameters: a grid's box at its corners (see :func:`_validate_box`);
        points through their bounding box's corners when those are all valid, else one
        by one (about 10 µs a point: pass False for draws valid by construction).
    conditions : CompiledConditions, optional
        Defaults to the model's derived conditions (:func:`model_conditions`).

    Returns
    -------
    SweepResult

    Raises
    ------
    InvalidParameterError
        Bad axes, unknown names, invalid parameters.
    """
    from .solvers.equilibrium import resolve_model

    model = resolve_model(model)
    base = _resolve_fixed(model, fixed)
    if (axes is None) == (points is None):
        raise InvalidParameterError(Violation("axes/points", None, "give exactly one of them"))
    ax_list = []
    pts = {}
    if axes is not None:
        if not hasattr(axes, "items") or not axes:
            raise InvalidParameterError(Violation("axes", axes, "must be a non-empty dict"))
        _check_names(model, list(axes), "axis")
        ax_list = [_as_axis(k, v) for k, v in axes.items()]
    else:
        if not hasattr(points, "items") or not points:
            raise InvalidParameterError(Violation("points", None, "must be a non-empty dict"))
        _check_names(model, list(points), "point column")
        pts = {k: np.ascontiguousarray(np.asarray(v, dtype=float)) for k, v in points.items()}
        lens = {v.shape for v in pts.values()}
        if len(lens) != 1 or len(next(iter(lens))) != 1 or next(iter(lens))[0] < 1:
            raise InvalidParameterError(Violation("points", sorted(lens),
                                                  "must be 1-D arrays of one length >= 1"))
    _check_names(model, list(base), "fixed")
    defaults = model.params(base).as_dict() if not validate else None
    if validate:
        # Fixed values are validated with the grid/points (a fixed value may only be valid
        # together with the swept ones), so start from unvalidated defaults + overrides.
        defaults = {p.name: p.default for p in model.parameters}
        defaults.update(base)
        if ax_list:
            _validate_box(model, defaults, ax_list)
        else:
            _validate_points(model, defaults, pts)
    swept = {a.name for a in ax_list} | set(pts)
    base_vals = {k: float(v) for k, v in defaults.items() if k not in swept}
    compiled = conditions or model_conditions(model, rtol=rtol)
    shape = tuple(len(a) for a in ax_list) if ax_list else (len(next(iter(pts.values()))),)
    n = int(np.prod(shape))
    if backend not in ("auto", "numpy", "numba"):
        raise InvalidParameterError(Violation("backend", backend, "must be auto, numpy or numba"))
    if backend == "auto":
        threshold = (NUMBA_MIN_POINTS_WARM if compiled._numba_kernel is not None
                     else NUMBA_MIN_POINTS)
        backend = ("numba" if (n >= threshold and numba_available()
                               and compiled.word in _WIDE) else "numpy")
    if progress is None:
        progress = n >= 8 * block and sys.stderr.isatty()
    exists = np.empty(n, compiled.word)
    near = np.empty(n, compiled.word)
    names = [a.name for a in ax_list]
    values = [a.values for a in ax_list]
    bar = _Progress(n, bool(progress))
    t0 = time.perf_counter()
    starts = list(range(0, n, block))
    if client is None:
        for a in starts:
            b = min(n, a + block)
            pb = {k: v[a:b] for k, v in pts.items()} if pts else None
            _eval_block(compiled, base_vals, names, values, shape, pb, a, b, backend,
                        exists[a:b], near[a:b])
            bar.update(b - a)
    else:
        from distributed import as_completed

        futures = []
        for a in starts:
            b = min(n, a + block)
            pb = {k: v[a:b] for k, v in pts.items()} if pts else None
            futures.append(client.submit(_eval_block, compiled, base_vals, names, values,
                                         shape, pb, a, b, backend, pure=False))
        for fut in as_completed(futures):
            a, e, d = fut.result()
            exists[a:a + len(e)], near[a:a + len(e)] = e, d
            bar.update(len(e))
            fut.release()
    seconds = time.perf_counter() - t0
    bar.close()
    return SweepResult(
        model=model.name, types=compiled.labels, stable=np.array(compiled.stable, dtype=bool),
        bits=exists.reshape(shape), near_bits=near.reshape(shape),
        axes={a.name: a.values for a in ax_list}, points=pts, fixed=base_vals,
        rtol=compiled.rtol, backend=backend + ("+dask" if client is not None else ""),
        seconds=seconds, premise=None if compiled.premise is None else str(compiled.premise),
        no_closed_form=tuple(t for t, c in zip(compiled.labels, compiled.conditions)
                             if c is None))


def enumerate_types(model, params, conditions_labels=None):
    """The set of equilibrium-type labels ``solve`` finds at one point (the exact baseline).

    Returns (labels, degenerate): degenerate is True when ``solve`` reports a knife edge.
    """
    import warnings

    from .errors import DegenerateEquilibriumWarning
    from .solvers.equilibrium import solve

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegenerateEquilibriumWarning)
        sol = solve(model, params)
    return ({equilibrium_type(e) for e in sol.equilibria},
            any(e.degenerate for e in sol.equilibria))
