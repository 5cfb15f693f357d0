"""Memory of sweeps streamed to a file: flat in the grid's size (issue 12 item 7).

Each size runs in a fresh process (``sweep(..., out=FILE.npz)`` on a square grid of the
§3 model, Numba loop when installed); the peak resident memory of that process
(``ru_maxrss``) and its wall time are reported. Target: the peak at 10^8 points within
1.5x of the peak at 10^6 (memory independent of the grid), against ~10 bytes a point that
an in-memory result would need at the least (its two bit sets and the axes' values).

Run: ``python benchmarks/bench_sweep_stream.py [--sizes 1e6,1e7,1e8]``.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile

CHILD = r"""
import json, math, os, resource, sys, time
import marshallian.sweep as sw
n, path = int(float(sys.argv[1])), sys.argv[2]
side = int(math.isqrt(n))
backend = "numba" if sw.numba_available() else "numpy"
t0 = time.perf_counter()
res = sw.sweep("alternative", {"lam_1S": f"0.5:2:{side}", "lam_2S": f"0.5:2:{side}"},
               out=path, backend=backend)
seconds = time.perf_counter() - t0
print(json.dumps({"points": res.size, "seconds": seconds, "backend": backend,
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "file_mb": os.path.getsize(path) / 2**20}))
"""


def run(n: int) -> dict:
    with tempfile.TemporaryDirectory() as d:
        out = subprocess.run(
            [sys.executable, "-c", CHILD, str(n), f"{d}/map.npz"],
            capture_output=True,
            text=True,
            check=True,
        )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(sizes=(1e6, 1e7, 1e8)) -> dict:
    rows = [run(int(n)) for n in sizes]
    print(f"{'points':>12} {'seconds':>9} {'peak RSS MB':>12} {'file MB':>9}  backend")
    for r in rows:
        print(
            f"{r['points']:>12,} {r['seconds']:>9.2f} {r['peak_rss_mb']:>12.1f} "
            f"{r['file_mb']:>9.2f}  {r['backend']}"
        )
    ratio = rows[-1]["peak_rss_mb"] / rows[0]["peak_rss_mb"]
    in_memory_mb = 10 * rows[-1]["points"] / 2**20
    print(
        f"peak RSS at {rows[-1]['points']:,} points / at {rows[0]['points']:,}: {ratio:.2f} "
        f"(target <= 1.5); an in-memory result would need >= {in_memory_mb:,.0f} MB"
    )
    return {
        "rows": rows,
        "rss_ratio": ratio,
        "flat": ratio <= 1.5,
        "in_memory_lower_bound_mb": in_memory_mb,
    }


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1e6,1e7,1e8")
    a = ap.parse_args()
    main(tuple(float(x) for x in a.sizes.split(",")))
