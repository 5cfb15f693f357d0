"""Compile the derived existence conditions once into vectorised kernels (NumPy, Numba).

See :mod:`marshallian.sweep` for the method (sign tests, relative margins, monotone
near-boundary flags).
"""

from __future__ import annotations

import functools
import hashlib
import math
import time

import numpy as np

from ..errors import InvalidParameterError, Violation

#: Relative margin (see :mod:`marshallian.sweep`) at or below which an inequality is
#: undecided and the point is flagged ``near_boundary`` instead of classified. 10x the
#: enumeration's pay tie tolerance (:data:`marshallian.tolerances.PAY_RTOL`), so that every
#: knife edge the exact enumeration reports as degenerate is flagged here too.
BOUNDARY_RTOL = 1e-8
#: Points per chunk of the NumPy kernel: its temporaries (512 KiB each) stay in the
#: last-level cache; measured 2.4x faster than whole-array NumPy on 2e6 points, and
#: faster than 4096- or 16384-point chunks (Python overhead per chunk).
CHUNK_POINTS = 65536


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
    else:  # pragma: no cover - sympy has no other
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
        pass  # sign irrelevant: zero iff numerator zero
    else:  # unknown sign: keep the product's sign
        num = num * den
    num = sp.expand(num)
    if num.is_polynomial(*symbols):
        terms = sp.Add.make_args(num)
        scale = sp.Add(*[abs(t.as_coeff_Mul()[0]) * t.as_coeff_Mul()[1] for t in terms])
    else:  # e.g. radicals: margin relative to both sides
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
    raise InvalidParameterError(
        Violation("types", n_types, "at most 64 equilibrium types per sweep")
    )


