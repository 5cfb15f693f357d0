"""The result of a sweep: bit sets per point, views (NumPy, xarray, pandas), atomic files."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .._files import atomic_write, check_output_file
from ..errors import InvalidParameterError, Violation
from ..presentation import Column, Table, Tabular
from .stream import SweepDescription, SweepStats, category_label, summary_dict, summary_table


@dataclass(frozen=True, eq=False, kw_only=True)
class SweepResult(SweepDescription, Tabular):
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

    Examples
    --------
    >>> from marshallian.sweep import sweep
    >>> result = sweep("alternative", {"lam_2S": (0.5, 2.0, 4)})
    >>> result.size, len(result.types), result.counts()["2:modern"]
    (4, 15, 4)
    """

    bits: np.ndarray
    near_bits: np.ndarray

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
        return category_label(self.types, code)

    def stats(self) -> SweepStats:
        """Counts per type, undecided points, categories: computed block by block (memory
        of one block, whatever the sweep's size)."""
        st = SweepStats.empty(len(self.types))
        bits, near = self.bits.ravel(), self.near_bits.ravel()
        step = 1 << 20
        for a in range(0, bits.size, step):
            st.add(bits[a : a + step], near[a : a + step], self.premise is not None)
        return st

    def counts(self) -> dict:
        """Type label -> number of points where it exists (decided points only)."""
        return {t: int(c) for t, c in zip(self.types, self.stats().counts)}

    def categories(self) -> dict:
        """Distinct bit sets -> number of points (points flagged near a boundary, or where
        the premise fails, excluded)."""
        return dict(sorted(self.stats().categories.items()))

    def to_arrays(self) -> dict:
        """Plain NumPy arrays (what :meth:`save` writes)."""
        return {"bits": self.bits, "near_bits": self.near_bits, **meta_arrays(self)}

    def to_xarray(self):
        """An ``xarray.Dataset`` (``exists``/``near_boundary`` over the axes and ``type``)."""
        try:
            import xarray as xr
        except ImportError as exc:  # optional dependency
            raise ImportError("to_xarray() needs xarray (pip install xarray)") from exc
        dims = list(self.axes) if self.axes else ["point"]
        coords = {k: v for k, v in self.axes.items()}
        coords["type"] = list(self.types)
        if self.points:
            coords.update({k: ("point", v) for k, v in self.points.items()})
        return xr.Dataset(
            {
                "exists": (dims + ["type"], self.exists),
                "near_boundary": (dims + ["type"], self.near_boundary),
                "applies": (dims, self.applies),
                "bits": (dims, self.bits),
            },
            coords=coords,
            attrs={
                "model": self.model,
                "rtol": self.rtol,
                **{f"fixed_{k}": v for k, v in self.fixed.items()},
            },
        )

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
                raise InvalidParameterError(
                    Violation(
                        "output", str(path), "Parquet needs pyarrow (pip install pyarrow); use .npz"
                    )
                ) from None
            table = pa.table(self._flat_columns())
            table = table.replace_schema_metadata(
                {"types": "\n".join(self.types), "model": self.model, "rtol": repr(self.rtol)}
            )
            return atomic_write(path, lambda fh: pq.write_table(table, fh))
        if suffix != ".npz":
            raise InvalidParameterError(
                Violation("output", str(path), "must end in .npz or .parquet")
            )
        arrays = self.to_arrays()
        return atomic_write(path, lambda fh: np.savez_compressed(fh, **arrays))

    def _display_table(self) -> Table:
        """Printed: one row per equilibrium type with its count of points."""
        return summary_table(self, self.stats())

    def _table(self) -> Table:
        """Data: one row per point: its coordinates, the fixed parameters, ``applies``
        and, per type, whether it exists (``exists:<type>``) and whether that is
        undecided at the tolerance (``undecided:<type>``)."""
        return Table(
            tuple(Column(n) for n in self._point_names()),
            list(self.iter_point_records()),
            params=dict(self.fixed),
            context={"model": self.model},
        )

    def _point_names(self) -> list:
        coords = list(self.axes) or list(self.points)
        return (
            ["point"]
            + coords
            + ["applies"]
            + [f"exists:{t}" for t in self.types]
            + [f"undecided:{t}" for t in self.types]
        )

    def iter_point_records(self, chunk: int = 1 << 16, case: int | None = None):
        """Per-point records, generated ``chunk`` points at a time (flat memory): see
        :meth:`_table`; with ``case`` and the fixed parameters first when ``case`` is given."""
        n = self.size
        shape = self.shape
        names = list(self.axes) or list(self.points)
        lead = {} if case is None else {"case": case, "model": self.model, **self.fixed}
        ex_all = self.exists.reshape(-1, len(self.types))
        near_all = self.near_boundary.reshape(-1, len(self.types))
        applies = self.applies.ravel()
        for a in range(0, n, chunk):
            b = min(n, a + chunk)
            idx = np.arange(a, b)
            if self.axes:
                sub = np.unravel_index(idx, shape)
                coords = [np.asarray(v)[i] for v, i in zip(self.axes.values(), sub)]
            else:
                coords = [np.asarray(v)[a:b] for v in self.points.values()]
            cols = [idx.tolist()] + [c.tolist() for c in coords] + [applies[a:b].tolist()]
            cols += [ex_all[a:b, k].tolist() for k in range(len(self.types))]
            cols += [near_all[a:b, k].tolist() for k in range(len(self.types))]
            keys = (
                ["point"]
                + names
                + ["applies"]
                + [f"exists:{t}" for t in self.types]
                + [f"undecided:{t}" for t in self.types]
            )
            for vals in zip(*cols):
                rec = dict(lead)
                rec.update(zip(keys, vals))
                yield rec

    def to_frame(self):
        """A tidy pandas DataFrame: one row per point (see :meth:`_table`)."""
        import pandas as pd

        return pd.DataFrame.from_records(
            self.iter_point_records(), columns=["model"] + list(self.fixed) + self._point_names()
        )

    def write_csv(self, stream, case: int = 0) -> int:
        """Per-point CSV rows, streamed chunk by chunk (what ``sweep --format csv`` prints)."""
        from ..presentation import write_csv

        columns = ["case", "model"] + list(self.fixed) + self._point_names()
        return write_csv([self.iter_point_records(case=case)], stream, columns)

    def to_dict(self) -> dict:
        """JSON-friendly summary (not the arrays)."""
        return summary_dict(self, self.stats())


