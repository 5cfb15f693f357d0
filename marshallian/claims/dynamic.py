"""Dynamic claims D1–D6 (``docs/models.md`` §6; Rodríguez-Clare 2007, §4).

Each check draws parameter sets satisfying the claim's premises from the seeded ``rng``
and tests the statement on the package's results: the closed-form paths of
:mod:`marshallian.solvers.dynamics` (certified against ``solve_ivp`` on a share of the
draws) and the steady-state equilibria of ``solve("dynamic")``.
"""

from __future__ import annotations

import numpy as np

from . import claim, close, result

#: Relative tolerance of the numerical comparisons in these claims.
CLAIM_RTOL = 1e-7
#: Draws whose closed-form path is also integrated with solve_ivp (the certificate).
CERTIFIED_DRAWS = 10
#: Draws closer than this (relative) to a claim's boundary are redrawn (knife edges).
EDGE_RTOL = 1e-3


def _dyn_params(rng, **fixed):
    """A random valid dynamic-model parameter dict (premises are imposed by callers)."""
    g = float(rng.uniform(0.005, 0.05))
    eps = float(g * rng.uniform(1.1, 6.0))
    beta = float(rng.uniform(0.2, 0.9))
    p = {
        "g": g,
        "eps": eps,
        "beta": beta,
        "alpha": float(rng.uniform(0.005, 0.05)),
        "Lbar_1": float(rng.uniform(20, 150)),
        "Lbar_2": float(rng.uniform(20, 150)),
        "lam_1S": float(rng.uniform(0.3, 2.0)),
        "lam_2S": float(rng.uniform(0.3, 2.0)),
        "lam_1N": float(rng.uniform(0.3, 2.0)),
        "lam_2N": float(rng.uniform(0.3, 2.0)),
        "a0_1": float(rng.uniform(0.05, 1.0)),
        "a0_2": float(rng.uniform(0.05, 1.0)),
    }
    # thetas above one, South and North able to form full clusters
    for j in (1, 2):
        theta = p["beta"] + p["alpha"] * p[f"Lbar_{j}"]
        if theta <= 1.05:
            p["alpha"] = (1.05 + rng.uniform(0, 1.5) - p["beta"]) / min(p["Lbar_1"], p["Lbar_2"])
    p["L_S"] = 1.2 * max(p["Lbar_1"], p["Lbar_2"]) + float(rng.uniform(0, 100))
    p["L_N"] = 2.5 * max(p["Lbar_1"], p["Lbar_2"]) / 0.5 + float(rng.uniform(0, 500))
    p.update(fixed)
    return p


def _theta(p, j):
    return p["beta"] + p["alpha"] * p[f"Lbar_{j}"]


def _close(a, b, rtol=CLAIM_RTOL):
    return close(a, b, rtol)


def _path(p, i, **kw):
    from ..solvers.dynamics import path

    return path(p, certify=i < CERTIFIED_DRAWS, **kw)


def _certified(pth):
    return pth.certificate.verified


def _counterexamples(draws: int, case) -> list:
    """The draw–solve–compare loop of the dynamic checks: ``case(i)`` draws the ``i``-th
    parameter set (``i`` also says whether its path is certified) and returns ``(params,
    what)``, ``what`` None when the statement holds there (as in
    :func:`~marshallian.claims.counterexamples`)."""
    return [{"params": p, **what} for p, what in map(case, range(draws)) if what]


# --------------------------------------------------------------------------- D1
@claim(
    "D1",
    "a-hat = 1 - g/eps, and a(t) converges to a-hat from any a(0) in (0, 1] without a cluster",
    "§4",
)
def check_d1(rng, draws):
    def case(i):
        p = _dyn_params(rng, a0_1=float(rng.uniform(1e-3, 1.0)))
        if i % 7 == 0:
            p["a0_1"] = 1.0
        a_hat = 1 - p["g"] / p["eps"]
        T = 40.0 / (p["eps"] - p["g"]) + 40.0 / p["eps"]
        pth = _path(p, i, sector=1, technology="backward", t_max=T, points=400)
        a = pth.relative_productivity[1]
        # defining equation of a-hat: g = eps (1 - a-hat); limit and end of the path
        ok = (
            _close(p["g"], p["eps"] * (1 - pth.limit_relative_productivity[1]))
            and _close(pth.limit_relative_productivity[1], a_hat)
            and abs(a[-1] - a_hat) <= 1e-6 * a_hat
            and _certified(pth)
        )
        # monotone approach (logistic): never overshoots a-hat
        side = np.sign(p["a0_1"] - a_hat)
        ok = ok and bool(np.all(side * (a - a_hat) >= -1e-12))
        return p, None if ok else {"a_end": float(a[-1]), "a_hat": a_hat}

    return result("D1", draws, _counterexamples(draws, case))


