"""§2 standard model: sector 1 without externality, sector 2 with a bounded one.

Productivity of good 2 in country i is :math:`\\lambda_{2i}[1+\\alpha\\min(\\bar L,L_{2i})]`,
:math:`\\theta\\equiv1+\\alpha\\bar L>1` (Rodríguez-Clare 2007, §2).
"""

from __future__ import annotations

import sympy as sp

from .base import Activity, Model, symbol
from .schema import STANDARD_ALIASES, STANDARD_PARAMETERS, STANDARD_RULES

#: The parameters (declared in :mod:`~marshallian.models.schema`, without SymPy).
PARAMETERS = STANDARD_PARAMETERS


def build() -> Model:
    """The §2 standard model: good 1 without externality, good 2 with one.

    Productivities :math:`\\lambda_{1i}` and :math:`\\lambda_{2i}(1+\\alpha\\min(\\bar L, L_2))`,
    :math:`\\theta = 1+\\alpha\\bar L > 1` (Rodríguez-Clare 2007, §2).

    Examples
    --------
    >>> from marshallian.models import standard
    >>> model = standard.build()
    >>> [a.label for a in model.activities], model.definitions["theta"]
    (['1:standard', '2:standard'], Lbar*alpha + 1)
    """
    s = {p.name: symbol(p.name) for p in PARAMETERS}
    one = sp.Integer(1)
    return Model(
        name="standard",
        sectors=(1, 2),
        activities=(
            Activity(1, "standard", one),
            Activity(2, "standard", one, s["alpha"], s["Lbar"]),
        ),
        parameters=PARAMETERS,
        lam_S={1: s["lam_1S"], 2: s["lam_2S"]},
        lam_N={1: s["lam_1N"], 2: s["lam_2N"]},
        L_S=s["L_S"],
        L_N=s["L_N"],
        mu={1: s["mu_1"], 2: s["mu_2"]},
        rules=STANDARD_RULES,
        definitions={"theta": 1 + s["alpha"] * s["Lbar"]},
        description="§2 standard model: externality intrinsic to sector 2",
        aliases=STANDARD_ALIASES,
    )
