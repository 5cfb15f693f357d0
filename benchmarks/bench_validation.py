"""How fast every command rejects bad input (issue 13: target <= 0.3 s a command).

Each command runs as a new process (``marshallian ...``) with one bad value; the median
wall-clock time of a few runs is reported next to ``marshallian --help`` (the floor: the
interpreter and the argument parser). Validation happens before SymPy, SciPy or matplotlib
load; ``tests/test_stability.py::test_bad_input_is_rejected_before_sympy_and_matplotlib_load``
checks that part without timing.

``main()`` returns a dict of medians (seconds) and prints a short table.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from _timing import median_time, print_table

BIN = Path(sys.executable).parent / "marshallian"

BAD = {
    "help (floor)": ["--help"],
    "solve": ["solve", "alternative", "--set", "beta=2"],
    "solve --world": ["solve", "standard", "--world", "--set", "lam_1S=-1"],
    "conditions": ["conditions", "nomodel"],
    "paths": ["paths", "--sector", "1", "--technology", "modern", "--set", "eps=0.001"],
    "policy": ["policy", "alternative", "--tariff", "-1"],
    "claims": ["claims", "--only", "Z9"],
    "sweep": ["sweep", "alternative", "--axis", "beta=0:2:3", "--set", "Lbar_1=-1"],
    "figures": ["figures", "--out", "/dev/null/x"],
    "report": ["report", "--out", "OUT", "--set", "beta=2"],
    "explore": ["explore", "--out", "/dev/null/x.html"],
    "empirics": ["empirics", "lq", "--data", "/nonexistent.csv"],
}


def main(repeat: int = 5) -> dict:
    res = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, argv in BAD.items():
            argv = [str(Path(tmp) / "out") if a == "OUT" else a for a in argv]

            def run(argv=argv):
                subprocess.run([str(BIN), *argv], capture_output=True, cwd=tmp, check=False)

            res[name] = median_time(run, repeat)
    worst = max(v for k, v in res.items() if k != "help (floor)")
    res["slowest_rejection_s"] = worst
    print_table(res, "bad input to", "median s", 16, "9.3f")
    return res


if __name__ == "__main__":
    main()
