"""Independent verification of an equilibrium (the certificate of every result).

This path does not reuse the enumeration's regime algebra: it evaluates each activity's
productivity from the model's SymPy expression (with its ``Min``), compiled once per model
by ``lambdify``, and checks ``docs/models.md`` §2 directly: every active activity pays the wage, no idle
activity pays more, labor adds up.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from ..results import Certificate
from ..tolerances import DEFAULT_TOLERANCES, Tolerances

if TYPE_CHECKING:
    from ..models.base import Model
    from ..params import Parameters


@functools.lru_cache(maxsize=32)
def _pay_expressions(model):
    import sympy as sp

    labor = [sp.Symbol(f"L{k}", nonnegative=True) for k in range(len(model.activities))]
    prices = [sp.Symbol(f"p{j}", positive=True) for j in model.sectors]
    pays = []
    for k, a in enumerate(model.activities):
        lk = model.learning_activity(a.sector)
        m = labor[lk] if lk is not None else None
        pays.append(
            prices[model.sectors.index(a.sector)]
            * model.productivity(a, "S", labor=labor[k], sector_labor=m)
        )
    return model.symbols, tuple(prices), tuple(labor), tuple(pays)


@functools.lru_cache(maxsize=32)
def pay_function(model: Model) -> Callable[..., list[float]]:
    """Compiled ``f(params_tuple, prices_tuple, labor_tuple) -> pays`` (fixed order)."""
    import sympy as sp

    syms, prices, labor, pays = _pay_expressions(model)
    return sp.lambdify([syms, prices, labor], list(pays), modules="math")


def pays(
    model: Model,
    params: Parameters,
    prices: Mapping[int, Any],
    labor: Sequence[Any],
    exact: bool = False,
) -> list[Any]:
    """Pay :math:`p_j\\varphi_k(L_k)` of every activity at an allocation.

    Examples
    --------
    South's labor all in good 1's modern technology at North's prices (§3): its pay, 1.0, is
    the wage of the best equilibrium; every other activity pays less:

    >>> import marshallian as m
    >>> from marshallian.solvers import pays
    >>> model = m.get_model("alternative")
    >>> labor = (0.0, 200.0, 0.0, 0.0)       # in the order of model.activities
    >>> [round(x, 4) for x in pays(model, model.params(None), {1: 0.4, 2: 2 / 7}, labor)]
    [0.4, 1.0, 0.2286, 0.1143]
    """
    if exact:
        import sympy as sp

        syms, psyms, lsyms, exprs = _pay_expressions(model)
        subs = dict(zip(syms, params.exact_tuple()))
        subs.update({s: sp.sympify(prices[j]) for s, j in zip(psyms, model.sectors)})
        subs.update({s: sp.sympify(x) for s, x in zip(lsyms, labor)})
        return [sp.simplify(e.subs(subs)) for e in exprs]
    f = pay_function(model)
    return f(
        params.as_tuple(),
        tuple(float(prices[j]) for j in model.sectors),
        tuple(float(x) for x in labor),
    )


def certify(
    model: Model,
    params: Parameters,
    prices: Mapping[int, Any],
    labor: Sequence[Any],
    wage: Any,
    regime: Sequence[int],
    regime_name: str = "",
    method: str = "",
    tol: Tolerances | None = None,
    exact: bool = False,
    pay_factors: Sequence[float] | None = None,
) -> Certificate:
    """Residuals of ``docs/models.md`` §2's conditions at ``(labor, wage)``.

    Parameters
    ----------
    model : Model
    params : Parameters
    prices : dict
        Producer prices by sector.
    labor : sequence
        Labor of every activity of the model.
    wage : number
    regime : sequence
        Per activity, non-zero when the activity is meant to be active.
    regime_name, method : str
        Recorded in the certificate.
    tol : Tolerances, optional
    exact : bool
        Evaluate in exact arithmetic (residuals must be exactly zero).
    pay_factors : sequence of float, optional
        Per activity, a factor on its pay (a production subsidy :math:`1+s_k`); the pays
        are recomputed from the model's productivity and then multiplied.

    Returns
    -------
    Certificate
        ``verified`` is True when the pay residual, the deviation gain and the labor
        residual are all at most ``tol.verify_rtol`` (relative), or exactly zero in exact
        mode.

    Examples
    --------
    >>> from marshallian.models import get_model
    >>> m = get_model("standard"); p = m.params()
    >>> prices = {1: 1.0, 2: 1 / (p["lam_2N"] * (1 + p["alpha"] * p["Lbar"]))}
    >>> certify(m, p, prices, [p["L_S"], 0.0], p["lam_1S"], (2, 0)).verified
    True
    """
    tol = tol or DEFAULT_TOLERANCES
    values = pays(model, params, prices, labor, exact=exact)
    if pay_factors is not None and any(f != 1 for f in pay_factors):
        values = [v * f for v, f in zip(values, pay_factors)]
        method = method + " (subsidised pays)"
    w = wage if exact else float(wage)
    active = [k for k, st in enumerate(regime) if st and float(labor[k]) > 0]
    idle = [k for k in range(len(regime)) if k not in active]
    res = max((abs(values[k] - w) / w for k in active), default=0)
    gain = max(((values[k] - w) / w for k in idle), default=float("-inf"))
    L_S = params["L_S"]
    lab = abs(sum(labor) - L_S) / L_S
    negative = any(float(x) < -tol.labor_rtol * L_S for x in labor)
    if exact:
        import sympy as sp

        from ..params import exact_number

        res, lab = sp.simplify(res), sp.simplify(sum(labor) - exact_number(L_S))
        gain = sp.simplify(gain) if gain != float("-inf") else gain
        ok = res == 0 and lab == 0 and (gain == float("-inf") or gain <= 0) and not negative
        res, lab = float(res), float(abs(lab))
        gain = float(gain)
    else:
        ok = (
            res <= tol.verify_rtol
            and gain <= tol.verify_rtol
            and lab <= tol.verify_rtol
            and not negative
        )
    return Certificate(float(res), float(gain), float(lab), regime_name, method, bool(ok))
