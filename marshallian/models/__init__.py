"""Model declarations (data only; algorithms live in :mod:`marshallian.solvers`)."""

from __future__ import annotations

import functools

from .._lazy import lazy_attributes

MODEL_NAMES = ("standard", "alternative", "dynamic")


def get_model(name: str):
    """The registered model called ``name`` (built once, then cached).

    Raises
    ------
    InvalidParameterError
        If ``name`` is not one of :data:`MODEL_NAMES`.

    Examples
    --------
    >>> from marshallian.models import get_model
    >>> model = get_model("alternative")
    >>> [a.label for a in model.activities]
    ['1:backward', '1:modern', '2:backward', '2:modern']
    >>> get_model("nordhaus")
    Traceback (most recent call last):
    ...
    marshallian.errors.InvalidParameterError: MODEL...'nordhaus'...must be one of standard, alternative, dynamic
    """
    if not isinstance(name, str):  # an unhashable name would fail inside the cache
        from ..errors import InvalidParameterError, Violation

        raise InvalidParameterError(
            Violation("MODEL", name, f"must be one of {', '.join(MODEL_NAMES)}")
        )
    return _build(name)


@functools.cache
def _build(name: str):
    from ..errors import InvalidParameterError, Violation

    if name == "standard":
        from .standard import build

        return build()
    if name == "alternative":
        from .alternative import build

        return build()
    if name == "dynamic":
        from .dynamic import build

        return build()
    raise InvalidParameterError(
        Violation("MODEL", name, f"must be one of {', '.join(MODEL_NAMES)}")
    )


__all__ = ["get_model", "MODEL_NAMES"]


# the model declarations as attributes: ``marshallian.models.alternative.build(3)``
__getattr__, __dir__ = lazy_attributes(__name__, {}, ("standard", "alternative", "dynamic", "base"))
