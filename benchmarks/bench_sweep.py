"""Region-map sweep benchmark (issue: region maps at scale), §3 model, 10^7 random points.

On the same run:

(a) the sweep (:func:`marshallian.sweep.sweep` over points: compiled derived conditions,
    near-boundary flags included), with the Numba loop (1 thread, and 2 threads), the
    chunked NumPy kernel and, for reference, the same kernel on whole arrays;
(b) the memory-bandwidth roofline: a plain NumPy copy of the parameter arrays gives the
    copy bandwidth (bytes read + written per second); the roofline time of the sweep is
    the bytes it must move (parameters read + bit sets written) divided by that bandwidth;
(c) per-point exact enumeration (``solve``) on 10^4 points, extrapolated to 10^7;
(d) SciPy ``fsolve`` from 10 random starts per point -- what a user would write instead --
    on a subsample, each root verified by the core's certificate, with its recall (the
    share of the true equilibria it finds) beside the sweep's, extrapolated to 10^7.

Targets: sweep >= 50 % of the roofline; >= 1,000x faster than per-point enumeration;
recall 100 % for the sweep. The machine is shared: every time is a median of repeats.
"""

from __future__ import annotations

import statistics
import time
import warnings

import numpy as np
from _testdata import draw_alternative_points
from _timing import median_time

N_POINTS = 10_000_000
N_SOLVE = 10_000
N_FSOLVE = 300
STARTS = 10
REPEAT = 5


_median = median_time


def _point(p, i):
    return {k: float(v[i]) for k, v in p.items()}


# --------------------------------------------------------------------------- fsolve baseline
def fsolve_types(model, params, rng, starts=STARTS):
    """Equilibrium types found by ``scipy.optimize.fsolve`` from random starts.

    Unknowns: labor shares l_k = L_k/L_S and the wage w. Equations (``docs/models.md`` §2 as a
    nonlinear complementarity system): min(l_k, (w - pay_k(L_k))/w0) = 0 for every
    activity, and sum_k l_k = 1. Every root is verified by the core's certificate
    (never trusting ``ier``), then classified by its active set and rising/capped parts.
    """
    from scipy.optimize import fsolve

    from marshallian.solvers.equilibrium import select_north
    from marshallian.solvers.verify import certify

    st = model.structure(params)
    north = select_north(model, params)
    prices = {j: 1.0 / float(v) for j, v in north.productivity.items()}
    acts = model.activities
    sec = [model.sectors.index(a.sector) for a in acts]
    L_S = st.L_S
    pj = [prices[a.sector] * st.lam_S[s] for a, s in zip(acts, sec)]
    w0 = max(pj[k] * (st.level[k] + st.slope[k] * min(st.cap[k], L_S)) for k in range(len(acts)))

    def pay(k, L):
        return pj[k] * (st.level[k] + st.slope[k] * min(st.cap[k], max(L, 0.0)))

    def eqs(x):
        shares, w = x[:-1], x[-1] * w0
        r = [min(shares[k], (w - pay(k, shares[k] * L_S)) / w0) for k in range(len(acts))]
        r.append(sum(shares) - 1.0)
        return r

    found = set()
    for _ in range(starts):
        x0 = np.append(rng.dirichlet(np.ones(len(acts))), rng.uniform(0.2, 1.2))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            x, info, ier, msg = fsolve(eqs, x0, full_output=True)
        labor = [max(v, 0.0) * L_S for v in x[:-1]]
        wage = x[-1] * w0
        if not wage > 0:
            continue
        active = [L > 1e-7 * L_S for L in labor]
        labor = [L if a else 0.0 for L, a in zip(labor, active)]
        regime = tuple(int(a) for a in active)
        if not certify(model, params, prices, labor, wage, regime).verified:
            continue
        parts = []
        for k, a in enumerate(acts):
            if active[k]:
                rising = a.has_externality and labor[k] < st.cap[k] * (1 - 1e-7)
                parts.append(f"{a.sector}:{a.technology}" + ("[rising]" if rising else ""))
        found.add(" + ".join(parts))
    return found


