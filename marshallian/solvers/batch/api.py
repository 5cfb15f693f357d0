"""``solve_batch``: every equilibrium of many calibrations, as one table.

One row per equilibrium (a case with seven equilibria gives seven rows), with a ``case``
column (the case's position in the input, from 0), one column per parameter, and the
equilibrium: ``wage``, ``income_gap``, ``stable``, degeneracy, labor per activity, cluster
states, prices and the certificate. Cases are evaluated in chunks by the vectorised engine
(:mod:`~marshallian.solvers.batch.engine`); a case with a knife-edge decision is answered
by :func:`marshallian.solve` instead (column ``solver``), so the table is the per-case
enumeration's answer, case for case.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

import numpy as np

from ..._jsonable import finite_float
from ...errors import InvalidParameterError, Violation
from ...params import validate_columns
from ...tolerances import DEFAULT_TOLERANCES, Tolerances
from ..enumeration import IDLE, RISING, Regime
from . import derive
from .csvtext import PackedText, _formatted, compiled_cells
from .engine import BatchKernels

#: Cases per chunk of the vectorised engine: large enough to amortise the Python work per
#: regime, small enough that a chunk's temporaries stay a few tens of MB.
CHUNK_CASES = 1 << 13

_KERNELS: dict = {}

#: Which engine evaluates the cases: ``"auto"`` (the compiled Numba kernel of
#: :mod:`.compiled`, kept in the on-disk cache; NumPy when the cache is bypassed, since
#: compiling takes tens of seconds, or when Numba is missing or fails), ``"numba"`` (the
#: compiled kernel, even without the cache) or ``"numpy"``. Both give the same rows.
ENGINE = "auto"

#: Threads of the compiled kernel within a chunk (1, the default: none; ``None``: Numba's
#: thread count, ``NUMBA_NUM_THREADS``, which defaults to the number of cores). The
#: threads answer blocks of at least
#: :data:`~marshallian.solvers.batch.engine.MIN_CASES_PER_THREAD` cases each, and the rows
#: are the same, in the same order, whatever the number of threads. They save wall time
#: when cores are idle, but each row is then copied once more (about a quarter more CPU
#: time), so on a busy machine one thread is faster (``benchmarks/bench_batch.py``).
THREADS: int | None = 1


def _threads() -> int:
    if THREADS is not None:
        return max(1, int(THREADS))
    try:
        import numba
    except ImportError:
        return 1
    return max(1, int(numba.config.NUMBA_NUM_THREADS))


def kernels(
    model, tol: Tolerances | None = DEFAULT_TOLERANCES, *, cache: bool | None = None
) -> BatchKernels:
    """The model's batch kernels (built once per process; on disk between processes, see
    :mod:`marshallian.cache`): compiled by Numba unless :data:`ENGINE` is ``"numpy"``.
    ``tol=None``: the default tolerances."""
    from ...cache import enabled

    tol = tol or DEFAULT_TOLERANCES
    key = (model, tol, ENGINE, enabled(cache))
    k = _KERNELS.get(key)
    if k is None:
        from ...cache import batch_source
        from .compiled import load_kernel

        wanted = ENGINE == "numba" or (ENGINE == "auto" and enabled(cache))
        compiled = load_kernel(model, cache=cache) if wanted else None
        if compiled is None and ENGINE == "numba":
            raise RuntimeError("the compiled batch kernel is not available (Numba)")
        k = _KERNELS[key] = BatchKernels(
            model, tol, batch_source(model, cache=cache), compiled=compiled
        )
    return k


# --------------------------------------------------------------------------- inputs
def _as_columns(model, cases) -> tuple[dict, int]:
    """Cases as ``{name: float array}`` (only the given names) and their number."""
    if cases is None:
        return {}, 1
    if hasattr(cases, "columns") and hasattr(cases, "to_numpy"):  # a DataFrame
        cols = {str(c): cases[c].to_numpy() for c in cases.columns}
        n = len(cases)
    elif isinstance(cases, Mapping):
        arrays = {str(k): np.asarray(v) for k, v in cases.items()}
        lengths = {a.shape[0] for a in arrays.values() if a.ndim == 1}
        bad = [k for k, a in arrays.items() if a.ndim > 1]
        if bad:
            raise InvalidParameterError(
                Violation(
                    bad[0], f"shape {arrays[bad[0]].shape}", "must be a number or a 1-D array"
                )
            )
        if len(lengths) > 1:
            raise InvalidParameterError(
                Violation("cases", sorted(lengths), "every column must have the same length")
            )
        n = lengths.pop() if lengths else 1
        cols = {k: (np.full(n, a[()]) if a.ndim == 0 else a) for k, a in arrays.items()}
    elif isinstance(cases, (list, tuple)):
        if not all(isinstance(c, Mapping) for c in cases):
            raise InvalidParameterError(
                Violation("cases", "list", "must hold mappings of name: number")
            )
        n = len(cases)
        names = list(dict.fromkeys(k for c in cases for k in c))
        defaults = model.params().as_dict()
        cols = {}
        for k in names:
            d = defaults.get(k, math.nan)
            cols[str(k)] = np.array([c.get(k, d) for c in cases], dtype=object)
    else:
        raise InvalidParameterError(
            Violation(
                "cases",
                type(cases).__name__,
                "must be a DataFrame, a mapping of arrays or a list of mappings",
            )
        )
    if n == 0:
        raise InvalidParameterError(Violation("cases", 0, "a batch must hold at least one case"))
    known = set(model.parameter_names)
    unknown = [k for k in cols if k not in known]
    if unknown:
        raise InvalidParameterError(
            [
                Violation(
                    k,
                    "column",
                    f"unknown parameter for model "
                    f"'{model.name}' (known: "
                    f"{', '.join(model.parameter_names)})",
                )
                for k in unknown
            ]
        )
    out = {}
    for k, a in cols.items():
        if a.dtype.kind == "b" or (a.dtype.kind == "O" and any(isinstance(x, bool) for x in a)):
            raise InvalidParameterError(Violation(k, "bool", "must be a number"))
        try:
            out[k] = np.asarray(a, dtype=float)
        except (TypeError, ValueError):
            i = next(i for i, x in enumerate(a) if not _is_number(x))
            raise InvalidParameterError(
                Violation(f"case {i}: {k}", a[i], "must be a number")
            ) from None
    return out, n


def _is_number(x) -> bool:
    try:
        float(x)
    except (TypeError, ValueError):
        return False
    return not isinstance(x, bool)


def _validate(model, fixed: dict, cols: dict) -> None:
    """Every case is a valid parameter set (named by its position), before any work."""
    if cols:
        validate_columns(model, fixed, cols, label="case")
    else:
        model.params(fixed)


# --------------------------------------------------------------------------- rows
#: The columns of ``marshallian solve --format csv`` (``Solution.records``), in order;
#: ``activities`` (text) only with ``text=True``. The batch adds :data:`EXTRA_COLUMNS`.
def record_columns(model, text: bool = True) -> list:
    """Columns of a batch table in the per-case CSV's order (``Solution.records``).

    Examples
    --------
    >>> import marshallian as m
    >>> from marshallian.solvers.batch import record_columns
    >>> record_columns(m.get_model("alternative"))[:4]
    ['case', 'model', 'lam_1S', 'lam_2S']
    """
    cols = ["case", "model", *model.parameter_names]
    cols += [f"price_{j}" for j in model.sectors]
    cols += ["equilibrium"] + (["activities"] if text else [])
    cols += [
        "wage",
        "income_gap",
        "stable",
        "stability",
        "note",
        "degenerate",
        "degeneracy",
        "interior",
        "verified",
    ]
    cols += [f"labor_{a.sector}_{a.technology}" for a in model.activities]
    return cols


def _schema(model, text: bool = False) -> list:
    cols = record_columns(model, text) + ["label"]
    cols += [f"cluster_{j}" for j in model.sectors]
    if _learning(model):
        cols += [f"relative_productivity_{j}" for j in model.sectors]
    cols += [
        "max_pay_residual",
        "max_deviation_gain",
        "labor_residual",
        "regime",
        "method",
        "solver",
    ]
    return cols


def _learning(model) -> bool:
    return any(model.sector_factor_of(j)[1] != 0 for j in model.sectors)


@functools.lru_cache(maxsize=16)
def _regime_text(model) -> dict:
    from ..stability import regime_stability

    plans = derive.south_plans(model)
    stab = [regime_stability(p.regime) for p in plans]
    interior = [Regime(p.regime).interior for p in plans]
    return {
        "label": [derive.regime_label(model, p.regime) for p in plans],
        "regime": [derive.regime_name(model, p.regime) for p in plans],
        "method": [p.method for p in plans],
        "stability": [str(x.value) for x in stab],
        "stable": np.array([x.value == "stable" for x in stab], dtype=bool),
        "interior": np.array(interior, dtype=bool),
        "clusters": [
            [derive.regime_clusters(model, p.regime)[i] for p in plans]
            for i in range(len(model.sectors))
        ],
        "active": [
            [
                (k, a, p.regime[k] == RISING)
                for k, a in enumerate(model.activities)
                if p.regime[k] != IDLE
            ]
            for p in plans
        ],
    }


#: Notes (``Equilibrium.flags``) of a non-degenerate equilibrium: critical mass, failed
#: certificate.
_NOTES = ["", "critical mass", "NOT VERIFIED", "critical mass; NOT VERIFIED"]


def _activities_text(model, chunk) -> list | PackedText:
    """``Equilibrium.describe_activities()`` of every row of a chunk: written by the
    compiled cells (:func:`~.csvtext.compiled_cells`, ``activity_texts``) when they are
    there, by Python's ``format`` otherwise and for the rows they cannot decide."""
    table = _activity_table(model)
    core = compiled_cells()
    if core is None or table is None:
        return _activities_python(model, chunk.regime, chunk.labor)
    labor = np.require(chunk.labor, np.float64, ["C", "W"])
    regime = np.require(chunk.regime, np.int64, ["C", "W"])
    blob, ends, exact = core["activity_texts"](labor, regime, *table)
    starts = np.r_[0, ends[:-1]] if len(ends) else ends
    out = PackedText(blob, starts, ends - starts)
    redo = np.flatnonzero(~exact)
    if redo.size:
        out = out.replace(redo, _activities_python(model, regime[redo], labor[redo]))
    return out


