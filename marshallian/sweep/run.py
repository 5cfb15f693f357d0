"""The sweep itself: validation, blocks, local or Dask execution, progress."""

from __future__ import annotations

import functools
import sys
import time
from pathlib import Path

import numpy as np

from ..errors import InvalidParameterError, Violation
from ..params import validate_columns
from .axes import _as_axis
from .kernel import _WIDE, BOUNDARY_RTOL, equilibrium_type, model_conditions, numba_available
from .result import SweepResult
from .stream import check_size

#: Points per Dask task (and per progress-bar step of the compiled kernel).
BLOCK_POINTS = 1 << 20
#: Largest ``block`` accepted (a block's bit sets are held in memory).
MAX_BLOCK_POINTS = 1 << 26
#: ``backend="auto"`` uses Numba (when installed) from this many points on: the first
#: Numba call compiles machine code (~1.5-4 s per model and pattern of swept parameters),
#: which the ~10x faster loop pays back only on large sweeps.
NUMBA_MIN_POINTS = 1 << 24
#: ... or from this many points once the Numba loop is compiled in this process.
NUMBA_MIN_POINTS_WARM = 100_000


def _resolve_fixed(model, fixed) -> dict:
    from ..params import Parameters

    if fixed is None:
        return {}
    if isinstance(fixed, Parameters):
        if fixed.model != model.name:
            raise InvalidParameterError(
                Violation("fixed", fixed.model, f"are for another model than '{model.name}'")
            )
        return fixed.as_dict()
    if not hasattr(fixed, "items"):
        raise InvalidParameterError(
            Violation(
                "fixed", type(fixed).__name__, "must be a mapping of name: number or Parameters"
            )
        )
    return dict(fixed)


def _resolve_aliases(model, fixed: dict, swept) -> dict:
    """``theta``/``theta_j`` among fixed values -> ``Lbar``/``Lbar_j`` (with the fixed or
    default ``alpha`` and ``beta``); giving both is bad input, as in ``Parameters``, and
    so is a fixed θ with a swept ``alpha`` or ``beta`` (θ would not stay fixed)."""
    aliases = [a for a in getattr(model, "aliases", ()) if a.name in fixed]
    if not aliases:
        return fixed
    for a in aliases:
        moving = [n for n in ("alpha", a.level) if n in swept]
        if moving:
            raise InvalidParameterError(
                Violation(
                    a.name,
                    fixed[a.name],
                    f"cannot stay fixed while {moving[0]} is swept; fix {a.target} instead",
                )
            )
    source = {p.name: p.default for p in model.parameters}
    source.update({k: v for k, v in fixed.items() if k in source})
    for a in aliases:
        theta = fixed.pop(a.name)
        if a.target in fixed:
            raise InvalidParameterError(
                Violation(a.name, theta, f"give {a.name} or {a.target}, not both")
            )
        try:
            value, _ = a.solve(theta, source)
        except (TypeError, ValueError, ArithmeticError):
            raise InvalidParameterError(Violation(a.name, theta, "must be a number > 1")) from None
        fixed[a.target] = value
    return fixed


def _check_names(model, names, what):
    known = model.parameter_names
    bad = [
        Violation(
            n, what, f"unknown parameter for model '{model.name}' (known: {', '.join(known)})"
        )
        for n in names
        if n not in known
    ]
    if bad:
        raise InvalidParameterError(bad)


def _validate_box(model, base: dict, axes: list):
    """Every corner of the grid box is a valid parameter set (exact for rules that are
    multilinear in each parameter, which all current rules are: 0<beta<1,
    theta_j = beta + alpha*Lbar_j > 1, sum mu_j = 1, eps > g)."""
    import itertools

    for ax in axes:  # every axis value positive & finite (spec rules)
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
            raise InvalidParameterError(
                [
                    Violation(f"grid corner ({where}): {v.name}", v.value, v.rule)
                    for v in exc.violations
                ]
            ) from None


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
        sys.stderr.write(
            f"\rsweep [{bar:<30}] {frac:6.1%} {self.done}/{self.total} points "
            f"{time.perf_counter() - self.t0:6.1f} s"
        )
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


def _blocks(n: int, block: int, pts):
    """``(start, stop, points)`` of each block of at most ``block`` of the ``n`` points of a
    sweep: ``points`` is that slice of the point arrays (None on a grid)."""
    for a in range(0, n, block):
        b = min(n, a + block)
        yield a, b, ({k: v[a:b] for k, v in pts.items()} if pts else None)