# --------------------------------------------------------------------------- D2
@claim("D2", "Backward equilibrium with lambda = 1, theta_j = theta: income gap theta/a-hat", "§4")
def check_d2(rng, draws):
    from ..solvers import solve

    def case(i):
        p = _dyn_params(rng)
        p.update({k: 1.0 for k in ("lam_1S", "lam_2S", "lam_1N", "lam_2N")})
        p["Lbar_2"] = p["Lbar_1"]
        p["L_S"] = 1.2 * p["Lbar_1"] + float(rng.uniform(0, 100))
        theta, a_hat = _theta(p, 1), 1 - p["g"] / p["eps"]
        sol = solve("dynamic", p, warn=False)
        backward = [e for e in sol.equilibria if all(c == "none" for c in e.clusters.values())]
        ok = bool(backward) and all(_close(e.income_gap, theta / a_hat) for e in backward)
        ok = ok and all(e.certificate.verified for e in backward)
        # and the backward path's limit gap, from any a0
        pth = _path(p, i, sector=1, technology="backward", t_max=10.0, points=2)
        ok = ok and _close(pth.limit_income_gap, theta / a_hat) and _certified(pth)
        if ok:
            return p, None
        return p, {"gaps": [e.income_gap for e in backward], "expected": theta / a_hat}

    return result("D2", draws, _counterexamples(draws, case))


# --------------------------------------------------------------------------- D3
@claim(
    "D3",
    "With a South cluster, A_S -> A_N and the gap closes (lambda = 1); growth exceeds g on the way",
    "§4",
)
def check_d3(rng, draws):
    from ..solvers import solve

    def case(i):
        p = _dyn_params(rng, a0_1=float(rng.uniform(0.01, 0.99)))
        p.update({k: 1.0 for k in ("lam_1S", "lam_2S", "lam_1N", "lam_2N")})
        T = 60.0 / p["eps"]
        pth = _path(p, i, sector=1, technology="modern", t_max=T, points=300)
        a, gr = pth.relative_productivity[1], pth.growth_rate[1]
        catching = a < 1 - 1e-9
        ok = (
            abs(a[-1] - 1) <= 1e-6
            and abs(pth.income_gap[-1] - 1) <= 1e-6
            and _close(pth.limit_income_gap, 1.0)
            and bool(np.all(gr[catching] > p["g"]))
            and bool(np.all(np.diff(a) >= -1e-15))
            and _certified(pth)
        )
        # steady state: the cluster equilibrium in good 1 has gap 1 (lambda = 1)
        sol = solve("dynamic", p, warn=False)
        clus = [
            e
            for e in sol.equilibria
            if e.stable and e.clusters.get(1) == "full" and e.specialized_in() == 1
        ]
        ok = ok and len(clus) == 1 and _close(clus[0].income_gap, 1.0)
        if ok:
            return p, None
        gap = float(np.min(gr[catching]) - p["g"]) if catching.any() else None
        return p, {"a_end": float(a[-1]), "min_growth_minus_g": gap}

    return result("D3", draws, _counterexamples(draws, case))


# --------------------------------------------------------------------------- D4
def _d4_draw(rng):
    while True:
        p = _dyn_params(rng)
        a_hat = 1 - p["g"] / p["eps"]
        r1 = p["lam_1S"] / p["lam_1N"]
        r2 = p["lam_2S"] / p["lam_2N"]
        if r1 <= r2 * (1 + EDGE_RTOL):  # premise: comparative advantage in good 1
            continue
        # premise (the paper's simplifying assumption, §3/A9, with a-hat on both sides)
        if not (1 / r2) * _theta(p, 2) > (1 / r1) * _theta(p, 1) * (1 + EDGE_RTOL):
            continue
        ratio, bound = r1 / r2, _theta(p, 1) / a_hat
        if abs(ratio - bound) <= EDGE_RTOL * bound:
            continue
        return p, a_hat, r1, r2, ratio < bound


