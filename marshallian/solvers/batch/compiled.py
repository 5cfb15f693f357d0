"""The compiled batch engine: one Numba pass over the cases, per model.

:class:`~marshallian.solvers.batch.engine.BatchKernels` evaluates every regime of a chunk
of cases as NumPy arrays, one pass per regime and per decision. Here the same work is one
compiled loop over the cases: for each case, North's equilibria and the paper's choice
among them, every South regime's closed form with its decisions (the same knife band),
the order of the equilibria, their certificates, written into preallocated arrays. A case
that the NumPy engine would hand to :func:`marshallian.solve` is handed over here too: each
regime's decisions are generated with its closed forms (:func:`_regime_lines`: in a
function of North's option or monotone regime, :func:`_regime_function`, or a dozen South
regimes to a function, :func:`_regime_group`) and the helpers of ``_kernel_core.py``
follow the array code line by line, NaN included (``tests/test_batch.py`` compares the two
engines array for array). The kernel answers a range of cases and releases the GIL, so
that threads can share a chunk (:func:`~marshallian.solvers.batch.engine._threaded`).

The module is generated per model (the closed forms of :mod:`.derive`, printed once,
common subexpressions shared) and compiled by Numba. Through the on-disk cache
(:func:`marshallian.cache.compiled_module`) it is a file, so that Numba keeps the machine
code between processes (``cache=True``); without the cache it would compile in memory
each time (tens of seconds), so the batch then runs on NumPy unless asked for Numba
(:data:`~marshallian.solvers.batch.api.ENGINE`). Without Numba, or if compiling fails,
the NumPy engine answers (:func:`load_kernel` returns None); a failure (not a missing
Numba) is told once per model and process by a
:class:`~marshallian.errors.PerformanceWarning`.
"""

from __future__ import annotations

import functools
from pathlib import Path

from . import derive

#: Version of the generated layout (part of the generated text, hence of its digest).
LAYOUT = 4


def _printer():
    from .engine import _printer as numpy_printer

    return numpy_printer()


def _cse_lines(exprs, printer) -> tuple[list, list]:
    """Lines assigning the common subexpressions, and the printed expressions."""
    import sympy as sp

    repl, reduced = sp.cse(exprs, symbols=sp.numbered_symbols("_x"), optimizations=None)
    lines = [f"    {sym} = {printer.doprint(e)}" for sym, e in repl]
    return lines, [printer.doprint(e) for e in reduced]


def _tuple_function(name, args, exprs, printer) -> str:
    """``def name(*args)`` returning every expression as a tuple of floats."""
    lines, printed = _cse_lines(exprs, printer)
    out = ", ".join(f"float({e})" for e in printed)
    return "\n".join([f"def {name}({', '.join(args)}):", *lines, f"    return ({out},)"]) + "\n"


def _outputs(plan) -> list:
    """Indices (into :attr:`RegimePlan.expressions`) of a regime function's outputs after
    its status: labor, wage, factors, and a monotone regime's coefficients."""
    n = len(plan.expressions)
    return [*range(len(plan.labor) + 1 + len(plan.factor)), *range(n - 4 * len(plan.variable), n)]


class _Lazy:
    """Straight-line code that defines each common subexpression (``_x``) and each
    expression (``_e``) of a regime just before its first use, in the order SymPy's
    ``cse`` gives: the same operations on the same values, skipped when the regime is
    rejected before they are needed."""

    def __init__(self, exprs, printer):
        import sympy as sp

        repl, reduced = sp.cse(exprs, symbols=sp.numbered_symbols("_x"), optimizations=None)
        self.order = {sym: k for k, (sym, _e) in enumerate(repl)}
        self.repl = [(sym, printer.doprint(e), e.free_symbols) for sym, e in repl]
        self.reduced = [(printer.doprint(e), e.free_symbols) for e in reduced]
        self.done: set = set()

    def _needs(self, free, out: set) -> None:
        for sym in free:
            k = self.order.get(sym)
            if k is not None and k not in out:
                out.add(k)
                self._needs(self.repl[k][2], out)

    def define(self, *indices) -> list:
        """Lines defining ``_e<k>`` for each of ``indices`` (and what they need) that are
        not defined yet."""
        lines: list = []
        for k in indices:
            if ("e", k) in self.done:
                continue
            need: set = set()
            self._needs(self.reduced[k][1], need)
            for x in sorted(need - {i for t, i in self.done if t == "x"}):
                sym, text, _free = self.repl[x]
                lines.append(f"    {sym} = {text}")
                self.done.add(("x", x))
            lines.append(f"    _e{k} = float({self.reduced[k][0]})")
            self.done.add(("e", k))
        return lines


