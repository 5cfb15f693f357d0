"""One user calibration applied to every model it concerns (the report and the figures).

The report and ``marshallian figures`` answer the paper's questions for several models at
once (§2 standard, §3 alternative, §4 dynamic). A user's calibration — ``--params FILE``
and ``--set NAME=VALUE`` on the command line, a mapping in Python — is a set of named
values; each model takes the names it knows (``Lbar`` only the §2 model, ``beta`` the
§3 and §4 models, ``lam_1S`` all three). A name that no model knows is bad input, as is
a value that breaks a model's assumptions.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

#: Models of the report and of the figures, in the paper's order.
CALIBRATED_MODELS = ("standard", "alternative", "dynamic")


def accepted_names(model) -> tuple:
    """Names a model's parameters accept: its parameters and its θ names (§2: ``theta``,
    §3–§4: ``theta_1``, ``theta_2``), which may replace ``Lbar`` / ``Lbar_j``."""
    return tuple(model.parameter_names) + tuple(model.alias_names)


def _number_text(v) -> str:
    return f"{float(v):.6g}"


@dataclass(frozen=True)
class Calibration:
    """A user calibration and the validated parameters of every model it applies to.

    Attributes
    ----------
    overrides : Mapping
        The values the user gave, by name (empty: the default calibration).
    params : Mapping
        Model name -> validated :class:`~marshallian.params.Parameters`.
    applies : Mapping
        Model name -> the overrides that model takes.

    Examples
    --------
    >>> from marshallian.calibration import calibrate
    >>> cal = calibrate({"beta": 0.4})
    >>> dict(cal.applies["standard"]), dict(cal.applies["alternative"])
    ({}, {'beta': 0.4})
    >>> cal.describe()
    'calibration: beta = 0.4 (other parameters at their defaults)'
    """

    overrides: Mapping = field(default_factory=dict)
    params: Mapping = field(default_factory=dict)
    applies: Mapping = field(default_factory=dict)

    @property
    def is_default(self) -> bool:
        return not self.overrides

    def params_for(self, model: str):
        """Validated parameters of ``model`` at this calibration."""
        return self.params[model]

    def describe(self, model: str | None = None) -> str:
        """``'default calibration'`` or ``'calibration: NAME = VALUE, ...'`` (of one model,
        or of every model when ``model`` is None)."""
        values = self.overrides if model is None else self.applies.get(model, {})
        if not values:
            return "default calibration"
        text = ", ".join(f"{k} = {_number_text(v)}" for k, v in values.items())
        return f"calibration: {text} (other parameters at their defaults)"

    def to_dict(self) -> dict:
        """The parameters used, for ``results.json``: the user's values and every model's
        full parameter set."""
        return {
            "default": self.is_default,
            "overrides": {k: float(v) for k, v in self.overrides.items()},
            "models": {
                m: {k: float(v) for k, v in p.as_dict().items()} for m, p in self.params.items()
            },
        }


def calibrate(overrides: Mapping | None = None, models=CALIBRATED_MODELS) -> Calibration:
    """Validate a calibration for every model it applies to.

    Parameters
    ----------
    overrides : mapping, optional
        ``name -> number``; each name must be accepted by at least one of ``models``.
    models : iterable of str

    Returns
    -------
    Calibration

    Raises
    ------
    InvalidParameterError
        Listing every name no model accepts and every model rule the values break
        (prefixed by the model's name).

    Examples
    --------
    >>> import marshallian as m
    >>> m.calibrate().is_default
    True
    >>> cal = m.calibrate({"lam_2S": 0.9})
    >>> cal.describe()
    'calibration: lam_2S = 0.9 (other parameters at their defaults)'
    >>> cal.params_for("alternative").lam_2S
    0.9
    """
    from .errors import InvalidParameterError, Violation
    from .models.schema import get_schema

    overrides = dict(overrides or {})
    # the parameter schemas validate without SymPy (bad input rejected in <= 0.3 s)
    resolved = {m: get_schema(m) for m in models}
    accepted = {m: accepted_names(model) for m, model in resolved.items()}
    violations = [
        Violation(k, v, f"is not a parameter of any of the models ({', '.join(resolved)})")
        for k, v in overrides.items()
        if not any(k in names for names in accepted.values())
    ]
    applies, params = {}, {}
    for m, model in resolved.items():
        mine = {k: v for k, v in overrides.items() if k in accepted[m]}
        applies[m] = MappingProxyType(mine)
        try:
            params[m] = model.params(mine)
        except InvalidParameterError as exc:
            violations += [
                Violation(f"{v.name} ({m} model)", v.value, v.rule) for v in exc.violations
            ]
    if violations:
        raise InvalidParameterError(violations)
    return Calibration(
        MappingProxyType(overrides), MappingProxyType(params), MappingProxyType(applies)
    )
