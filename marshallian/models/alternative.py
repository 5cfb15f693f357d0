"""§3 alternative model: every sector has a backward and a modern technology.

Backward productivity :math:`\\lambda_{ji}`; modern
:math:`\\lambda_{ji}[\\beta+\\alpha\\min(\\bar L_j,L_{jiM})]` with :math:`0<\\beta<1` and
:math:`\\theta_j\\equiv\\beta+\\alpha\\bar L_j>1` (Rodríguez-Clare 2007, §3).
:func:`build` takes any number of sectors (``J``): the solvers need no change.
"""
from __future__ import annotations

import sympy as sp

from ..params import ParameterAlias, ParameterSpec
from . import _rules
from .base import Activity, Model, symbol

#: Default calibration of the paper's two-sector case: South has comparative advantage
#: in good 1, condition (*) holds (1.25 < theta_1 = 2.5) and the paper's simplifying
#: assumption (A9) holds: (lam_2N/lam_2S) theta_2 = 4.375 >= (lam_1N/lam_1S) theta_1 = 2.5.
DEFAULTS_2 = {"lam_1S": 1.0, "lam_2S": 0.8, "lam_1N": 1.0, "lam_2N": 1.0, "beta": 0.5,
              "alpha": 0.02, "Lbar_1": 100.0, "Lbar_2": 150.0, "L_S": 200.0, "L_N": 1000.0}


def parameter_specs(J: int = 2, extra=()) -> tuple:
    d = DEFAULTS_2
    specs = []
    for i in ("S", "N"):
        for j in range(1, J + 1):
            specs.append(ParameterSpec(f"lam_{j}{i}", d.get(f"lam_{j}{i}", 1.0),
                                       f"lambda_{j}{i}: Ricardian productivity of {i} in good {j}"))
    specs += [ParameterSpec("beta", d["beta"], "beta: modern productivity without externality (0<beta<1)"),
              ParameterSpec("alpha", d["alpha"], "alpha: slope of the Marshallian externality")]
    specs += [ParameterSpec(f"Lbar_{j}", d.get(f"Lbar_{j}", 100.0 + 50.0 * (j - 1)),
                            f"Lbar_{j}: labor at which sector {j}'s externality is exhausted")
              for j in range(1, J + 1)]
    specs += [ParameterSpec("L_S", d["L_S"], "L_S: South's labor force"),
              ParameterSpec("L_N", d["L_N"], "L_N: North's labor force")]
    specs += [ParameterSpec(f"mu_{j}", 1.0 / J, f"mu_{j}: Cobb-Douglas share of good {j}")
              for j in range(1, J + 1)]
    return tuple(specs) + tuple(extra)


def build(J: int = 2, name: str | None = None, extra_parameters=(), sector_factor=None,
          extra_rules=(), description=None) -> Model:
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
        acts.append(Activity(j, "modern", s["beta"], s["alpha"], s[f"Lbar_{j}"],
                             learns=sector_factor is not None))
    return Model(
        name=name or ("alternative" if J == 2 else f"alternative{J}"),
        sectors=sectors,
        activities=tuple(acts),
        parameters=specs,
        lam_S={j: s[f"lam_{j}S"] for j in sectors},
        lam_N={j: s[f"lam_{j}N"] for j in sectors},
        L_S=s["L_S"], L_N=s["L_N"],
        mu={j: s[f"mu_{j}"] for j in sectors},
        sector_factor=sector_factor(s, sectors) if sector_factor else {},
        rules=(_rules.beta_in_unit_interval, _rules.theta_above_one(sectors),
               _rules.shares_sum_to_one(tuple(f"mu_{j}" for j in sectors))) + tuple(extra_rules),
        definitions={f"theta_{j}": s["beta"] + s["alpha"] * s[f"Lbar_{j}"] for j in sectors},
        description=description or "§3 alternative model: externalities come with the modern technology",
        aliases=tuple(ParameterAlias(f"theta_{j}", f"Lbar_{j}", "beta",
                                     f"theta_{j} = beta + alpha*Lbar_{j}: modern productivity "
                                     f"of a full cluster in good {j} (given in place of Lbar_{j})")
                      for j in sectors),
    )
