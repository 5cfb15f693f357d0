"""The package's one lazy-import mechanism (PEP 562 module ``__getattr__``).

A package lists the public names it re-exports and the module each lives in; the module is
imported the first time the name is used, so ``import marshallian`` stays light (SymPy,
SciPy and matplotlib load on first use).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Mapping


def lazy_attributes(
    package: str, names: Mapping[str, str], submodules: Iterable[str] = ()
) -> tuple[Callable, Callable]:
    """Module-level ``__getattr__`` and ``__dir__`` for ``package``.

    Parameters
    ----------
    package : str
        The package's ``__name__``.
    names : mapping
        Attribute -> module defining it (absolute, or relative to ``package`` when it
        starts with a dot).
    submodules : iterable of str
        Subpackages or modules reachable as attributes without an import.

    Returns
    -------
    (__getattr__, __dir__)

    Examples
    --------
    >>> getattr_, dir_ = lazy_attributes("marshallian", {"Tolerances": ".tolerances"})
    >>> getattr_("Tolerances").__name__
    'Tolerances'
    """
    names = dict(names)
    submodules = tuple(submodules)

    def __getattr__(name: str):
        if name in names:
            return getattr(importlib.import_module(names[name], package), name)
        if name in submodules:
            return importlib.import_module(f"{package}.{name}")
        raise AttributeError(f"module {package!r} has no attribute {name!r}")

    def __dir__():
        module = importlib.import_module(package)
        return sorted(set(vars(module)) | set(names) | set(submodules))

    return __getattr__, __dir__