def _regime_lines(plan, printer, reject, undecided, accept) -> list:
    """One regime's closed forms and decisions, taken as ``BatchKernels._decide`` takes
    them, as straight-line code (lines indented by 4): ``reject(ready)``,
    ``undecided()`` and ``accept()`` give the lines (indented by 8) that end it so
    (``ready``: the allocation is computed).

    The status does not depend on the order of the decisions (REJECT if one clearly
    fails; else UNDECIDED if a value is not finite, a margin is within its knife band,
    a tie is asked or the regime is a knife edge; else ACCEPT), so a clear failure ends
    it at once. The labor and pay tests come first and each expression is computed where
    first needed (:class:`_Lazy`): a regime rejected by them computes neither its
    allocation nor its other tests. A monotone regime (§4) computes every expression
    first: its coefficients are read whatever its status."""
    lazy = _Lazy(plan.expressions, printer)
    K, J = len(plan.labor), len(plan.factor)
    n_out = K + 1 + J
    lines = lazy.define(*range(len(plan.expressions))) if plan.variable else []
    lines += ["    und = False", "    atol = labor_rtol * L_ref"]
    ready = bool(plan.variable)

    def decision(margin, band, holds):
        """``holds``, unless ``margin`` is within ``band`` (the knife band)."""
        return [
            f"    near = not (abs({margin}) > {band})",
            "    und = und or near",
            f"    if not ({holds}) and not near:",
            *reject(ready),
        ]

    pos = n_out
    for _ in plan.labor_tests:  # a < b, decided with the labor tolerance
        a, b = f"_e{pos}", f"_e{pos + 1}"
        lines += lazy.define(pos, pos + 1)
        pos += 2
        band = f"KNIFE_FACTOR * atol + ROUNDING_RTOL * (abs({a}) + abs({b}) + L_ref)"
        lines += decision(f"{b} - {a}", band, f"{b} - {a} > 0")
    for _ in plan.pay_tests:  # an idle activity's pay below the wage
        pay, w = f"_e{pos}", f"_e{pos + 1}"
        lines += lazy.define(pos, pos + 1)
        pos += 2
        band = f"(KNIFE_FACTOR * pay_rtol + ROUNDING_RTOL) * _nanmax(abs({pay}), abs({w}))"
        lines += decision(f"{w} - {pay}", band, f"{pay} < {w}")
    for _ in plan.ties:
        a, b = f"_e{pos}", f"_e{pos + 1}"
        lines += lazy.define(pos, pos + 1)
        pos += 2
        lines += [
            f"    band = (KNIFE_FACTOR * pay_rtol + ROUNDING_RTOL) * _nanmax(abs({a}), abs({b}))",
            f"    if abs({a} - {b}) > band:",  # a tie holds only on its knife edge
            *reject(ready),
            "    und = True",
        ]
    # the allocation: finite, and a positive wage
    lines += lazy.define(*range(n_out))
    values = " and ".join(f"math.isfinite(_e{k})" for k in range(n_out))
    lines += [
        f"    bad = not ({values})",
        "    und = und or bad",
        f"    if not (_e{K} > 0) and not bad:",
        *reject(True),
    ]
    if plan.knife:
        return lines + [x[4:] for x in undecided()]
    return lines + ["    if und:", *undecided(), *[x[4:] for x in accept()]]


def _regime_function(name, args, plan, printer) -> str:
    """``def name(*args, L_ref, labor_rtol, pay_rtol) -> (status, *outputs)`` of one regime
    (:func:`_regime_lines`; outputs: :func:`_outputs`, all floats, no array: nothing to
    count references of). A rejection returns NaN in place of an allocation not computed
    (the kernel reads a regime's outputs only when it is accepted)."""
    n_out = len(plan.labor) + 1 + len(plan.factor)
    outs = [f"_e{k}" for k in _outputs(plan)]
    nans = ", ".join(["math.nan"] * n_out + outs[n_out:])

    def ret(status, ready=True):
        return [f"        return (float({status}), {', '.join(outs) if ready else nans})"]

    lines = _regime_lines(
        plan,
        printer,
        reject=functools.partial(ret, "REJECT"),
        undecided=functools.partial(ret, "UNDECIDED"),
        accept=functools.partial(ret, "ACCEPT"),
    )
    return (
        "\n".join([f"def {name}({', '.join(args)}, L_ref, labor_rtol, pay_rtol):", *lines]) + "\n"
    )