def generate_kernel_source(names, conditions, rtol, backend="numpy", premise=None, near="full"):
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

    Examples
    --------
    >>> import marshallian as m
    >>> from marshallian.sweep import generate_kernel_source, model_conditions
    >>> cc = model_conditions(m.get_model("alternative"))
    >>> print(generate_kernel_source(cc.names, cc.conditions, 1e-8).splitlines()[0])
    def _kernel(lam_1S, lam_2S, lam_1N, lam_2N, beta, alpha, Lbar_1, Lbar_2, L_S, L_N, mu_1, mu_2):
    """
    import sympy as sp
    from sympy.printing.numpy import NumPyPrinter
    from sympy.printing.pycode import PythonCodePrinter

    symbols = [sp.Symbol(n, positive=True) for n in names]
    sym_of = {s.name: s for s in symbols}
    # relational -> index; index -> (number index, op)
    atom_name: dict = {}
    atom_test: list[tuple] = []
    # distinct sign-test polynomials (up to sign)
    numbers: list = []
    number_of: dict = {}

    def register(atom):
        kind, num, scale, key = _sign_test(atom, symbols)
        # Canonical sign: the coefficient of the first monomial in a fixed order.
        terms = sorted(
            (t.as_coeff_Mul() for t in sp.Add.make_args(key)),
            key=lambda cm: sp.default_sort_key(cm[1]),
        )
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
        {"fully_qualified_modules": True, "inline": True, "allow_unknown_functions": False}
    )
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
        else:  # NumPy booleans even when every input is a Python float (~ is logical)
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
            ">": (f"_U{k}", f"_L{k}"),
            ">=": (f"_U{k}", f"_L{k}"),
            "<": (f"~_L{k}", f"~_U{k}"),
            "<=": (f"~_L{k}", f"~_U{k}"),
            "==": (f"_n{k}", "False"),
            "!=": ("True", f"~_n{k}"),
        }[kind]

    def pair(c):
        """(exists, near): exists where the formula surely holds (lower bound), near where
        the bounds disagree. NNF formulas are monotone in their atoms."""
        if c is None:  # no closed form: never decided
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
                lines += [
                    f"    _pn = {d}",
                    f"    _d = _d * {wt}(_ok & ~_pn) + {wt}({full}) * {wt}(_pn)",
                ]
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
            lines += [
                f"    _ok = _np.asarray({e})",
                f"    _pn = _np.asarray({d})",
                f"    _e = _np.where(_ok, _e | {dt}({1 << n}), {dt}(0))",
                f"    _d = _np.where(_pn, {dt}({full}), _np.where(_ok, _d, {dt}(0)))",
            ]
        lines.append("    return _e, _d")
    return "\n".join(lines) + "\n"


def _exec_source(src, extra=None):
    glb = {"_np": np, "numpy": np, "math": math}
    glb.update(extra or {})
    code = compile(src, "<marshallian.sweep kernel>", "exec")
    exec(code, glb)  # generated from SymPy expressions built in code, never user text
    return glb["_kernel"]


def numba_available() -> bool:
    """Whether Numba can be imported (the compiled sweep backend, ``backend="numba"``).

    Examples
    --------
    >>> from marshallian.sweep import numba_available
    >>> isinstance(numba_available(), bool)
    True
    """
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

    Examples
    --------
    >>> import marshallian as m
    >>> from marshallian.sweep import model_conditions
    >>> cc = model_conditions(m.get_model("alternative"))
    >>> cc.labels[:2], cc.n_types
    (('2:modern[rising]', '2:modern'), 15)
    """

    def __init__(
        self,
        names,
        conditions,
        labels=None,
        stable=None,
        premise=None,
        *,
        rtol=BOUNDARY_RTOL,
        key=None,
    ):
        if isinstance(rtol, bool) or not (isinstance(rtol, (int, float)) and 0 <= rtol <= 1e-2):
            raise InvalidParameterError(Violation("rtol", rtol, "must be a number in [0, 1e-2]"))
        self.names = tuple(names)
        self.conditions = tuple(conditions)
        self.labels = (
            tuple(labels)
            if labels is not None
            else tuple(f"type{i}" for i in range(len(self.conditions)))
        )
        self.stable = (
            tuple(bool(s) for s in stable)
            if stable is not None
            else (False,) * len(self.conditions)
        )
        if not (len(self.labels) == len(self.conditions) == len(self.stable)):
            raise ValueError("labels, stable and conditions must have the same length")
        self.premise = premise
        self.rtol = float(rtol)
        # what identifies the inputs (the on-disk cache's key): given by the caller, or
        # a digest of the expressions
        self.key = key or _digest(
            self.names, self.conditions, self.labels, self.stable, self.premise, self.rtol
        )
        self.n_types = len(self.conditions)
        self.word = _word_dtype(self.n_types + (premise is not None))
        t0 = time.perf_counter()
        self.numpy_source = self._source("numpy")
        self._numpy_kernel = _exec_source(self.numpy_source)
        self.compile_seconds = time.perf_counter() - t0
        self._numba_kernel = None

    def _source(self, backend, near="full") -> str:
        """Generated kernel source, through the signed on-disk cache
        (:func:`marshallian.cache.cached_source`)."""
        from ..cache import cached_source

        key = hashlib.sha256(f"{self.key}|{backend}|{near}".encode()).hexdigest()
        return cached_source(
            "sweep",
            key,
            lambda: generate_kernel_source(
                self.names, self.conditions, self.rtol, backend, self.premise, near=near
            ),
        )

    def __reduce__(self):
        return (
            _rebuild_compiled,
            (
                self.names,
                self.conditions,
                self.labels,
                self.stable,
                self.premise,
                self.rtol,
                self.key,
            ),
        )

    # ------------------------------------------------------------------ kernels
    def numba_kernel(self):
        """The Numba loop ``f(out_exists, out_near, *params)`` (None without Numba).

        The generated scalar kernel is inlined into a loop over the points; each parameter
        is either a contiguous float64 array or a float (held fixed), and Numba compiles
        one specialisation per such pattern on first use (about 1-2 s). Serial on
        purpose: the loop runs near memory bandwidth on one core (see the benchmark).
        """
        if self._numba_kernel is None and numba_available() and self.word in _WIDE:
            src = self._source("numba")
            fast = self._source("numba", near="any")
            self.numba_source = src
            self._numba_kernel = _numba_loop(src, fast, self.names)
        return self._numba_kernel

    def evaluate(
        self,
        values: dict,
        out_exists=None,
        out_near=None,
        backend="numpy",
        chunk=CHUNK_POINTS,
        threads=1,
    ):
        """Bit sets ``(exists, near)`` for the 1-D point arrays (or scalars) in ``values``.

        ``values`` maps every parameter name to a float, or a 1-D array (all of one
        length ``n``). The NumPy kernel runs over chunks of ``chunk`` points; the Numba
        loop over all of them at once (no temporaries), on ``threads`` threads.
        """
        args = [values[n] for n in self.names]
        if not any(np.ndim(a) == 1 for a in args):  # kernels need one array (bool ops)
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
            loop(
                out_exists,
                out_near,
                wide(8 * np.dtype(self.word).itemsize),
                *[
                    np.ascontiguousarray(a, dtype=np.float64) if np.ndim(a) == 1 else float(a)
                    for a in args
                ],
                threads=threads,
            )
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

    def at(x, i):  # pragma: no cover - replaced by the overload inside Numba
        return x[i] if np.ndim(x) else x

    @overload(at, inline="always")
    def _at(x, i):
        if isinstance(x, types.Array):
            return lambda x, i: x[i]
        return lambda x, i: x

    args = ", ".join(names)
    call = ", ".join(f"_at({a}, i)" for a in names)
    src = (
        f"def _pass1(out_e, out_d, shift, {args}):\n"
        f"    for i in _range(out_e.shape[0]):\n"
        f"        w = _fast({call})\n"
        f"        out_e[i] = w\n"
        f"        out_d[i] = w >> shift\n"
        f"def _pass2(index, out_e, out_d, shift, {args}):\n"
        f"    for j in range(index.shape[0]):\n"
        f"        i = index[j]\n"
        f"        w = _kern({call})\n"
        f"        out_e[i] = w\n"
        f"        out_d[i] = w >> shift\n"
    )
    glb2 = {"_kern": kernel, "_fast": fast, "_at": at, "_range": range}
    exec(compile(src, "<marshallian.sweep loop>", "exec"), glb2)
    pass1 = numba.njit(nogil=True)(glb2["_pass1"])
    pass2 = numba.njit(nogil=True)(glb2["_pass2"])
    parallel: list = []

    def loop(out_e, out_d, shift, *args, threads=1):
        if threads > 1:  # pass 1 on several threads (compiled on demand)
            if not parallel:
                glb3 = dict(glb2, _range=numba.prange)
                exec(compile(src, "<marshallian.sweep parallel loop>", "exec"), glb3)
                parallel.append(numba.njit(parallel=True, nogil=True)(glb3["_pass1"]))
            previous = numba.get_num_threads()
            numba.set_num_threads(min(threads, numba.config.NUMBA_NUM_THREADS))
            try:
                parallel[0](out_e, out_d, shift, *args)
            finally:
                numba.set_num_threads(previous)
        else:
            pass1(out_e, out_d, shift, *args)
        if out_d.any():  # some point has an undecided test (rare)
            pass2(np.flatnonzero(out_d), out_e, out_d, shift, *args)

    return loop


