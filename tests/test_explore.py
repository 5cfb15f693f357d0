"""The explorer page (``marshallian explore``) in a real headless browser.

Debian's ``chromium`` and ``chromium-driver`` (installed by ``make test`` when missing) are
driven by Selenium pointed at ``/usr/bin/chromedriver`` explicitly (no Selenium Manager, no
network). The page's ``window.marshallian.solve`` is compared with :func:`marshallian.solve`
on random calibrations and knife edges (count of equilibria first, then values and flags);
a slider is moved and the table and the PPF must follow; any console error fails the test.
A screenshot goes to ``out/test-artifacts/`` (git-ignored).
"""

from __future__ import annotations

import math
import random
import warnings
from pathlib import Path

import pytest
from conftest import snapshot

import marshallian as m
from marshallian.errors import (
    DegenerateEquilibriumWarning,
    InvalidParameterError,
    NorthPremiseWarning,
)

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
ARTIFACTS = Path(__file__).resolve().parents[1] / "out" / "test-artifacts"
#: JS and Python evaluate the same closed forms in a different order: agreement to rounding.
RTOL = 1e-9


# --------------------------------------------------------------------------- fixtures
@pytest.fixture(scope="module")
def page(tmp_path_factory):
    from marshallian.explore import write_page

    path = tmp_path_factory.mktemp("explore") / "explore.html"
    write_page(path, "alternative")
    return path


@pytest.fixture(scope="module")
def browser(page):
    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        pytest.fail(
            "the browser tests need Debian's chromium and chromium-driver "
            "(/usr/bin/chromium, /usr/bin/chromedriver); `make test` installs them"
        )
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    opts = Options()
    opts.binary_location = str(CHROMIUM)
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--window-size=1400,1700",
        # any network request would fail (and log a console error): offline by design
        "--host-resolver-rules=MAP * ~NOTFOUND",
        "--proxy-server=127.0.0.1:9",
    ):
        opts.add_argument(arg)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=opts)
    driver.set_script_timeout(60)
    try:
        driver.get(page.as_uri())
        yield driver
    finally:
        driver.quit()


@pytest.fixture
def b(browser):
    """The browser, checked for console errors after each test."""
    yield browser
    errors = [e for e in browser.get_log("browser") if e["level"] in ("SEVERE", "ERROR")]
    assert not errors, errors


def js_solutions(driver, cases):
    """``marshallian.solution`` for every (model, params) case, or the error's violations."""
    return driver.execute_script(
        """
        return arguments[0].map(([model, params]) => {
          try { return window.marshallian.solution(model, params); }
          catch (err) {
            if (!(err instanceof window.marshallian.InvalidParameterError)) throw err;
            return {error: err.message, names: err.violations.map(v => v.name)};
          }
        });""",
        [[model, params] for model, params in cases],
    )


def py_solution(model, params):
    with warnings.catch_warnings():  # knife edges and North's premise are in the answer
        warnings.simplefilter("ignore", DegenerateEquilibriumWarning)
        warnings.simplefilter("ignore", NorthPremiseWarning)
        # the page decides knife edges within the default tolerances, as solve does when
        # given them (solve's default decides them exactly: docs/limits.md)
        return m.solve(model, params, tol=m.Tolerances()).to_dict()


# --------------------------------------------------------------------------- comparison
def close(a, b, rtol=RTOL, atol=0.0):
    if a is None or b is None:
        return a is b
    return math.isclose(a, b, rel_tol=rtol, abs_tol=atol)


def _key(e):
    return (
        round(e["income_gap"], 6),
        tuple((a["sector"], a["technology"], a["state"]) for a in e["activities"]),
    )