#: South regimes (not monotone) written into one compiled function together (see
#: :func:`_regime_group`): fewer calls per case than one function each, and less to
#: compile at once than all in the kernel.
GROUP_REGIMES = 12


def _regime_group(name, args, regimes, printer, factors: bool) -> str:
    """``def name(*args, L_ref, labor_rtol, pay_rtol, gap, wage, lab, fac) -> bool``: the
    South regimes ``regimes`` (pairs ``(r, plan)``, none monotone) one after the other,
    each's decisions (:func:`_regime_lines`) in a one-pass loop that a rejection leaves
    (``gap[r]`` stays infinite), an undecided regime leaves handing the case over (the
    function returns True at once), and an accepted one leaves with its gap, wage, labor
    and factors written down. No tuple is passed back per regime, and the compiler
    shares work between the regimes of a group."""
    wage_symbol = args[-1]
    lines = [f"def {name}({', '.join(args)}, L_ref, labor_rtol, pay_rtol, gap, wage, lab, fac):"]
    for r, plan in regimes:
        K, J = len(plan.labor), len(plan.factor)

        def accept(r=r, K=K, J=J):
            return [
                f"        gap[{r}] = 1.0 / _e{K}",
                f"        wage[{r}] = _e{K}",
                *[f"        lab[{r}, {k}] = _e{k}" for k in range(K)],
                *[f"        fac[{r}, {j}] = _e{K + 1 + j}" for j in range(J) if factors],
                "        break",
            ]

        body = _regime_lines(
            plan,
            printer,
            reject=lambda ready: ["        break"],
            undecided=lambda: ["        return True"],
            accept=accept,
        )
        lines += [
            f"    {wage_symbol} = 1.0",
            f"    gap[{r}] = math.inf",
            "    for _once in range(1):",
        ]
        lines += ["    " + x for x in body]
    return "\n".join([*lines, "    return False"]) + "\n"


