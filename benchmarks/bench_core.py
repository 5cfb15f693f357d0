"""Core speed targets (issue: core engine).

* one numeric enumeration of the §3 model: median <= 2 ms;
* deriving all conditions of one model from a cold start (new interpreter, imports
  included): <= 3 s;
* ``marshallian --help``: <= 0.5 s.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from _timing import median_time, print_targets

_median_time = median_time


def _cold(code, repeat=3):
    return _median_time(
        lambda: subprocess.run([sys.executable, "-c", code], check=True, capture_output=True),
        repeat,
    )


def main() -> dict:
    import warnings

    from marshallian.models import get_model
    from marshallian.solvers.equilibrium import solve

    model = get_model("alternative")
    params = model.params()
    solve(model, params)  # compile once (lambdify) before timing
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        enum = _median_time(lambda: solve(model, params, warn=False), 300)
        std = _median_time(lambda: solve("standard", warn=False), 300)
        exact = _median_time(lambda: solve(model, params, exact=True, warn=False), 5)
    derive = {
        m: _cold(
            f"from marshallian.solvers.conditions import derive_conditions; "
            f"derive_conditions('{m}')"
        )
        for m in ("standard", "alternative")
    }
    exe = Path(sys.executable).with_name("marshallian")
    helpt = _median_time(
        lambda: subprocess.run([str(exe), "--help"], check=True, capture_output=True), 7
    )
    rows = [
        ("solve alternative (float, incl. North + certificates)", enum * 1e3, "ms", 2.0),
        ("solve standard (float)", std * 1e3, "ms", None),
        ("solve alternative (exact rationals)", exact * 1e3, "ms", None),
        ("derive conditions: standard, cold start", derive["standard"], "s", 3.0),
        ("derive conditions: alternative, cold start", derive["alternative"], "s", 3.0),
        ("marshallian --help", helpt, "s", 0.5),
    ]
    print_targets(rows, 52)
    return {
        "solve_alternative_ms": enum * 1e3,
        "solve_standard_ms": std * 1e3,
        "solve_alternative_exact_ms": exact * 1e3,
        "derive_standard_cold_s": derive["standard"],
        "derive_alternative_cold_s": derive["alternative"],
        "help_s": helpt,
    }


if __name__ == "__main__":
    main()
