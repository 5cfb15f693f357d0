"""Vectorised batch enumeration: every equilibrium of many calibrations at once.

:func:`solve_batch` (a DataFrame or xarray Dataset, one row per equilibrium) and
:func:`iter_solve_batch` (the same, chunk by chunk, for flat memory). The per-regime closed
forms come from the enumeration's own regime solver run on SymPy symbols
(:mod:`.derive`), compiled once into NumPy (:mod:`.engine`); knife edges are answered by
the per-case solver. See ``docs/batch.md``.
"""

from .api import (
    CHUNK_CASES,
    iter_solve_batch,
    iter_solve_cases,
    record_columns,
    solution_docs,
    solution_rows,
    solve_batch,
)

__all__ = [
    "CHUNK_CASES",
    "iter_solve_batch",
    "iter_solve_cases",
    "record_columns",
    "solution_docs",
    "solution_rows",
    "solve_batch",
]
