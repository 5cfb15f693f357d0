"""Integer codes and grouped sums: the vectorised plumbing of the empirics (no loops over firms)."""

from __future__ import annotations

from typing import Any

import numpy as np

#: Largest dense table (cells) a grouped sum allocates; beyond it sorted keys are used.
DENSE_LIMIT = 50_000_000


def group_codes(values: Any) -> tuple[np.ndarray, np.ndarray]:
    """Codes for grouped sums: an integer column with a compact range is coded as
    ``value - min`` (no hashing; labels absent from the data get empty groups), anything
    else as :func:`codes`."""
    import pandas as pd

    arr = values.to_numpy() if isinstance(values, pd.Series) else np.asarray(values)
    if arr.dtype.kind in "iu" and len(arr):
        lo, hi = int(arr.min()), int(arr.max())
        if hi - lo < max(4 * len(arr), 1024) and hi - lo < DENSE_LIMIT:
            return (arr - lo).astype(np.int64, copy=False), np.arange(lo, hi + 1)
    return codes(values)


def codes(values: Any, sort: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """``(codes, uniques)``: integer codes 0..k-1 in the order of the sorted uniques (of
    their first appearance when ``sort`` is False); categorical columns use their categories."""
    import pandas as pd

    if isinstance(values, pd.Series) and isinstance(values.dtype, pd.CategoricalDtype):
        cat = values.cat.remove_unused_categories()
        return cat.cat.codes.to_numpy().astype(np.int64), np.asarray(cat.cat.categories)
    arr = np.asarray(values)
    try:
        c, u = pd.factorize(arr, sort=sort)
    except TypeError:  # mixed, unorderable labels: keep the order of appearance
        c, u = pd.factorize(arr, sort=False)
    return c.astype(np.int64), np.asarray(u)


def combine(*parts: tuple[np.ndarray, int]) -> tuple[np.ndarray, int]:
    """Mixed-radix key of several code arrays: ``((a * nb) + b) * nc + c``; (keys, size)."""
    key = np.zeros(len(parts[0][0]), dtype=np.int64)
    size = 1
    for c, n in parts:
        key = key * n + c
        size *= n
    return key, size


class GroupSum:
    """Sums of ``weights`` by integer key, looked up for other keys (0 where absent).

    Dense (``np.bincount``) when the key space is at most :data:`DENSE_LIMIT`, otherwise
    sorted unique keys with ``searchsorted``.
    """

    def __init__(self, keys: np.ndarray, size: int, weights: np.ndarray | None = None):
        self.dense = size <= DENSE_LIMIT
        if self.dense:
            self.table = np.bincount(keys, weights=weights, minlength=size)
        else:
            self.keys, inv = np.unique(keys, return_inverse=True)
            self.table = np.bincount(inv, weights=weights, minlength=len(self.keys))

    def lookup(self, keys: np.ndarray) -> np.ndarray:
        if self.dense:
            return self.table[keys]
        pos = np.searchsorted(self.keys, keys)
        pos = np.minimum(pos, len(self.keys) - 1)
        hit = self.keys[pos] == keys
        return np.where(hit, self.table[pos], 0)