def generate_source(model) -> str:
    """Python source of the model's compiled kernel, for Numba.

    ``kernel(P, lo, hi, prices, delegate, m, *rows, labor_rtol, pay_rtol, verify_rtol,
    states, label_order)`` answers the cases ``lo .. hi - 1`` (columns of ``P``, one row
    per parameter). It writes their prices and hand-offs into rows ``lo .. hi - 1`` of
    ``prices`` and ``delegate`` (the caller's, so that threads answering disjoint ranges
    share them; every case's prices are written, ``delegate`` must be zeros on entry), and their equilibria into the row arrays ``rows``
    (:func:`~marshallian.solvers.batch.engine.row_arrays`: ``case`` numbered as in ``P``,
    regime, number within the case from 1, wage, income gap, labor, factors,
    certificate, and the row's parameters and prices: ``o_val``, one row each) from row
    ``m`` on; when they are full it doubles them. A model whose sector factors are all 1
    (no learning, :func:`~marshallian.solvers.batch.engine.constant_factors`) has its
    factors left unwritten. It returns the
    number of rows then filled and the row arrays (the same or grown ones), and releases
    the GIL (``nogil``) meanwhile."""
    from ..verify import _pay_expressions
    from .engine import (
        BISECTION_RTOL,
        BISECTION_STEPS,
        KNIFE_FACTOR,
        ORDER_RTOL,
        ROUNDING_RTOL,
        constant_factors,
    )

    printer = _printer()
    names = list(model.parameter_names)
    prices = [s.name for s in derive.price_symbols(model)]
    args = names + prices + [derive.WAGE_SYMBOL.name]
    north = derive.north_plans(model)
    south = derive.south_plans(model)
    K, J, R = len(model.activities), len(model.sectors), len(south)
    factors = not constant_factors(south)
    core = Path(__file__).with_name("_kernel_core.py").read_text(encoding="utf-8")
    parts = [f"# generated by marshallian.solvers.batch.compiled (layout {LAYOUT})\n", core]
    parts.append("import numpy\n")
    inline = ["_nanmax", "_invert", "_excess", "_bisect", "_order"]
    functions = ["_grow", "_grow_along"]
    for i, options in enumerate(north):
        for o, opt in enumerate(options):
            parts.append(_regime_function(f"_north_{i}_{o}", args, opt.plan, printer))
            functions.append(f"_north_{i}_{o}")
    groups: dict = {}  # first regime of a group -> its function's name
    run: list = []
    for r, plan in enumerate([*south, None]):
        if plan is not None and not plan.variable and len(run) < GROUP_REGIMES:
            run.append((r, plan))
            continue
        if run:
            name = groups[run[0][0]] = f"_south_group_{run[0][0]}"
            parts.append(_regime_group(name, args, run, printer, factors))
            functions.append(name)
            run = [] if plan is None or plan.variable else [(r, plan)]
        if plan is not None and plan.variable:
            parts.append(_regime_function(f"_south_{r}", args, plan, printer))
            functions.append(f"_south_{r}")
    _syms, psyms, lsyms, pays = _pay_expressions(model)
    subs = dict(zip(psyms, derive.price_symbols(model)))
    pay_args = names + prices + [s.name for s in lsyms]
    parts.append(_tuple_function("_pays", pay_args, [p.xreplace(subs) for p in pays], printer))
    functions.append("_pays")

    call_p = ", ".join(names)
    n_coef = max([4 * len(p.variable) for p in south] + [1])
    body = [
        "def kernel(P, lo, hi, prices, delegate, m, o_case, o_reg, o_num, o_wage, o_gap, o_lab,",
        "           o_fac, o_res, o_gain, o_labres, o_ver, o_val, labor_rtol, pay_rtol,",
        "           verify_rtol, states, label_order):",
        f"    coef = np.empty({n_coef})",
        f"    gap = np.empty({R})",
        f"    wage = np.empty({R})",
        f"    lab = np.empty(({R}, {K}))",
        f"    fac = np.empty(({R}, {J}))",
        f"    slots = np.empty({R}, np.int64)",
        f"    spos = np.empty({R}, np.int64)",
        f"    sgap = np.empty({R})",
        f"    cres = np.empty({R})",
        f"    cgain = np.empty({R})",
        f"    clab = np.empty({R})",
        f"    cver = np.empty({R}, np.bool_)",
        "    cap = o_case.shape[0]",
        "    for i in range(lo, hi):",
    ]
    for a, name in enumerate(names):
        body.append(f"        {name} = P[{a}, i]")
    body += ["        d = False", "        _c = 0"]
    ones = ", ".join(["1.0"] * J)
    for i, options in enumerate(north):
        body += [
            "        _best = -math.inf",
            "        _second = -math.inf",
            "        _full = False",
            "        _anys = False",
            f"        _Lr = mu_{model.sectors[i]} * L_N",
        ]
        for o, opt in enumerate(options):
            v = f"_n{i}_{o}"
            body += [
                f"        {v} = _north_{i}_{o}({call_p}, {ones}, 1.0, _Lr, labor_rtol, pay_rtol)",
                f"        if {v}[0] == UNDECIDED:",
                "            d = True",
            ]
            if opt.stable:
                body += [
                    f"        if {v}[0] == ACCEPT:",
                    "            _anys = True",
                    f"            _prod = {v}[{1 + len(opt.plan.labor)}]",
                    "            if _prod > _best:",
                    "                _second = _best",
                    "                _best = _prod",
                    f"                _full = {bool(opt.full_cluster)}",
                    "            else:",
                    "                _second = _nanmax(_second, _prod)",
                ]
        body += [
            "        _band = (KNIFE_FACTOR * pay_rtol + ROUNDING_RTOL) * abs(_best)",
            "        if not _anys or not _full or (",
            "            math.isfinite(_second) and not (_best - _second > _band)",
            "        ):",
            "            d = True",
            f"        {prices[i]} = 1.0 / _best",
            f"        prices[i, {i}] = {prices[i]}",
        ]
    call_s = f"{call_p}, {', '.join(prices)}"
    for r, plan in enumerate(south):
        v = f"_s{r}"
        if r in groups:
            body += [
                "        if not d:",
                f"            d = {groups[r]}({call_s}, 1.0, L_S, labor_rtol, pay_rtol, gap, wage,"
                " lab, fac)",
            ]
        if not plan.variable:
            continue
        first = 2 + K + J  # the coefficients follow status, labor, wage, factors
        body += [
            "        if not d:",
            f"            {v} = _south_{r}({call_s}, 1.0, L_S, labor_rtol, pay_rtol)",
            *[f"            coef[{t}] = {v}[{first + t}]" for t in range(4 * len(plan.variable))],
            f"            _w = _bisect(coef, {len(plan.variable)}, L_S)",
        ]
        body += [
            f"            {v} = _south_{r}({call_s}, _w, L_S, labor_rtol, pay_rtol)",
            f"            if {v}[0] == UNDECIDED:",
            "                d = True",
            f"            elif {v}[0] == ACCEPT:",
            f"                gap[{r}] = 1.0 / {v}[{1 + K}]",
            f"                wage[{r}] = {v}[{1 + K}]",
            *[f"                lab[{r}, {k}] = {v}[{1 + k}]" for k in range(K)],
            *[f"                fac[{r}, {j}] = {v}[{2 + K + j}]" for j in range(J) if factors],
            "            else:",
            f"                gap[{r}] = math.inf",
        ]
    lab_args = ", ".join(f"lab[_r, {k}]" for k in range(K))
    body += [
        "        if not d:",
        "            _c = _order(gap, label_order, slots, spos, sgap, ORDER_RTOL)",
        "            for _q in range(_c):",
        "                _r = slots[_q]",
        f"                _p = _pays({call_s}, {lab_args})",
        # the certificate (BatchKernels._certify), unrolled over the activities
        "                _w0 = wage[_r]",
        "                _res = 0.0",
        "                _gn = -math.inf",
        "                _tot = 0.0",
        "                _neg = False",
    ]
    for k in range(K):
        body += [
            f"                _l = lab[_r, {k}]",
            f"                _rel = (_p[{k}] - _w0) / _w0",
            f"                if states[_r, {k}] != 0 and _l > 0:",
            "                    _res = _nanmax(_res, abs(_rel))",
            "                else:",
            "                    _gn = _nanmax(_gn, _rel)",
            "                _tot += _l",
            "                if _l < -labor_rtol * L_S:",
            "                    _neg = True",
        ]
    body += [
        "                _lres = abs(_tot - L_S) / L_S",
        "                cres[_q] = _res",
        "                cgain[_q] = _gn",
        "                clab[_q] = _lres",
        "                cver[_q] = (",
        "                    _res <= verify_rtol",
        "                    and _gn <= verify_rtol",
        "                    and _lres <= verify_rtol",
        "                    and not _neg",
        "                )",
        "                _worst = _nanmax(_nanmax(_res, _gn), _lres)",
        "                if _worst > 0.1 * verify_rtol and _worst < 10 * verify_rtol:",
        "                    d = True",
        "        if d:",
        "            delegate[i] = True",
        "            continue",
        "        if m + _c > cap:",
        f"            cap = 2 * cap + {R}",
        "            o_case = _grow(o_case, cap)",
        "            o_reg = _grow(o_reg, cap)",
        "            o_num = _grow(o_num, cap)",
        "            o_wage = _grow(o_wage, cap)",
        "            o_gap = _grow(o_gap, cap)",
        "            o_lab = _grow(o_lab, cap)",
        *(["            o_fac = _grow(o_fac, cap)"] if factors else []),
        "            o_res = _grow(o_res, cap)",
        "            o_gain = _grow(o_gain, cap)",
        "            o_labres = _grow(o_labres, cap)",
        "            o_ver = _grow(o_ver, cap)",
        "            o_val = _grow_along(o_val, cap)",
        "        for _q in range(_c):",
        "            _r = slots[_q]",
        "            o_case[m] = i",
        "            o_reg[m] = _r",
        "            o_num[m] = _q + 1",
        "            o_wage[m] = wage[_r]",
        "            o_gap[m] = gap[_r]",
        *[f"            o_lab[m, {k}] = lab[_r, {k}]" for k in range(K)],
        *[f"            o_fac[m, {j}] = fac[_r, {j}]" for j in range(J) if factors],
        "            o_res[m] = cres[_q]",
        "            o_gain[m] = cgain[_q]",
        "            o_labres[m] = clab[_q]",
        "            o_ver[m] = cver[_q]",
        *[f"            o_val[{a}, m] = {name}" for a, name in enumerate(names + prices)],
        "            m += 1",
        "    return (m, o_case, o_reg, o_num, o_wage, o_gap, o_lab, o_fac, o_res, o_gain, o_labres,",
        "            o_ver, o_val)",
    ]
    consts = [
        f"KNIFE_FACTOR = {float(KNIFE_FACTOR)!r}",
        f"ROUNDING_RTOL = {float(ROUNDING_RTOL)!r}",
        f"ORDER_RTOL = {float(ORDER_RTOL)!r}",
        f"BISECTION_STEPS = {int(BISECTION_STEPS)}",
        f"BISECTION_RTOL = {float(BISECTION_RTOL)!r}",
    ]
    parts.append("\n".join(consts) + "\n")
    parts.append("\n".join(body) + "\n")
    functions.append("kernel")
    parts.append(
        "\nimport numba as _numba\n\n"
        '_CACHE = globals().get("_MARSHALLIAN_CACHE", True)\n'
        f"for _name in {inline!r}:  # small helpers: inlined where called\n"
        "    globals()[_name] = _numba.njit(inline='always', error_model='numpy')(\n"
        "        globals()[_name]\n"
        "    )\n"
        f"for _name in {functions!r}:\n"
        "    globals()[_name] = _numba.njit(cache=_CACHE, error_model='numpy', nogil=True)(\n"
        "        globals()[_name]\n"
        "    )\n"
    )
    return "\n\n".join(parts)