def _activities_python(model, regime, labor) -> list:
    """:func:`_activities_text` by Python's ``format`` (per regime)."""
    text = _regime_text(model)
    out = np.empty(regime.size, dtype=object)
    for r in np.unique(regime):
        rows = np.flatnonzero(regime == r)
        parts = [
            _formatted(
                np.ascontiguousarray(labor[rows, k]),
                f"{a.sector}:{a.technology}={{:.4g}}{'~' if rising else ''}".format,
            )
            for k, a, rising in text["active"][r]
        ]
        out[rows] = list(map(", ".join, zip(*parts)))
    return out.tolist()


@functools.lru_cache(maxsize=16)
def _activity_table(model) -> tuple | None:
    """The arguments of the compiled ``activity_texts`` after labor and regime: per
    regime and slot, the activity, its label (``"1:backward="``, ``", "`` before all but
    the first) in one ASCII blob, whether it is rising; and the bytes a row may take.
    None when a label is not ASCII (Python's ``format`` then writes the texts)."""
    from ._csv_core import FLOAT_WIDTH

    active = _regime_text(model)["active"]
    shape = (len(active), max(1, len(model.activities)))
    slots = np.full(shape, -1, dtype=np.int64)
    starts = np.zeros(shape, dtype=np.int64)
    ends = np.zeros(shape, dtype=np.int64)
    rising = np.zeros(shape, dtype=np.bool_)
    labels = ""
    room = 0
    for r, acts in enumerate(active):
        row = 0
        for s, (k, a, up) in enumerate(acts):
            label = f"{', ' if s else ''}{a.sector}:{a.technology}="
            slots[r, s], rising[r, s] = k, up
            starts[r, s] = len(labels)
            labels += label
            ends[r, s] = len(labels)
            row += len(label) + FLOAT_WIDTH + 1
        room = max(room, row)
    if not labels.isascii():
        return None
    blob = np.frombuffer(labels.encode("ascii"), dtype=np.uint8).copy()
    return slots, blob, starts, ends, rising, room


