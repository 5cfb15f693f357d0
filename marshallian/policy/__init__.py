"""Policy experiments (``docs/models.md`` §5): welfare, instruments, adjustment, Mill/Bastable, PPF.

Public entry points:

* :func:`~marshallian.policy.welfare.preferences`, :class:`~marshallian.policy.welfare.Preferences`
  (Cobb-Douglas or CES), :func:`~marshallian.policy.welfare.equilibrium_welfare`;
* :func:`~marshallian.policy.instruments.policy_equilibria` with
  :func:`~marshallian.policy.instruments.tariff` / :func:`~marshallian.policy.instruments.subsidy`
  (every equilibrium under a policy, with trade positions and welfare),
  :func:`~marshallian.policy.instruments.welfare_vs_tariff` (arrays for plots);
* :func:`~marshallian.policy.adjustment.run_policy` (adjustment path, Mill and Bastable);
* :func:`~marshallian.policy.coordination.coordination` (critical mass, smallest temporary
  subsidy) and :func:`~marshallian.policy.coordination.promote_cluster` (price-distorting);
* :func:`~marshallian.policy.ppf.ppf` (Fig. 1).
"""

from .._lazy import lazy_attributes
from .instruments import (
    FREE_TRADE,
    Policy,
    PolicyEquilibrium,
    PolicyOutcome,
    policy_equilibria,
    subsidy,
    tariff,
    welfare_vs_tariff,
)
from .welfare import Preferences, Welfare, equilibrium_welfare, preferences

__all__ = [
    "FREE_TRADE",
    "Policy",
    "PolicyEquilibrium",
    "PolicyOutcome",
    "policy_equilibria",
    "subsidy",
    "tariff",
    "welfare_vs_tariff",
    "Preferences",
    "Welfare",
    "equilibrium_welfare",
    "preferences",
    "run_policy",
    "coordination",
    "promote_cluster",
    "ppf",
    "compare_instruments",
    "InstrumentComparison",
]


# the SciPy-backed parts load on first use
__getattr__, __dir__ = lazy_attributes(
    __name__,
    {
        "run_policy": ".adjustment",
        "coordination": ".coordination",
        "promote_cluster": ".coordination",
        "ppf": ".ppf",
        "compare_instruments": ".comparison",
        "InstrumentComparison": ".comparison",
    },
)
