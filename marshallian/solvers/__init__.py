"""Algorithms: equilibrium enumeration, verification, derived conditions, North's equilibria.

The public face of the engine, for the layers above it (policy, sweeps, figures, report):

* :func:`solve` — every equilibrium of South at North's prices (a :class:`~marshallian.results.Solution`);
* :func:`solve_at` — every certified equilibrium at given producer prices, optionally with
  per-activity pay factors (production subsidies);
* :func:`split_equilibria` — equilibria with one sector's labor given and its price
  endogenous (a self-sufficient position under a tariff);
* :func:`certify` — the one independent check of an allocation (the certificate);
* :func:`pays` — every activity's pay at an allocation, from the model's SymPy productivity;
* :class:`Regime` — a regime (one :class:`ActivityState` per activity: idle, rising,
  fixed) with its label, certificate text, clusters and the one stability rule
  (:meth:`Regime.stability`; :func:`regime_stability` is the same rule as a function);
* :func:`north_equilibria`, :func:`select_north` — North's equilibria (footnote 13) and
  the one that sets world prices; :func:`north_premise` — whether the paper's North (full
  clusters) is one of them;
* :func:`resolve_model`, :func:`resolve_params` — a model and validated parameters from
  names and mappings.
* :func:`marshallian.solvers.jscode.solver_js` — the regime solver compiled to JavaScript
  (SymPy's printer) for the explorer page; imported from its module (it loads SymPy).

Everything else in this package's modules is internal.
"""

from .enumeration import ActivityState, Regime
from .equilibrium import (
    north_equilibria,
    north_premise,
    resolve_model,
    resolve_params,
    select_north,
    solve,
    solve_at,
)
from .split import SplitEquilibrium, split_equilibria
from .stability import regime_stability
from .verify import certify, pay_function, pays

__all__ = [
    "ActivityState",
    "Regime",
    "SplitEquilibrium",
    "certify",
    "north_equilibria",
    "north_premise",
    "pay_function",
    "pays",
    "regime_stability",
    "resolve_model",
    "resolve_params",
    "select_north",
    "solve",
    "solve_at",
    "split_equilibria",
]