@claim(
    "D4",
    "§4 equilibria: spec. in 1 with cluster (gap lam_1N/lam_1S), spec. in 1 without "
    "(gap (theta_1/a-hat) lam_1N/lam_1S), spec. in 2 with cluster iff "
    "(lam_1S/lam_1N)/(lam_2S/lam_2N) < theta_1/a-hat",
    "§4",
)
def check_d4(rng, draws):
    from ..solvers import solve

    seen = {True: 0, False: 0}

    def case(_):
        p, a_hat, r1, r2, cond = _d4_draw(rng)
        seen[cond] += 1
        sol = solve("dynamic", p, warn=False)
        stable = [e for e in sol.equilibria if e.stable]

        def find(sector, tech, stable=stable):
            return [
                e
                for e in stable
                if len(e.activities) == 1
                and (e.activities[0].sector, e.activities[0].technology) == (sector, tech)
            ]

        m1, b1, m2 = find(1, "modern"), find(1, "backward"), find(2, "modern")
        ok = (
            len(m1) == 1
            and _close(m1[0].income_gap, 1 / r1)
            and len(b1) == 1
            and _close(b1[0].income_gap, _theta(p, 1) / a_hat / r1)
            and len(m2) == (1 if cond else 0)
            and (not m2 or _close(m2[0].income_gap, 1 / r2))
            and all(e.certificate.verified for e in sol.equilibria)
        )
        return p, None if ok else {
            "condition": cond,
            "stable": [(e.label, e.income_gap) for e in stable],
        }

    bad = _counterexamples(draws, case)
    return result(
        "D4", draws, bad, notes=f"condition held on {seen[True]} draws, failed on {seen[False]}"
    )


# --------------------------------------------------------------------------- D5
@claim("D5", "Without a cluster, South grows at g in steady state: no convergence", "§4")
def check_d5(rng, draws):
    def case(i):
        p = _dyn_params(rng)
        T = 40.0 / (p["eps"] - p["g"]) + 40.0 / p["eps"]
        pth = _path(
            p, i, sector=int(rng.integers(1, 3)), technology="backward", t_max=T, points=200
        )
        a_hat = 1 - p["g"] / p["eps"]
        ok = _certified(pth)
        for j in (1, 2):
            ok = (
                ok
                and abs(pth.growth_rate[j][-1] - p["g"]) <= 1e-6 * p["g"]
                and abs(pth.north_growth_rate[j][-1] - p["g"]) <= 1e-12
                and abs(pth.relative_productivity[j][-1] - a_hat) <= 1e-6
                and pth.limit_relative_productivity[j] < 1
            )
        ok = ok and _close(pth.limit_income_gap, float(pth.income_gap[-1]), 1e-5)
        return p, None if ok else {"growth_end": {j: float(pth.growth_rate[j][-1]) for j in (1, 2)}}

    return result("D5", draws, _counterexamples(draws, case))


# --------------------------------------------------------------------------- D6
@claim(
    "D6",
    "The max/min typo: with max the leader's productivity would fall; the package uses min",
    "§4",
)
def check_d6(rng, draws):
    from ..solvers import dynamics as dyn

    fell = checked = 0

    def case(i):
        nonlocal fell, checked
        p = _dyn_params(rng)
        g, eps = p["g"], p["eps"]
        threshold = eps / (eps + g)  # leader falls under max iff a < eps/(eps+g)
        a0 = float(rng.uniform(0.02, 0.98))
        if abs(a0 - threshold) <= EDGE_RTOL:
            return p, None
        p["a0_1"] = a0
        checked += 1
        # North leads (a0 < 1) with a full cluster; South backward in good 1
        with_max = _path(p, i, sector=1, technology="backward", t_max=50.0, points=50, law="max")
        with_min = _path(p, i, sector=1, technology="backward", t_max=50.0, points=50)
        gN_max0 = float(with_max.north_growth_rate[1][0])
        falls = gN_max0 < 0
        fell += falls
        ok = (
            gN_max0 < g  # max: the leader is slowed...
            and falls == (a0 < threshold)  # ...and falls below the threshold
            and _close(gN_max0, g - eps * (1 / a0 - 1))
            and bool(np.all(with_min.north_growth_rate[1] >= g * (1 - 1e-12)))
            and _certified(with_max)
            and _certified(with_min)
        )
        # the follower gets no spillover under max (grows at its own learning rate, 0)
        ok = ok and abs(float(with_max.growth_rate[1][0])) <= 1e-15
        # the law of motion itself: leader's dA_N/dt < 0 under max when a0 < threshold
        _, dN = dyn.law_of_motion(a0, 1.0, 0.0, p["Lbar_1"], g, eps, p["Lbar_1"], law="max")
        ok = ok and ((float(dN) < 0) == (a0 < threshold))
        return p, None if ok else {"north_growth_max": gN_max0, "threshold": threshold}

    bad = _counterexamples(draws, case)
    return result(
        "D6",
        checked,
        bad,
        notes=f"with max, the leader's productivity fell on {fell} of the draws "
        f"(those with a0 < eps/(eps+g)); with min it grew at >= g on all",
    )
