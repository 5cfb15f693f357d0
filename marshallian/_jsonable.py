"""Numbers as JSON takes them: JSON has no ``inf`` or ``NaN``, so a non-finite number is
written ``null``. The one place the package decides this (results, paths, policy, sweeps,
the world solver, the empirics command and the parameter parser use it).

- :func:`finite_float`: one number as a float, or None when it is not finite;
- :func:`json_number`: the same, but a value that is no number (a SymPy symbol of an exact
  or symbolic solve) is kept as its text;
- :func:`json_safe`: a copy of nested dicts and lists with NumPy scalars made Python numbers
  and non-finite floats made None; every other value is kept as it is (an ``int`` stays an
  ``int``).
"""

from __future__ import annotations

import math
from typing import Any


def finite_float(x: Any) -> float | None:
    """``float(x)`` if it is finite, else None.

    Examples
    --------
    >>> from fractions import Fraction
    >>> finite_float(Fraction(1, 4)), finite_float("2.5"), finite_float(float("inf"))
    (0.25, 2.5, None)
    """
    value = float(x)
    return value if math.isfinite(value) else None


def json_number(x: Any) -> float | str | None:
    """:func:`finite_float` of ``x``, or ``str(x)`` when ``x`` is no number (``TypeError``).

    Examples
    --------
    >>> import sympy
    >>> json_number(3), json_number(float("nan")), json_number(sympy.Symbol("w"))
    (3.0, None, 'w')
    """
    try:
        return finite_float(x)
    except TypeError:
        return str(x)


def json_safe(obj: Any) -> Any:
    """Copy of ``obj`` (dicts, lists, tuples, numbers) fit for JSON.

    NumPy scalars become Python numbers (``.item()``) and non-finite floats None; tuples
    become lists; everything else is kept as it is.

    Examples
    --------
    >>> import numpy as np
    >>> json_safe({"a": [1, float("inf"), np.float64(0.5)], "b": (np.int64(2), "x")})
    {'a': [1, None, 0.5], 'b': [2, 'x']}
    """
    if isinstance(obj, dict):
        return {k: json_safe(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [json_safe(v) for v in obj]
    if hasattr(obj, "item"):
        obj = obj.item()
    if isinstance(obj, float) and not math.isfinite(obj):
        return None
    return obj
