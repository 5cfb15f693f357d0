"""Speed of the main job: ``marshallian report`` end to end at the default calibration (the
``make demo`` target) and at a user calibration (no slower: issue 14), each figure, and the
region grids by sweep (the figures' 600 x 400 grid) vs by one exact solve per point.

``main()`` returns a dict of medians (seconds) and prints a short table.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time

from _timing import median_time

#: The user calibration timed against the default one.
USER = ("--set", "lam_2S=0.9", "--set", "beta=0.4")
#: Grid of the solve-vs-sweep comparison (one exact enumeration per point).
SOLVE_GRID = (72, 48)


def _median(fn, repeat=3):
    return median_time(fn, repeat)


def _report_once(*extra) -> float:
    with tempfile.TemporaryDirectory() as d:
        t0 = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                "-c",
                "import sys; from marshallian.cli import main; "
                "sys.exit(main(['report', '--out'] + sys.argv[1:] + ['-q']))",
                d,
                *extra,
            ],
            check=True,
            capture_output=True,
        )
        return time.perf_counter() - t0


def main() -> dict:
    import matplotlib

    matplotlib.use("Agg")

    from marshallian.figures import FIGURES, make_figure
    from marshallian.figures.regions import GRID, compute_regions
    from marshallian.solvers.conditions import derive_conditions

    default, user = [], []
    for _ in range(2):  # interleaved, so that load drifts hit both alike
        default.append(_report_once())
        user.append(_report_once(*USER))
    res = {
        "report_end_to_end_s": statistics.median(default),
        "report_user_calibration_s": statistics.median(user),
    }
    res["report_user_over_default"] = res["report_user_calibration_s"] / res["report_end_to_end_s"]
    ctx = {}
    for name in FIGURES:
        res[f"figure_{name}_s"] = _median(lambda name=name: make_figure(name, ctx), 1)
    for m in ("standard", "alternative"):
        derive_conditions(m)  # warm: the report derives them anyway
        compute_regions(m, grid=GRID, method="sweep")
        res[f"regions_{m}_sweep_s"] = _median(
            lambda m=m: compute_regions(m, grid=GRID, method="sweep")
        )
        small = _median(lambda m=m: compute_regions(m, grid=SOLVE_GRID, method="sweep"))
        res[f"regions_{m}_solve_small_s"] = _median(
            lambda m=m: compute_regions(m, grid=SOLVE_GRID, method="solve"), 1
        )
        res[f"regions_{m}_solve_over_sweep_small"] = res[f"regions_{m}_solve_small_s"] / small
    res["grid_points"] = GRID[0] * GRID[1]
    res["solve_grid_points"] = SOLVE_GRID[0] * SOLVE_GRID[1]
    print(f"{'measure':<40} {'value':>10}")
    for k, v in res.items():
        print(f"{k:<40} {v:>10.3f}" if isinstance(v, float) else f"{k:<40} {v:>10}")
    return res


if __name__ == "__main__":
    main()
