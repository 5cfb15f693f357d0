"""Speed of the explorer (``marshallian explore``): writing the page, and solving in it.

* ``explore_write_uncached_s``: the command end to end in a new interpreter with
  ``--no-cache`` (imports, the symbolic derivations, code generation, the write), and
  ``explore_write_cached_s`` the same reading the generated solver from the disk cache;
* in headless Chromium (Debian's, when installed): one ``window.marshallian.solve`` of the
  §3 model at random calibrations (certificates included), against one
  :func:`marshallian.solve` in Python on the same calibrations; the region map (72 × 48
  cells, each solved in the page); and one full redraw after a parameter change.

``main()`` returns a dict of medians and prints a short table.
"""

from __future__ import annotations

import math
import random
import tempfile
import warnings
from pathlib import Path

from _cli import run_cli
from _timing import median_time, print_table

CHROMIUM, CHROMEDRIVER = Path("/usr/bin/chromium"), Path("/usr/bin/chromedriver")
CALLS = 2000


def _write_once(path, *extra):
    run_cli("explore", "--out", path, "--model", "alternative", *extra)


def _cases(n, seed=1):
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        beta = rng.uniform(0.1, 0.9)
        out.append(
            {
                "lam_1S": math.exp(rng.uniform(-1, 1)),
                "lam_2S": math.exp(rng.uniform(-1, 1)),
                "beta": beta,
                "alpha": 0.02,
                "Lbar_1": (rng.uniform(1.1, 4) - beta) / 0.02,
                "Lbar_2": (rng.uniform(1.1, 4) - beta) / 0.02,
            }
        )
    return out


def _browser(page):
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    opts = Options()
    opts.binary_location = str(CHROMIUM)
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"):
        opts.add_argument(arg)
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=opts)
    driver.set_script_timeout(120)
    driver.get(Path(page).as_uri())
    return driver


def main() -> dict:
    import marshallian as m
    from marshallian.errors import DegenerateEquilibriumWarning

    res = {}
    with tempfile.TemporaryDirectory() as d:
        page = str(Path(d) / "explore.html")
        res["explore_write_uncached_s"] = median_time(lambda: _write_once(page, "--no-cache"), 1)
        _write_once(page)  # fills the cache
        res["explore_write_cached_s"] = median_time(lambda: _write_once(page), 3)
        res["page_bytes"] = Path(page).stat().st_size
        cases = _cases(CALLS)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DegenerateEquilibriumWarning)
            m.solve("alternative", cases[0])
            py = median_time(lambda: [m.solve("alternative", c) for c in cases], 3) / CALLS
        res["python_solve_ms"] = py * 1e3
        if CHROMIUM.exists() and CHROMEDRIVER.exists():
            driver = _browser(page)
            try:
                js = driver.execute_script(
                    """
                    const cases = arguments[0], times = [];
                    for (let r = 0; r < 5; r++) {
                      const t0 = performance.now();
                      for (const c of cases) window.marshallian.solve('alternative', c);
                      times.push((performance.now() - t0) / cases.length);
                    }
                    times.sort((a, b) => a - b);
                    const regions = [], redraw = [];
                    const sol = window.marshallian.solution('alternative', {});
                    for (let r = 0; r < 5; r++) {
                      let t0 = performance.now(); renderRegions(sol); regions.push(performance.now() - t0);
                      t0 = performance.now(); update(); redraw.push(performance.now() - t0);
                    }
                    regions.sort((a, b) => a - b); redraw.sort((a, b) => a - b);
                    return [times[2], regions[2], redraw[2]];""",
                    cases,
                )
            finally:
                driver.quit()
            res["js_solve_ms"] = js[0]
            res["python_over_js_solve"] = res["python_solve_ms"] / js[0]
            res["region_map_72x48_ms"] = js[1]
            res["redraw_without_map_ms"] = js[2]
        else:
            res["browser"] = "not installed: in-page timings skipped"
    print_table(res, "measure", "value", 32, "12.4g")
    return res


if __name__ == "__main__":
    main()