def assert_same_solution(js, py, where):
    assert "error" not in js, (where, js)
    # every field of solve's JSON is in the page's answer
    assert set(py) <= set(js) and set(py["north"]) <= set(js["north"]), where
    assert js.get("warnings") == py.get("warnings"), where  # North's premise, in words
    if "stability" in py["north"]:
        assert js["north"]["stability"] == py["north"]["stability"], where
    # the count of equilibria first
    assert len(js["equilibria"]) == len(py["equilibria"]), (
        where,
        js["equilibria"],
        py["equilibria"],
    )
    for j, p in py["prices"].items():
        assert close(js["prices"][j], p), (where, "price", j)
    assert js["north"]["configuration"] == py["north"]["configuration"], where
    # both sort by (income gap, label); an exact tie of gaps may be ordered by rounding
    pairs = list(zip(js["equilibria"], py["equilibria"]))
    if any(_key(a) != _key(b) for a, b in pairs):
        pairs = list(zip(sorted(js["equilibria"], key=_key), sorted(py["equilibria"], key=_key)))
    L_S = py["params"]["L_S"]
    for je, pe in pairs:
        what = (where, pe)
        # every field of solve's JSON is in the page's answer (pairs matched as sorted)
        assert set(pe) <= set(je) and set(pe["certificate"]) <= set(je["certificate"]), where
        assert all(set(pa) <= set(ja) for ja, pa in zip(je["activities"], pe["activities"]))
        assert [(a["sector"], a["technology"], a["state"]) for a in je["activities"]] == [
            (a["sector"], a["technology"], a["state"]) for a in pe["activities"]
        ], what
        for ja, pa in zip(je["activities"], pe["activities"]):
            assert close(ja["labor"], pa["labor"], atol=RTOL * L_S), what
        assert close(je["wage"], pe["wage"]) and close(je["income_gap"], pe["income_gap"]), what
        for flag in ("stable", "degenerate", "degeneracy", "interior", "clusters"):
            assert je[flag] == pe[flag], (flag, what)
        if "stability" in pe:
            assert je["stability"] == pe["stability"], what
        jc, pc = je["certificate"], pe["certificate"]
        for k in ("regime", "method", "verified"):
            assert jc[k] == pc[k], (k, what)
        for k in ("max_pay_residual", "labor_residual", "max_deviation_gain"):
            assert close(jc[k], pc[k], atol=1e-12), (k, what, jc, pc)
        assert ("vertices" in je) == ("vertices" in pe), what
        for jv, pv in zip(je.get("vertices", []), pe.get("vertices", [])):
            assert [(a["sector"], a["technology"]) for a in jv] == [
                (a["sector"], a["technology"]) for a in pv
            ], what
            for ja, pa in zip(jv, pv):
                assert close(ja["labor"], pa["labor"], atol=RTOL * L_S), what


def random_case(rng, model):
    lam = {
        f"lam_{j}{i}": math.exp(rng.uniform(math.log(0.25), math.log(4)))
        for j in (1, 2)
        for i in "SN"
    }
    mu_1 = rng.uniform(0.1, 0.9)
    p = dict(
        lam,
        alpha=math.exp(rng.uniform(math.log(0.002), math.log(0.05))),
        L_S=rng.uniform(30, 500),
        L_N=rng.uniform(100, 3000),
        mu_1=mu_1,
        mu_2=1 - mu_1,
    )
    if model == "standard":
        p["Lbar"] = rng.uniform(5, 400)
        return p
    while True:
        p["beta"] = rng.uniform(0.05, 0.95)
        p["Lbar_1"], p["Lbar_2"] = rng.uniform(5, 400), rng.uniform(5, 400)
        if min(p["beta"] + p["alpha"] * p[f"Lbar_{j}"] for j in (1, 2)) > 1.0001:
            return p


#: Knife edges (paper's claims S1, S2, A2, A3/(*), A9; labor exactly at a cap).
KNIFE_EDGES = [
    ("standard", {"lam_1S": 1, "lam_2S": 1, "lam_1N": 1, "lam_2N": 1}),  # S1: continuum + weak
    ("standard", {"lam_2S": 2.0, "alpha": 0.01, "Lbar": 100}),  # S2 boundary: ratio = theta
    ("standard", {"L_S": 100.0, "Lbar": 100.0}),  # labor at the cap
    ("standard", {"lam_2S": 1.0, "lam_1S": 1.0, "L_S": 100.0}),
    ("alternative", {"lam_1S": 1, "lam_2S": 1, "lam_1N": 1, "lam_2N": 1, "Lbar_2": 100}),  # A2
    ("alternative", {"lam_1S": 1, "lam_2S": 1, "lam_1N": 1, "lam_2N": 1}),
    ("alternative", {"lam_1S": 2.5, "lam_2S": 1.0}),  # (*): x = theta_1
    ("alternative", {"lam_1S": 1.0, "lam_2S": 0.4, "Lbar_2": 100}),  # A9: equality
    ("alternative", {"L_S": 100.0}),  # labor at Lbar_1
    ("alternative", {"L_S": 25.0}),  # L_S = (1-beta)/alpha
    ("alternative", {"L_N": 150.0}),  # North cannot cluster
]


