"""Empirics benchmark (seed 004 at the paper's scale), each measure in its own process.

(a) The fixed-effect probit with marginal effects (at means with delta-method SEs,
    average, Table 7 extremes) on a synthetic panel of ~1.28 million estimation rows with
    ~900 fixed-effect levels (year, 3-digit industry, county), against pyfixest's
    ``feglm(..., family="probit")`` (coefficients only) on the same rows and regressors in
    the same run. Both fit prebuilt regressor columns (like for like); ours is also timed
    end to end from the raw panel (validation, lags, agglomeration counts, fit, margins).
    Peak memory: the peak RSS of each worker process (read, fit; nothing else).
(b) Agglomeration counts (agg1_1 ... agg3_2) and location quotients for 10^7 firm-years.
(c) The KS tables (Table 2, four panels) for all years of the 1.28-million-row panel.

Targets: (a) faster than pyfixest, peak <= 2 GB; (b) <= 10 s; (c) <= 5 s.
Run: ``python benchmarks/run.py empirics`` (or this file; ``--small`` for a quick check).
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

from _timing import median_wall_and_cpu

HERE = Path(__file__).resolve().parent

#: Firms per year giving ~1.28 million firm-years with a previous year (8 years, 5 % exit).
FIRMS_PROBIT = 192_600
#: Firms per year giving 10^7 firm-years (8 years).
FIRMS_AGG = 1_250_000
X = ("export_lag", "tfp_lag", "ln_employment_lag", "ln_wage_lag", "agg1_1", "agg1_2")
FE = ("year", "industry", "county")
REPEAT = 3


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _timed(fn, repeat: int) -> dict:
    """Medians of ``repeat`` calls of ``fn()`` (wall and CPU seconds, see
    :func:`_timing.median_wall_and_cpu`) and the worker's peak memory after them."""
    t, cpu = median_wall_and_cpu(fn, repeat)
    return {"seconds": t, "cpu": cpu, "peak_mb": _peak_mb()}


def _worker(kind: str, path: str, repeat: int) -> dict:
    import pandas as pd

    if kind == "ours":
        from marshallian.empirics import read_panel
        from marshallian.empirics.probit import probit

        frame = pd.read_parquet(path)
        panel = read_panel(frame)  # validation, untimed here (timed end to end)
        holder = {}

        def fit():
            holder["r"] = probit(panel, X, FE)

        timed = _timed(fit, repeat)
        r = holder["r"]
        return timed | {
            "n_obs": r.n_obs,
            "n_dropped": r.n_dropped,
            "iterations": r.iterations,
            "coef": r.coef,
            "se": r.se,
            "me_agg1_1": r.me["agg1_1"],
            "levels": sum(len(v) for v in r.fixed_effects.values()),
        }
    if kind == "end_to_end":
        from marshallian.empirics.probit import probit

        frame = pd.read_parquet(path).drop(columns=list(X))
        holder = {}

        def fit():
            holder["r"] = probit(frame, X, FE)

        return _timed(fit, 1) | {"n_obs": holder["r"].n_obs}
    if kind == "pyfixest":
        import warnings

        import pyfixest as pf

        frame = pd.read_parquet(path)
        frame = frame[frame["has_lag"]][list(X) + list(FE) + ["export"]].copy()
        fml = "export ~ " + " + ".join(X) + " | " + " + ".join(FE)
        holder = {}

        def fit():
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                holder["m"] = pf.feglm(fml, data=frame, family="probit", vcov="iid")

        timed = _timed(fit, repeat)
        m = holder["m"]
        return timed | {"n_obs": int(m._N), "coef": {k: float(v) for k, v in m.coef().items()}}
    if kind == "agg":
        from marshallian.empirics import (
            AGGLOMERATION_REGRESSORS,
            build_regressors,
            location_quotients,
            read_panel,
            simulate_panel,
        )

        firms = int(path)
        panel = read_panel(simulate_panel(firms, seed=1).panel)

        def run():
            build_regressors(panel, AGGLOMERATION_REGRESSORS)
            location_quotients(panel)

        run()  # warm-up (imports)
        return _timed(run, repeat) | {"rows": len(panel)}
    if kind == "ks":
        from marshallian.empirics import read_panel
        from marshallian.empirics.ks import ks_table

        panel = read_panel(pd.read_parquet(path))
        holder = {}

        def run():
            holder["t"] = ks_table(panel)

        run()  # warm-up (imports)
        return _timed(run, repeat) | {"rows": len(panel), "years": int(panel["year"].nunique())}
    raise SystemExit(f"unknown worker {kind}")


