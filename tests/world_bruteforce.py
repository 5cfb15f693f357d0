r"""An independent brute-force search for two-country equilibria, for the tests only.

It does not import :mod:`marshallian.solvers` (nor its world package). It knows the model
declaration's numbers (``Model.structure``: levels :math:`c_k`, slopes :math:`\alpha_k`,
caps, :math:`\lambda_{ji}`, :math:`\mu_j`, labor forces) and the definition of a world
equilibrium (``models.md`` §7.1), and searches differently from the solver:

* it scans the relative wage :math:`w` on a dense logarithmic grid
  (:data:`GRID_POINTS` points over a range four times wider than any possible wage);
* at every grid wage, for every sector and every *activity-level* regime of that sector in
  both countries (each activity idle, rising or fixed), the sector's equations are linear
  in :math:`u_j=1/p_j` and the active labors (rising: :math:`\lambda(c+\alpha L)=w_iu`;
  fixed: :math:`\lambda e=w_iu`; market clearing
  :math:`\sum_{N}L+w\sum_{S}L=\mu_j(L_N+wL_S)`): one batched ``numpy.linalg.solve``;
* for every combination of sector regimes, the residual
  :math:`r(w)=\sum_jL_{jN}(w)-L_N` is scanned for sign changes, each refined by bisection;
* a sector regime with a fixed activity in both countries is consistent only at the
  wages where their pays meet; those wages are added to the candidates and the sector's
  labor split is solved there as an interval;
* every candidate is checked against every inequality (labor bounds, idle activities
  paying at most the wage) with the true pays.

Generic draws have isolated equilibria; two roots of one regime closer than a grid cell
would be missed, which the test counts as a failure to investigate (it never happened on
the seeds used).
"""

from __future__ import annotations

import itertools

import numpy as np

#: Wage grid points (log-spaced).
GRID_POINTS = 4000
#: Each sign change is refined by this many nested sub-grids of this many points.
REFINE_ROUNDS = 3
REFINE_POINTS = 200
#: Inequalities accept this relative slack (rounding only).
CHECK_RTOL = 1e-9
#: Grid cells are refined only where every sector regime holds (to this slack) at one
#: of the cell's ends: a sector regime valid only strictly inside one cell (narrower than
#: 1/GRID_POINTS of the log range) would be missed, like two roots in one cell.
LOOSE_RTOL = 1e-6
#: r(w) must vanish to this relative accuracy at an accepted root.
ROOT_RTOL = 1e-8
IDLE, RISING, FIXED = 0, 1, 2


class Economy:
    """Numbers of one parameter point (floats), independent of the solver's layout."""

    def __init__(self, model, params):
        st = model.structure(params)
        self.K = len(model.activities)
        self.sector = [model.sectors.index(a.sector) for a in model.activities]
        self.J = len(model.sectors)
        self.c = np.array(st.level, float)
        self.alpha = np.array(st.slope, float)
        self.cap = np.array(st.cap, float)
        self.lam = np.array([st.lam_N, st.lam_S], float)  # (country, sector)
        self.mu = np.array(st.mu, float)
        self.L = np.array([st.L_N, st.L_S], float)
        self.acts = [[k for k in range(self.K) if self.sector[k] == j] for j in range(self.J)]

    def top(self, k):
        return self.c[k] + (self.alpha[k] * self.cap[k] if self.alpha[k] > 0 else 0.0)

    def wage_range(self):
        lo, hi = np.inf, 0.0
        for j in range(self.J):
            cmin = min(self.c[k] for k in self.acts[j])
            emax = max(self.top(k) for k in self.acts[j])
            r = self.lam[1, j] / self.lam[0, j]
            lo, hi = min(lo, r * cmin / emax), max(hi, r * emax / cmin)
        return lo / 4, hi * 4


def sector_regimes(econ, j):
    """Every (north states, south states) of sector j, as tuples over ``econ.acts[j]``."""
    acts = econ.acts[j]
    per = [(IDLE, RISING, FIXED) if econ.alpha[k] > 0 else (IDLE, FIXED) for k in acts]
    one = list(itertools.product(*per))
    out = []
    for n in one:
        for s in one:
            if any(n) or any(s):
                out.append((n, s))
    return out


