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

#: Instruments compared, in the order of the paper's argument (the command line's
#: ``--instruments`` takes a subset; kept here, where no module is imported, so that the
#: command line reads it without loading the solvers).
INSTRUMENTS = (
    "free-trade",
    "tariff",
    "temporary-tariff",
    "subsidy",
    "modern-subsidy",
    "coordination",
    "promotion",
)

__all__ = [
    "INSTRUMENTS",
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

# every part loads on first use (the solvers, SciPy and pandas behind them)
__getattr__, __dir__ = lazy_attributes(
    __name__,
    {
        "FREE_TRADE": ".instruments",
        "Policy": ".instruments",
        "PolicyEquilibrium": ".instruments",
        "PolicyOutcome": ".instruments",
        "policy_equilibria": ".instruments",
        "subsidy": ".instruments",
        "tariff": ".instruments",
        "welfare_vs_tariff": ".instruments",
        "Preferences": ".welfare",
        "Welfare": ".welfare",
        "equilibrium_welfare": ".welfare",
        "preferences": ".welfare",
        "run_policy": ".adjustment",
        "coordination": ".coordination",
        "promote_cluster": ".coordination",
        "ppf": ".ppf",
        "compare_instruments": ".comparison",
        "InstrumentComparison": ".comparison",
    },
    ("instruments", "welfare", "adjustment", "coordination", "comparison", "ppf"),
)
