"""A read-only dict for the package's shared, cached objects (models, derived conditions).

Results and cached declarations are handed to every caller; a caller that mutates one
would change what later calls see. :class:`FrozenDict` is a ``dict`` (so JSON, SymPy and
``dict(...)`` take it as one) whose mutating methods raise ``TypeError``; it pickles.
"""

from __future__ import annotations


class FrozenDict(dict):
    """A ``dict`` that cannot be changed after construction.

    >>> d = FrozenDict({"theta": 2})
    >>> d["theta"]
    2
    >>> d["theta"] = 3
    Traceback (most recent call last):
    ...
    TypeError: this mapping is read-only (make a copy: dict(...))
    """

    __slots__ = ()

    def _refuse(self, *args, **kwargs):
        raise TypeError("this mapping is read-only (make a copy: dict(...))")

    __setitem__ = __delitem__ = _refuse
    clear = pop = popitem = setdefault = update = _refuse
    __ior__ = _refuse

    def __reduce__(self):
        return (FrozenDict, (dict(self),))

    def __copy__(self):
        return self

    def __deepcopy__(self, memo):
        return self

    def __hash__(self):  # type: ignore[override]
        return hash(frozenset(self.items()))


def frozen(mapping) -> FrozenDict:
    """``mapping`` as a :class:`FrozenDict` (itself if it already is one)."""
    return mapping if isinstance(mapping, FrozenDict) else FrozenDict(mapping)