def _eval_block(
    compiled,
    base,
    axis_names,
    axes_values,
    shape,
    point_block,
    start,
    stop,
    backend,
    out_e=None,
    out_d=None,
    threads=1,
):
    """One block of a sweep (also the Dask task): returns (start, exists, near).

    Writes into ``out_e``/``out_d`` when given (slices of the result: no copy)."""
    values = dict(base)
    if axis_names:
        values.update(zip(axis_names, _grid_block(axes_values, shape, start, stop)))
    if point_block is not None:
        values.update(point_block)
    values = {k: (v if np.ndim(v) == 1 else float(v)) for k, v in values.items()}
    if not any(np.ndim(v) == 1 for v in values.values()):  # nothing varies: one point
        values[compiled.names[0]] = np.full(stop - start, values[compiled.names[0]])
    e, d = compiled.evaluate(values, out_e, out_d, backend=backend, threads=threads)
    return start, e, d


def sweep(
    model,
    axes=None,
    fixed=None,
    *,
    points=None,
    rtol=BOUNDARY_RTOL,
    backend="auto",
    client=None,
    progress=None,
    validate=True,
    conditions=None,
    block=BLOCK_POINTS,
    threads=1,
    out=None,
) -> SweepResult:
    """Which equilibrium types exist over a grid or a set of points (``docs/models.md`` §7).

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
    threads : int
        Threads of the Numba loop's first pass (default 1: the machine may be shared;
        the NumPy kernel is single-threaded).
    conditions : CompiledConditions, optional
        Defaults to the model's derived conditions (:func:`model_conditions`).
    block : int
        Points per block (at least 1, at most :data:`MAX_BLOCK_POINTS`).
    out : path, optional
        Stream the result to this ``.npz`` file block by block (memory independent of the
        grid; required above :data:`~marshallian.sweep.stream.MAX_IN_MEMORY_POINTS`
        points) and return a :class:`~marshallian.sweep.stream.StreamedSweep` (its
        summary; ``numpy.load`` reads the arrays).

    Returns
    -------
    SweepResult or StreamedSweep

    Raises
    ------
    InvalidParameterError
        Bad axes, unknown names, invalid parameters.

    Examples
    --------
    Which equilibria exist as South's productivity in good 2 varies (§3's conditions, evaluated
    on a grid): a full cluster in good 1 exists at every point:

    >>> from marshallian.sweep import sweep
    >>> result = sweep("alternative", {"lam_2S": (0.5, 2.0, 4)})
    >>> result.shape, result.counts()["1:modern"], result.counts()["1:backward"]
    ((4,), 4, 2)
    """
    from ..solvers.equilibrium import resolve_model

    model = resolve_model(model)
    if (
        isinstance(block, bool)
        or not isinstance(block, (int, np.integer))
        or not 1 <= block <= MAX_BLOCK_POINTS
    ):
        raise InvalidParameterError(
            Violation("block", block, f"must be an integer in [1, {MAX_BLOCK_POINTS}]")
        )
    block = int(block)
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
        try:
            pts = {k: np.ascontiguousarray(np.asarray(v, dtype=float)) for k, v in points.items()}
        except (TypeError, ValueError):
            raise InvalidParameterError(
                Violation("points", "values", "must be arrays of numbers")
            ) from None
        lens = {v.shape for v in pts.values()}
        if len(lens) != 1 or len(next(iter(lens))) != 1 or next(iter(lens))[0] < 1:
            raise InvalidParameterError(
                Violation("points", sorted(lens), "must be 1-D arrays of one length >= 1")
            )
    base = _resolve_aliases(model, base, set(axes or {}) | set(points or {}))
    _check_names(model, list(base), "fixed")
    defaults = model.params(base).as_dict() if not validate else {}
    if validate:
        # Fixed values are validated with the grid/points (a fixed value may only be valid
        # together with the swept ones), so start from unvalidated defaults + overrides.
        defaults = {p.name: p.default for p in model.parameters}
        defaults.update(base)
        if ax_list:
            _validate_box(model, defaults, ax_list)
        else:
            validate_columns(model, defaults, pts)
    swept = {a.name for a in ax_list} | set(pts)
    base_vals = {k: float(v) for k, v in defaults.items() if k not in swept}
    compiled = conditions or model_conditions(model, rtol=rtol)
    shape = tuple(len(a) for a in ax_list) if ax_list else (len(next(iter(pts.values()))),)
    n = int(np.prod(shape))
    if isinstance(threads, bool) or not isinstance(threads, (int, np.integer)) or threads < 1:
        raise InvalidParameterError(Violation("threads", threads, "must be an integer >= 1"))
    threads = int(threads)
    check_size(n, streamed=out is not None)
    if out is not None:
        if Path(out).suffix.lower() != ".npz":
            raise InvalidParameterError(
                Violation("out", str(out), "a streamed sweep is written as .npz")
            )
        if client is not None:
            raise InvalidParameterError(
                Violation("client", "dask", "a sweep streamed to a file runs locally (no client=)")
            )
    if backend not in ("auto", "numpy", "numba"):
        raise InvalidParameterError(Violation("backend", backend, "must be auto, numpy or numba"))
    if backend == "auto":
        threshold = (
            NUMBA_MIN_POINTS_WARM if compiled._numba_kernel is not None else NUMBA_MIN_POINTS
        )
        backend = (
            "numba"
            if (n >= threshold and numba_available() and compiled.word in _WIDE)
            else "numpy"
        )
    if progress is None:
        progress = n >= 8 * block and sys.stderr.isatty()
    names = [a.name for a in ax_list]
    values = [a.values for a in ax_list]
    bar = _Progress(n, bool(progress))
    if out is not None:
        return _sweep_to_file(
            out, model, compiled, base_vals, ax_list, pts, shape, n, block, backend, threads, bar
        )
    exists = np.empty(n, compiled.word)
    near = np.empty(n, compiled.word)
    evaluate = functools.partial(_eval_block, compiled, base_vals, names, values, shape)
    t0 = time.perf_counter()
    if client is None:
        for a, b, pb in _blocks(n, block, pts):
            evaluate(pb, a, b, backend, exists[a:b], near[a:b], threads)
            bar.update(b - a)
    else:
        from distributed import as_completed

        futures = [
            client.submit(evaluate, pb, a, b, backend, None, None, threads, pure=False)
            for a, b, pb in _blocks(n, block, pts)
        ]
        for fut in as_completed(futures):
            a, e, d = fut.result()
            exists[a : a + len(e)], near[a : a + len(e)] = e, d
            bar.update(len(e))
            fut.release()
    seconds = time.perf_counter() - t0
    bar.close()
    return SweepResult(
        **_description(model, compiled, base_vals, ax_list, pts),
        bits=exists.reshape(shape),
        near_bits=near.reshape(shape),
        backend=backend + ("+dask" if client is not None else ""),
        seconds=seconds,
    )


