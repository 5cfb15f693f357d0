"""The one Marshallian stability rule (paper §2; docs/models.md §2), in three states.

Labor moves toward activities that pay more than others; a firm takes the externality as
given and an entrant to an idle activity earns its pay at zero labor. An equilibrium found
in a regime (each activity idle, rising or fixed) is then

* **unstable** when two or more activities are active and one of them is on the rising
  part of its externality (an interior equilibrium: a critical mass; moving labor into it
  raises its pay, so more labor follows), when a tie between fixed pays is pinned by the
  caps (one point where every capped activity sits exactly at its cap: losing labor lowers
  its pay), or when it is weak (an idle activity pays exactly the wage) and an entrant
  would raise that activity's pay (it has an externality) or a lone rising activity would
  lose pay by releasing labor;
* **neutral** when labor can rest anywhere near it without being pulled back: a
  *continuum* (fixed activities tying in pay: every split is an equilibrium, as in §2 with
  every λ = 1, claim S1), or a *weak* equilibrium whose tied idle activities have no
  externality and whose active activities are fixed (the end of such a continuum, e.g.
  specialization in good 2 in S1, or §3's no-cluster equilibria when λ = 1, θ₁ = θ₂: A2);
* **stable** otherwise.

An allocation made of independent blocks (e.g. a self-sufficient position under a
tariff, whose split between blocks is stable) takes the least stable of its blocks
(:meth:`~marshallian.results.Stability.least`).

The rule itself is :meth:`Regime.stability <marshallian.solvers.enumeration.Regime.stability>`,
a method of the typed regime; :func:`regime_stability` is its functional form in the
public face :mod:`marshallian.solvers` (states given as any sequence).
"""

from __future__ import annotations

from collections.abc import Sequence

from ..results import Stability
from .enumeration import ActivityState, Regime


def regime_stability(
    states: Sequence[int],
    rises_on_entry: Sequence[bool] | None = None,
    *,
    weak: Sequence[int] = (),
    continuum: bool = False,
    tied: bool = False,
) -> Stability:
    """Stability of an equilibrium found in the regime ``states``: the one rule,
    ``Regime(states).stability(...)`` (:meth:`~marshallian.solvers.enumeration.Regime.stability`).

    Parameters
    ----------
    states : Regime or sequence of int
        Per activity: ``IDLE``, ``RISING`` or ``FIXED`` (:mod:`~marshallian.solvers.enumeration`).
    rises_on_entry : sequence of bool, optional
        Per activity: whether its pay rises with its own labor (it has an externality).
        Needed only for weak equilibria.
    weak : sequence of int
        Idle activities paying exactly the wage.
    continuum : bool
        Fixed activities tie in pay and labor can split between them in a continuum.
    tied : bool
        A tie between fixed pays was needed (without a continuum: one point pinned by caps).

    Returns
    -------
    Stability

    Examples
    --------
    >>> from marshallian.solvers.enumeration import IDLE, RISING, FIXED
    >>> regime_stability((FIXED, IDLE, IDLE, IDLE)).value
    'stable'
    >>> regime_stability((FIXED, RISING, IDLE, IDLE)).value      # a critical mass
    'unstable'
    >>> regime_stability((FIXED, FIXED), continuum=True, tied=True).value
    'neutral'
    >>> regime_stability((IDLE, FIXED), (False, True), weak=(0,)).value
    'neutral'
    >>> regime_stability((FIXED, IDLE), (False, True), weak=(1,)).value
    'unstable'
    """
    regime = states if isinstance(states, Regime) else Regime(tuple(map(ActivityState, states)))
    return regime.stability(rises_on_entry, weak=weak, continuum=continuum, tied=tied)
