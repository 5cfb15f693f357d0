"""The batch engine and the cache of derivations (issue 16's targets).

* 10^5 §3 cases, CSV in and CSV out through ``marshallian solve alternative --params
  cases.csv --format csv``: wall time over one cold ``marshallian solve alternative``
  (target <= 10x) and peak memory (target <= 1 GB);
* 10^6 §3 cases from Python (``iter_solve_batch``, chunk by chunk): wall time (target
  <= 10 s) and peak memory against 10^5 cases (flat);
* throughput against the per-case enumeration (``marshallian.solve``) on the same cases,
  with the same answers (target >= 1,000x): the batch as configured (``batch_threads``:
  ``marshallian.solvers.batch.api.THREADS``, one by default), and on Numba's thread count
  (``*_all_threads``, ``all_threads``); with threads the wall-time ratio can pass where the
  CPU-time ratio does not;
* ``marshallian conditions dynamic`` warm (target <= 1 s) and cold (``--no-cache``).

(``make demo``'s report is timed by ``bench_report.py``.) ``--cli`` runs only the
command-line target: the cold solve and the 10^5-case command, each the median of 3 runs
(peak memory: the largest); ``--throughput`` only the throughput. Commands run in fresh interpreters; "warm" means the on-disk cache holds the model's derivations and compiled
kernels (one run before the timed ones), "cold" that it is bypassed. Other work shares the
machine: the load average is recorded at the start and the end, and CPU seconds (user +
system) beside wall seconds, with ratios of both. ``main()`` returns a dict of medians
(seconds), ratios and peak RSS (MB).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
from _timing import median_wall_and_cpu, print_table

EXE = str(Path(sys.executable).parent / "marshallian")
N_CLI = 100_000
N_PY = 1_000_000
N_PER_CASE = 300


def _draws(n, seed):
    rng = np.random.default_rng(seed)
    return {
        "lam_1S": rng.uniform(0.5, 2, n),
        "lam_2S": rng.uniform(0.5, 2, n),
        "beta": rng.uniform(0.2, 0.8, n),
        "alpha": rng.uniform(0.01, 0.04, n),
    }


def _write_csv(path, draws):
    names = list(draws)
    cols = np.column_stack([np.round(draws[k], 6) for k in names])
    np.savetxt(path, cols, delimiter=",", header=",".join(names), comments="", fmt="%.6f")


def _run(args, env=None) -> tuple[float, float, float]:
    """Wall seconds, peak RSS (MB) and CPU seconds of one command in a fresh interpreter."""
    code = (
        "import resource,subprocess,sys,time;t=time.perf_counter();"
        "subprocess.run(sys.argv[1:],check=True,stdout=subprocess.DEVNULL);"
        "r=resource.getrusage(resource.RUSAGE_CHILDREN);"
        "print(time.perf_counter()-t, r.ru_maxrss, r.ru_utime+r.ru_stime)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, *args],
        check=True,
        capture_output=True,
        text=True,
        env=env or os.environ,
    ).stdout.split()
    return float(out[0]), int(out[1]) / 1024, float(out[2])


def _median_run(args, env=None, repeat=3) -> tuple[float, float]:
    """Median wall and CPU seconds of ``repeat`` runs of a command."""
    runs = [_run(args, env) for _ in range(repeat)]
    return float(np.median([r[0] for r in runs])), float(np.median([r[2] for r in runs]))


def _py(code) -> tuple[float, float, float]:
    """(wall and CPU seconds printed by ``code``, peak RSS MB) of a Python snippet in a
    fresh process."""
    wrapper = code + "\nimport resource;print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"
    out = subprocess.run(
        [sys.executable, "-c", wrapper], check=True, capture_output=True, text=True
    ).stdout.split()
    return float(out[-3]), float(out[-2]), int(out[-1]) / 1024


_PY_BATCH = """
import time, numpy as np
import marshallian as m
m.solve_batch("alternative", {{"lam_2S": [0.9]}})            # kernels loaded (cache warm)
rng = np.random.default_rng(3)
n = {n}
draws = {{"lam_1S": rng.uniform(0.5, 2, n), "lam_2S": rng.uniform(0.5, 2, n),
         "beta": rng.uniform(0.2, 0.8, n), "alpha": rng.uniform(0.01, 0.04, n)}}
t, c = time.perf_counter(), time.process_time()
rows = 0
for df in m.iter_solve_batch("alternative", draws):
    rows += len(df)
