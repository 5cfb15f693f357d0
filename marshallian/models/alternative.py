"""§3 alternative model: every sector has a backward and a modern technology.

Backward productivity :math:`\\lambda_{ji}`; modern
:math:`\\lambda_{ji}[\\beta+\\alpha\\min(\\bar L_j,L_{jiM})]` with :math:`0<\\beta<1` and
:math:`\\theta_j\\equiv\\beta+\\alpha\\bar L_j>1` (Rodríguez-Clare 2007, §3).
:func:`build` takes any number of sectors (``J``): the solvers need no change.
"""

from __future__ import annotations

import sympy as sp

from .base import Activity, Model, symbol
from .schema import (
    ALTERNATIVE_DEFAULTS,
    alternative_aliases,
    alternative_parameters,
    alternative_rules,
)

#: Default calibration of the paper's two-sector case (see :mod:`~marshallian.models.schema`).
DEFAULTS_2 = ALTERNATIVE_DEFAULTS
#: The parameters with J sectors (declared without SymPy in :mod:`~marshallian.models.schema`).
parameter_specs = alternative_parameters


def build(
    J: int = 2,
    name: str | None = None,
    extra_parameters=(),
    sector_factor=None,
    extra_rules=(),
    description=None,
) -> Model:
    """The §3 model with ``J`` sectors (the paper: J = 2).

    Every sector gets a backward technology (productivity :math:`\\lambda_{ji}`) and a modern
    one (:math:`\\lambda_{ji}[\\beta+\\alpha\\min(\\bar L_j, L)]`); the solvers need no change.

    Examples
    --------
    >>> import marshallian as m
    >>> from marshallian.models import alternative
    >>> three = alternative.build(3)
    >>> three.name, len(three.activities)
    ('alternative3', 6)
    >>> m.solve(three).best().income_gap     # a full cluster in South's best good
    1.0
    """
    specs = parameter_specs(J, extra_parameters)
    s = {p.name: symbol(p.name) for p in specs}
    sectors = tuple(range(1, J + 1))
    acts = []
    for j in sectors:
        acts.append(Activity(j, "backward", sp.Integer(1)))
        acts.append(
            Activity(
                j, "modern", s["beta"], s["alpha"], s[f"Lbar_{j}"], learns=sector_factor is not None
            )
        )
    return Model(
        name=name or ("alternative" if J == 2 else f"alternative{J}"),
        sectors=sectors,
        activities=tuple(acts),
        parameters=specs,
        lam_S={j: s[f"lam_{j}S"] for j in sectors},
        lam_N={j: s[f"lam_{j}N"] for j in sectors},
        L_S=s["L_S"],
        L_N=s["L_N"],
        mu={j: s[f"mu_{j}"] for j in sectors},
        sector_factor=sector_factor(s, sectors) if sector_factor else {},
        rules=alternative_rules(sectors, extra_rules),
        definitions={f"theta_{j}": s["beta"] + s["alpha"] * s[f"Lbar_{j}"] for j in sectors},
        description=description
        or "§3 alternative model: externalities come with the modern technology",
        aliases=alternative_aliases(sectors),
    )