def load_kernel(model, *, cache: bool | None = None):
    """The model's compiled kernel (loaded from Numba's on-disk cache, or compiled now),
    or None when Numba is missing or compiling fails (the NumPy engine answers then).

    A failure is told once per model and process (:func:`warn_fallback`); Numba not
    installed at all is a documented choice and is not."""
    try:
        import numba  # noqa: F401
    except ImportError as exc:
        if not _not_installed(exc):
            warn_fallback(f"{model.name}: the compiled batch kernel", exc, "the NumPy engine")
        return None
    from ...cache import compiled_module

    try:
        module = compiled_module("batch-numba", model, lambda: generate_source(model), cache=cache)
        kernel = module.namespace["kernel"]
        _warm_up(model, kernel)
        module.seal()
    except Exception as exc:  # noqa: BLE001 - any failure of Numba: the NumPy engine answers
        warn_fallback(f"{model.name}: the compiled batch kernel", exc, "the NumPy engine")
        return None
    return kernel


def _not_installed(exc: ImportError) -> bool:
    """Whether ``import numba`` failed because Numba is not installed (as opposed to an
    installed Numba that fails to import, e.g. against an unsupported NumPy)."""
    return isinstance(exc, ModuleNotFoundError) and exc.name == "numba"


#: What :func:`warn_fallback` has told in this process (once each).
_WARNED: set = set()


