r"""An independent brute-force equilibrium search, for the tests only.

It shares nothing with :mod:`marshallian.solvers.enumeration` (not imported): it knows
only the model's SymPy productivity :math:`\\varphi_k` (``Model.productivity``, the
paper's :math:`\\lambda_{ji}s_j(c_t+\\alpha_t\\min(\\bar L_j,L_k))`), lambdified once for NumPy,
and the definition of an equilibrium (``docs/models.md`` §2):

* for every *active set* :math:`A` (activities with positive labor) and every *cell*
  (each activity with an externality below or at/above its cap :math:`\bar L_k`), the pay
  equalities :math:`p\varphi_i=p\varphi_{a_0}`, :math:`\sum_A L_k=L_S`, are solved with the
  cell's smooth extension of :math:`\varphi` (``Min`` replaced by one of its arguments) by
  a Gauss–Newton iteration (finite-difference Jacobian) from several random starts on the
  simplex, vectorised with NumPy over parameter sets and starts;
* every converged point is then checked with the *true* pays (with ``Min``): active pays
  equal (:data:`PAY_RTOL`), labor positive, every idle activity paying at most the wage
  (:math:`p_j\varphi_k(0)\le w`, :data:`IDLE_RTOL`); points closer than
  :data:`DEDUP_RTOL` times :math:`L_S` are merged.

Generic (non-knife-edge) parameter sets have isolated equilibria only, which this finds
with high probability; continua (knife edges) are covered by ``tests/test_trust.py``.
"""

from __future__ import annotations

import functools
import itertools

import numpy as np
import sympy as sp

#: A pay system counts as solved when max |log pay ratio| is below this.
ROOT_TOL = 1e-11
#: Active pays (true, with min) must agree to this relative tolerance.
PAY_RTOL = 1e-9
#: An idle activity's pay may exceed the wage by this relative amount (rounding only).
IDLE_RTOL = 1e-9
#: Two equilibria are the same when their allocations differ by less than this * L_S.
DEDUP_RTOL = 1e-6


@functools.lru_cache(maxsize=64)
def pay_function(model, cell=None):
    r"""``f(params: (P, n_params), prices: (P, J), labor: (P, S, K)) -> pays (P, S, K)``.

    Built from ``model.productivity`` (SymPy, with its ``Min``) by :func:`sympy.lambdify`.
    With ``cell`` (one bool per activity, True = at or above its cap) every
    :math:`\min(\bar L_k, L_k)` is replaced by :math:`\bar L_k` or :math:`L_k`: the smooth
    (polynomial) extension of the pay on that cell of the allocation space.
    """
    K = len(model.activities)
    L = [sp.Symbol(f"L{k}", nonnegative=True) for k in range(K)]
    p = [sp.Symbol(f"p{j}", positive=True) for j in model.sectors]
    exprs = []
    for k, a in enumerate(model.activities):
        lk = model.learning_activity(a.sector)
        exprs.append(
            p[model.sectors.index(a.sector)]
            * model.productivity(a, "S", labor=L[k], sector_labor=L[lk] if lk is not None else None)
        )
    if cell is not None:
        subs = {}
        for k, a in enumerate(model.activities):
            if a.has_externality:
                subs[sp.Min(a.cap, L[k])] = a.cap if cell[k] else L[k]
        exprs = [e.xreplace(subs) for e in exprs]
        assert not any(e.has(sp.Min) for e in exprs), exprs
    f = sp.lambdify([list(model.symbols), p, L], exprs, modules="numpy")
    names = model.parameter_names

    def pays(params, prices, labor):
        P = params.shape[0]
        shape = labor.shape[:-1]
        par = [params[:, i].reshape((P,) + (1,) * (len(shape) - 1)) for i in range(len(names))]
        pr = [prices[:, j].reshape((P,) + (1,) * (len(shape) - 1)) for j in range(prices.shape[1])]
        out = f(par, pr, [labor[..., k] for k in range(K)])
        return np.stack([np.broadcast_to(np.asarray(o, dtype=float), shape) for o in out], axis=-1)

    return pays


def cells(model):
    """Every cell: for each activity with an externality, below (False) or at its cap."""
    ext = [a.has_externality for a in model.activities]
    out = []
    for bits in itertools.product((False, True), repeat=sum(ext)):
        it = iter(bits)
        out.append(tuple(next(it) if e else False for e in ext))
    return out