def solve_sector(econ, j, regime, w):
    """Linear solve of sector j's equations at wages ``w`` (array).

    Returns (labor_N (W, nK), labor_S (W, nK), u (W,)) or None if the system is singular
    (two or more fixed activities in the sector).
    """
    acts = econ.acts[j]
    nstates, sstates = regime
    w = np.atleast_1d(np.asarray(w, float))
    W = w.shape[0]
    act = [(0, i, k, st) for i, (k, st) in enumerate(zip(acts, nstates)) if st] + [
        (1, i, k, st) for i, (k, st) in enumerate(zip(acts, sstates)) if st
    ]
    if sum(1 for a in act if a[3] == FIXED) >= 2:
        return None
    n = len(act)
    # unknowns: labor of each active activity (n), then u
    A = np.zeros((W, n + 1, n + 1))
    b = np.zeros((W, n + 1))
    wage = np.stack([np.ones(W), w])  # (country, W)
    for r, (ci, _, k, st) in enumerate(act):
        lam = econ.lam[ci, j]
        if st == RISING:
            A[:, r, r] = lam * econ.alpha[k]
            A[:, r, n] = -wage[ci]
            b[:, r] = -lam * econ.c[k]
        else:
            A[:, r, n] = -wage[ci]
            b[:, r] = -lam * econ.top(k)
            # the fixed labor enters market clearing only
    for r, (ci, _, _k, _st) in enumerate(act):
        A[:, n, r] = 1.0 if ci == 0 else w
    b[:, n] = econ.mu[j] * (econ.L[0] + w * econ.L[1])
    try:
        x = np.linalg.solve(A, b[..., None])[..., 0]
    except np.linalg.LinAlgError:
        return None
    LN = np.zeros((W, len(acts)))
    LS = np.zeros((W, len(acts)))
    for r, (ci, i, _k, _st) in enumerate(act):
        (LN if ci == 0 else LS)[:, i] = x[:, r]
    return LN, LS, x[:, n]


def check_sector(econ, j, regime, LN, LS, u, w, rtol=CHECK_RTOL):
    """Every inequality of sector j at one wage (scalars / 1-D labor arrays)."""
    acts = econ.acts[j]
    if not u > 0:
        return False
    for ci, (states, lab, wage) in enumerate(((regime[0], LN, 1.0), (regime[1], LS, w))):
        lam = econ.lam[ci, j]
        Lsc = econ.L[ci]
        for i, k in enumerate(acts):
            st = states[i]
            if st == RISING and not (rtol * Lsc < lab[i] < econ.cap[k] - rtol * Lsc):
                return False
            if st == FIXED:
                low = econ.cap[k] if econ.alpha[k] > 0 else 0.0
                if econ.alpha[k] > 0 and not lab[i] >= low - rtol * Lsc:
                    return False
                if econ.alpha[k] == 0 and not lab[i] > rtol * Lsc:
                    return False
            if st == IDLE:
                pay0 = lam * econ.c[k] / u  # p * lambda * phi(0), phi(0) = c_k
                if pay0 > wage * (1 + rtol):
                    return False
    return True


def valid_mask(econ, j, regime, LN, LS, u, w, rtol=LOOSE_RTOL):
    """``check_sector`` on the whole grid at once (arrays), with a loose tolerance."""
    acts = econ.acts[j]
    ok = u > 0
    upos = np.where(u > 0, u, 1.0)
    for ci, (states, lab, wage) in enumerate(
        ((regime[0], LN, np.ones_like(w)), (regime[1], LS, w))
    ):
        lam = econ.lam[ci, j]
        Lsc = econ.L[ci]
        for i, k in enumerate(acts):
            st = states[i]
            if st == RISING:
                ok &= (lab[:, i] > -rtol * Lsc) & (lab[:, i] < econ.cap[k] + rtol * Lsc)
            elif st == FIXED:
                low = econ.cap[k] if econ.alpha[k] > 0 else 0.0
                ok &= lab[:, i] >= low - rtol * Lsc
            else:
                ok &= lam * econ.c[k] / upos <= wage * (1 + rtol)
    return ok