def _chunk_columns(model, chunk, offset: int, text: bool) -> dict:
    """Columns of the batch's own rows of one chunk."""
    info = _regime_text(model)
    m = chunk.case.size
    r = chunk.regime
    out: dict = {
        "case": np.add(chunk.case, offset, dtype=np.int64),
        "model": _Coded(np.zeros(m, np.int8), [model.name]),
    }
    values = iter(chunk.values)  # each row's parameters, then its prices
    for k in model.parameter_names:
        out[k] = next(values)
    for j in model.sectors:
        out[f"price_{j}"] = next(values)
    out["equilibrium"] = chunk.equilibrium  # number within the case (from 1)
    if text:
        out["activities"] = _activities_text(model, chunk)
    out["label"] = _Coded(r, info["label"])
    out["wage"] = chunk.wage
    out["income_gap"] = chunk.income_gap
    out["stable"] = info["stable"][r]
    out["stability"] = _Coded(r, info["stability"])
    out["note"] = _Coded(info["interior"][r] + 2 * ~chunk.verified, _NOTES)
    out["degenerate"] = np.zeros(m, bool)
    out["degeneracy"] = _Coded(np.zeros(m, np.int8), [None])
    out["interior"] = info["interior"][r]
    out["verified"] = chunk.verified
    for k, a in enumerate(model.activities):
        out[f"labor_{a.sector}_{a.technology}"] = chunk.labor[:, k]
    for i, j in enumerate(model.sectors):
        out[f"cluster_{j}"] = _Coded(r, info["clusters"][i])
    if _learning(model):
        for i, j in enumerate(model.sectors):
            out[f"relative_productivity_{j}"] = chunk.factor[:, i]
    out["max_pay_residual"] = chunk.max_pay_residual
    out["max_deviation_gain"] = chunk.max_deviation_gain
    out["labor_residual"] = chunk.labor_residual
    out["regime"] = _Coded(r, info["regime"])
    out["method"] = _Coded(r, info["method"])
    out["solver"] = _Coded(np.zeros(m, np.int8), ["batch"])
    return out


