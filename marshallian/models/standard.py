"""§2 standard model: sector 1 without externality, sector 2 with a bounded one.

Productivity of good 2 in country i is :math:`\\lambda_{2i}[1+\\alpha\\min(\\bar L,L_{2i})]`,
:math:`\\theta\\equiv1+\\alpha\\bar L>1` (Rodríguez-Clare 2007, §2).
"""
from __future__ import annotations

import sympy as sp

from ..params import ParameterAlias, ParameterSpec
from . import _rules
from .base import Activity, Model, symbol

PARAMETERS = (
    ParameterSpec("lam_1S", 1.0, "lambda_1S: South's Ricardian productivity in good 1"),
    ParameterSpec("lam_2S", 1.2, "lambda_2S: South's Ricardian productivity in good 2"),
    ParameterSpec("lam_1N", 1.0, "lambda_1N: North's Ricardian productivity in good 1"),
    ParameterSpec("lam_2N", 1.0, "lambda_2N: North's Ricardian productivity in good 2"),
    ParameterSpec("alpha", 0.01, "alpha: slope of the Marshallian externality in good 2"),
    ParameterSpec("Lbar", 100.0, "Lbar: labor at which the externality is exhausted"),
    ParameterSpec("L_S", 200.0, "L_S: South's labor force"),
    ParameterSpec("L_N", 1000.0, "L_N: North's labor force"),
    ParameterSpec("mu_1", 0.5, "mu_1: Cobb-Douglas share of good 1 (North's demand)"),
    ParameterSpec("mu_2", 0.5, "mu_2: Cobb-Douglas share of good 2 (North's demand)"),
)


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
        L_S=s["L_S"], L_N=s["L_N"],
        mu={1: s["mu_1"], 2: s["mu_2"]},
        rules=(_rules.shares_sum_to_one(("mu_1", "mu_2")),),
        definitions={"theta": 1 + s["alpha"] * s["Lbar"]},
        description="§2 standard model: externality intrinsic to sector 2",
        aliases=(ParameterAlias("theta", "Lbar", None,
                                "theta = 1 + alpha*Lbar: good 2's productivity gain from a "
                                "full cluster (given in place of Lbar)"),),
    )
