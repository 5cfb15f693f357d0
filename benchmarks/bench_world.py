"""The two-country solver's speed target (issue 15).

* one world enumeration of the 2 x 2 §3 model (every regime of both countries, default
  calibration, 55 equilibria): median <= 20 ms. Reported three ways: the enumeration alone
  (regimes, roots, inequality checks), the full ``solve_world`` with the independent
  certificate of every equilibrium, and exact arithmetic; beside the small-South
  enumeration (``solve``) of the same model, measured in the same run. Wall-clock
  medians and, since the development machine is shared, CPU-time medians.
"""

from __future__ import annotations

from _timing import median_cpu, median_time, print_targets


def main() -> dict:
    import warnings

    from marshallian.models import get_model
    from marshallian.solvers.enumeration import FloatArith
    from marshallian.solvers.equilibrium import solve
    from marshallian.solvers.world import solve_world
    from marshallian.solvers.world.enumeration import WorldData
    from marshallian.tolerances import DEFAULT_TOLERANCES

    model = get_model("alternative")
    params = model.params()
    st = model.structure(params)

    def enumerate_only():
        data = WorldData(
            model,
            st,
            FloatArith(DEFAULT_TOLERANCES, st.L_N),
            FloatArith(DEFAULT_TOLERANCES, st.L_S),
        )
        return data.enumerate()

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        solve_world(model, params, warn=False)  # compile once (lambdify) before timing
        solve(model, params, warn=False)
        n_eq = len(enumerate_only())
        enum = median_time(enumerate_only, 60)
        full = median_time(lambda: solve_world(model, params, warn=False), 60)
        small = median_time(lambda: solve(model, params, warn=False), 300)
        std = median_time(lambda: solve_world("standard", warn=False), 100)
        exact = median_time(lambda: solve_world(model, params, exact=True, warn=False), 3)
        enum_cpu = median_cpu(enumerate_only, 60)
        full_cpu = median_cpu(lambda: solve_world(model, params, warn=False), 60)
        small_cpu = median_cpu(lambda: solve(model, params, warn=False), 300)
    rows = [
        (f"world enumeration, §3 2x2 ({n_eq} equilibria), no certificates", enum * 1e3, "ms", 20.0),
        ("solve_world §3 (enumeration + certificates)", full * 1e3, "ms", 20.0),
        ("solve_world §2 (float)", std * 1e3, "ms", None),
        ("solve_world §3, exact arithmetic", exact * 1e3, "ms", None),
        ("small-South solve §3 (same run)", small * 1e3, "ms", None),
        ("  CPU time: world enumeration", enum_cpu * 1e3, "ms", 20.0),
        ("  CPU time: solve_world §3 with certificates", full_cpu * 1e3, "ms", 20.0),
        ("  CPU time: small-South solve §3", small_cpu * 1e3, "ms", None),
    ]
    print_targets(rows, 60)
    print(f"world / small-South: {full / small:.1f}x (full), {enum / small:.1f}x (enumeration)")
    return {
        "world_enumeration_ms": enum * 1e3,
        "solve_world_alternative_ms": full * 1e3,
        "solve_world_standard_ms": std * 1e3,
        "solve_world_exact_ms": exact * 1e3,
        "small_south_solve_ms": small * 1e3,
        "equilibria": n_eq,
        "world_enumeration_cpu_ms": enum_cpu * 1e3,
        "solve_world_cpu_ms": full_cpu * 1e3,
        "small_south_solve_cpu_ms": small_cpu * 1e3,
    }


if __name__ == "__main__":
    main()
