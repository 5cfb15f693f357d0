"""Speed of the main job: ``marshallian report`` end to end (the ``make demo`` target,
<= 60 s on 2 cores), each figure, and the region grids by sweep vs by solve.

``main()`` returns a dict of medians (seconds) and prints a short table.
"""
from __future__ import annotations

from _timing import median_time

import subprocess
import sys
import tempfile


def _median(fn, repeat=3):
    return median_time(fn, repeat)


def _report_once():
    with tempfile.TemporaryDirectory() as d:
        subprocess.run([sys.executable, "-c", "import sys; from marshallian.cli import main; "
                        "sys.exit(main(['report', '--out', sys.argv[1], '-q']))", d],
                       check=True, capture_output=True)


def main() -> dict:
    import matplotlib
    matplotlib.use("Agg")

    from marshallian.figures import FIGURES, make_figure
    from marshallian.figures.regions import GRID, compute_regions
    from marshallian.solvers.conditions import derive_conditions

    res = {"report_end_to_end_s": _median(_report_once, 2)}
    ctx = {}
    for name in FIGURES:
        res[f"figure_{name}_s"] = _median(lambda: make_figure(name, ctx), 1)
    for m in ("standard", "alternative"):
        derive_conditions(m)                     # warm: the report derives them anyway
        compute_regions(m, grid=GRID, method="sweep")
        res[f"regions_{m}_sweep_s"] = _median(lambda: compute_regions(m, grid=GRID, method="sweep"))
        res[f"regions_{m}_solve_s"] = _median(lambda: compute_regions(m, grid=GRID, method="solve"), 1)
        res[f"regions_{m}_solve_over_sweep"] = res[f"regions_{m}_solve_s"] / res[f"regions_{m}_sweep_s"]
    res["grid_points"] = GRID[0] * GRID[1]
    print(f"{'measure':<40} {'value':>10}")
    for k, v in res.items():
        print(f"{k:<40} {v:>10.3f}" if isinstance(v, float) else f"{k:<40} {v:>10}")
    return res


if __name__ == "__main__":
    main()