def _pins(econ, j, regime):
    """Wages at which a sector regime with one fixed activity per country is consistent."""
    acts = econ.acts[j]
    fn = [k for k, st in zip(acts, regime[0]) if st == FIXED]
    fs = [k for k, st in zip(acts, regime[1]) if st == FIXED]
    if len(fn) == 1 and len(fs) == 1:
        return econ.lam[1, j] * econ.top(fs[0]) / (econ.lam[0, j] * econ.top(fn[0]))
    return None


def _solve_pinned(econ, j, regime, w):
    """At its pin, the sector with fixed activities kN, kS: N labor of the sector as an
    interval, with a function giving the allocation for a chosen N sector labor."""
    acts = econ.acts[j]
    kn = next(i for i, st in enumerate(regime[0]) if st == FIXED)
    ks = next(i for i, st in enumerate(regime[1]) if st == FIXED)
    u = econ.lam[0, j] * econ.top(acts[kn])  # N wage 1: lam e = u
    LN = np.zeros(len(acts))
    LS = np.zeros(len(acts))
    for ci, states, lab, wage in ((0, regime[0], LN, 1.0), (1, regime[1], LS, w)):
        for i, k in enumerate(acts):
            if states[i] == RISING:
                lab[i] = (wage * u / econ.lam[ci, j] - econ.c[k]) / econ.alpha[k]
    M = econ.mu[j] * (econ.L[0] + w * econ.L[1])
    low_n = econ.cap[acts[kn]] if econ.alpha[acts[kn]] > 0 else 0.0
    low_s = econ.cap[acts[ks]] if econ.alpha[acts[ks]] > 0 else 0.0
    base_n = LN.sum()
    base_s = LS.sum()
    lo = base_n + low_n
    hi = M - w * (base_s + low_s)

    def allocation(total_n):
        a, b = LN.copy(), LS.copy()
        a[kn] = total_n - base_n
        b[ks] = (M - total_n) / w - base_s
        return a, b, u

    return lo, hi, allocation


