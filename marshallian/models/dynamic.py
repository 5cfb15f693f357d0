"""§4 dynamic model, steady states: the §3 model times South's relative productivity.

In steady state South's relative productivity in sector j is (``docs/models.md`` §4, paper §4)

.. math::

    a_j(m_j) = 1 - \\frac{g}{\\varepsilon}\\Bigl(1-\\frac{\\min(m_j,\\bar L_j)}{\\bar L_j}\\Bigr),

where :math:`m_j` is South's modern labor in j: :math:`\\hat a=1-g/\\varepsilon` without a
cluster, 1 with a full cluster. It multiplies both technologies of the sector, so pays are
quadratic in labor on the rising part. The paths (law of motion, typo max/min) live in
:mod:`marshallian.solvers.dynamics`.
"""
from __future__ import annotations

import dataclasses

from ..params import ParameterSpec
from . import _rules
from .alternative import build as build_alternative
from .base import symbol

EXTRA = (
    ParameterSpec("g", 0.02, "g: learning-by-doing growth rate with a full cluster"),
    ParameterSpec("eps", 0.05, "eps: speed of international spillovers (eps > g)"),
    ParameterSpec("a0_1", 0.6, "a0_1: initial A_1S/A_1N for paths (default a_hat = 1 - g/eps)"),
    ParameterSpec("a0_2", 0.6, "a0_2: initial A_2S/A_2N for paths (default a_hat = 1 - g/eps)"),
)


def _a_hat(values) -> float:
    """The no-cluster steady state :math:`\\hat a=1-g/\\varepsilon` (paper §4): the default
    start of a path, the paper's experiment (South forms a cluster from the backward
    steady state)."""
    from fractions import Fraction

    # in the decimals the user wrote: 1 - 0.02/0.05 is 0.6, not 0.6000000000000001
    g, eps = Fraction(repr(float(values["g"]))), Fraction(repr(float(values["eps"])))
    if not 0 < g < eps:
        raise ValueError("no steady state: validation reports g and eps")
    return float(1 - g / eps)


def _steady_state_factor(s, sectors):
    # a_j(m) = (1 - g/eps) + (g/eps) * min(m, Lbar_j) / Lbar_j
    return {j: (1 - s["g"] / s["eps"], s["g"] / (s["eps"] * s[f"Lbar_{j}"])) for j in sectors}


def build(J: int = 2) -> Model:
    """The §4 model's steady states: §3 activities times South's relative productivity.

    South's sector factor is :math:`a_j(m)=1-(g/\\varepsilon)(1-\\min(m,\\bar L_j)/\\bar L_j)`,
    :math:`m` the sector's modern labor (Rodríguez-Clare 2007, §4).

    Examples
    --------
    >>> from marshallian.models import dynamic
    >>> model = dynamic.build()
    >>> model.definitions["a_hat"]
    1 - g/eps
    """
    extra = EXTRA[:2] + tuple(ParameterSpec(f"a0_{j}", 0.6, f"a0_{j}: initial A_{j}S/A_{j}N "
                                                            "(default a_hat = 1 - g/eps)")
                              for j in range(1, J + 1))
    model = build_alternative(J, name="dynamic" if J == 2 else f"dynamic{J}",
                             extra_parameters=extra, sector_factor=_steady_state_factor,
                             extra_rules=(_rules.eps_above_g,),
                             description="§4 dynamic model: steady states with learning by "
                                         "doing and international spillovers")
    # conditions are shown with the steady-state gap a_hat = 1 - g/eps (paper §4)
    g, eps = symbol("g"), symbol("eps")
    # paths start from the no-cluster steady state of the given g and eps unless a0_j is given
    return dataclasses.replace(model, definitions={**model.definitions, "a_hat": 1 - g / eps},
                               derived_defaults=tuple((f"a0_{j}", _a_hat) for j in range(1, J + 1)))


from .base import Model  # noqa: E402  (type name for the annotation above)