def solution_rows(model, solution, case: int, text: bool = False) -> dict:
    """Columns (lists) of one :class:`~marshallian.results.Solution`, in the batch's
    schema: the per-case solver's answer for a delegated case.

    Examples
    --------
    >>> import marshallian as m
    >>> from marshallian.solvers.batch import solution_rows
    >>> rows = solution_rows(m.get_model("alternative"), m.solve("alternative"), case=0)
    >>> len(rows["case"])                 # one row per equilibrium
    7
    """
    rows: dict = {c: [] for c in _schema(model, text)}
    for i, e in enumerate(solution.equilibria, 1):
        c = e.certificate
        stability = getattr(e, "stability", None)
        values = {
            "case": case,
            "model": solution.model,
            "equilibrium": i,
            "label": e.label,
            "wage": float(e.wage),
            "income_gap": float(e.income_gap),
            "stable": bool(e.stable),
            "stability": None if stability is None else str(stability.value),
            "note": "; ".join(e.flags()),
            "degenerate": bool(e.degenerate),
            "degeneracy": e.degeneracy,
            "interior": bool(e.interior),
            "verified": bool(c.verified),
            "max_pay_residual": c.max_pay_residual,
            "max_deviation_gain": c.max_deviation_gain,
            "labor_residual": c.labor_residual,
            "regime": c.regime,
            "method": c.method,
            "solver": "per-case",
        }
        if text:
            values["activities"] = e.describe_activities()
        for k in model.parameter_names:
            values[k] = float(solution.params[k])
        for j in model.sectors:
            values[f"price_{j}"] = float(solution.prices[j])
            values[f"cluster_{j}"] = e.clusters[j]
            if _learning(model):
                values[f"relative_productivity_{j}"] = float(e.sector_factor[j])
        for a in model.activities:
            values[f"labor_{a.sector}_{a.technology}"] = float(e.labor(a.sector, a.technology))
        for col, v in values.items():
            rows[col].append(v)
    return rows


#: Columns holding text: categorical in the DataFrame (one code per row).
TEXT_COLUMNS = ("model", "label", "stability", "note", "degeneracy", "regime", "method", "solver")


class _Coded:
    """A text column of the batch's own rows: codes (integers) into a list of categories.
    With one category, every row has it: the codes are then not read (only counted)."""

    def __init__(self, codes, categories):
        self.codes = np.asarray(codes)
        self.categories = list(categories)


def _text_column(values: list) -> _Coded:
    """One coded column from parts that are :class:`_Coded` or lists of str/None
    (categories in order of first appearance in the parts' category lists and values;
    missing: code -1)."""
    cats: dict = {}
    maps = []  # per part: a _Coded's categories -> final codes, or a list's final codes
    for v in values:
        if isinstance(v, _Coded):
            maps.append(
                [cats.setdefault(c, len(cats)) if c is not None else -1 for c in v.categories]
            )
        else:
            maps.append([cats.setdefault(x, len(cats)) if x is not None else -1 for x in v])
    kind = np.int8 if len(cats) < 127 else np.int16 if len(cats) < 32767 else np.int32
    codes = []
    for v, remap in zip(values, maps):
        if not isinstance(v, _Coded):
            codes.append(np.array(remap, dtype=kind))
        elif len(remap) == 1:
            codes.append(np.full(v.codes.shape[0], remap[0], dtype=kind))
        else:  # the extra -1: a code -1 (missing) stays missing
            codes.append(np.array([*remap, -1], dtype=kind)[v.codes])
    return _Coded(
        np.concatenate(codes) if len(codes) > 1 else codes[0] if codes else np.zeros(0, kind),
        list(cats),
    )


def _frame(model, parts: list, text: bool = False):
    """One DataFrame (schema order) from column dicts, sorted by case (stable): the
    columns of :func:`_columns`, text as categoricals."""
    import pandas as pd

    data = {
        c: (
            # the codes index the categories by construction: pandas need not check them
            pd.Categorical.from_codes(v.codes, categories=v.categories, validate=False)
            if isinstance(v, _Coded)
            else np.array(v if isinstance(v, list) else v.tolist(), dtype=object)
            if isinstance(v, (list, PackedText))
            else v
        )
        for c, v in _columns(model, parts, text).items()
    }
    return pd.DataFrame(data, copy=False)


