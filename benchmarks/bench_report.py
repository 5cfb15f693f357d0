"""Speed of the main job: ``marshallian report`` end to end at the default calibration (the
``make demo`` target, issue 16: <= 8 s after set-up) and at a user calibration (no slower:
issue 14), each figure, and the region grids by sweep (the figures' 600 x 400 grid) vs by
one exact solve per point.

* ``report_warm_s`` / ``report_warm_cpu_s``: median over :data:`REPEAT` runs of
  ``marshallian report --out DIR`` in a new interpreter (imports included), after set-up: the
  package installed and its caches warm (an untimed first run fills them); wall seconds and
  CPU seconds of the command and its worker. ``report_user_calibration_s`` the same at
  :data:`USER`, interleaved with the default runs so that load drifts hit both alike.
* ``report_claims_uncached_s``: one run whose claims' outcome is not in the cache (the
  first report after a change to the code checks them again).
* ``load_average_1min``: the machine's load average over the runs; on its 2 cores, the wall
  times include waiting for a core once it is well above 0.

``main()`` returns a dict of medians (seconds) and prints a short table.
"""

from __future__ import annotations

import os
import statistics
import tempfile

from _cli import run_cli
from _timing import median_time, print_table, print_targets

#: The user calibration timed against the default one.
USER = ("--set", "lam_2S=0.9", "--set", "beta=0.4")
#: Timed runs of each report (after one untimed run that fills the caches).
REPEAT = 5
#: Grid of the solve-vs-sweep comparison (one exact enumeration per point).
SOLVE_GRID = (72, 48)
#: Issue 16's target for the warm report, seconds.
TARGET_S = 8.0


def _report(*extra) -> tuple:
    with tempfile.TemporaryDirectory() as d:
        return run_cli("report", "--out", d, "-q", *extra)


def _without_cached_claims() -> None:
    from marshallian.cache import cache_dir

    for p in cache_dir().glob("report-claims-output-*.json"):
        p.unlink()


def main() -> dict:
    import matplotlib

    matplotlib.use("Agg")

    from marshallian.figures import FIGURES, make_figure
    from marshallian.figures.regions import GRID, compute_regions
    from marshallian.solvers.conditions import derive_conditions

    _report()  # set-up: fills the caches (derivations, conditions as printed, claims)
    _report(*USER)
    load = [os.getloadavg()[0]]
    default, user = [], []
    for _ in range(REPEAT):
        default.append(_report())
        user.append(_report(*USER))
        load.append(os.getloadavg()[0])
    res = {
        "report_warm_s": statistics.median(w for w, _ in default),
        "report_warm_cpu_s": statistics.median(c for _, c in default),
        "report_user_calibration_s": statistics.median(w for w, _ in user),
        "report_user_calibration_cpu_s": statistics.median(c for _, c in user),
    }
    res["report_user_over_default"] = res["report_user_calibration_s"] / res["report_warm_s"]
    _without_cached_claims()
    res["report_claims_uncached_s"], res["report_claims_uncached_cpu_s"] = _report()
    load.append(os.getloadavg()[0])
    res["load_average_1min"] = statistics.median(load)
    ctx: dict = {}
    for name in FIGURES:
        res[f"figure_{name}_s"] = median_time(lambda name=name: make_figure(name, ctx), 1)
    for m in ("standard", "alternative"):
        derive_conditions(m)  # warm: the report derives them anyway
        compute_regions(m, grid=GRID, method="sweep")
        res[f"regions_{m}_sweep_s"] = median_time(
            lambda m=m: compute_regions(m, grid=GRID, method="sweep"), 3
        )
        small = median_time(lambda m=m: compute_regions(m, grid=SOLVE_GRID, method="sweep"), 3)
        res[f"regions_{m}_solve_small_s"] = median_time(
            lambda m=m: compute_regions(m, grid=SOLVE_GRID, method="solve"), 1
        )
        res[f"regions_{m}_solve_over_sweep_small"] = res[f"regions_{m}_solve_small_s"] / small
    res["grid_points"] = GRID[0] * GRID[1]
    res["solve_grid_points"] = SOLVE_GRID[0] * SOLVE_GRID[1]
    print_targets(
        [
            ("report, warm (wall)", res["report_warm_s"], "s", TARGET_S),
            ("report, warm (CPU, with its worker)", res["report_warm_cpu_s"], "s", None),
            ("report at a user calibration (wall)", res["report_user_calibration_s"], "s", None),
            ("report, claims not cached (wall)", res["report_claims_uncached_s"], "s", None),
            ("load average (1 min) over the runs", res["load_average_1min"], "", None),
        ],
        40,
    )
    print_table(res, "measure", "value", 40, "10.3f")
    return res


if __name__ == "__main__":
    main()