# --------------------------------------------------------------------------- tests
def test_page_is_one_self_contained_file(page):
    text = page.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>")
    assert "<script src" not in text and '<link rel="stylesheet"' not in text
    # the only URL is the SVG namespace (a name, never fetched)
    urls = {u for u in __import__("re").findall(r"https?://[^\s\"'<>)]+", text)}
    assert urls <= {"http://www.w3.org/2000/svg"}, urls


def test_js_solve_equals_python_solve_on_random_calibrations(b):
    rng = random.Random(17)
    cases = [
        (model, random_case(rng, model))
        for model in ("standard", "alternative")
        for _ in range(120)
    ]
    for (model, params), js in zip(cases, js_solutions(b, cases)):
        assert_same_solution(js, py_solution(model, params), (model, params))


def test_js_solve_equals_python_solve_at_knife_edges(b):
    results = js_solutions(b, KNIFE_EDGES)
    degenerate = 0
    for (model, params), js in zip(KNIFE_EDGES, results):
        py = py_solution(model, params)
        assert_same_solution(js, py, (model, params))
        degenerate += sum(e["degenerate"] for e in py["equilibria"])
    assert degenerate >= 6  # the cases do exercise the knife edges
    # S1 (§2 with every lambda = 1): a continuum and a weak equilibrium, reported as such
    s1 = results[0]["equilibria"]
    assert sorted(e["degeneracy"] or "" for e in s1) == ["", "continuum", "weak"]


def boundary_cases(rng, n):
    """Random calibrations put exactly on a boundary of the paper's conditions.

    §2: x = 1/theta (S2), x = 1 (CA), L_S = Lbar; §3: x = theta_1 ((*)), x = theta_1/theta_2
    (A9), x = 1/theta_2, L_S = Lbar_1, L_S = (1 - beta)/alpha. x is moved through lam_1S.
    """
    out = []
    for i in range(n):
        model = ("standard", "alternative")[i % 2]
        p = random_case(rng, model)
        x_of = p["lam_1N"] * p["lam_2S"] / p["lam_2N"]  # lam_1S = x * x_of
        if model == "standard":
            theta = 1 + p["alpha"] * p["Lbar"]
            target = rng.choice(["S2", "CA", "cap"])
            if target == "cap":
                p["L_S"] = p["Lbar"]
            else:
                p["lam_1S"] = (1 / theta if target == "S2" else 1.0) * x_of
        else:
            t1, t2 = (p["beta"] + p["alpha"] * p[f"Lbar_{j}"] for j in (1, 2))
            target = rng.choice(["*", "A9", "mirror", "cap", "critical"])
            x = {"*": t1, "A9": t1 / t2, "mirror": 1 / t2}.get(target)
            if x is not None:
                p["lam_1S"] = x * x_of
            elif target == "cap":
                p["L_S"] = p["Lbar_1"]
            else:
                p["L_S"] = (1 - p["beta"]) / p["alpha"]
        out.append((model, p))
    return out


def test_js_solve_equals_python_solve_on_boundaries(b):
    cases = boundary_cases(random.Random(7), 80)
    weak = 0
    for (model, params), js in zip(cases, js_solutions(b, cases)):
        py = py_solution(model, params)
        assert_same_solution(js, py, (model, params))
        weak += sum(e["degenerate"] for e in py["equilibria"])
    assert weak >= 20  # the boundaries are met: knife edges, reported the same way


def test_window_solve_returns_the_equilibria_with_defaults(b):
    eqs = b.execute_script("return window.marshallian.solve('alternative', {lam_2S: 0.8})")
    py = py_solution("alternative", {})["equilibria"]
    assert len(eqs) == len(py) == 7  # 4 stable, 3 unstable (critical masses)
    assert [e["stable"] for e in eqs] == [e["stable"] for e in py]
    assert all({"activities", "wage", "stable", "income_gap"} <= set(e) for e in eqs)


def test_theta_in_place_of_lbar(b):
    cases = [
        ("alternative", {"theta_1": 3.0, "theta_2": 1.5}),
        ("standard", {"theta": 1.8}),
        ("alternative", {"theta_2": 2.2, "lam_2S": 1.3, "beta": 0.3}),
    ]
    for (model, params), js in zip(cases, js_solutions(b, cases)):
        assert_same_solution(js, py_solution(model, params), (model, params))