def _columns(model, parts: list, text: bool = False) -> dict:
    """One table (schema order) from column dicts, sorted by case (stable): NumPy arrays,
    text as :class:`_Coded`, ``activities`` a list of str or packed text."""
    schema = _schema(model, text)
    coded = set(TEXT_COLUMNS) | {c for c in schema if c.startswith("cluster_")}
    cases = np.concatenate([np.asarray(p["case"], dtype=np.int64) for p in parts])
    order = None
    if len(parts) > 1 and not (cases[1:] >= cases[:-1]).all():
        order = np.argsort(cases, kind="stable")
    data: dict = {}
    for c in schema:
        if c in coded:
            coded_col = _text_column([p[c] for p in parts])
            data[c] = (
                coded_col if order is None else _Coded(coded_col.codes[order], coded_col.categories)
            )
            continue
        if c == "activities":
            if all(isinstance(p[c], list) for p in parts):
                texts = [x for p in parts for x in p[c]]
                data[c] = texts if order is None else [texts[i] for i in order.tolist()]
            else:
                packed = (
                    parts[0][c] if len(parts) == 1 else PackedText.concat([p[c] for p in parts])
                )
                data[c] = packed if order is None else packed.take(order)
            continue
        kind = (
            bool
            if c in ("stable", "degenerate", "interior", "verified")
            else (np.int64 if c in ("case", "equilibrium") else float)
        )
        col = (
            np.asarray(parts[0][c], dtype=kind)
            if len(parts) == 1
            else np.concatenate([np.asarray(p[c], dtype=kind) for p in parts])
        )
        data[c] = col if order is None else col[order]
    return data


# --------------------------------------------------------------------------- solving
@dataclass
class _Rows:
    """The rows of some cases: column dicts (the batch's own, then one per case handed to
    ``solve``), the cases' warnings and (``keep_solutions``) the handed cases' documents."""

    parts: list
    notes: list
    kept: dict | None

    def frame(self, model, text: bool):
        """One DataFrame (see :func:`_frame`), the notes and documents in ``attrs``."""
        df = _frame(model, self.parts, text)
        df.attrs["warnings"] = self.notes
        if self.kept is not None:  # the documents (pandas deep-copies attrs)
            df.attrs["solutions"] = self.kept
        return df

    def columns(self, model, text: bool) -> BatchColumns:
        """The same table as :meth:`frame`, without pandas (:class:`BatchColumns`)."""
        return BatchColumns(_columns(model, self.parts, text), self.notes, self.kept)


class BatchColumns(dict):
    """One chunk of a batch's table as plain columns, in the DataFrame's order: NumPy
    arrays, text columns coded (``.codes`` into ``.categories``, -1 for missing), and
    ``activities`` a list of str or a :class:`~.csvtext.PackedText` (``.tolist()``: the
    str); ``warnings`` and ``solutions`` as the DataFrame's
    ``attrs`` hold them. What ``iter_solve_batch(..., frames=False)`` yields (the command
    line writes CSV from it without building a DataFrame)."""

    def __init__(self, columns: dict, warnings: list, solutions: dict | None = None):
        super().__init__(columns)
        self.warnings = warnings
        self.solutions = solutions


def _chunk_parts(
    model,
    cols: dict,
    fixed: dict,
    offset: int,
    tol,
    on_error: str,
    cache,
    text: bool = False,
    index=None,
    keep_solutions: bool = False,
) -> _Rows:
    """The rows of the cases ``offset ..`` in ``cols`` (arrays of one chunk); ``index`` (an
    array) numbers the cases instead when given."""
    import warnings

    from ...errors import DegenerateEquilibriumWarning, NorthPremiseWarning
    from ..equilibrium import solve

    kern = kernels(model, tol, cache=cache)
    n = len(next(iter(cols.values()))) if cols else 1
    full = {k: cols[k] if k in cols else np.full(n, float(fixed[k])) for k in model.parameter_names}
    chunk = kern.evaluate(full, threads=_threads())
    parts = [_chunk_columns(model, chunk, offset, text)]
    if index is not None:
        parts[0]["case"] = index[chunk.case]
    notes: list = []
    kept: dict = {}
    for i in chunk.delegated:
        number = offset + int(i) if index is None else int(index[i])
        values = {k: float(full[k][i]) for k in model.parameter_names}
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DegenerateEquilibriumWarning)
                warnings.simplefilter("ignore", NorthPremiseWarning)
                # tol None (not given): ``solve``'s default, filtered predicates
                sol = solve(model, model.params(values), tol=tol, warn=False)
        except InvalidParameterError as exc:
            if on_error == "skip":
                continue
            raise InvalidParameterError(
                [Violation(f"case {number}: {v.name}", v.value, v.rule) for v in exc.violations]
            ) from None
        parts.append(solution_rows(model, sol, number, text))
        notes += [(number, str(w)) for w in getattr(sol, "warnings", ())]
        if keep_solutions:
            kept[number] = sol.to_dict()
    return _Rows(parts, notes, kept if keep_solutions else None)


