"""Benchmark: §4 paths, closed form (vectorized NumPy) vs ``solve_ivp`` integration.

10^4 paths x 1,000 time points. Each path has its own (g, eps, a0_1, a0_2) and South's
activity (sector, technology); both sectors' A_jS/A_jN are computed. The closed form
evaluates all paths in one vectorized call (:func:`marshallian.solvers.dynamics.
relative_productivity`); the integration is the package's general path
(:func:`marshallian.solvers.dynamics.integrate`, the full two-country system in log A,
DOP853, rtol 1e-12), timed on a subset of paths and **extrapolated** linearly to 10^4
(it is per-path work). The maximum absolute (and relative) difference between the two is
taken over that subset.

Run: ``python benchmarks/bench_dynamics.py [--paths N] [--points T] [--ode-paths M]``.
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np

PATHS = 10_000
POINTS = 1_000
ODE_PATHS = 100
REPEATS = 3
T_MAX = 200.0


def _draw(n, seed=0):
    rng = np.random.default_rng(seed)
    g = rng.uniform(0.005, 0.05, n)
    eps = g * rng.uniform(1.1, 5.0, n)
    a0 = rng.uniform(0.05, 1.5, (n, 2))
    sector = rng.integers(1, 3, n)
    modern = rng.random(n) < 0.5
    return g, eps, a0, sector, modern


def main(argv=None) -> dict:
    from marshallian.models import get_model
    from marshallian.solvers import dynamics as dyn

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--paths", type=int, default=PATHS)
    ap.add_argument("--points", type=int, default=POINTS)
    ap.add_argument("--ode-paths", type=int, default=ODE_PATHS)
    args = ap.parse_args(argv if argv is not None else [])

    n, T, m = args.paths, args.points, min(args.ode_paths, args.paths)
    g, eps, a0, sector, modern = _draw(n)
    model = get_model("dynamic")
    base = model.params()
    L_S = base["L_S"]  # default: L_S >= Lbar_j, a full cluster when modern
    t = np.linspace(0.0, T_MAX, T)
    # learning deficit d_j = g - h_jS (North has full clusters): 0 where South clusters
    d = np.stack([np.where(modern & (sector == j), 0.0, g) for j in (1, 2)], axis=1)

    dyn.relative_productivity(0.5, 0.01, 0.05, t[:2])  # compile once (not timed)
    cf_times = []
    for _ in range(REPEATS):
        t0 = time.perf_counter()
        a_cf = dyn.relative_productivity(
            a0[:, :, None], d[:, :, None], eps[:, None, None], t[None, None, :]
        )
        cf_times.append(time.perf_counter() - t0)
    cf = statistics.median(cf_times)

    ode_times = []
    max_abs = max_rel = 0.0
    for i in range(m):
        params = model.params(
            {
                "g": float(g[i]),
                "eps": float(eps[i]),
                "a0_1": float(a0[i, 0]),
                "a0_2": float(a0[i, 1]),
            }
        )
        sched = [dyn.Phase(0.0, {(int(sector[i]), "modern" if modern[i] else "backward"): L_S})]
        t0 = time.perf_counter()
        tr = dyn.integrate(params, sched, t)
        ode_times.append(time.perf_counter() - t0)
        a_ode = np.vstack([tr.relative_productivity[1], tr.relative_productivity[2]])
        max_abs = max(max_abs, float(np.max(np.abs(a_ode - a_cf[i]))))
        max_rel = max(max_rel, float(np.max(np.abs(a_ode / a_cf[i] - 1))))
    per_path = statistics.median(ode_times)
    ode_total = per_path * n
    result = {
        "paths": n,
        "points": T,
        "sectors_per_path": 2,
        "closed_form_seconds_median": cf,
        "closed_form_repeats": REPEATS,
        "ode_paths_timed": m,
        "ode_seconds_per_path_median": per_path,
        "ode_seconds_extrapolated": ode_total,
        "ode_extrapolated": m < n,
        "speedup": ode_total / cf,
        "max_abs_difference": max_abs,
        "max_rel_difference": max_rel,
    }
    print(f"{'paths x points':<34} {n} x {T} (2 sectors each)")
    print(f"{f'closed form (median of {REPEATS})':<34} {cf:.3f} s")
    print(f"{f'solve_ivp per path (median of {m})':<34} {per_path * 1e3:.2f} ms")
    print(f"{'solve_ivp, all paths' + (' (extrapolated)' if m < n else ''):<34} {ode_total:.1f} s")
    print(f"{'ratio':<34} {ode_total / cf:.0f}x")
    print(f"{'max |a_ode - a_cf| (abs / rel)':<34} {max_abs:.2e} / {max_rel:.2e}")
    return result


if __name__ == "__main__":
    import sys

    main(sys.argv[1:])
