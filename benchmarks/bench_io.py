"""Batch output: CSV vs JSON for a 10^4-case batch, and memory flat in the batch size.

Issue 14 (speed): CSV output of a 10^4-case batch no slower than its JSON. Measured two
ways: the writers alone on 10^4 precomputed solutions of the §2 model (median of 3), and
the whole ``marshallian solve standard --params cases.csv`` command once per format (wall
time includes solving). Memory: peak RSS of the command for 10^3 and 10^4 cases (streamed
output: it should not grow with the number of cases).

``main()`` returns a dict of medians (seconds), ratios and peak RSS (MB).
"""

from __future__ import annotations

import io
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _timing import median_time, print_table

N_CASES = 10_000


def _cases_csv(path: Path, n: int, seed: int = 1) -> None:
    rng = random.Random(seed)
    rows = ["lam_1S,lam_2S,alpha"]
    rows += [
        f"{rng.uniform(0.5, 2):.4f},{rng.uniform(0.5, 2):.4f},{rng.uniform(0.005, 0.02):.4f}"
        for _ in range(n)
    ]
    path.write_text("\n".join(rows) + "\n")


def _cli(args) -> float:
    """Wall seconds of one ``marshallian`` run, output discarded."""
    exe = Path(sys.executable).parent / "marshallian"
    t0 = time.perf_counter()
    subprocess.run([str(exe), *args], check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - t0


def main() -> dict:
    import marshallian as m
    from marshallian.cli.output import emit

    model = m.get_model("standard")
    rng = random.Random(2)
    sols = [
        (i, m.solve(model, {"lam_1S": rng.uniform(0.5, 2), "lam_2S": rng.uniform(0.5, 2)}))
        for i in range(N_CASES)
    ]

    def write(fmt):
        emit(iter(sols), fmt, True, stream=io.StringIO())

    res = {
        "writer_csv_1e4_s": median_time(lambda: write("csv"), 3),
        "writer_json_1e4_s": median_time(lambda: write("json"), 3),
    }
    res["writer_csv_over_json"] = res["writer_csv_1e4_s"] / res["writer_json_1e4_s"]
    with tempfile.TemporaryDirectory() as tmp:
        big, small = Path(tmp) / "b.csv", Path(tmp) / "s.csv"
        _cases_csv(big, N_CASES)
        _cases_csv(small, N_CASES // 10)
        for fmt in ("csv", "json"):
            res[f"cli_{fmt}_1e4_s"] = _cli(
                ["solve", "standard", "--params", str(big), "--format", fmt]
            )
        res["cli_csv_over_json"] = res["cli_csv_1e4_s"] / res["cli_json_1e4_s"]
        # ru_maxrss of children is a running maximum: measure each batch from a fresh
        # interpreter so that one run is not masked by another
        code = (
            "import resource,subprocess,sys;"
            "subprocess.run(sys.argv[1:],check=True,stdout=subprocess.DEVNULL);"
            "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
        )
        exe = str(Path(sys.executable).parent / "marshallian")
        for n, f in ((N_CASES // 10, small), (N_CASES, big)):
            out = subprocess.run(
                [
                    sys.executable,
                    "-c",
                    code,
                    exe,
                    "solve",
                    "standard",
                    "--params",
                    str(f),
                    "--format",
                    "json",
                ],
                check=True,
                capture_output=True,
                text=True,
                env=os.environ,
            )
            res[f"cli_json_peak_mb_{n}_cases"] = int(out.stdout.strip()) / 1024
    res["peak_growth_1e3_to_1e4_mb"] = (
        res[f"cli_json_peak_mb_{N_CASES}_cases"] - res[f"cli_json_peak_mb_{N_CASES // 10}_cases"]
    )
    print_table(res, "benchmark", "value", 32)
    return res


if __name__ == "__main__":
    main()