def _prepare(model, cases, params, tol, on_error, chunk):
    from ..equilibrium import resolve_model

    if isinstance(chunk, bool) or not isinstance(chunk, int) or chunk < 1:
        raise InvalidParameterError(Violation("chunk", chunk, "must be an integer >= 1"))
    model = resolve_model(model)
    if tol is not None and not isinstance(tol, Tolerances):
        raise InvalidParameterError(Violation("tol", tol, "must be a Tolerances instance"))
    if on_error not in ("raise", "skip"):
        raise InvalidParameterError(Violation("on_error", on_error, "must be 'raise' or 'skip'"))
    fixed = model.params().as_dict()
    if params is not None:
        if not isinstance(params, Mapping):
            raise InvalidParameterError(
                Violation("params", type(params).__name__, "must be a mapping of name: number")
            )
        fixed.update(model.params(dict(params)).as_dict())
    cols, n = _as_columns(model, cases)
    _validate(model, fixed, cols)
    return model, tol, fixed, cols, n


def iter_solve_batch(
    model,
    cases=None,
    params=None,
    *,
    tol=None,
    chunk=CHUNK_CASES,
    on_error="raise",
    cache=None,
    text=False,
    keep_solutions=False,
    frames=True,
) -> Iterator:
    """:func:`solve_batch` one chunk at a time: a DataFrame per ``chunk`` cases, in order
    (``frames=False``: the same table as :class:`BatchColumns`, without pandas).

    Memory stays flat whatever the number of cases (write or reduce each chunk).

    Examples
    --------
    The same table as :func:`solve_batch`, a chunk of cases at a time:

    >>> import marshallian as m
    >>> chunks = m.iter_solve_batch("alternative", [{"lam_2S": 0.8}, {"lam_2S": 0.9}])
    >>> next(chunks).groupby("case").size().tolist()     # seven equilibria in each case
    [7, 7]
    """
    model, tol, fixed, cols, n = _prepare(model, cases, params, tol, on_error, chunk)
    for a, part in _chunks(cols, n, chunk):
        rows = _chunk_parts(model, part, fixed, a, tol, on_error, cache, text, None, keep_solutions)
        yield rows.frame(model, text) if frames else rows.columns(model, text)


def _chunks(cols: dict, n: int, chunk: int) -> Iterator[tuple[int, dict]]:
    """``(first case, columns)`` of each run of ``chunk`` cases of ``cols``, in order."""
    for a in range(0, n, chunk):
        yield a, {k: v[a : a + chunk] for k, v in cols.items()}


