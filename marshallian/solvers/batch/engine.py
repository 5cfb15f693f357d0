"""The vectorised enumeration: every regime of N cases at once, as arrays.

The closed forms of :mod:`~marshallian.solvers.batch.derive` are printed once into one
generated NumPy module (common subexpressions shared, a fixed argument order: the model's
parameters, then the prices ``p_j``, then ``w_``) and evaluated on arrays of cases.

Each float decision of the per-case enumeration is taken here with a *knife band*: a
decision whose margin is within :data:`KNIFE_FACTOR` times the enumeration's tolerance
(plus :data:`ROUNDING_RTOL` of the magnitudes involved) of its threshold is not taken; the
whole case is handed to the per-case solver instead. So the batch never guesses where
the per-case solver's answer could depend on rounding, and every knife edge (a weak
equilibrium, a tie, a continuum, labor at a cap) is answered by the per-case solver, with
its degenerate classification.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass, field

import numpy as np

from ...tolerances import DEFAULT_TOLERANCES, ORDER_RTOL, Tolerances
from . import derive

#: A decision is undecided (the case goes to the per-case solver) when its margin is
#: within this many times the enumeration's tolerance of the threshold ...
KNIFE_FACTOR = 2.0
#: ... plus this fraction of the magnitudes compared (rounding differences between two
#: algebraically equal ways of evaluating the closed forms stay far below it).
ROUNDING_RTOL = 1e-12
#: Bisection of the monotone regimes (§4): the per-case solver's own rule (at most 200
#: halvings, stopping at a relative width of 1e-16).
BISECTION_STEPS = 200
BISECTION_RTOL = 1e-16

#: Room made for the compiled kernel's rows: this many equilibria a case (the arrays
#: double when full).
ROWS_PER_CASE = 8
#: Threads of the compiled kernel take the cases in blocks of this many, in order, each
#: answered into the thread's own small arrays and then copied into its place.
BLOCK_CASES = 2048
#: A chunk is split over threads only when each gets at least this many cases.
MIN_CASES_PER_THREAD = 4096

# decision outcomes
REJECT, ACCEPT, UNDECIDED = 0, 1, 2


def constant_factors(plans) -> bool:
    """Whether every sector factor of these South regimes is 1 (a model without
    learning): the compiled kernel then leaves the factors unwritten."""
    return all(f == 1 for plan in plans for f in plan.factor)


def row_arrays(cap: int, model, constant: bool) -> tuple:
    """Empty row arrays of the compiled kernel, room for ``cap`` equilibria: case,
    regime, number within the case, wage, income gap, labor (cap x K), factors (cap x J;
    one unused row when ``constant``: :func:`constant_factors`), the certificate's pay
    residual, deviation gain and labor residual, its verdict, and the row's parameters
    then prices (one row each: (P + J) x cap)."""
    K, J, V = len(model.activities), len(model.sectors), len(model.parameter_names)
    f8 = np.float64
    return (
        np.empty(cap, np.int64),
        np.empty(cap, np.int32),
        np.empty(cap, np.int64),
        np.empty(cap, f8),
        np.empty(cap, f8),
        np.empty((cap, K), f8),
        np.empty((1 if constant else cap, J), f8),
        np.empty(cap, f8),
        np.empty(cap, f8),
        np.empty(cap, f8),
        np.empty(cap, np.bool_),
        np.empty((V + J, cap), f8),
    )


#: Position of the factors and of the parameters-and-prices among the row arrays.
_FACTORS, _VALUES = 6, 11


def _rows(rows: tuple, a: int, b: int, constant: bool) -> list:
    """Rows ``a .. b - 1`` of the row arrays (views; None for unwritten factors)."""
    return [
        None if (k == _FACTORS and constant) else x[:, a:b] if k == _VALUES else x[a:b]
        for k, x in enumerate(rows)
    ]


def _threaded(kernel, P, prices, delegate, args, threads: int, model, constant: bool):
    """The compiled kernel over every case of ``P`` on ``threads`` threads: the rows of
    the serial run, in its order (as :func:`_rows` gives them), or None if they outgrow
    the room made for them.

    The threads take blocks of :data:`BLOCK_CASES` cases in order. A thread answers its
    block into its own small arrays, then waits until the block before has taken its
    place (a row count, known as soon as that block is answered), takes the next rows,
    and copies its rows there (NumPy releases the GIL while copying), while the other
    threads answer the next blocks. Every row is thus written once into the result."""
    import threading
    from concurrent.futures import ThreadPoolExecutor

    n = P.shape[1]
    size = min(BLOCK_CASES, -(-n // threads))
    blocks = [(a, min(n, a + size)) for a in range(0, n, size)]
    cap = ROWS_PER_CASE * n + 64
    out = row_arrays(cap, model, constant)
    start: list = [0] + [None] * len(blocks)  # first row of each block, once known
    state = {"next": 0, "stop": False, "overflow": False}
    turn = threading.Condition()

    def placed_or_stopped(k: int) -> bool:
        return start[k] is not None or bool(state["stop"])

    def work():
        rows = row_arrays(ROWS_PER_CASE * size + 64, model, constant)
        while True:
            with turn:
                k = state["next"]
                if k == len(blocks) or state["stop"]:
                    return
                state["next"] = k + 1
            try:
                m, *rows = kernel(P, *blocks[k], prices, delegate, 0, *rows, *args)
            except BaseException:
                with turn:  # no thread waits for this block any longer
                    state["stop"] = True
                    turn.notify_all()
                raise
            with turn:
                turn.wait_for(functools.partial(placed_or_stopped, k))
                if state["stop"]:
                    return
                a = start[k]
                start[k + 1] = a + m
                state["stop"] = state["overflow"] = a + m > cap
                turn.notify_all()
                if state["stop"]:
                    return
            for dst, src in zip(_rows(out, a, a + m, constant), _rows(rows, 0, m, constant)):
                if dst is not None:
                    dst[...] = src

    with ThreadPoolExecutor(threads) as pool:
        for f in [pool.submit(work) for _ in range(threads)]:
            f.result()
    if state["overflow"]:
        return None
    return _rows(out, 0, start[-1], constant)


def _printer():
    from sympy.printing.numpy import NumPyPrinter

    class _Printer(NumPyPrinter):
        def _print_Min(self, expr):  # element-wise on arrays (the default reduces a list)
            out = self._print(expr.args[0])
            for a in expr.args[1:]:
                out = f"numpy.minimum({out}, {self._print(a)})"
            return out

    return _Printer(
        {"fully_qualified_modules": True, "inline": True, "allow_unknown_functions": False}
    )


def _function_source(name, args, exprs, printer) -> str:
    import sympy as sp

    repl, reduced = sp.cse(exprs, symbols=sp.numbered_symbols("_x"), optimizations=None)
    lines = [f"def {name}({', '.join(args)}):"]
    for sym, e in repl:
        lines.append(f"    {sym} = {printer.doprint(e)}")
    lines.append("    return [" + ", ".join(printer.doprint(e) for e in reduced) + "]")
    return "\n".join(lines) + "\n"


def generate_source(model) -> str:
    """Python source of every function the batch evaluates for ``model``.

    ``_north_<i>_<o>(params..., p...)``: North's option o in sector i; ``_south_<r>(params...,
    p..., w_)``: South's regime r (the expressions of :attr:`RegimePlan.expressions`);
    ``_pays(params..., p..., L...)``: every activity's pay at an allocation, from the model's
    SymPy productivity (the certificate's independent path).
    """
    from ..verify import _pay_expressions

    printer = _printer()
    names = list(model.parameter_names)
    prices = [s.name for s in derive.price_symbols(model)]
    args = names + prices + [derive.WAGE_SYMBOL.name]
    parts = ["import numpy\n"]
    for i, options in enumerate(derive.north_plans(model)):
        for o, opt in enumerate(options):
            parts.append(_function_source(f"_north_{i}_{o}", args, opt.plan.expressions, printer))
    for r, plan in enumerate(derive.south_plans(model)):
        parts.append(_function_source(f"_south_{r}", args, plan.expressions, printer))
    _syms, psyms, lsyms, pays = _pay_expressions(model)
    subs = dict(zip(psyms, derive.price_symbols(model)))
    pay_args = names + prices + [s.name for s in lsyms]
    parts.append(_function_source("_pays", pay_args, [p.xreplace(subs) for p in pays], printer))
    return "\n".join(parts)


def load_source(source: str) -> dict:
    """Execute generated source (built from SymPy expressions in code, or read back from
    the signed cache, never user text) and return its functions."""
    glb = {"numpy": np, "math": math}
    exec(compile(source, "<marshallian.batch kernels>", "exec"), glb)  # noqa: S102
    return glb


@dataclass
class _Decisions:
    """Running outcome of one regime's decisions over the cases of a chunk."""

    reject: np.ndarray
    undecided: np.ndarray

    def add(self, holds: np.ndarray, near: np.ndarray) -> None:
        """A decision that holds where ``holds`` (outside its knife band ``near``)."""
        self.undecided |= near
        self.reject |= ~holds & ~near

    def status(self) -> np.ndarray:
        out = np.full(self.reject.shape, ACCEPT, dtype=np.int8)
        out[self.undecided] = UNDECIDED
        out[self.reject] = REJECT
        return out


class BatchKernels:
    """The compiled batch functions of one model, with the decision rules.

    Parameters
    ----------
    model : Model
    tol : Tolerances
    source : str, optional
        Generated source (e.g. from the cache); generated when omitted.
    """

    def __init__(
        self,
        model,
        tol: Tolerances = DEFAULT_TOLERANCES,
        source: str | None = None,
        compiled=None,
    ):
        self.model = model
        #: the compiled kernel (:mod:`.compiled`), or None: NumPy arrays
        self.compiled = compiled
        self.tol = tol
        self.source = source if source is not None else generate_source(model)
        fns = load_source(self.source)
        self.north = [
            [(opt, fns[f"_north_{i}_{o}"]) for o, opt in enumerate(options)]
            for i, options in enumerate(derive.north_plans(model))
        ]
        self.south = [
            (plan, fns[f"_south_{r}"]) for r, plan in enumerate(derive.south_plans(model))
        ]
        self.pays = fns["_pays"]
        self.K = len(model.activities)
        self.J = len(model.sectors)
        self.states = np.array([p.regime for p, _ in self.south], dtype=np.int8)
        #: every sector factor is 1 (:func:`constant_factors`)
        self.constant_factors = constant_factors(p for p, _ in self.south)

    # ------------------------------------------------------------------ decisions
    def _decide(self, plan, values, n, L_S) -> tuple[np.ndarray, dict]:
        """Status (REJECT/ACCEPT/UNDECIDED) of ``plan`` per case, and its values."""
        K, J = len(plan.labor), len(plan.factor)
        v = [np.broadcast_to(np.asarray(x, dtype=float), (n,)) for x in values]
        labor, wage, factor = v[:K], v[K], v[K + 1 : K + 1 + J]
        pos = K + 1 + J
        d = _Decisions(np.zeros(n, bool), np.zeros(n, bool))
        atol = self.tol.labor_rtol * L_S
        prt = self.tol.pay_rtol
        with np.errstate(all="ignore"):
            bad = ~np.isfinite(wage)
            for x in labor + factor:
                bad |= ~np.isfinite(x)
            d.add(wage > 0, bad)
            for _ in plan.labor_tests:
                a, b = v[pos], v[pos + 1]
                pos += 2
                diff = b - a
                band = KNIFE_FACTOR * atol + ROUNDING_RTOL * (np.abs(a) + np.abs(b) + L_S)
                d.add(diff > 0, ~(np.abs(diff) > band))
            for _ in plan.pay_tests:
                pay, w = v[pos], v[pos + 1]
                pos += 2
                scale = np.maximum(np.abs(pay), np.abs(w))
                band = (KNIFE_FACTOR * prt + ROUNDING_RTOL) * scale
                d.add(pay < w, ~(np.abs(w - pay) > band))
            for _ in plan.ties:
                a, b = v[pos], v[pos + 1]
                pos += 2
                scale = np.maximum(np.abs(a), np.abs(b))
                band = (KNIFE_FACTOR * prt + ROUNDING_RTOL) * scale
                # a tie is a knife edge: it never holds clearly
                d.add(np.zeros(n, bool), ~(np.abs(a - b) > band))
        status = d.status()
        if plan.knife:
            status[status == ACCEPT] = UNDECIDED
        return status, {"labor": labor, "wage": wage, "factor": factor}

    def _bisect(self, plan, args, L_S, n) -> np.ndarray:
        """The wage of a monotone regime: the per-case solver's bisection, vectorised."""
        fn = {p.regime: f for p, f in self.south}[plan.regime]
        values = fn(*args, np.ones(n))
        K, J = len(plan.labor), len(plan.factor)
        pos = K + 1 + J + 2 * (len(plan.labor_tests) + len(plan.pay_tests) + len(plan.ties))
        coef = [np.broadcast_to(np.asarray(x, dtype=float), (n,)) for x in values[pos:]]
        sectors = [coef[4 * i : 4 * i + 4] for i in range(len(plan.variable))]

        def invert(q2, q1, w):
            return (-q1 + np.sqrt(q1 * q1 + 4 * q2 * w)) / (2 * q2)

        def excess(w):
            return sum(A * invert(q2, q1, w) - B for A, B, q2, q1 in sectors) - L_S

        with np.errstate(all="ignore"):
            lo = np.zeros(n)
            hi = np.max(
                [q2 * ((L_S + B) / A) ** 2 + q1 * (L_S + B) / A for A, B, q2, q1 in sectors], axis=0
            )
            for _ in range(2100):  # doubling until the root is bracketed
                low = excess(hi) < 0
                if not low.any():
                    break
                hi = np.where(low, hi * 2.0, hi)
            active = np.ones(n, bool)
            for _ in range(BISECTION_STEPS):
                mid = 0.5 * (lo + hi)
                below = excess(mid) < 0
                lo = np.where(active & below, mid, lo)
                hi = np.where(active & ~below, mid, hi)
                active &= ~(hi - lo <= BISECTION_RTOL * hi)
                if not active.any():
                    break
            return 0.5 * (lo + hi)

    # ------------------------------------------------------------------ North
    def north_prices(self, params: list, n: int) -> tuple[np.ndarray, np.ndarray]:
        """World prices (n x J) from North's default equilibrium, and the cases whose
        choice is a knife edge or not the paper's (a full cluster wherever one can be)."""
        prices = np.empty((n, self.J))
        delegate = np.zeros(n, bool)
        ones = np.ones(n)
        for i, options in enumerate(self.north):
            best = np.full(n, -np.inf)
            second = np.full(n, -np.inf)
            chosen_full = np.zeros(n, bool)
            any_stable = np.zeros(n, bool)
            for opt, fn in options:
                values = fn(*params, *([ones] * self.J), ones)  # no prices, no w_ in North
                # North's labor in the sector sets the labor tolerance there
                status, vals = self._decide(opt.plan, values, n, self._north_labor(params, i, n))
                delegate |= status == UNDECIDED
                ok = (status == ACCEPT) & opt.stable
                prod = np.where(ok, vals["wage"], -np.inf)
                any_stable |= ok
                is_best = prod > best
                second = np.where(is_best, best, np.maximum(second, prod))
                best = np.where(is_best, prod, best)
                chosen_full = np.where(is_best, opt.full_cluster, chosen_full)
            with np.errstate(all="ignore"):
                band = (KNIFE_FACTOR * self.tol.pay_rtol + ROUNDING_RTOL) * np.abs(best)
                delegate |= ~any_stable | (np.isfinite(second) & ~(best - second > band))
                # not the paper's North (a full cluster wherever one can be): ``solve``
                # answers, with its warning (and §4 refuses such a North)
                delegate |= ~chosen_full
                prices[:, i] = 1.0 / best
        return prices, delegate

    def _north_labor(self, params, i, n):
        names = self.model.parameter_names
        vals = dict(zip(names, params))
        mu = vals.get(f"mu_{self.model.sectors[i]}")
        return np.broadcast_to(np.asarray(mu * vals["L_N"], dtype=float), (n,))

    # ------------------------------------------------------------------ South
    def evaluate(self, columns: dict, threads: int = 1) -> BatchChunk:
        """Every equilibrium of the cases in ``columns`` (parameter name -> 1-D array).

        ``threads``: the compiled kernel answers contiguous ranges of the cases on up to
        this many threads (at least :data:`MIN_CASES_PER_THREAD` cases each), with the
        same rows in the same order as on one; the NumPy engine uses one.

        Returns
        -------
        BatchChunk
            The equilibria found by the batch (one entry per equilibrium, sorted by case,
            then income gap, then label as :func:`~marshallian.solve` sorts them), and
            the cases handed to the per-case solver.
        """
        model = self.model
        n = len(next(iter(columns.values())))
        params = [
            np.ascontiguousarray(np.broadcast_to(np.asarray(columns[k], dtype=float), (n,)))
            for k in model.parameter_names
        ]
        if self.compiled is not None:
            return self._evaluate_compiled(params, threads)
        L_S = params[model.parameter_names.index("L_S")]
        prices, delegate = self.north_prices(params, n)
        pcols = [prices[:, i] for i in range(self.J)]
        R = len(self.south)
        gap = np.full((R, n), np.inf)
        wage = np.zeros((R, n))
        labor = np.zeros((R, self.K, n))
        factor = np.zeros((R, self.J, n))
        ones = np.ones(n)
        for r, (plan, fn) in enumerate(self.south):
            w = self._bisect(plan, params + pcols, L_S, n) if plan.variable else ones
            status, vals = self._decide(plan, fn(*params, *pcols, w), n, L_S)
            delegate |= status == UNDECIDED
            ok = status == ACCEPT
            if not ok.any():
                continue
            with np.errstate(all="ignore"):
                gap[r] = np.where(ok, 1.0 / vals["wage"], np.inf)
            wage[r] = vals["wage"]
            for k, x in enumerate(vals["labor"]):
                labor[r, k] = x
            for j, x in enumerate(vals["factor"]):
                factor[r, j] = x
        gap[:, delegate] = np.inf
        gap = gap.T
        slots = self._order(gap)  # (n, R): regimes in output order
        count = np.isfinite(gap).sum(axis=1)
        case = np.repeat(np.arange(n), count)
        within = np.arange(case.size) - np.repeat(np.cumsum(count) - count, count)
        reg = slots[case, within]
        chunk = BatchChunk(
            equilibrium=within + 1,
            values=np.stack([*params, *pcols])[:, case],
            case=case,
            regime=reg.astype(np.int32),
            wage=wage[reg, case],
            income_gap=gap[case, reg],
            labor=labor[reg, :, case],
            factor=factor[reg, :, case],
            prices=prices,
            delegated=np.flatnonzero(delegate),
        )
        self._certify(chunk, params)
        # a certificate near its threshold is the per-case solver's to judge
        if chunk.case.size:
            vr = self.tol.verify_rtol
            worst = np.maximum(
                np.maximum(chunk.max_pay_residual, chunk.max_deviation_gain), chunk.labor_residual
            )
            doubt = (worst > 0.1 * vr) & (worst < 10 * vr)
            if doubt.any():
                chunk = chunk.without_cases(np.unique(chunk.case[doubt]))
        return chunk

    def _evaluate_compiled(self, params: list, threads: int = 1) -> BatchChunk:
        """:meth:`evaluate` by the compiled kernel: one pass over the cases, on up to
        ``threads`` threads (:func:`_threaded`; the same rows in the same order)."""
        P = np.stack(params)
        n = P.shape[1]
        prices = np.empty((n, self.J))
        delegate = np.zeros(n, dtype=bool)
        t = self.tol
        args = (t.labor_rtol, t.pay_rtol, t.verify_rtol, self.states, self.label_order)
        constant = self.constant_factors
        threads = max(1, min(int(threads), n // MIN_CASES_PER_THREAD))
        out = None
        if threads > 1:
            out = _threaded(self.compiled, P, prices, delegate, args, threads, self.model, constant)
        if out is None:  # one thread (or more rows than room made: once more, growing)
            delegate[:] = False
            rows = row_arrays(ROWS_PER_CASE * n + 64, self.model, constant)
            m, *rows = self.compiled(P, 0, n, prices, delegate, 0, *rows, *args)
            out = _rows(tuple(rows), 0, m, constant)
        case, regime, number, wage, gap, labor, factor, res, gain, lres, ok, values = out
        if factor is None:  # every factor is 1 (read-only: the rows' own, not a column)
            factor = np.broadcast_to(np.float64(1.0), (case.size, self.J))
        return BatchChunk(
            case,
            regime,
            wage,
            gap,
            labor,
            factor,
            prices,
            np.flatnonzero(delegate),
            res,
            gain,
            lres,
            ok,
            equilibrium=number,
            values=values,
        )

    def _order(self, gap: np.ndarray) -> np.ndarray:
        """Per case, the regimes in :func:`marshallian.solve`'s order: by income gap, gaps
        within :data:`~marshallian.tolerances.ORDER_RTOL` by label, as
        :func:`~marshallian.solvers.equilibrium.in_listing_order` lists them (accepted
        regimes first; the rest follow)."""
        by_label = self.label_order
        g = gap[:, by_label]
        pos = np.argsort(g, axis=1, kind="stable")  # equal gaps keep label order
        gs = np.take_along_axis(g, pos, axis=1)
        # adjacent near-equal gaps (the same wage from two formulas) in label order:
        # odd-even transposition passes, until no pair moves
        R = g.shape[1]
        for _ in range(R):
            moved = False
            for parity in (0, 1):
                c = np.arange(parity, R - 1, 2)
                pa, pb, ga, gb = pos[:, c], pos[:, c + 1], gs[:, c], gs[:, c + 1]
                swap = (gb <= ga * (1 + ORDER_RTOL)) & (pb < pa) & np.isfinite(gb)
                if swap.any():
                    moved = True
                    pos[:, c], pos[:, c + 1] = np.where(swap, pb, pa), np.where(swap, pa, pb)
                    gs[:, c], gs[:, c + 1] = np.where(swap, gb, ga), np.where(swap, ga, gb)
            if not moved:
                break
        return by_label[pos]

    @functools.cached_property
    def label_order(self) -> np.ndarray:
        """Regime indices sorted by their equilibrium label."""
        labels = [derive.regime_label(self.model, p.regime) for p, _ in self.south]
        return np.array(sorted(range(len(labels)), key=lambda r: labels[r]), dtype=np.int64)

    def _certify(self, chunk: BatchChunk, params) -> None:
        """Certificates from the model's SymPy productivity (see
        :func:`~marshallian.solvers.verify.certify`), for every equilibrium at once."""
        m = chunk.case.size
        rows = chunk.case
        p = [x[rows] for x in params]
        pr = [chunk.prices[rows, i] for i in range(self.J)]
        lab = [chunk.labor[:, k] for k in range(self.K)]
        states = self.states[chunk.regime]
        with np.errstate(all="ignore"):
            pays = np.empty((m, self.K))
            for k, x in enumerate(self.pays(*p, *pr, *lab)):
                pays[:, k] = x
            w = chunk.wage[:, None]
            rel = (pays - w) / w
            active = (states != 0) & (chunk.labor > 0)
            res = np.max(np.where(active, np.abs(rel), 0.0), axis=1, initial=0.0)
            gain = np.max(np.where(active, -np.inf, rel), axis=1, initial=-np.inf)
            L_S = params[self.model.parameter_names.index("L_S")][rows]
            labres = np.abs(chunk.labor.sum(axis=1) - L_S) / L_S
            negative = (chunk.labor < -self.tol.labor_rtol * L_S[:, None]).any(axis=1)
        vr = self.tol.verify_rtol
        chunk.max_pay_residual = res
        chunk.max_deviation_gain = gain
        chunk.labor_residual = labres
        chunk.verified = (res <= vr) & (gain <= vr) & (labres <= vr) & ~negative


@dataclass
class BatchChunk:
    """Equilibria of a chunk of cases found by the batch (arrays, one entry each)."""

    case: np.ndarray  # case index within the chunk
    regime: np.ndarray  # index into BatchKernels.south
    wage: np.ndarray
    income_gap: np.ndarray
    labor: np.ndarray  # (m, K)
    factor: np.ndarray  # (m, J)
    prices: np.ndarray  # (n, J): per case
    delegated: np.ndarray  # case indices for the per-case solver
    max_pay_residual: np.ndarray = field(default_factory=lambda: np.zeros(0))
    max_deviation_gain: np.ndarray = field(default_factory=lambda: np.zeros(0))
    labor_residual: np.ndarray = field(default_factory=lambda: np.zeros(0))
    verified: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))
    #: number of the equilibrium within its case (1, 2, ...)
    equilibrium: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    #: each row's parameters (the model's order), then its prices: (P + J) x m
    values: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))

    def without_cases(self, drop: np.ndarray) -> BatchChunk:
        keep = ~np.isin(self.case, drop)
        out = BatchChunk(
            self.case[keep],
            self.regime[keep],
            self.wage[keep],
            self.income_gap[keep],
            self.labor[keep],
            self.factor[keep],
            self.prices,
            np.union1d(self.delegated, drop),
        )
        names = ("max_pay_residual", "max_deviation_gain", "labor_residual", "verified")
        for name in (*names, "equilibrium"):
            setattr(out, name, getattr(self, name)[keep])
        out.values = self.values[:, keep]
        return out