def brute_force_world(model, params, grid=GRID_POINTS):
    """Every world equilibrium found by the scan: list of (w, labor_N (K,), labor_S (K,))."""
    econ = Economy(model, params)
    lo, hi = econ.wage_range()
    wgrid = np.exp(np.linspace(np.log(lo), np.log(hi), grid))
    regs = [sector_regimes(econ, j) for j in range(econ.J)]
    # per sector: regime -> N labor of the sector on the grid
    table = []
    for j in range(econ.J):
        rows = {}
        for reg in regs[j]:
            sol = solve_sector(econ, j, reg, wgrid)
            if sol is not None:
                ok = valid_mask(econ, j, reg, sol[0], sol[1], sol[2], wgrid)
                rows[reg] = (sol[0].sum(axis=1), ok[:-1] | ok[1:])
        table.append(rows)
    found = []

    def accept(w, per_sector):
        LN = np.zeros(econ.K)
        LS = np.zeros(econ.K)
        for j, (reg, (a, b, u)) in enumerate(per_sector):
            if not check_sector(econ, j, reg, a, b, u, w):
                return
            LN[econ.acts[j]] = a
            LS[econ.acts[j]] = b
        if abs(LN.sum() - econ.L[0]) > ROOT_RTOL * econ.L[0]:
            return
        if abs(LS.sum() - econ.L[1]) > ROOT_RTOL * econ.L[1] * 10:
            return
        if not any(
            np.allclose(LN, f[1], rtol=0, atol=1e-7 * econ.L[0])
            and np.allclose(LS, f[2], rtol=0, atol=1e-7 * econ.L[1])
            and abs(w - f[0]) <= 1e-7 * w
            for f in found
        ):
            found.append((w, LN, LS))

    def residual(ws, combo):
        total = np.zeros(len(ws))
        for j, reg in enumerate(combo):
            total += solve_sector(econ, j, reg, ws)[0].sum(axis=1)
        return total - econ.L[0]

    def refine(a, b, combo):
        # nested sub-grids: each round keeps the sub-interval where r changes sign
        for _ in range(REFINE_ROUNDS):
            ws = np.linspace(a, b, REFINE_POINTS)
            r = residual(ws, combo)
            zero = np.nonzero(r == 0)[0]
            if zero.size:
                return ws[zero[0]]
            flips = np.nonzero(np.sign(r[:-1]) * np.sign(r[1:]) < 0)[0]
            if not flips.size:
                return None
            i = flips[0]
            a, b, ra, rb = ws[i], ws[i + 1], r[i], r[i + 1]
        return a - ra * (b - a) / (rb - ra)  # a last secant step inside the bracket

    keys = [list(t.keys()) for t in table]
    for combo in itertools.product(*keys):
        if not any(any(r[0]) for r in combo) or not any(any(r[1]) for r in combo):
            continue
        cells = table[0][combo[0]][1].copy()
        for j in range(1, econ.J):
            cells &= table[j][combo[j]][1]
        if not cells.any():
            continue
        r = sum(table[j][reg][0] for j, reg in enumerate(combo)) - econ.L[0]
        s = np.sign(r)
        idx = np.nonzero((s[:-1] * s[1:] < 0) & cells)[0]
        exact_zero = np.nonzero(r == 0)[0]
        for i in list(idx) + list(exact_zero):
            w = refine(wgrid[i], wgrid[min(i + 1, grid - 1)], combo)
            if w is None:
                continue
            per = [(reg, _one(econ, j, reg, w)) for j, reg in enumerate(combo)]
            accept(w, per)
    # pinned sectors: one sector fixed in both countries, the others by their linear solve
    for jp in range(econ.J):
        for reg in regs[jp]:
            w = _pins(econ, jp, reg)
            if w is None:
                continue
            nfix = sum(1 for st in reg[0] + reg[1] if st == FIXED)
            if nfix != 2:
                continue
            lo_n, hi_n, allocation = _solve_pinned(econ, jp, reg, w)
            others = [list(table[j].keys()) if j != jp else [reg] for j in range(econ.J)]
            for combo in itertools.product(*others):
                if not any(any(r[0]) for r in combo) or not any(any(r[1]) for r in combo):
                    continue
                rest = econ.L[0]
                per = []
                for j, rg in enumerate(combo):
                    if j == jp:
                        per.append(None)
                        continue
                    a, b, u = _one(econ, j, rg, w)
                    rest -= a.sum()
                    per.append((rg, (a, b, u)))
                if not (lo_n - CHECK_RTOL * econ.L[0] <= rest <= hi_n + CHECK_RTOL * econ.L[0]):
                    continue
                per[jp] = (reg, allocation(rest))
                accept(w, per)
    return found


def _one(econ, j, reg, w):
    LN, LS, u = solve_sector(econ, j, reg, [w])
    return LN[0], LS[0], u[0]


def match_world(model, solution, brute, rtol=1e-6):
    """(missed by the solver, reported but not found) for non-degenerate equilibria."""
    K = len(model.activities)

    def vec(acts):
        v = np.zeros(K)
        for a in acts:
            v[model.activity_index(a.sector, a.technology)] = a.labor
        return v

    solver = [
        (e.wage, vec(e.north_activities), vec(e.activities)) for e in solution if not e.degenerate
    ]
    L_N = float(solution.params[model.L_N.name])
    L_S = float(solution.params[model.L_S.name])

    def same(x, y):
        return (
            abs(x[0] - y[0]) <= rtol * max(x[0], y[0])
            and np.max(np.abs(x[1] - y[1])) <= rtol * L_N
            and np.max(np.abs(x[2] - y[2])) <= rtol * L_S
        )

    missed = [b for b in brute if not any(same(b, s) for s in solver)]
    extra = [s for s in solver if not any(same(b, s) for b in brute)]
    return missed, extra