def _description(model, compiled, base_vals, ax_list, pts) -> dict:
    """The fields of :class:`~marshallian.sweep.stream.SweepDescription` that the model,
    its compiled conditions and the sweep's axes or points fix."""
    return {
        "model": model.name,
        "types": compiled.labels,
        "stable": np.array(compiled.stable, dtype=bool),
        "axes": {a.name: a.values for a in ax_list},
        "points": pts,
        "fixed": base_vals,
        "rtol": compiled.rtol,
        "premise": None if compiled.premise is None else str(compiled.premise),
        "no_closed_form": tuple(
            t for t, c in zip(compiled.labels, compiled.conditions) if c is None
        ),
    }


def _sweep_to_file(
    out, model, compiled, base_vals, ax_list, pts, shape, n, block, backend, threads, bar
):
    """Evaluate block by block, appending to ``out`` and counting: flat memory."""
    from .result import meta_arrays
    from .stream import NpzWriter, StreamedSweep, SweepStats

    names = [a.name for a in ax_list]
    values = [a.values for a in ax_list]
    stats = SweepStats.empty(len(compiled.labels))
    writer = NpzWriter(out, compiled.word, shape)
    t0 = time.perf_counter()
    try:
        e_buf = np.empty(min(block, n), compiled.word)
        d_buf = np.empty(min(block, n), compiled.word)
        for a, b, pb in _blocks(n, block, pts):
            e, d = e_buf[: b - a], d_buf[: b - a]
            _eval_block(compiled, base_vals, names, values, shape, pb, a, b, backend, e, d, threads)
            writer.write(e, d)
            stats.add(e, d, compiled.premise is not None)
            bar.update(b - a)
        res = StreamedSweep(
            **_description(model, compiled, base_vals, ax_list, pts),
            shape=shape,
            backend=backend,
            path=Path(out),
            stats=stats,
            seconds=time.perf_counter() - t0,
        )
        writer.close(meta_arrays(res))
    except BaseException:
        writer.abort()
        raise
    finally:
        bar.close()
    return res


def enumerate_types(model, params, conditions_labels=None):
    """The set of equilibrium-type labels ``solve`` finds at one point (the exact baseline).

    Returns (labels, degenerate): degenerate is True when ``solve`` reports a knife edge.

    Examples
    --------
    >>> import marshallian as m
    >>> from marshallian.sweep import enumerate_types
    >>> labels, degenerate = enumerate_types("alternative", m.get_model("alternative").params(None))
    >>> len(labels), "1:modern" in labels, degenerate       # the seven equilibria of §3
    (7, True, False)
    """
    import warnings

    from ..errors import DegenerateEquilibriumWarning
    from ..solvers.equilibrium import solve

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegenerateEquilibriumWarning)
        sol = solve(model, params)
    return (
        {equilibrium_type(e) for e in sol.equilibria},
        any(e.degenerate for e in sol.equilibria),
    )
