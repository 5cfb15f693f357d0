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
from .instruments import (FREE_TRADE, Policy, PolicyEquilibrium, PolicyOutcome, policy_equilibria,
                          subsidy, tariff, welfare_vs_tariff)
from .welfare import Preferences, Welfare, equilibrium_welfare, preferences

__all__ = ["FREE_TRADE", "Policy", "PolicyEquilibrium", "PolicyOutcome", "policy_equilibria",
           "subsidy", "tariff", "welfare_vs_tariff", "Preferences", "Welfare",
           "equilibrium_welfare", "preferences", "run_policy", "coordination",
           "promote_cluster", "ppf"]


def __getattr__(name):  # numpy/scipy-backed parts load on first use
    if name == "run_policy":
        from .adjustment import run_policy
        return run_policy
    if name in ("coordination", "promote_cluster"):
        import importlib
        return getattr(importlib.import_module(".coordination", __name__), name)
    if name == "ppf":
        from .ppf import ppf
        return ppf
    raise AttributeError(name)