def _digest(*parts) -> str:
    import sympy as sp

    h = hashlib.sha256()
    for p in parts:
        h.update(
            repr(
                [
                    sp.srepr(x) if isinstance(x, sp.Basic) else repr(x)
                    for x in (p if isinstance(p, tuple) else (p,))
                ]
            ).encode()
        )
    return h.hexdigest()


_COMPILED_CACHE: dict = {}


def _rebuild_compiled(names, conditions, labels, stable, premise, rtol, key=None):
    key = key or _digest(names, conditions, labels, stable, premise, rtol)
    obj = _COMPILED_CACHE.get(key)
    if obj is None:
        obj = _COMPILED_CACHE[key] = CompiledConditions(
            names, conditions, labels, stable, premise, rtol=rtol, key=key
        )
    return obj


def compile_conditions(
    names, conditions, labels=None, stable=None, premise=None, *, rtol=BOUNDARY_RTOL, key=None
):
    """Compile SymPy existence conditions once (cached by content, or by ``key`` when the
    caller knows what identifies them); see :class:`CompiledConditions`.

    Examples
    --------
    >>> import marshallian as m
    >>> from marshallian.sweep import compile_conditions, model_conditions
    >>> cc = model_conditions(m.get_model("alternative"))
    >>> compile_conditions(cc.names, cc.conditions, cc.labels).n_types
    15
    """
    return _rebuild_compiled(
        tuple(names),
        tuple(conditions),
        tuple(labels) if labels is not None else None,
        tuple(stable) if stable is not None else None,
        premise,
        float(rtol),
        key,
    )


# =========================================================================== types
def equilibrium_type(eq) -> str:
    """Type label of one :class:`~marshallian.results.Equilibrium` found by ``solve``: its
    ``label`` (e.g. ``'1:backward + 1:modern[rising]'``), the same text as the derived
    :attr:`ConditionEntry.label <marshallian.solvers.conditions.ConditionEntry.label>`.

    Examples
    --------
    >>> import marshallian as m
    >>> from marshallian.sweep import equilibrium_type
    >>> equilibrium_type(m.solve("alternative").best())
    '1:modern'
    """
    return eq.label


def north_premise(model):
    """Where the derived conditions apply: North has a full cluster in every sector that
    can have one, :math:`\\mu_j L_N \\ge \\bar L_j` (the paper's default prices, §2–§3;
    the premise stated by :func:`~marshallian.solvers.conditions.derive_conditions`).
    None when no sector has an externality.

    Examples
    --------
    >>> import marshallian as m
    >>> from marshallian.sweep import north_premise
    >>> north_premise(m.get_model("alternative"))
    (L_N*mu_1 >= Lbar_1) & (L_N*mu_2 >= Lbar_2)
    """
    import sympy as sp

    rels = []
    for j in model.sectors:
        ext = [a for a in model.activities if a.sector == j and a.has_externality]
        if ext:
            rels.append(sp.GreaterThan(model.mu[j] * model.L_N, ext[0].cap))
    return sp.And(*rels) if rels else None


def model_conditions(model, *, rtol=BOUNDARY_RTOL) -> CompiledConditions:
    """The model's derived conditions (:func:`derive_conditions`), compiled once.

    Examples
    --------
    >>> import marshallian as m
    >>> from marshallian.sweep import model_conditions
    >>> conditions = model_conditions(m.get_model("alternative"))
    >>> conditions.n_types, conditions.names[:2]      # one condition per equilibrium type
    (15, ('lam_1S', 'lam_2S'))
    """
    from ..solvers.equilibrium import resolve_model

    return _model_conditions(resolve_model(model), float(rtol))


@functools.lru_cache(maxsize=32)
def _model_conditions(model, rtol):
    from ..cache import model_key, primitive_conditions

    conds, labels, stable = primitive_conditions(model)
    return compile_conditions(
        model.parameter_names,
        conds,
        labels,
        stable,
        north_premise(model),
        rtol=rtol,
        key=hashlib.sha256(f"{model_key(model)}|{rtol!r}".encode()).hexdigest(),
    )