def meta_arrays(res) -> dict:
    """The small arrays of a saved sweep (all but ``bits`` and ``near_bits``)."""
    out = {
        "types": np.array(res.types, dtype=str),
        "stable": np.asarray(res.stable),
        "model": np.array(res.model),
        "rtol": np.array(res.rtol),
        "premise": np.array(res.premise or ""),
        "axis_names": np.array(list(res.axes), dtype=str),
        "fixed_names": np.array(list(res.fixed), dtype=str),
        "fixed_values": np.array(list(res.fixed.values()), dtype=float),
    }
    for k, v in res.axes.items():
        out[f"axis_{k}"] = v
    for k, v in res.points.items():
        out[f"point_{k}"] = v
    return out


def check_output_path(path) -> Path:
    """Validate an output file path before any work: suffix, folder exists and writable.

    Examples
    --------
    >>> import os, tempfile
    >>> from marshallian.sweep import check_output_path
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     check_output_path(os.path.join(tmp, "sweep.npz")).name
    'sweep.npz'
    """
    p = Path(path)
    if p.suffix.lower() not in (".npz", ".parquet"):
        raise InvalidParameterError(Violation("--out", str(path), "must end in .npz or .parquet"))
    if p.suffix.lower() == ".parquet":
        try:
            import pyarrow  # noqa: F401
        except ImportError:
            raise InvalidParameterError(
                Violation("--out", str(path), "Parquet needs pyarrow; use .npz")
            ) from None
    return check_output_file("--out", path, new_folders=False)