@pytest.mark.parametrize(
    "model, params",
    [
        ("alternative", {"beta": 1.2}),
        ("alternative", {"beta": 1.0}),
        ("alternative", {"Lbar_1": 10.0}),  # theta_1 = 0.7 <= 1
        ("alternative", {"lam_1S": -1.0, "alpha": 0.0}),
        ("standard", {"lam_2N": 0.0}),
        ("standard", {"mu_1": 0.7}),  # shares do not sum to 1
        ("standard", {"gamma": 1.0}),
        ("standard", {"L_S": "abc"}),
        ("alternative", {"L_S": "abc", "beta": 2.0, "mu_2": 0.2}),
        ("alternative", {"theta_1": 0.9}),
        ("alternative", {"theta_1": 2.0, "Lbar_1": 50.0}),  # both: bad input
        ("alternative", {"theta_2": 1.1, "beta": 1.5}),  # gives a negative Lbar_2
        ("standard", {"theta": "x", "alpha": -1.0}),
    ],
)
def test_invalid_inputs_are_refused_like_python(b, model, params):
    (js,) = js_solutions(b, [(model, params)])
    with pytest.raises(InvalidParameterError) as exc:
        m.solve(model, params)
    assert js.get("names") == [v.name for v in exc.value.violations], (js, exc.value)


def test_generated_conditions_evaluate_as_python(b):
    """Each derived condition printed as JavaScript holds exactly where Python's does."""
    from marshallian.models import get_model
    from marshallian.solvers.conditions import condition_holds, derive_conditions

    rng = random.Random(11)
    for name in ("standard", "alternative"):
        model = get_model(name)
        cases = [model.params(random_case(rng, name)) for _ in range(60)]
        js = b.execute_script(
            "const M = MODELS[arguments[0]];"
            "return arguments[1].map(v => M.conditions.map(c => c.holds ? c.holds(v) : null));",
            name,
            [list(p.as_tuple()) for p in cases],
        )
        entries = derive_conditions(name)
        for p, verdicts in zip(cases, js):
            assert verdicts == [condition_holds(e, p) for e in entries], (name, p)


def test_conditions_are_not_evaluated_where_their_premise_fails(b, page):
    from selenium.webdriver.support.ui import WebDriverWait

    b.get(page.as_uri() + "#model=alternative&enter=theta&L_N=250")  # mu_2*L_N < Lbar_2
    WebDriverWait(b, 10).until(
        lambda d: "fails at the current" in d.find_element("id", "premise").text
    )
    text = b.find_element("id", "conditions-list").text
    assert "holds here" not in text and "fails here" not in text
    assert "North cannot have the paper's full cluster" in b.find_element("id", "prices").text
    b.get(page.as_uri() + "#model=alternative&enter=theta")


def test_no_answer_at_extreme_magnitudes_is_said_not_crashed(b, page):
    """alpha = 1e-149 with L_N = 1000: North's cluster labor rounds away in floating point,
    so the page's North has no equilibrium and the page says so (no console error). solve
    decides such regimes exactly (docs/limits.md) and answers as exact mode does."""
    params = {"lam_1S": 1e149, "alpha": 1e-149, "theta": 2.0}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fl, ex = m.solve("standard", params), m.solve("standard", params, exact=True)
    assert [e.label for e in fl] == [e.label for e in ex]
    err = b.execute_script(
        """try { window.marshallian.solve('standard', arguments[0]); return null; }
           catch (e) { return e.name; }""",
        params,
    )
    assert err == "SolverError"
    b.get(page.as_uri() + "#model=standard&enter=theta&lam_1S=1e149&alpha=1e-149&theta=2")
    box = b.find_element("id", "violations")
    assert box.is_displayed() and "No answer" in box.text and _table(b) == []
    b.get(page.as_uri() + "#model=alternative&enter=theta")


def _set_input(driver, name, text):
    driver.execute_script(
        """
        const e = document.getElementById('input-' + arguments[0]);
        e.value = arguments[1]; e.dispatchEvent(new Event('input'));""",
        name,
        text,
    )


def _table(driver):
    return driver.execute_script("""
        return [...document.querySelectorAll('#equilibria tbody tr')].map(
          tr => [...tr.querySelectorAll('td')].map(td => td.textContent));""")


def _inputs(driver):
    return driver.execute_script("""
        return Object.fromEntries([...document.querySelectorAll('#controls input[type=text]')]
          .map(e => [e.id.slice(6), Number(e.value)]));""")


