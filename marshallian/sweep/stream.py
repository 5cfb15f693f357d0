"""Sweeps of any size: per-block statistics and results streamed to ``.npz`` (flat memory).

A sweep held in memory costs a few bytes a point for its two bit sets, plus the
temporaries of its summary; beyond :data:`MAX_IN_MEMORY_POINTS` points a sweep must be
written to a file (``sweep(..., out="map.npz")``, ``marshallian sweep --out map.npz``):
each block of points is evaluated, appended to the file and reduced to counts, so memory
does not depend on the grid (a block of :data:`~marshallian.sweep.run.BLOCK_POINTS`
points at a time). The file is a standard ``.npz`` (``numpy.load`` reads it, with the same
arrays as :meth:`~marshallian.sweep.result.SweepResult.save`); it is written atomically.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .._files import give_usual_mode
from ..errors import InvalidParameterError, Violation
from ..presentation import Column, Table, Tabular

#: Largest sweep returned in memory (about 50 bytes a point at the peak of its summary,
#: so about 0.5 GB); larger sweeps are refused unless streamed to a file.
MAX_IN_MEMORY_POINTS = 10_000_000
#: Largest sweep at all (streamed: the file holds two bit sets, up to 16 bytes a point
#: before compression).
MAX_SWEEP_POINTS = 10_000_000_000


def check_size(n: int, streamed: bool) -> None:
    """Refuse a sweep too large to hold in memory (unless streamed) or to write at all."""
    if n > MAX_SWEEP_POINTS:
        raise InvalidParameterError(
            Violation("points", n, f"a sweep holds at most {MAX_SWEEP_POINTS:,} points")
        )
    if not streamed and n > MAX_IN_MEMORY_POINTS:
        raise InvalidParameterError(
            Violation(
                "points",
                n,
                f"a sweep returned in memory holds at most {MAX_IN_MEMORY_POINTS:,} "
                "points: write it to a file (out='FILE.npz', --out FILE.npz), streamed block by "
                "block in flat memory",
            )
        )


@dataclass
class SweepStats:
    """Counts of a sweep, accumulated block by block (what summaries show).

    Attributes
    ----------
    counts : ndarray of int
        Per type: points where it surely exists (decided).
    undecided : ndarray of int
        Per type: points where its existence is undecided at the tolerance.
    near_points : int
        Points with some undecided type.
    premise_fails : int
        Decided points where the premise (North's full clusters) fails.
    categories : dict
        Bit set of the existing types -> number of decided points where the premise holds.
    size : int

    Examples
    --------
    >>> import os, tempfile
    >>> from marshallian.sweep import sweep
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     stats = sweep("alternative", {"lam_2S": (0.5, 2.0, 4)}, out=os.path.join(tmp, "s.npz")).stats
    >>> stats.size, stats.counts[:3].tolist()
    (4, [0, 4, 2])
    """

    counts: np.ndarray
    undecided: np.ndarray
    near_points: int = 0
    premise_fails: int = 0
    categories: dict = field(default_factory=dict)
    size: int = 0

    @classmethod
    def empty(cls, n_types: int) -> SweepStats:
        return cls(np.zeros(n_types, np.int64), np.zeros(n_types, np.int64))

    def add(self, bits: np.ndarray, near: np.ndarray, has_premise: bool) -> None:
        """Accumulate one block of bit sets."""
        bits, near = bits.ravel(), near.ravel()
        one = bits.dtype.type(1)
        n_types = self.counts.size
        for i in range(n_types):
            k = bits.dtype.type(i)
            e = (bits >> k) & one
            d = (near >> k) & one
            self.undecided[i] += int(np.count_nonzero(d))
            self.counts[i] += int(np.count_nonzero(e & (one - d)))
        near_any = near != 0
        self.near_points += int(np.count_nonzero(near_any))
        if has_premise:
            applies = ((bits >> bits.dtype.type(n_types)) & one) == 1
        else:
            applies = np.ones(bits.shape, dtype=bool)
        self.premise_fails += int(np.count_nonzero(~applies & ~near_any))
        mask = bits.dtype.type((1 << n_types) - 1)
        codes, k = np.unique(bits[~near_any & applies] & mask, return_counts=True)
        for c, m in zip(codes.tolist(), k.tolist()):
            self.categories[int(c)] = self.categories.get(int(c), 0) + int(m)
        self.size += bits.size


def category_label(types, code: int) -> str:
    """The set of types in a bit set ``code``, joined by ``' | '`` (``'none'`` if empty)."""
    names = [t for i, t in enumerate(types) if int(code) >> i & 1]
    return " | ".join(names) if names else "none"


def summary_table(res, stats: SweepStats) -> Table:
    """The printed summary of a sweep (in memory or streamed): one row per type."""
    n = stats.size
    outside = stats.premise_fails
    title = (
        f"Sweep of model {res.model}: {n} points "
        f"({' x '.join(f'{k}[{len(v)}]' for k, v in res.axes.items()) or 'points'}), "
        f"{res.seconds:.3g} s ({res.backend}); points with an undecided type: "
        f"{stats.near_points}" + (f"; premise fails ({res.premise}): {outside}" if outside else ""),
    )
    rows = []
    for i, t in enumerate(res.types):
        c = int(stats.counts[i])
        rows.append(
            {
                "type_index": i,
                "equilibrium_type": t,
                "stable": bool(res.stable[i]),
                "points": c,
                "share": c / max(n, 1),
                "undecided": int(stats.undecided[i]),
                "note": "no closed form: use solve" if t in res.no_closed_form else "",
            }
        )
    columns = (
        Column("type_index", "#", r"\#", fmt=""),
        Column("equilibrium_type", "equilibrium type"),
        Column("stable"),
        Column("points", fmt=""),
        Column("share", fmt=".2%"),
        Column("undecided", fmt=""),
        Column("note", ""),
    )
    return Table(columns, rows, title, (), None, {"model": res.model})


def summary_dict(res, stats: SweepStats) -> dict:
    """JSON-friendly summary of a sweep (in memory or streamed)."""
    return {
        "model": res.model,
        "shape": list(res.shape),
        "types": list(res.types),
        "stable": [bool(s) for s in res.stable],
        "axes": {k: [float(v[0]), float(v[-1]), len(v)] for k, v in res.axes.items()},
        "fixed": dict(res.fixed),
        "rtol": res.rtol,
        "points": stats.size,
        "counts": {t: int(c) for t, c in zip(res.types, stats.counts)},
        "near_boundary": stats.near_points,
        "premise": res.premise,
        "no_closed_form": list(res.no_closed_form),
        "premise_fails": stats.premise_fails,
        "categories": {
            category_label(res.types, c): k for c, k in sorted(stats.categories.items())
        },
        "seconds": res.seconds,
        "backend": res.backend,
    }


@dataclass(frozen=True, eq=False, kw_only=True)
class SweepDescription:
    """What a sweep evaluated, held in memory (:class:`~marshallian.sweep.result.SweepResult`)
    or streamed to a file (:class:`StreamedSweep`): the model, its equilibrium types, the
    grid axes or points, the fixed parameters, the tolerance, how and how fast.

    Examples
    --------
    >>> from marshallian.sweep import sweep
    >>> isinstance(sweep("alternative", {"lam_2S": (0.5, 2.0, 4)}), SweepDescription)
    True
    """

    model: str
    types: tuple
    stable: np.ndarray
    axes: dict
    points: dict
    fixed: dict
    rtol: float
    backend: str
    seconds: float = 0.0
    premise: str | None = None
    no_closed_form: tuple = ()


@dataclass(frozen=True, eq=False, kw_only=True)
class StreamedSweep(SweepDescription, Tabular):
    """A sweep written to an ``.npz`` file block by block: its summary, and where it is.

    ``numpy.load(result.path)`` gives the arrays of
    :meth:`~marshallian.sweep.result.SweepResult.to_arrays` (``bits``, ``near_bits``, ...).

    Examples
    --------
    A sweep written to a file (here in a temporary folder) rather than held in memory:

    >>> import os, tempfile
    >>> from marshallian.sweep import sweep
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     streamed = sweep("alternative", {"lam_2S": (0.5, 2.0, 4)}, out=os.path.join(tmp, "s.npz"))
    ...     type(streamed).__name__, streamed.path.name, streamed.stats.size
    ('StreamedSweep', 's.npz', 4)
    """

    shape: tuple
    path: Path
    stats: SweepStats

    @property
    def size(self) -> int:
        return int(np.prod(self.shape))

    def counts(self) -> dict:
        return {t: int(c) for t, c in zip(self.types, self.stats.counts)}

    def _display_table(self) -> Table:
        return summary_table(self, self.stats)

    def _table(self) -> Table:
        return summary_table(self, self.stats)

    def to_dict(self) -> dict:
        return dict(summary_dict(self, self.stats), output=str(self.path))


class NpzWriter:
    """Write a ``.npz`` whose two big arrays arrive block by block (flat memory).

    ``bits`` goes straight into its zip member; ``near_bits`` into a temporary zlib stream
    beside the target, copied into the archive at the end. The archive is assembled in a temporary
    file and renamed into place (atomic).
    """

    def __init__(self, path, dtype, shape):
        self.path = Path(path)
        self.dtype = np.dtype(dtype)
        self.shape = tuple(int(s) for s in shape)
        folder = self.path.parent if str(self.path.parent) else Path(".")
        fd, self._tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".tmp", dir=folder)
        self._fh = os.fdopen(fd, "wb")
        fd2, self._near_tmp = tempfile.mkstemp(
            prefix=f".{self.path.name}.near.", suffix=".tmp", dir=folder
        )
        self._near = os.fdopen(fd2, "wb")  # zlib stream: near bits are mostly 0
        self._squeeze = zlib.compressobj(1)
        self._zip = zipfile.ZipFile(
            self._fh, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True, compresslevel=1
        )
        self._bits = self._zip.open("bits.npy", "w", force_zip64=True)
        self._header(self._bits)

    def _header(self, fh) -> None:
        np.lib.format.write_array_header_2_0(
            fh,
            {
                "descr": np.lib.format.dtype_to_descr(self.dtype),
                "fortran_order": False,
                "shape": self.shape,
            },
        )

    def write(self, bits: np.ndarray, near: np.ndarray) -> None:
        self._bits.write(np.ascontiguousarray(bits, self.dtype).tobytes())
        self._near.write(self._squeeze.compress(np.ascontiguousarray(near, self.dtype).tobytes()))

    def close(self, arrays: dict) -> Path:
        """Finish with the small arrays (``types``, ``axis_*``, ...); rename into place."""
        import io

        try:
            self._bits.close()
            self._near.write(self._squeeze.flush())
            self._near.close()
            with (
                self._zip.open("near_bits.npy", "w", force_zip64=True) as out,
                open(self._near_tmp, "rb") as src,
            ):
                self._header(out)
                unsqueeze = zlib.decompressobj()
                while chunk := src.read(1 << 20):
                    data = unsqueeze.decompress(chunk, 1 << 24)
                    out.write(data)
                    while unsqueeze.unconsumed_tail:
                        out.write(unsqueeze.decompress(unsqueeze.unconsumed_tail, 1 << 24))
                out.write(unsqueeze.flush())
            for name, value in arrays.items():
                buf = io.BytesIO()
                np.save(buf, value, allow_pickle=False)
                self._zip.writestr(f"{name}.npy", buf.getvalue())
            self._zip.close()
            self._fh.close()
            give_usual_mode(self._tmp)
            os.replace(self._tmp, self.path)
        except BaseException:
            self.abort()
            raise
        finally:
            _unlink(self._near_tmp)
        return self.path

    def abort(self) -> None:
        for f in (self._bits, self._zip, self._fh, self._near):
            with contextlib.suppress(Exception):  # closing what may be half-open
                f.close()
        _unlink(self._tmp)
        _unlink(self._near_tmp)


def _unlink(path) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)
