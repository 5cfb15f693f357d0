"""Equilibria with one sector's labor given and its price endogenous (a split economy).

In a self-sufficient position under a tariff (paper §2–§3.1; docs/models.md §5) the domestic price
of the taxed good j adjusts so that domestic output meets domestic demand. Because every
active activity pays the wage, the value of sector j's output is :math:`wN_j`, so fixing
:math:`N_j=n` splits South into two blocks that share one wage: sector j alone with labor
n, and the other sectors with :math:`L_S-n` at world prices. Each block is enumerated by
the core regime enumeration (sector j at price 1, giving its wage :math:`\\pi_j`); each pair
of block equilibria is one equilibrium of the whole economy with
:math:`p_j=w/\\pi_j`, certified independently at those prices. Its stability is the least
stable of the blocks' (the split between blocks is governed by the price, not by the
externalities; see :mod:`marshallian.policy.instruments`).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from ..results import Equilibrium, Stability
from .enumeration import IDLE, Candidate, Checked, FloatArith, Regime, enumerate_economy
from .equilibrium import (
    _check_tol,
    build_equilibrium,
    check_prices,
    economy,
    resolve_model,
    resolve_params,
)
from .verify import certify

if TYPE_CHECKING:
    from ..tolerances import Tolerances
    from .equilibrium import ModelLike, ParamsLike


class SplitEquilibrium:
    """One equilibrium of a split economy.

    Attributes
    ----------
    price : float
        The price of the split sector at which it pays the common wage.
    regime : Regime
        The regime of every activity (the pair of block regimes): identifies the
        equilibrium along a family of splits.
    equilibrium : Equilibrium
        The whole economy's equilibrium, certified at the given prices with ``price`` for
        the split sector (built and certified on first access).

    Examples
    --------
    >>> import marshallian as m
    >>> from marshallian.solvers import split_equilibria
    >>> model = m.get_model("alternative")
    >>> splits = split_equilibria(model, model.params(None), {1: 0.4, 2: 2 / 7}, 2, 150.0)
    >>> len(splits), round(splits[0].price, 4)
    (9, 0.2143)
    """

    __slots__ = ("_build", "_equilibrium", "price", "regime")

    def __init__(self, price: float, regime: Regime, build: Callable[[], Equilibrium]):
        self.price, self.regime, self._build = price, regime, build
        self._equilibrium: Equilibrium | None = None

    @property
    def equilibrium(self) -> Equilibrium:
        eq = self._equilibrium
        if eq is None:
            eq = self._equilibrium = self._build()
        return eq

    def __repr__(self) -> str:
        return f"SplitEquilibrium(price={self.price!r}, regime={self.regime!r})"


def split_equilibria(
    model: ModelLike,
    params: ParamsLike,
    prices: Mapping[int, Any],
    sector: int,
    labor: float,
    *,
    tol: Tolerances | None = None,
) -> tuple[SplitEquilibrium, ...]:
    """Every equilibrium of South when ``sector`` employs exactly ``labor``.

    Parameters
    ----------
    model : str or Model
    params : mapping or Parameters
    prices : dict
        Prices of the other sectors (the split sector's entry is ignored).
    sector : int
        The sector whose labor is given and whose price adjusts.
    labor : float
        Its labor, in (0, L_S).
    tol : Tolerances, optional

    Returns
    -------
    tuple of SplitEquilibrium
        One per pair of block equilibria (float arithmetic).

    Examples
    --------
    >>> from marshallian.solvers import split_equilibria
    >>> out = split_equilibria("standard", None, {1: 1.0, 2: 0.5}, 2, 100.0)
    >>> [(round(s.price, 6), s.equilibrium.label) for s in out]
    [(0.416667, '1:standard + 2:standard')]
    """
    from ..errors import InvalidParameterError, Violation

    model = resolve_model(model)
    params = resolve_params(model, params)
    tol = _check_tol(tol)
    if sector not in model.sectors:
        raise InvalidParameterError(Violation("sector", sector, f"must be one of {model.sectors}"))
    filled = {j: (prices.get(j, 1.0) if j != sector else 1.0) for j in model.sectors}
    world = check_prices(model, filled)
    st = model.structure(params)
    L = float(st.L_S)
    if isinstance(labor, bool) or not isinstance(labor, (int, float)) or not 0 < labor < L:
        raise InvalidParameterError(Violation("labor", labor, f"must be in (0, L_S={L:g})"))
    others = tuple(k for k in model.sectors if k != sector)
    idx_j = [k for k, a in enumerate(model.activities) if a.sector == sector]
    idx_r = [k for k, a in enumerate(model.activities) if a.sector != sector]
    arith = FloatArith(tol, L)
    ej = economy(model, st, {sector: 1.0}, sectors=(sector,), labor=labor)
    er = economy(model, st, world, sectors=others, labor=L - labor)
    rises_j = tuple(ej.has_slope(k) for k in range(ej.n_activities))
    rises_r = tuple(er.has_slope(k) for k in range(er.n_activities))
    K = len(model.activities)
    block_r = list(enumerate_economy(er, arith))
    out = []
    for cj in enumerate_economy(ej, arith):
        for cr in block_r:
            wage = float(cr.candidate.wage)
            pj = wage / float(cj.candidate.wage)
            blocks = ((idx_j, cj), (idx_r, cr))

            def build(blocks=blocks, wage=wage, pj=pj):  # merged and certified on demand
                dom = dict(world)
                dom[sector] = pj
                checked = _merge(model, blocks, wage)
                (_, bj), (_, br) = blocks
                stability = Stability.least(bj.stability(rises_j), br.stability(rises_r))
                verifier = functools.partial(certify, model, params, dom, tol=tol)
                return build_equilibrium(model, checked, verifier, stability=stability)

            out.append(SplitEquilibrium(pj, _merged_regime(K, blocks), build))
    return tuple(out)


def _merged_regime(K: int, blocks: Sequence[tuple[Sequence[int], Checked]]) -> Regime:
    """The whole economy's regime from the blocks' (``idx[i]``: activity i of a block)."""
    states = [IDLE] * K
    for idx, c in blocks:
        for i, k in enumerate(idx):
            states[k] = c.candidate.regime[i]
    return Regime(tuple(states))


def _merge(model, blocks: Sequence[tuple[Sequence[int], Checked]], wage: float) -> Checked:
    """A full-economy :class:`Checked` from one equilibrium of each block."""
    K = len(model.activities)
    labor: list[float] = [0.0] * K
    weak: list[int] = []
    factor: list[object] = [None] * len(model.sectors)
    for idx, c in blocks:
        secs = []
        for k in idx:  # the block's sectors, in model order (as ``economy`` builds them)
            if model.activities[k].sector not in secs:
                secs.append(model.activities[k].sector)
        for i, j in enumerate(secs):
            factor[model.sectors.index(j)] = c.candidate.sector_factor[i]
        for i, k in enumerate(idx):
            labor[k] = float(c.candidate.labor[i])
        weak += [idx[i] for i in c.weak]
    vertices = []
    for idx, c in blocks:
        for v in c.candidate.continuum:
            vx = list(labor)
            for i, k in enumerate(idx):
                vx[k] = float(v[i])
            vertices.append(tuple(vx))
    cand = Candidate(
        _merged_regime(K, blocks),
        tuple(labor),
        wage,
        tuple(factor),
        (),
        (),
        (),
        tuple(vertices),
        "block decomposition (self-sufficient position)",
    )
    cont = any(c.continuum for _, c in blocks)
    return Checked(cand, tuple(weak), cont, any(c.tied for _, c in blocks))