def solve_batch(
    model,
    cases=None,
    params=None,
    *,
    tol=None,
    chunk=CHUNK_CASES,
    on_error="raise",
    client=None,
    output="pandas",
    cache=None,
    text=False,
):
    """Every equilibrium of every case, vectorised (spec §2; paper §2–§4 steady states).

    Parameters
    ----------
    model : str or Model
    cases : DataFrame, mapping of arrays, or list of mappings
        One case per row (element); a column that is missing takes ``params`` or the
        model's default; a scalar in a mapping is held fixed.
    params : mapping, optional
        Values held fixed across the cases (overriding the defaults).
    tol : Tolerances, optional
        The batch's knife band is a multiple of its tolerances (default
        :data:`~marshallian.tolerances.DEFAULT_TOLERANCES`); a case handed to
        :func:`marshallian.solve` is solved with ``tol`` as given (None: ``solve``'s
        default, filtered predicates), so its rows are ``solve``'s with the same ``tol``.
    chunk : int
        Cases per vectorised chunk (and per Dask task); the compiled kernel takes every
        case in one pass when there is no ``client``.
    on_error : {"raise", "skip"}
        A case that :func:`marshallian.solve` refuses (e.g. §4 with a North that has no
        full cluster) raises :class:`~marshallian.errors.InvalidParameterError` naming the
        case, or is left out.
    client : dask.distributed.Client, optional
        Split the chunks across the cluster's workers.
    output : {"pandas", "xarray"}
        A DataFrame (one row per equilibrium) or an ``xarray.Dataset`` over the ``row``
        dimension.
    cache : bool, optional
        Use the on-disk cache of compiled kernels (default: yes unless
        ``MARSHALLIAN_NO_CACHE`` is set).
    text : bool
        Add the ``activities`` column (``'1:backward=175, 1:modern=25~'``, as
        ``marshallian solve --format csv`` writes it); costs about a microsecond a row.

    Warns
    -----
    NorthPremiseWarning
        Once, when North cannot have the paper's full clusters in some cases (each case's
        note, as :attr:`Solution.warnings` has it, is in ``df.attrs["warnings"]``).

    Returns
    -------
    pandas.DataFrame or xarray.Dataset
        Rows sorted by case, then as :func:`marshallian.solve` sorts equilibria (income
        gap, then label). The columns of ``Solution.records`` (``case``, ``model``, the
        parameters, ``price_j``, ``equilibrium``, ``wage``, ``income_gap``, ``stable``,
        ``stability``, ``note``, ``degenerate``, ``degeneracy``, ``interior``,
        ``verified``, ``labor_j_t``), plus ``label``, ``cluster_j``,
        ``relative_productivity_j`` (§4), the certificate's residuals, ``regime``,
        ``method``, and ``solver`` (``"batch"``, or ``"per-case"`` for a knife edge).

    Examples
    --------
    >>> import marshallian as m
    >>> df = m.solve_batch("alternative", {"lam_2S": [0.8, 1.6]})
    >>> df.groupby("case").size().tolist()
    [7, 7]
    >>> float(df.loc[df.case == 0, "wage"].max())
    1.0
    """
    if output not in ("pandas", "xarray"):
        raise InvalidParameterError(Violation("output", output, "must be 'pandas' or 'xarray'"))
    model, tol, fixed, cols, n = _prepare(model, cases, params, tol, on_error, chunk)
    if client is None:  # one table from every chunk's columns (no frame per chunk)
        if kernels(model, tol, cache=cache).compiled is not None:
            chunk = n  # the compiled kernel keeps no temporaries per case
        rows = _Rows([], [], None)
        for a, part in _chunks(cols, n, chunk):
            r = _chunk_parts(model, part, fixed, a, tol, on_error, cache, text)
            rows.parts += r.parts
            rows.notes += r.notes
        frames = [rows.frame(model, text)]
    else:
        ref = model.name if _registered(model) else model
        futures = [
            client.submit(
                _remote_chunk, ref, part, fixed, a, tol, on_error, cache, text, pure=False
            )
            for a, part in _chunks(cols, n, chunk)
        ]
        frames = client.gather(futures)
    import pandas as pd

    notes = [w for f in frames for w in f.attrs.get("warnings", [])]
    df = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    df.attrs["warnings"] = notes
    if notes:
        import warnings

        from ...errors import NorthPremiseWarning

        warnings.warn(
            f"{model.name}: {len(notes)} case(s) where North cannot have the paper's "
            f"full clusters (first: case {notes[0][0]}: {notes[0][1]}); every note is "
            "in .attrs['warnings']",
            NorthPremiseWarning,
            stacklevel=2,
        )
    if output == "xarray":
        return df.rename_axis("row").to_xarray()
    return df


def iter_solve_cases(
    model,
    cases,
    *,
    tol=None,
    chunk=CHUNK_CASES,
    on_error="raise",
    cache=None,
    text=True,
    keep_solutions=False,
    frames=True,
) -> Iterator:
    """Row chunks for already validated ``(case number, Parameters)`` pairs (any iterable,
    consumed a chunk at a time), in order: the batch path of ``marshallian solve`` (cases
    read and validated by the command); DataFrames, or :class:`BatchColumns` with
    ``frames=False``.

    Examples
    --------
    >>> import marshallian as m
    >>> from marshallian.solvers.batch import iter_solve_cases
    >>> model = m.get_model("alternative")
    >>> chunk = next(iter_solve_cases(model, [(0, model.params(None))]))
    >>> len(chunk), float(chunk["wage"].max())
    (7, 1.0)
    """
    import itertools

    from ..equilibrium import resolve_model

    model = resolve_model(model)
    names = model.parameter_names
    it = iter(cases)
    while block := list(itertools.islice(it, chunk)):
        index = np.fromiter((i for i, _ in block), dtype=np.int64, count=len(block))
        values = np.array([p.as_tuple() for _, p in block], dtype=float).reshape(len(block), -1)
        cols = {k: values[:, j] for j, k in enumerate(names)}
        rows = _chunk_parts(model, cols, {}, 0, tol, on_error, cache, text, index, keep_solutions)
        yield rows.frame(model, text) if frames else rows.columns(model, text)


