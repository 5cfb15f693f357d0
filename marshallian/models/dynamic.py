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

from . import _rules
from .alternative import build as build_alternative
from .base import symbol
from .schema import dynamic_derived_defaults, dynamic_extra

#: The §4 parameters added to the §3 ones (declared in :mod:`~marshallian.models.schema`).
EXTRA = dynamic_extra(2)


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
    extra = dynamic_extra(J)
    model = build_alternative(
        J,
        name="dynamic" if J == 2 else f"dynamic{J}",
        extra_parameters=extra,
        sector_factor=_steady_state_factor,
        extra_rules=(_rules.eps_above_g,),
        description="§4 dynamic model: steady states with learning by "
        "doing and international spillovers",
    )
    # conditions are shown with the steady-state gap a_hat = 1 - g/eps (paper §4)
    g, eps = symbol("g"), symbol("eps")
    # paths start from the no-cluster steady state of the given g and eps unless a0_j is given
    return dataclasses.replace(
        model,
        definitions={**model.definitions, "a_hat": 1 - g / eps},
        derived_defaults=dynamic_derived_defaults(J),
    )


from .base import Model  # noqa: E402  (type name for the annotation above)