# --------------------------------------------------------------------------- main
def main() -> dict:
    from marshallian import sweep as sw
    from marshallian.models import get_model

    model = get_model("alternative")
    rng = np.random.default_rng(20071)
    # valid §3 points over all regions: the sampler of the sweep's agreement tests
    pts = draw_alternative_points(rng, N_POINTS)
    varying = len(pts)

    t0 = time.perf_counter()
    compiled = sw.model_conditions(model)
    t_derive_compile = time.perf_counter() - t0
    t0 = time.perf_counter()
    small = {k: v[:100] for k, v in pts.items()}
    numba = sw.numba_available()
    if numba:
        sw.sweep(model, points=small, validate=False, backend="numba")
    t_jit = time.perf_counter() - t0
    if numba:
        sw.sweep(model, points=small, validate=False, backend="numba", threads=2)

    # (b) roofline: copy bandwidth of the same arrays
    dst = {k: np.empty_like(v) for k, v in pts.items()}
    t_copy = _median(lambda: [np.copyto(dst[k], v) for k, v in pts.items()], REPEAT)
    dst.clear()  # free the copies
    copy_bytes = 2 * 8 * varying * N_POINTS
    bandwidth = copy_bytes / t_copy
    out_bytes = 2 * np.dtype(compiled.word).itemsize  # exists + near bit sets
    sweep_bytes = (8 * varying + out_bytes) * N_POINTS
    t_roof = sweep_bytes / bandwidth

    # (a) the sweep
    res = {}
    if numba:
        res["numba"] = _median(
            lambda: sw.sweep(model, points=pts, validate=False, backend="numba"), REPEAT
        )
    res["numpy"] = _median(lambda: sw.sweep(model, points=pts, validate=False, backend="numpy"), 2)
    t_threads = (
        _median(
            lambda: sw.sweep(model, points=pts, validate=False, backend="numba", threads=2), REPEAT
        )
        if numba
        else None
    )
    # plain full-array NumPy (no chunking): the same kernel on whole arrays, on 2e6 points
    # (16 MB per temporary, far out of cache; ~40 temporaries live at once), scaled to 1e7
    m_full = N_POINTS // 5
    flat = {
        k: (pts[k][:m_full] if k in pts else v)
        for k, v in model.params(_point(pts, 0)).as_dict().items()
    }
    t_full = 5 * _median(lambda: compiled.evaluate(flat, backend="numpy", chunk=m_full), 2)
    best = min(res, key=res.get)
    t_sweep = res[best]
    result = sw.sweep(model, points={k: v[:N_SOLVE] for k, v in pts.items()}, validate=False)

    # (c) per-point exact enumeration on N_SOLVE points (and the sweep's recall there)
    from marshallian.errors import DegenerateEquilibriumWarning
    from marshallian.solvers.equilibrium import solve

    per = []
    true_sets, degenerate = [], []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegenerateEquilibriumWarning)
        for i in range(N_SOLVE):
            params = model.params(_point(pts, i))
            t0 = time.perf_counter()
            sol = solve(model, params, warn=False)
            per.append(time.perf_counter() - t0)
            true_sets.append({sw.equilibrium_type(e) for e in sol.equilibria})
            degenerate.append(any(e.degenerate for e in sol.equilibria))
    t_solve_point = statistics.median(per)
    t_solve = t_solve_point * N_POINTS
    found = total = wrong = flagged = 0
    for i, truth in enumerate(true_sets):
        if result.near_any[i] or degenerate[i]:
            flagged += 1
            continue
        ours = {t for k, t in enumerate(result.types) if result.exists[i, k]}
        found += len(ours & truth)
        wrong += len(ours - truth)
        total += len(truth)
    recall_sweep = found / total

    # (d) fsolve from 10 random starts on a subsample
    frng = np.random.default_rng(7)
    f_found = f_total = 0
    t0 = time.perf_counter()
    for i in range(N_FSOLVE):
        params = model.params(_point(pts, i))
        got = fsolve_types(model, params, frng)
        f_found += len(got & true_sets[i])
        f_total += len(true_sets[i])
    t_fsolve_point = (time.perf_counter() - t0) / N_FSOLVE
    recall_fsolve = f_found / f_total

    out = {
        "points": N_POINTS,
        "varying_parameters": varying,
        "types": len(compiled.labels),
        "derive_and_compile_s": t_derive_compile,
        "numba_jit_s": t_jit,
        "sweep_s": t_sweep,
        "sweep_backend": best,
        "sweep_numba_s": res.get("numba"),
        "sweep_numpy_s": res["numpy"],
        "copy_s": t_copy,
        "copy_bandwidth_GBps": bandwidth / 1e9,
        "bytes_per_point": sweep_bytes / N_POINTS,
        "roofline_s": t_roof,
        "roofline_fraction": t_roof / t_sweep,
        "roofline_fraction_numpy": t_roof / res["numpy"],
        "sweep_numba_2_threads_s": t_threads,
        "roofline_fraction_2_threads": t_roof / t_threads if t_threads else None,
        "numpy_full_array_s": t_full,
        "roofline_fraction_full_array": t_roof / t_full,
        "solve_per_point_ms": t_solve_point * 1e3,
        "solve_extrapolated_s": t_solve,
        "speedup_vs_solve": t_solve / t_sweep,
        "fsolve_per_point_ms": t_fsolve_point * 1e3,
        "fsolve_extrapolated_s": t_fsolve_point * N_POINTS,
        "speedup_vs_fsolve": t_fsolve_point * N_POINTS / t_sweep,
        "recall_sweep": recall_sweep,
        "false_types_sweep": wrong,
        "flagged_points_of_1e4": flagged,
        "recall_fsolve": recall_fsolve,
        "fsolve_subsample": N_FSOLVE,
    }
    rows = [
        ("(a) sweep, 1e7 points (" + best + ")", f"{t_sweep:.3f} s", ""),
        (
            "    sweep, NumPy kernel (chunked)",
            f"{res['numpy']:.3f} s",
            f"{100 * t_roof / res['numpy']:.1f} % of roofline",
        ),
        (
            "    same kernel, full-array NumPy (2e6 x5)",
            f"{t_full:.3f} s",
            f"{100 * t_roof / t_full:.1f} % of roofline",
        ),
        (
            "(b) NumPy copy of the parameter arrays",
            f"{t_copy:.3f} s",
            f"{bandwidth / 1e9:.1f} GB/s",
        ),
        ("    roofline of the sweep", f"{t_roof:.3f} s", f"{sweep_bytes / N_POINTS:.0f} B/point"),
        ("    sweep / roofline", f"{100 * t_roof / t_sweep:.0f} %", "target >= 50 %"),
        (
            "    sweep, Numba loop on 2 threads",
            f"{t_threads:.3f} s" if t_threads else "-",
            f"{100 * t_roof / t_threads:.0f} % of roofline" if t_threads else "",
        ),
        (
            "(c) solve per point (median of 1e4)",
            f"{t_solve_point * 1e3:.3f} ms",
            f"1e7: {t_solve:.0f} s",
        ),
        ("    speed-up of the sweep", f"{t_solve / t_sweep:,.0f}x", "target >= 1,000x"),
        (
            "(d) fsolve, 10 starts per point",
            f"{t_fsolve_point * 1e3:.2f} ms",
            f"1e7: {t_fsolve_point * N_POINTS:.0f} s",
        ),
        ("    speed-up of the sweep", f"{t_fsolve_point * N_POINTS / t_sweep:,.0f}x", ""),
        (
            "recall: sweep (1e4 points vs solve)",
            f"{100 * recall_sweep:.2f} %",
            f"{flagged} flagged, {wrong} false",
        ),
        (f"recall: fsolve ({N_FSOLVE} points)", f"{100 * recall_fsolve:.2f} %", ""),
        (
            "derive + compile conditions (once)",
            f"{t_derive_compile:.2f} s",
            f"numba JIT {t_jit:.2f} s",
        ),
    ]
    print(f"{'measure (median of repeats)':<42} {'value':>12}  note")
    for name, v, note in rows:
        print(f"{name:<42} {v:>12}  {note}")
    return out


if __name__ == "__main__":
    main()
