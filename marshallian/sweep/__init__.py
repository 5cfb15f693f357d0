"""Region maps at scale: which equilibria exist where in parameter space (``docs/models.md`` §7).

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

Modules: :mod:`.axes` (grid axes), :mod:`.kernel` (compilation), :mod:`.result`
(:class:`SweepResult`), :mod:`.points` (point files), :mod:`.run` (:func:`sweep`).
"""

from __future__ import annotations

from .axes import Axis, make_axis, parse_axis
from .kernel import (
    BOUNDARY_RTOL,
    CHUNK_POINTS,
    CompiledConditions,
    compile_conditions,
    equilibrium_type,
    generate_kernel_source,
    model_conditions,
    north_premise,
    numba_available,
)
from .points import load_points
from .result import SweepResult, check_output_path
from .run import (
    BLOCK_POINTS,
    MAX_BLOCK_POINTS,
    NUMBA_MIN_POINTS,
    NUMBA_MIN_POINTS_WARM,
    enumerate_types,
    sweep,
)
from .stream import MAX_IN_MEMORY_POINTS, MAX_SWEEP_POINTS, StreamedSweep, SweepStats

__all__ = [
    "Axis",
    "make_axis",
    "parse_axis",
    "BOUNDARY_RTOL",
    "CHUNK_POINTS",
    "CompiledConditions",
    "compile_conditions",
    "equilibrium_type",
    "generate_kernel_source",
    "model_conditions",
    "north_premise",
    "numba_available",
    "load_points",
    "SweepResult",
    "check_output_path",
    "BLOCK_POINTS",
    "NUMBA_MIN_POINTS",
    "NUMBA_MIN_POINTS_WARM",
    "enumerate_types",
    "sweep",
    "MAX_BLOCK_POINTS",
    "MAX_IN_MEMORY_POINTS",
    "MAX_SWEEP_POINTS",
    "StreamedSweep",
    "SweepStats",
]
