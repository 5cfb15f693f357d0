"""marshallian: North–South Ricardian models with Marshallian externalities.

Rodríguez-Clare (2007), "Clusters and comparative advantage: Implications for industrial
policy", Journal of Development Economics. Quick use:

>>> import marshallian as m
>>> sol = m.solve("alternative", {"lam_2S": 0.8})   # every equilibrium, stable or not
>>> len(sol), sol.best().income_gap                 # a full cluster in good 1 closes the gap
(7, 1.0)
>>> len(m.derive_conditions("standard"))   # one derived condition per equilibrium type
4

The documentation is in ``docs/`` (``docs/index.md``).

Heavy dependencies (SymPy, SciPy, matplotlib) load on first use.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from ._lazy import lazy_attributes

try:  # one version source: pyproject.toml, read from the installed metadata
    __version__ = version("marshallian")
except PackageNotFoundError:  # pragma: no cover - running from a tree that is not installed
    __version__ = "0+unknown"

_LAZY = {
    "solve": "marshallian.solvers.equilibrium",
    "solve_world": "marshallian.solvers.world",
    "north_equilibria": "marshallian.solvers.equilibrium",
    "select_north": "marshallian.solvers.equilibrium",
    "solve_batch": "marshallian.solvers.batch",
    "iter_solve_batch": "marshallian.solvers.batch",
    "derive_conditions": "marshallian.solvers.conditions",
    "get_model": "marshallian.models",
    "MODEL_NAMES": "marshallian.models",
    "Parameters": "marshallian.params",
    "read_parameter_file": "marshallian.params",
    "Tolerances": "marshallian.tolerances",
    "DEFAULT_TOLERANCES": "marshallian.tolerances",
    "MarshallianError": "marshallian.errors",
    "InvalidParameterError": "marshallian.errors",
    "SolverError": "marshallian.errors",
    "DegenerateEquilibriumWarning": "marshallian.errors",
    "Solution": "marshallian.results",
    "Equilibrium": "marshallian.results",
    "Stability": "marshallian.results",
    "NorthPremiseWarning": "marshallian.errors",
    "PerformanceWarning": "marshallian.errors",
    "run_claims": "marshallian.claims",
    "path": "marshallian.solvers.dynamics",
    "integrate": "marshallian.solvers.dynamics",
    "Phase": "marshallian.solvers.dynamics",
    "policy_equilibria": "marshallian.policy.instruments",
    "tariff": "marshallian.policy.instruments",
    "subsidy": "marshallian.policy.instruments",
    "run_policy": "marshallian.policy.adjustment",
    "coordination": "marshallian.policy.coordination",
    "ppf": "marshallian.policy.ppf",
    # the rest of what the README shows
    "promote_cluster": "marshallian.policy.coordination",
    "Policy": "marshallian.policy.instruments",
    "PolicyOutcome": "marshallian.policy.instruments",
    "PolicyEquilibrium": "marshallian.policy.instruments",
    "FREE_TRADE": "marshallian.policy.instruments",
    "welfare_vs_tariff": "marshallian.policy.instruments",
    "preferences": "marshallian.policy.welfare",
    "Preferences": "marshallian.policy.welfare",
    "Model": "marshallian.models.base",
    "Activity": "marshallian.models.base",
    "ParameterSpec": "marshallian.params",
    "ParameterAlias": "marshallian.params",
    "read_parameter_input": "marshallian.params",
    "SweepResult": "marshallian.sweep",
    "ConditionTable": "marshallian.results",
    "ResultBatch": "marshallian.presentation",
    "compare_instruments": "marshallian.policy.comparison",
    "calibrate": "marshallian.calibration",
    "build_report": "marshallian.report",
}

#: Subpackages reachable as attributes without an import (``m.models.alternative.build(3)``,
#: ``m.sweep.sweep(...)``); each is imported on first use.
_SUBMODULES = ("models", "sweep", "policy", "solvers", "claims", "figures", "presentation")

__all__ = sorted(set(_LAZY) | set(_SUBMODULES))


__getattr__, __dir__ = lazy_attributes(__name__, _LAZY, _SUBMODULES)