print(rows, time.perf_counter() - t, time.process_time() - c)
"""


def _cli_part(res: dict, tmp: Path) -> None:
    """10^5 cases through the command line against one cold solve: medians of 3 runs
    each (peak RSS: the largest of the 3)."""
    cases = tmp / "cases.csv"
    _write_csv(cases, _draws(N_CLI, 7))
    cold_env = dict(os.environ, MARSHALLIAN_NO_CACHE="1")
    _run([EXE, "solve", "alternative"])  # page cache warm
    res["cold_solve_s"], res["cold_solve_cpu_s"] = _median_run(
        [EXE, "solve", "alternative"], cold_env
    )
    cli = [EXE, "solve", "alternative", "--params", str(cases), "--format", "csv"]
    _run(cli)  # kernels compiled and cached
    runs = [_run(cli) for _ in range(3)]
    t = float(np.median([r[0] for r in runs]))
    cpu = float(np.median([r[2] for r in runs]))
    res.update(
        cli_1e5_csv_s=t,
        cli_1e5_csv_cpu_s=cpu,
        cli_1e5_csv_peak_mb=max(r[1] for r in runs),
        cli_1e5_over_cold_solve=t / res["cold_solve_s"],
        cli_1e5_over_cold_solve_cpu=cpu / res["cold_solve_cpu_s"],
    )


def main_cli() -> dict:
    """Only the command-line target (``python bench_batch.py --cli``)."""
    res: dict = {"load_at_start": os.getloadavg()[0]}
    with tempfile.TemporaryDirectory() as tmp:
        _cli_part(res, Path(tmp))
    res["load_at_end"] = os.getloadavg()[0]
    print_table(res, "benchmark", "value", 34, "12.4g")
    return res


def _throughput_part(res: dict) -> None:
    """Throughput against the per-case enumeration on the same cases, same answers: 300
    cases by ``solve`` against 200,000 in one ``solve_batch`` (medians of 3), the batch
    as configured (``api.THREADS``) and on Numba's thread count."""
    import warnings

    import marshallian as m
    from marshallian.errors import DegenerateEquilibriumWarning
    from marshallian.solvers.batch import api

    draws = _draws(N_PER_CASE, 5)
    m.solve_batch("alternative", {"lam_2S": [0.9]})  # kernels loaded

    def per_case():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DegenerateEquilibriumWarning)
            return [
                m.solve("alternative", {k: float(v[i]) for k, v in draws.items()})
                for i in range(N_PER_CASE)
            ]

    wall_case, cpu_case = median_wall_and_cpu(per_case, 3)
    sols = per_case()
    big = _draws(200_000, 6)
    wall_batch, cpu_batch = median_wall_and_cpu(lambda: m.solve_batch("alternative", big), 3)
    threads, api.THREADS = api.THREADS, None
    try:
        all_threads = api._threads()
        wall_all, cpu_all = median_wall_and_cpu(lambda: m.solve_batch("alternative", big), 3)
    finally:
        api.THREADS = threads
    df = m.solve_batch("alternative", draws)
    same = all(
        sorted(df[df.case == i].label) == sorted(e.label for e in s)
        and np.allclose(np.sort(df[df.case == i].wage), np.sort([e.wage for e in s]), rtol=1e-9)
        for i, s in enumerate(sols)
    )
    case_s, case_cpu = wall_case / N_PER_CASE, cpu_case / N_PER_CASE
    res.update(
        per_case_ms=case_s * 1e3,
        per_case_cpu_ms=case_cpu * 1e3,
        batch_threads=api._threads(),
        batch_us_per_case=wall_batch / 200_000 * 1e6,
        batch_cpu_us_per_case=cpu_batch / 200_000 * 1e6,
        speedup_over_per_case=case_s / (wall_batch / 200_000),
        speedup_cpu=case_cpu / (cpu_batch / 200_000),
        all_threads=all_threads,
        batch_all_threads_us_per_case=wall_all / 200_000 * 1e6,
        speedup_all_threads=case_s / (wall_all / 200_000),
        speedup_all_threads_cpu=case_cpu / (cpu_all / 200_000),
        same_answers=same,
    )


def main_throughput() -> dict:
    """Only the throughput target (``python bench_batch.py --throughput``)."""
    res: dict = {"load_at_start": os.getloadavg()[0]}
    _throughput_part(res)
    res["load_at_end"] = os.getloadavg()[0]
    print_table(res, "benchmark", "value", 34, "12.4g")
    return res


def main() -> dict:
    res: dict = {"load_at_start": os.getloadavg()[0]}
    _throughput_part(res)
    with tempfile.TemporaryDirectory() as tmp:
        _cli_part(res, Path(tmp))
        # -- conditions dynamic, warm and cold
        _run([EXE, "conditions", "dynamic"])
        res["conditions_dynamic_warm_s"] = _median_run([EXE, "conditions", "dynamic"])[0]
        res["conditions_dynamic_cold_s"] = _run([EXE, "conditions", "dynamic", "--no-cache"])[0]
    # -- 10^6 cases from Python, and memory against 10^5
    t5, c5, rss5 = _py(_PY_BATCH.format(n=N_CLI))
    t6, c6, rss6 = _py(_PY_BATCH.format(n=N_PY))
    res.update(
        py_1e5_s=t5,
        py_1e5_peak_mb=rss5,
        py_1e6_s=t6,
        py_1e6_cpu_s=c6,
        py_1e6_peak_mb=rss6,
        py_peak_growth_1e5_to_1e6_mb=rss6 - rss5,
        load_at_end=os.getloadavg()[0],
    )
    print_table(res, "benchmark", "value", 34, "12.4g")
    return res


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    if "--cli" in sys.argv[1:]:
        main_cli()
    elif "--throughput" in sys.argv[1:]:
        main_throughput()
    else:
        main()
