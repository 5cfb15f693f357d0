"""marshallian: North–South Ricardian models with Marshallian externalities.

Rodríguez-Clare (2007), "Clusters and comparative advantage: Implications for industrial
policy", Journal of Development Economics. Quick use::

    >>> import marshallian as m
    >>> sol = m.solve("alternative", {"lam_2S": 0.8})
    >>> print(sol)                       # every equilibrium, stable or not
    >>> m.derive_conditions("standard")  # existence conditions, derived by SymPy

Heavy dependencies (SymPy, SciPy, matplotlib) load on first use.
"""
from __future__ import annotations

import importlib

__version__ = "0.1.0"

_LAZY = {
    "solve": "marshallian.solvers.equilibrium",
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
    "run_claims": "marshallian.claims",
    "path": "marshallian.solvers.dynamics_paths",
    "integrate": "marshallian.solvers.dynamics",
    "Phase": "marshallian.solvers.dynamics",
    "policy_equilibria": "marshallian.policy.instruments",
    "tariff": "marshallian.policy.instruments",
    "subsidy": "marshallian.policy.instruments",
    "run_policy": "marshallian.policy.adjustment",
    "coordination": "marshallian.policy.coordination",
    "ppf": "marshallian.policy.ppf",
}

__all__ = sorted(_LAZY)


def __getattr__(name):
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'marshallian' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_LAZY))