def test_slider_redraws_table_and_ppf(b):
    from selenium.webdriver.common.keys import Keys

    b.execute_script("document.getElementById('reset').click()")
    ppf_before = b.find_element("id", "ppf-curve").get_attribute("d")
    rows_before = _table(b)
    assert len(rows_before) == len(py_solution("alternative", {})["equilibria"])
    slider = b.find_element("id", "slider-lam_2S")
    for _ in range(8):
        slider.send_keys(Keys.ARROW_RIGHT)
    values = _inputs(b)
    assert values["lam_2S"] > 0.8
    ppf_after = b.find_element("id", "ppf-curve").get_attribute("d")
    rows_after = _table(b)
    assert ppf_after != ppf_before and rows_after != rows_before
    # the table is solve's answer at the parameters now shown
    py = py_solution("alternative", values)["equilibria"]  # theta_j as shown on the page
    assert len(rows_after) == len(py)
    for row, e in zip(rows_after, py):
        assert math.isclose(float(row[3]), e["wage"], rel_tol=1e-5)
        assert row[5] == (e.get("stability") or ("stable" if e["stable"] else row[5]))
    # the region map is drawn and the marker follows the point
    b.execute_script("return new Promise(r => setTimeout(r, 200))")
    marker = b.find_element("id", "regions").get_attribute("data-marker")
    x = (values["lam_1S"] / values["lam_1N"]) / (values["lam_2S"] / values["lam_2N"])
    assert math.isclose(float(marker.split(",")[0]), x, rel_tol=1e-9)
    assert int(b.find_element("id", "regions").get_attribute("data-cells")) > 0
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    b.save_screenshot(str(ARTIFACTS / "explorer.png"))


def test_invalid_input_on_the_page_shows_the_rule_not_an_answer(b):
    b.execute_script("document.getElementById('reset').click()")
    _set_input(b, "beta", "1.5")
    box = b.find_element("id", "violations")
    assert box.is_displayed()
    assert "beta" in box.text and "0 < beta < 1" in box.text and "between 0 and 1" in box.text
    assert _table(b) == []
    assert b.find_elements("id", "ppf-curve") == []
    _set_input(b, "beta", "0.5")
    assert not box.is_displayed()
    assert len(_table(b)) == len(py_solution("alternative", {})["equilibria"])
    _set_input(b, "lam_1S", "two")
    assert "must be a number" in box.text
    b.execute_script("document.getElementById('reset').click()")


def test_model_switch_and_theta_toggle(b):
    b.execute_script("""const s = document.getElementById('model');
        s.value = 'standard'; s.dispatchEvent(new Event('change'));""")
    assert len(_table(b)) == len(py_solution("standard", {})["equilibria"])
    b.execute_script("document.getElementById('use-theta').click()")
    assert b.find_elements("id", "input-Lbar") and not b.find_elements("id", "input-theta")
    assert len(_table(b)) == len(py_solution("standard", {})["equilibria"])
    b.execute_script("document.getElementById('use-theta').click()")
    b.execute_script("""const s = document.getElementById('model');
        s.value = 'alternative'; s.dispatchEvent(new Event('change'));""")
    text = b.find_element("id", "conditions-list").text
    assert "holds here" in text and "exists iff" in text


def test_region_map_keys_equal_python_stable_types(b):
    """Each cell's colour key is the set of solve's stable equilibria there (figures.regions)."""
    from marshallian.figures._labels import stable_types
    from marshallian.figures.regions import point_params
    from marshallian.models import get_model

    rng = random.Random(3)
    for name in ("standard", "alternative"):
        model = get_model(name)
        base = model.params().as_dict()
        points = [
            (math.exp(rng.uniform(math.log(0.2), math.log(5))), rng.uniform(1.05, 4))
            for _ in range(40)
        ]
        cases = [point_params(model, base, x, t) for x, t in points]
        keys = b.execute_script(
            "return arguments[1].map(p => window.marshallian.stableLabels(arguments[0], p))",
            name,
            cases,
        )
        for params, key in zip(cases, keys):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DegenerateEquilibriumWarning)
                assert set(key) == set(stable_types(m.solve(model, params))), (name, params)