def warn_fallback(what: str, exc: BaseException, instead: str) -> None:
    """Warn (:class:`~marshallian.errors.PerformanceWarning`), once per ``what`` and
    process, that compiled code ``what`` could not be used because of ``exc`` and that
    ``instead`` answers (same results, slower). The exception's message is cut to its
    first line, escaped and bounded, so that the warning is one line."""
    import warnings

    from ...errors import PerformanceWarning, echo_name

    if what in _WARNED:
        return
    _WARNED.add(what)
    lines = [x for x in str(exc).splitlines() if x.strip()]
    reason = type(exc).__name__ + (f": {echo_name(lines[0].strip())}" if lines else "")
    warnings.warn(
        f"{what} could not be used ({reason}); {instead} answers instead (same results, slower)",
        PerformanceWarning,
        stacklevel=3,
    )


def _warm_up(model, kernel) -> None:
    """Compile (or load) the kernel for its one signature, on the default case."""
    import numpy as np

    from ...tolerances import DEFAULT_TOLERANCES
    from .engine import constant_factors, row_arrays

    t = DEFAULT_TOLERANCES
    tol = (t.labor_rtol, t.pay_rtol, t.verify_rtol)

    P = np.ascontiguousarray(np.array([[float(v)] for v in model.params().as_tuple()], dtype=float))
    plans = derive.south_plans(model)
    states = np.array([p.regime for p in plans], dtype=np.int8)
    order = np.arange(len(plans), dtype=np.int64)
    prices = np.empty((1, len(model.sectors)))
    delegate = np.zeros(1, dtype=bool)
    rows = row_arrays(1, model, constant_factors(plans))
    kernel(P, 0, 1, prices, delegate, 0, *rows, *tol, states, order)