def _solve_active_set(pays, params, prices, L_S, K, active, starts, rng, iters=30, rounds=1):
    r"""Roots of the pay equalities of one active set: (P, S, K) labor and a mask.

    Unknowns: the labor of ``active[1:]`` (the first active activity takes the rest).
    Residual: :math:`(p\varphi_i-p\varphi_{a_0})/s`, with a fixed per-draw pay scale
    :math:`s`, so that it is exactly linear (§2, §3) or quadratic (§4) inside a regime and
    Newton's step lands on a root of the piece it starts on. Steps are halved until every
    labor stays positive; trajectories that have not converged (e.g. started on a flat,
    capped part where the Jacobian vanishes) are restarted from fresh random points.
    """
    P = params.shape[0]
    n = len(active)
    act = np.array(active)
    if n == 1:
        labor = np.zeros((P, 1, K))
        labor[:, 0, active[0]] = L_S
        return labor, np.ones((P, 1), bool)
    S = starts
    Ls = L_S[:, None, None]

    def labor_of(x):
        lab = np.zeros(x.shape[:-1] + (K,))
        lab[..., act[1:]] = x
        lab[..., act[0]] = Ls[..., 0] - x.sum(axis=-1)
        return lab

    def fresh(shape):
        # half spread evenly over the simplex, half near its faces (an equilibrium may
        # put a small share of L_S in one activity, e.g. a critical mass below a low cap)
        conc = np.where(np.arange(shape[-1]) % 2 == 0, 1.0, 0.15)[:, None] * np.ones(n)
        g = rng.gamma(np.broadcast_to(conc, shape + (n,)))
        g = np.maximum(g, 1e-12)
        return (g / g.sum(axis=-1, keepdims=True))[..., 1:] * Ls

    x = fresh((P, S))
    scale = np.abs(pays(params, prices, labor_of(x))[..., act]).max(axis=(1, 2))[:, None, None]

    def residual(x):
        pay = pays(params, prices, labor_of(x))[..., act]
        return (pay[..., 1:] - pay[..., :1]) / scale

    eye = np.eye(n - 1)
    done = np.zeros((P, S), bool)
    for rnd in range(rounds):
        if rnd:
            x = np.where(done[..., None], x, fresh((P, S)))
        for _ in range(iters):
            r = residual(x)
            conv = np.abs(r).max(axis=-1) < ROOT_TOL
            if np.all(conv | done):
                break
            h = 1e-7 * Ls
            # one-sided differences towards the interior (the first activity gives labor)
            J = np.stack([(residual(x + h * eye[i]) - r) / h for i in range(n - 1)], axis=-1)
            JT = np.swapaxes(J, -1, -2)
            A = JT @ J + 1e-14 * eye
            step = -np.linalg.solve(A, (JT @ r[..., None]))[..., 0]
            step = np.where(conv[..., None], 0.0, step)
            for _ in range(30):  # keep every active labor positive
                lab = labor_of(x + step)[..., act]
                bad = np.any(lab <= 0, axis=-1)
                if not bad.any():
                    break
                step = np.where(bad[..., None], 0.5 * step, step)
            x = np.where(np.any(labor_of(x + step)[..., act] <= 0, axis=-1)[..., None], x, x + step)
        done |= np.abs(residual(x)).max(axis=-1) < ROOT_TOL
    return labor_of(x), done


def brute_force(model, params, prices, starts=8, seed=0, include=None):
    """Every equilibrium found by brute force for each parameter set.

    Parameters
    ----------
    model : Model
    params : array (P, n_params)
        Parameter tuples in ``model.parameter_names`` order.
    prices : array (P, J)
        World prices, sector order of ``model.sectors``.
    starts : int
        Random starts per parameter set and active set.

    Returns
    -------
    list of list of (labor array (K,), wage)
        Per parameter set, the distinct equilibria found.
    """
    params = np.asarray(params, float)
    prices = np.asarray(prices, float)
    P = params.shape[0]
    K = len(model.activities)
    L_S = params[:, model.parameter_names.index("L_S")]
    pays = pay_function(model)
    rng = np.random.default_rng(seed)
    found = [[] for _ in range(P)]
    sets = [a for n in range(1, K + 1) for a in itertools.combinations(range(K), n)]
    for active, cell in itertools.product(sets, cells(model)):
        if include is not None and active not in include:
            continue
        if len(active) == 1 and cell != cells(model)[0]:
            continue
        smooth = pay_function(model, cell) if len(active) > 1 else pays
        labor, _ = _solve_active_set(
            smooth, params, prices, L_S, K, active, starts if len(active) > 1 else 1, rng
        )
        # every condition is checked with the true pays (with min): a root of a cell's
        # smooth extension that lies outside that cell fails here
        act = list(active)
        pay = pays(params, prices, labor)
        ok = np.abs(pay[..., act] / pay[..., act[:1]] - 1).max(axis=-1) < PAY_RTOL
        w = pay[..., active[0]]
        idle = [k for k in range(K) if k not in active]
        if idle:
            zero = labor.copy()
            # an entrant to an idle activity k gets phi_k(0) (its own labor is zero);
            # the sector factor (§4) is the one produced by the current allocation.
            for k in idle:
                zero[..., k] = 0.0
            pay0 = pays(params, prices, zero)[..., idle]
            ok &= np.all(pay0 <= w[..., None] * (1 + IDLE_RTOL), axis=-1)
        ok &= np.all(labor[..., list(active)] > DEDUP_RTOL * L_S[:, None, None], axis=-1)
        for i, s in zip(*np.nonzero(ok)):
            lab = labor[i, s]
            if not any(np.max(np.abs(lab - l2)) < DEDUP_RTOL * L_S[i] for l2, _ in found[i]):
                found[i].append((lab, float(w[i, s])))
    return found


def allocations_of(model, solution):
    """The enumeration's equilibria as (labor array (K,), wage), continua excluded."""
    out = []
    for e in solution.equilibria:
        lab = np.zeros(len(model.activities))
        for a in e.activities:
            lab[model.activity_index(a.sector, a.technology)] = a.labor
        out.append((lab, e.wage))
    return out


def match(model, L_S, enumerated, brute, rtol=1e-6):
    """(missed by the enumeration, reported but not found) as lists of allocations."""
    missed = [
        b for b in brute if not any(np.max(np.abs(b[0] - e[0])) <= rtol * L_S for e in enumerated)
    ]
    extra = [
        e for e in enumerated if not any(np.max(np.abs(b[0] - e[0])) <= rtol * L_S for b in brute)
    ]
    return missed, extra