def _registered(model) -> bool:
    from ...models import MODEL_NAMES, get_model

    return model.name in MODEL_NAMES and get_model(model.name) is model


def _remote_chunk(model, cols, fixed, offset, tol, on_error, cache, text):
    """A Dask task: one chunk, on a worker (which compiles the kernels once)."""
    from ..equilibrium import resolve_model

    model = resolve_model(model)
    return _chunk_parts(model, cols, fixed, offset, tol, on_error, cache, text).frame(model, text)


# --------------------------------------------------------------------------- JSON
def _north_doc(model, params: dict, prices: dict) -> dict:
    """``NorthEquilibrium.to_dict()`` of the paper's North (a full cluster in every sector
    that can have one): the North of every case the batch answers itself."""
    config, labor = {}, {}
    for j in model.sectors:
        acts = [a for a in model.activities if a.sector == j]
        ext = [a for a in acts if a.has_externality]
        a = ext[0] if ext else acts[0]
        config[str(j)] = "cluster" if ext else "backward"
        labor[str(j)] = {a.technology: float(params[f"mu_{j}"] * params["L_N"])}
    return {
        "configuration": config,
        "prices": prices,
        "labor": labor,
        "stable": True,
        "stability": "stable",
    }


def solution_docs(model, df) -> Iterator:
    """``(case, Solution.to_dict())`` for every case of a batch chunk, in order: built from
    the batch's rows, or the per-case solver's own document for a delegated case (the
    chunk must keep its solutions, ``keep_solutions=True``).

    Examples
    --------
    >>> import marshallian as m
    >>> from marshallian.solvers.batch import solution_docs
    >>> model = m.get_model("alternative")
    >>> df = next(m.iter_solve_batch(model, [{"lam_2S": 0.8}]))
    >>> case, doc = next(solution_docs(model, df))
    >>> case, len(doc["equilibria"])
    (0, 7)
    """
    import pandas as pd

    kept = df.attrs.get("solutions", {})
    names = model.parameter_names
    acts = [(a.sector, a.technology, f"labor_{a.sector}_{a.technology}") for a in model.activities]
    learning = _learning(model)
    states = _regime_states(model)
    if not len(df):
        return
    case = df["case"].to_numpy()
    starts = np.r_[0, np.flatnonzero(np.diff(case)) + 1]
    ends = np.r_[starts[1:], len(case)]
    cols = {
        c: (
            df[c].astype(object).where(df[c].notna(), None).tolist()
            if isinstance(df[c].dtype, pd.CategoricalDtype)
            else df[c].tolist()
        )
        for c in df.columns
    }
    for a, b in zip(starts.tolist(), ends.tolist()):
        number = int(case[a])
        if number in kept:
            yield number, kept[number]
            continue
        params = {k: cols[k][a] for k in names}
        prices = {str(j): cols[f"price_{j}"][a] for j in model.sectors}
        eqs = []
        for r in range(a, b):
            st = states[cols["regime"][r]]
            eq = {
                "activities": [
                    {"sector": s, "technology": t, "labor": cols[c][r], "state": st[(s, t)]}
                    for s, t, c in acts
                    if (s, t) in st and cols[c][r] > 0
                ],
                "wage": cols["wage"][r],
                "income_gap": cols["income_gap"][r],
                "stable": cols["stable"][r],
                "stability": cols["stability"][r],
                "degenerate": False,
                "degeneracy": None,
                "interior": cols["interior"][r],
                "clusters": {str(j): cols[f"cluster_{j}"][r] for j in model.sectors},
                "certificate": {
                    "max_pay_residual": cols["max_pay_residual"][r],
                    "max_deviation_gain": finite_float(cols["max_deviation_gain"][r]),
                    "labor_residual": cols["labor_residual"][r],
                    "regime": cols["regime"][r],
                    "method": cols["method"][r],
                    "verified": cols["verified"][r],
                },
            }
            if learning:
                eq["relative_productivity"] = {
                    str(j): cols[f"relative_productivity_{j}"][r] for j in model.sectors
                }
            eqs.append(eq)
        yield (
            number,
            {
                "model": model.name,
                "params": params,
                "prices": prices,
                "equilibria": eqs,
                "exact": False,
                "north": _north_doc(model, params, prices),
            },
        )


def _regime_states(model) -> dict:
    """Certificate regime text -> {(sector, technology): state name} of active activities
    (``ActivityLabor.state``: rising, capped or flat)."""
    out = {}
    for p in derive.south_plans(model):
        regime = Regime(p.regime)
        out[derive.regime_name(model, p.regime)] = {
            (a.sector, a.technology): regime.activity_state(k, a.has_externality)
            for k, a in enumerate(model.activities)
            if regime[k] != IDLE
        }
    return out