def test_scenarios_and_links(b, page):
    from selenium.webdriver.support.ui import WebDriverWait

    b.get(page.as_uri() + "#model=standard&enter=Lbar&lam_2S=0.9&Lbar=50")
    WebDriverWait(b, 10).until(lambda d: d.find_elements("id", "input-Lbar"))
    assert b.find_element("id", "input-Lbar").get_attribute("value") == "50"
    assert b.find_element("id", "model").get_attribute("value") == "standard"
    assert len(_table(b)) == len(py_solution("standard", {"lam_2S": 0.9, "Lbar": 50})["equilibria"])
    _set_input(b, "lam_1S", "1.25")
    assert "lam_1S=1.25" in b.execute_script("return location.hash")
    # a scenario of the paper: A9 fails in the alternative model
    b.get(page.as_uri() + "#model=alternative&enter=theta")
    WebDriverWait(b, 10).until(lambda d: d.find_elements("id", "input-theta_1"))
    b.execute_script("""const s = document.getElementById('scenario');
        s.value = '3'; s.dispatchEvent(new Event('change'));""")
    rows = _table(b)
    py = py_solution("alternative", {"lam_2S": 1.6})["equilibria"]
    assert len(rows) == len(py)
    assert "spec. in 2, no cluster" in [r[1] for r in rows]
    b.get(page.as_uri() + "#model=standard&enter=theta&theta=2.5&lam_2S=1.5")
    WebDriverWait(b, 10).until(lambda d: d.find_elements("id", "input-theta"))
    assert b.find_element("id", "input-theta").get_attribute("value") == "2.5"
    params = {"theta": 2.5, "lam_2S": 1.5}
    assert len(_table(b)) == len(py_solution("standard", params)["equilibria"])
    b.get(page.as_uri() + "#model=alternative&enter=theta")


# --------------------------------------------------------------------------- command line
def test_cli_writes_the_page(tmp_path):
    from conftest import run_cli_inprocess

    r = run_cli_inprocess(["explore", "--out", "page.html", "--model", "standard"], tmp_path)
    assert r.returncode == 0, r.stderr
    text = (tmp_path / "page.html").read_text(encoding="utf-8")
    assert 'const INITIAL_MODEL = "standard";' in text
    assert [p.name for p in tmp_path.iterdir()] == ["page.html"]  # no temporary left


@pytest.mark.parametrize(
    "args, name",
    [
        (["explore"], "--out"),
        (["explore", "--out", "p.html", "--model", "dynamic"], "--model"),
        (["explore", "--out", "sub"], "--out"),
    ],
)
def test_cli_bad_input(tmp_path, args, name):
    from conftest import run_cli_inprocess

    (tmp_path / "sub").mkdir()
    before = snapshot(tmp_path)
    r = run_cli_inprocess(args, tmp_path)
    assert r.returncode == 2
    assert r.stderr.count("\n") == 1 and name in r.stderr and "Traceback" not in r.stderr
    assert snapshot(tmp_path) == before


def test_cli_bad_input_is_answered_before_heavy_imports(tmp_path):
    import subprocess
    import sys

    code = (
        "import sys; from marshallian.cli import main; "
        "rc = main(['explore', '--out', 'p.html', '--model', 'dynamic']); "
        "print(rc, 'sympy' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, check=True
    )
    assert out.stdout.split() == ["2", "False"]


def test_generated_solver_covers_every_regime():
    """One generated entry per regime the enumeration visits (none dropped on symbols)."""
    from marshallian.solvers.enumeration import regimes
    from marshallian.solvers.jscode import solver_js

    text = solver_js(("alternative",))
    n_regimes = len(regimes((False, True, False, True)))
    south = text.split("south: [", 1)[1].split("pays:", 1)[0]
    assert south.count("regime: [") == n_regimes == 35


def test_report_section_writes_and_links_the_page(tmp_path):
    from marshallian.explore import report_section

    lines = report_section(tmp_path)
    assert lines[0] == "## 6. Interactive explorer"
    assert "[explore.html](explore.html)" in "\n".join(lines)
    assert (tmp_path / "explore.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_generated_solver_goes_through_the_disk_cache(tmp_path, monkeypatch):
    import marshallian.explore as explore
    import marshallian.solvers.jscode as jscode

    monkeypatch.setenv("MARSHALLIAN_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("MARSHALLIAN_NO_CACHE", raising=False)
    first = explore.build_page("standard")
    assert any(tmp_path.iterdir())

    def derive_again(*args, **kwargs):
        raise AssertionError("derived again")

    monkeypatch.setattr(jscode, "solver_js", derive_again)
    assert explore.build_page("standard") == first  # read back, signed
    with pytest.raises(AssertionError, match="derived again"):
        explore.build_page("standard", cache=False)