def _spawn(kind: str, path: str, repeat: int) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--worker", kind, path, str(repeat)],
        capture_output=True,
        text=True,
        check=False,
    )
    if out.returncode != 0:
        raise RuntimeError(f"worker {kind} failed: {out.stderr.strip()[-2000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(small: bool = False) -> dict:
    from marshallian.empirics import build_regressors, simulate_panel

    firms_probit = 20_000 if small else FIRMS_PROBIT
    firms_agg = 50_000 if small else FIRMS_AGG
    repeat = 1 if small else REPEAT
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "panel.parquet")
        sim = simulate_panel(firms_probit, seed=0)
        panel = sim.panel
        reg = build_regressors(panel, X)
        for name in X:
            panel[name] = reg[name].to_numpy()
        panel["export"] = reg["export"].to_numpy()
        panel["has_lag"] = reg["has_lag"].to_numpy()
        panel.to_parquet(path)
        n_est = int(reg["has_lag"].sum())
        del sim, panel, reg
        ours = _spawn("ours", path, repeat)
        pyfx = _spawn("pyfixest", path, repeat)
        e2e = _spawn("end_to_end", path, 1)
        ks = _spawn("ks", path, repeat)
    agg = _spawn("agg", str(firms_agg), repeat)
    max_coef_diff = max(abs(ours["coef"][k] - pyfx["coef"][k]) for k in X)
    ratio = pyfx["seconds"] / ours["seconds"]
    print(
        f"probit with margins, {ours['n_obs']:,} rows ({n_est:,} before dropping "
        f"{ours['n_dropped']} perfectly predicted), {ours['levels']} FE levels:"
    )
    print(
        f"  marshallian (prebuilt regressors) {ours['seconds']:.2f} s wall, "
        f"{ours['cpu']:.2f} s CPU, peak {ours['peak_mb']:.0f} MB, "
        f"{ours['iterations']} Newton steps"
    )
    print(
        f"  pyfixest feglm probit             {pyfx['seconds']:.2f} s wall, "
        f"{pyfx['cpu']:.2f} s CPU, peak {pyfx['peak_mb']:.0f} MB (n = {pyfx['n_obs']:,})"
    )
    print(
        f"  ratio pyfixest / marshallian      {ratio:.2f}x wall, "
        f"{pyfx['cpu'] / ours['cpu']:.2f}x CPU; max |coef diff| {max_coef_diff:.2e}"
    )
    print(
        f"  marshallian end to end from the raw panel {e2e['seconds']:.2f} s wall, "
        f"{e2e['cpu']:.2f} s CPU, peak {e2e['peak_mb']:.0f} MB"
    )
    print(
        f"agglomeration counts + LQ, {agg['rows']:,} firm-years: {agg['seconds']:.2f} s "
        f"wall, {agg['cpu']:.2f} s CPU (target <= 10 s)"
    )
    print(
        f"KS tables, {ks['years']} years, {ks['rows']:,} firm-years: {ks['seconds']:.2f} s "
        f"wall, {ks['cpu']:.2f} s CPU (target <= 5 s)"
    )
    print(f"load average during the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    return {
        "probit_seconds": ours["seconds"],
        "probit_cpu": ours["cpu"],
        "probit_peak_mb": ours["peak_mb"],
        "pyfixest_seconds": pyfx["seconds"],
        "pyfixest_cpu": pyfx["cpu"],
        "pyfixest_peak_mb": pyfx["peak_mb"],
        "speedup_vs_pyfixest": ratio,
        "max_coef_diff": max_coef_diff,
        "end_to_end_seconds": e2e["seconds"],
        "end_to_end_peak_mb": e2e["peak_mb"],
        "n_obs": ours["n_obs"],
        "fe_levels": ours["levels"],
        "agg_lq_seconds": agg["seconds"],
        "agg_lq_cpu": agg["cpu"],
        "agg_rows": agg["rows"],
        "ks_seconds": ks["seconds"],
        "ks_cpu": ks["cpu"],
        "ks_rows": ks["rows"],
        "load_average": os.getloadavg()[0],
    }


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        print(json.dumps(_worker(sys.argv[2], sys.argv[3], int(sys.argv[4]))))
    else:
        main(small="--small" in sys.argv)
