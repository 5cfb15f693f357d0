"""The empirical side (seed 004): data validation, indices, KS tests, agglomeration counts,
the fixed-effect probit and its margins, tables, the synthetic panel and the command line.

Estimators are checked against independent implementations: statsmodels' ``Probit`` on dense
dummies (small data), pyfixest's ``feglm`` probit (moderate scale), SciPy's ``ks_2samp``,
econcomplex's location quotient and Hoover index, and brute-force loops written only here.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest
from conftest import run_cli_inprocess, run_cli_subprocess, snapshot
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from marshallian.empirics import (
    AGGLOMERATION_REGRESSORS,
    CORRECT_FE,
    CORRECT_X,
    REQUIRED_COLUMNS,
    TRUE_COEFFICIENTS,
    agglomerated,
    balassa_rca,
    build_regressors,
    ellison_glaeser,
    hoover_index,
    location_quotients,
    read_panel,
    simulate_panel,
)
from marshallian.empirics.ks import ks_table, ks_test
from marshallian.empirics.probit import probit, probit_splits, regression_table
from marshallian.errors import InvalidParameterError

X6 = ["export_lag", "tfp_lag", "ln_employment_lag", "ln_wage_lag", "agg1_1", "agg1_2"]


@pytest.fixture(scope="module")
def small():
    """A small synthetic panel with few FE levels (statsmodels can take dense dummies)."""
    return simulate_panel(1500, seed=4, counties=40, provinces=6, industries=12)


@pytest.fixture(scope="module")
def medium():
    return simulate_panel(6000, seed=5, counties=120, provinces=10, industries=30)


def _frame(rows):
    return pd.DataFrame(rows, columns=list(REQUIRED_COLUMNS))


def _tiny():
    return _frame(
        [
            [1, 2000, 10, 1, 1, 5.0, 1.0, 1.0, 10, 100.0, "indigenous"],
            [1, 2001, 10, 1, 1, 6.0, 0.0, 1.1, 11, 110.0, "indigenous"],
            [2, 2000, 20, 2, 1, 3.0, 0.0, 0.5, 5, 90.0, "foreign"],
            [2, 2001, 20, 2, 1, 4.0, 2.0, 0.6, 6, 95.0, "foreign"],
            [3, 2000, 10, 2, 1, 2.0, 0.0, 0.2, 4, 80.0, "indigenous"],
            [3, 2001, 10, 2, 1, 2.5, 0.0, 0.3, 4, 85.0, "indigenous"],
        ]
    )


# --------------------------------------------------------------------------- bad input
def _write_csv(tmp_path, frame, name="panel.csv"):
    path = tmp_path / name
    frame.to_csv(path, index=False)
    return path


def test_missing_column_is_named():
    with pytest.raises(InvalidParameterError, match="column wage"):
        read_panel(_tiny().drop(columns=["wage"]))


def test_non_numeric_value_names_column_value_and_csv_line(tmp_path):
    f = _tiny().astype({"employment": object})
    f.loc[3, "employment"] = "many"
    path = _write_csv(tmp_path, f)
    with pytest.raises(InvalidParameterError) as exc:
        read_panel(path)
    msg = str(exc.value)
    # header is line 1, so the fourth data row (index 3) is line 5
    assert "employment='many'" in msg and "line 5 of" in msg and "\n" not in msg


def test_unknown_ownership_label(tmp_path):
    f = _tiny()
    f.loc[1, "ownership"] = "state"
    with pytest.raises(InvalidParameterError, match=r"ownership='state'.*line 3"):
        read_panel(_write_csv(tmp_path, f))


@pytest.mark.parametrize(
    "col,value,rule",
    [
        ("employment", 0, "> 0"),
        ("wage", -1.0, "> 0"),
        ("exports", -2.0, ">= 0"),
        ("tfp", np.inf, "finite"),
        ("year", 2000.5, "integer"),
    ],
)
def test_out_of_range_values(col, value, rule):
    f = _tiny()
    f[col] = f[col].astype(float)
    f.loc[2, col] = value
    with pytest.raises(InvalidParameterError, match=rf"{col}=.*{rule}.*row 2"):
        read_panel(f)


def test_duplicate_firm_years_are_bad_input(tmp_path):
    f = pd.concat([_tiny(), _tiny().iloc[[1]]], ignore_index=True)
    with pytest.raises(InvalidParameterError, match=r"duplicate firm-year \(line 3 .* and line 8"):
        read_panel(_write_csv(tmp_path, f))


def test_county_in_two_provinces_and_year_without_exporters():
    f = _tiny()
    f.loc[5, "province"] = 9
    with pytest.raises(InvalidParameterError, match="more than one province"):
        read_panel(f)
    g = _tiny()
    g.loc[g["year"] == 2001, "exports"] = 0.0
    with pytest.raises(InvalidParameterError, match="year 2001 has no exporter"):
        read_panel(g)


def test_missing_value_and_unreadable_file(tmp_path):
    f = _tiny()
    f.loc[4, "tfp"] = np.nan
    with pytest.raises(InvalidParameterError, match=r"tfp.*missing value.*line 6"):
        read_panel(_write_csv(tmp_path, f))
    bad = tmp_path / "x.parquet"
    bad.write_text("not parquet")
    with pytest.raises(InvalidParameterError, match="unreadable"):
        read_panel(bad)


def test_parquet_and_csv_give_the_same_panel(tmp_path):
    sim = simulate_panel(300, seed=1)
    sim.panel.to_parquet(tmp_path / "p.parquet")
    sim.panel.to_csv(tmp_path / "p.csv", index=False)
    a = read_panel(tmp_path / "p.parquet")
    b = read_panel(tmp_path / "p.csv")
    assert len(a) == len(b) == len(sim.panel)
    np.testing.assert_allclose(a["tfp"], b["tfp"], rtol=1e-12)
    assert (a["ownership"].astype(str) == b["ownership"].astype(str)).all()


# --------------------------------------------------------------------------- indices
def test_location_quotient_by_hand():
    # 2000: industry 10 output 5 (county 1) + 2 (county 2); industry 20: 3 (county 2); x = 10
    lq = location_quotients(_tiny()).set_index(["year", "region", "industry"])["lq"]
    assert lq[(2000, 1, 10)] == pytest.approx((5 / 5) / (7 / 10))
    assert lq[(2000, 2, 10)] == pytest.approx((2 / 5) / (7 / 10))
    assert lq[(2000, 2, 20)] == pytest.approx((3 / 5) / (3 / 10))
    flag = agglomerated(_tiny())
    panel = read_panel(_tiny())
    firm3_2000 = (panel["firm"] == 3).to_numpy() & (panel["year"] == 2000).to_numpy()
    assert not flag[firm3_2000].any()  # LQ = 4/7 < 1


def test_location_quotient_and_hoover_match_econcomplex(small):
    econcomplex = pytest.importorskip("econcomplex", reason="econcomplex is in the test extra")
    panel = read_panel(small)
    ours = location_quotients(panel)
    hoov = hoover_index(panel).set_index(["year", "industry"])["hoover"]
    for year in (2001, 2005):
        p = panel[panel["year"] == year]
        mat = p.pivot_table(
            index="county", columns="industry", values="output", aggfunc="sum", fill_value=0.0
        )
        ref = econcomplex.location_quotient(mat)
        mine = ours[ours["year"] == year].set_index(["region", "industry"])["lq"]
        for (c, i), v in mine.items():
            assert v == pytest.approx(ref.loc[c, i], rel=1e-12)
        # cells without output have LQ 0 in econcomplex and are absent here
        assert (ref.to_numpy() > 0).sum() == (mine > 0).sum()
        href = econcomplex.hoover_index(mat) / 100.0
        for i, v in href.items():
            assert hoov[(year, i)] == pytest.approx(v, rel=1e-10)


def test_balassa_rca_is_the_quotient_on_exports(small):
    rca = balassa_rca(small).set_index(["year", "region", "industry"])
    lq = location_quotients(small, value="exports").set_index(["year", "region", "industry"])
    np.testing.assert_allclose(rca["lq"].fillna(-1), lq["lq"].fillna(-1))


def test_ellison_glaeser_against_a_loop():
    sim = simulate_panel(300, seed=7, counties=12, provinces=3, industries=5)
    panel = read_panel(sim)
    eg = ellison_glaeser(panel).set_index(["year", "industry"])
    p = panel[panel["year"] == 2003]
    x = p["output"].sum()
    s_j = {c: g["output"].sum() / x for c, g in p.groupby("county")}
    for i, gi in p.groupby("industry"):
        xi = gi["output"].sum()
        G = sum((gi[gi["county"] == c]["output"].sum() / xi - s) ** 2 for c, s in s_j.items())
        H = sum((v / xi) ** 2 for v in gi["output"])
        s2 = sum(s * s for s in s_j.values())
        gamma = (G - (1 - s2) * H) / ((1 - s2) * (1 - H))
        assert eg.loc[(2003, i), "ellison_glaeser"] == pytest.approx(gamma, rel=1e-9, abs=1e-12)
        assert eg.loc[(2003, i), "G"] == pytest.approx(G, rel=1e-9)


# --------------------------------------------------------------------------- regressors
def _random_panel(seed=0, firms=30):
    """Firms that change county, industry and ownership, with gaps and a missing year."""
    rng = np.random.default_rng(seed)
    rows = []
    for f in range(firms):
        for year in (2000, 2001, 2003, 2004, 2005):  # 2002 absent from the panel
            if rng.random() < 0.2:
                continue
            county = int(rng.integers(1, 7))
            rows.append(
                [
                    f,
                    year,
                    int(rng.integers(1, 4)),
                    county,
                    (county - 1) // 3 + 1,
                    float(rng.uniform(1, 5)),
                    float(rng.uniform(0.5, 2)) if rng.random() < 0.5 else 0.0,
                    float(rng.normal()),
                    float(rng.integers(1, 50)),
                    float(rng.uniform(50, 150)),
                    "foreign" if rng.random() < 0.4 else "indigenous",
                ]
            )
    return _frame(rows)


def _brute_force(frame):
    recs = frame.to_dict("records")
    years = {r["year"] for r in recs}
    by_key = {(r["firm"], r["year"]): r for r in recs}
    out = []
    for r in recs:
        t, f = r["year"], r["firm"]
        prev = by_key.get((f, t - 1))
        row = {"firm": f, "year": t}
        row["export_lag"] = float(prev["exports"] > 0) if prev else np.nan
        row["tfp_lag"] = prev["tfp"] if prev else np.nan
        row["ln_employment_lag"] = math.log(prev["employment"]) if prev else np.nan
        row["ln_wage_lag"] = math.log(prev["wage"]) if prev else np.nan
        if t - 1 not in years:
            for n in AGGLOMERATION_REGRESSORS:
                row[n] = np.nan
        else:
            ex = [g for g in recs if g["year"] == t - 1 and g["exports"] > 0 and g["firm"] != f]
            c, i, prov = r["county"], r["industry"], r["province"]
            row["agg1_1"] = sum(g["county"] == c and g["industry"] == i for g in ex)
            row["agg1_2"] = sum(g["county"] == c and g["industry"] != i for g in ex)
            for name, own in (("agg2", "indigenous"), ("agg3", "foreign")):
                row[f"{name}_1"] = sum(g["county"] == c and g["ownership"] == own for g in ex)
                row[f"{name}_2"] = sum(
                    g["province"] == prov and g["county"] != c and g["ownership"] == own for g in ex
                )
        out.append(row)
    return pd.DataFrame(out).sort_values(["firm", "year"]).reset_index(drop=True)


def _assert_match_brute_force(reg, ref, names):
    """Each regressor of ``names`` equals the brute-force loop's to 1e-12 (NaN where it is)."""
    for name in names:
        np.testing.assert_allclose(
            reg[name].to_numpy(),
            ref[name].to_numpy(dtype=float),
            rtol=1e-12,
            equal_nan=True,
            err_msg=name,
        )


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_regressors_match_a_brute_force_loop(seed):
    frame = _random_panel(seed)
    reg = build_regressors(frame)
    lags = ("export_lag", "tfp_lag", "ln_employment_lag", "ln_wage_lag")
    _assert_match_brute_force(reg, _brute_force(frame), (*lags, *AGGLOMERATION_REGRESSORS))
    entry = (1 - reg["export_lag"]) * reg["agg1_1"]
    np.testing.assert_allclose(reg["entry_agg1_1"], entry, equal_nan=True)


@settings(max_examples=20, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), firms=st.integers(4, 25))
def test_property_regressors_match_brute_force(seed, firms):
    frame = _random_panel(seed, firms)
    try:
        reg = build_regressors(frame)
    except InvalidParameterError:
        assume(False)  # e.g. a year without exporters: not a panel
    names = ("export_lag", "tfp_lag", *AGGLOMERATION_REGRESSORS)
    _assert_match_brute_force(reg, _brute_force(frame), names)


def test_agg1_1_matches_the_generator(medium):
    reg = build_regressors(medium, ["agg1_1"])
    ok = reg["has_lag"].to_numpy()
    assert ok.mean() > 0.8
    np.testing.assert_array_equal(reg["agg1_1"].to_numpy()[ok], medium.agg1_1[ok])


# --------------------------------------------------------------------------- KS
def test_ks_matches_scipy_asymptotic():
    from scipy.stats import ks_2samp

    rng = np.random.default_rng(3)
    a = np.round(rng.normal(0.1, 1, 2500), 1)  # ties within and across samples
    b = np.round(rng.normal(0, 1.3, 900), 1)
    t = ks_test(a, b)
    two = ks_2samp(a, b, method="asymp")
    gt = ks_2samp(a, b, alternative="greater", method="asymp")
    lt = ks_2samp(a, b, alternative="less", method="asymp")
    from scipy.stats import kstwobign

    assert t.d == pytest.approx(two.statistic, rel=1e-12)
    assert abs(math.log(t.p / two.pvalue)) < 0.25  # finite-n vs the limit, far tail
    en = len(a) * len(b) / (len(a) + len(b))
    assert t.p == pytest.approx(kstwobign.sf(math.sqrt(en) * t.d), rel=1e-12)
    assert (t.d_a_dominates, t.p_a_dominates) == pytest.approx((gt.statistic, gt.pvalue), rel=1e-12)
    assert (t.d_b_dominates, t.p_b_dominates) == pytest.approx(
        (-lt.statistic, lt.pvalue), rel=1e-12
    )


def test_two_sided_p_near_the_finite_sample_one_at_the_papers_sizes():
    from scipy.stats import ks_2samp

    rng = np.random.default_rng(5)
    checked = 0
    for shift in (0.0, 0.01, 0.02, 0.03):
        a, b = rng.normal(shift, 1, 40_000), rng.normal(0, 1, 20_000)  # nm/(n+m) ~ 13,000
        ref = ks_2samp(a, b, method="asymp").pvalue
        got = ks_test(a, b).p
        if ref > 1e-2:
            assert got == pytest.approx(ref, rel=1e-2)
            checked += 1
    assert checked >= 2


def test_ks_sign_conventions_on_a_known_shift():
    # A's TFP is B's shifted right: F_A <= F_B everywhere, A dominates B (models.md 7.2).
    rng = np.random.default_rng(11)
    b = rng.normal(0.0, 1.0, 4000)
    a = rng.normal(0.5, 1.0, 3000)
    t = ks_test(a, b)
    assert t.d_b_dominates < -0.15 and t.p_b_dominates < 1e-6  # "H0: A < B" rejected
    assert 0 <= t.d_a_dominates < 0.03 and t.p_a_dominates > 0.05  # "H0: A > B" not
    assert t.d == pytest.approx(-t.d_b_dominates)
    assert t.verdict() == "A dominates B"
    assert ks_test(b, a).verdict() == "B dominates A"
    same = ks_test(rng.normal(size=2000), rng.normal(size=2000))
    assert same.verdict() == "no difference"


def test_ks_table_layout_and_empty_group(medium):
    tab = ks_table(medium)
    f = tab.frame
    years = sorted(read_panel(medium)["year"].unique())
    assert list(f["panel"].unique()) == ["a", "b", "c", "d"]
    assert len(f) == 4 * len(years)
    assert (f["d_a_dominates"] >= 0).all() and (f["d_b_dominates"] <= 0).all()
    np.testing.assert_allclose(f["d"], np.maximum(f["d_a_dominates"], -f["d_b_dominates"]))
    # the group sizes of panel a and d share group A (domestic, not agglomerated)
    a, d = f[f["panel"] == "a"], f[f["panel"] == "d"]
    assert (a["n_a"].to_numpy() == d["n_a"].to_numpy()).all()
    assert "H0: A > B" in str(tab) and r"\toprule" in tab.to_latex()
    frame = read_panel(medium)
    only = frame[~((frame["exports"] > 0) & ~agglomerated(frame))].reset_index(drop=True)
    with pytest.raises(InvalidParameterError, match=r"group='exporters, not agglomerated'"):
        ks_table(only)


# --------------------------------------------------------------------------- probit
def _dense(panel_like, x, fe):
    panel = read_panel(panel_like)
    reg = build_regressors(panel, x)
    d = pd.concat([panel, reg.drop(columns=["has_lag"])], axis=1)[reg["has_lag"].to_numpy()]
    dums = [pd.get_dummies(d[g], prefix=g, drop_first=True, dtype=float) for g in fe]
    exog = pd.concat(
        [d[x].astype(float), pd.Series(1.0, index=d.index, name="const")] + dums, axis=1
    )
    return d, exog


@pytest.fixture(scope="module")
def statsmodels_fit(small):
    sm = pytest.importorskip("statsmodels.api", reason="statsmodels is in the test extra")
    fe = ["year", "industry", "province"]
    d, exog = _dense(small, X6, fe)
    m = sm.Probit(d["export"].astype(float), exog).fit(
        method="newton", tol=1e-12, maxiter=100, disp=0
    )
    return d, exog, m, probit(small, X6, fe)


def test_probit_matches_statsmodels_on_dense_dummies(statsmodels_fit):
    d, _exog, m, res = statsmodels_fit
    assert res.n_obs == len(d) and res.n_dropped == 0
    for v in X6:
        assert res.coef[v] == pytest.approx(m.params[v], abs=1e-6)
        assert res.se[v] == pytest.approx(m.bse[v], abs=1e-6, rel=1e-6)
        assert res.se_iid[v] == res.se[v]
    assert res.intercept == pytest.approx(m.params["const"], abs=1e-6)
    assert res.loglik == pytest.approx(m.llf, abs=1e-6)
    assert res.pseudo_r2 == pytest.approx(m.prsquared, abs=1e-6)
    assert res.loglik_null == pytest.approx(m.llnull, abs=1e-6)


def test_margins_match_statsmodels_get_margeff(statsmodels_fit):
    _d, exog, m, res = statsmodels_fit
    names = list(exog.columns.drop("const"))
    at_mean = m.get_margeff(at="mean")
    me = dict(zip(names, at_mean.margeff))
    me_se = dict(zip(names, at_mean.margeff_se))
    overall = m.get_margeff(at="overall")
    ame = dict(zip(names, overall.margeff))
    ame_se = dict(zip(names, overall.margeff_se))
    for v in X6:
        assert res.me[v] == pytest.approx(me[v], abs=1e-8, rel=1e-6)
        assert res.me_se[v] == pytest.approx(me_se[v], abs=1e-8, rel=1e-6)
        assert res.ame[v] == pytest.approx(ame[v], abs=1e-8, rel=1e-6)
        assert res.ame_se[v] == pytest.approx(ame_se[v], abs=1e-8, rel=1e-6)
    # Table 7: one regressor at its min / max, all others (dummies included) at means
    cols = list(exog.columns)
    for j in ("export_lag", "tfp_lag", "agg1_1"):
        for end, value in (("min", exog[j].min()), ("max", exog[j].max())):
            ref = m.get_margeff(at="mean", atexog={cols.index(j): value})
            got = res.margins_at[j][end]
            ref_me = dict(zip(names, ref.margeff))
            ref_se = dict(zip(names, ref.margeff_se))
            for v in X6:
                assert got[v] == pytest.approx(ref_me[v], abs=1e-8, rel=1e-6)
                assert res.margins_at_se[j][end][v] == pytest.approx(ref_se[v], abs=1e-8, rel=1e-6)


def test_clustered_covariance_matches_statsmodels(small, statsmodels_fit):
    sm = pytest.importorskip("statsmodels.api", reason="statsmodels is in the test extra")
    d, exog, _, _ = statsmodels_fit
    groups = pd.factorize(d["firm"])[0]
    m = sm.Probit(d["export"].astype(float), exog).fit(
        method="newton",
        tol=1e-12,
        maxiter=100,
        disp=0,
        cov_type="cluster",
        cov_kwds={"groups": groups, "use_correction": False},
    )
    G = len(np.unique(groups))
    res = probit(small, X6, ["year", "industry", "province"], cluster="firm")
    assert res.vcov == "cluster:firm"
    factor = math.sqrt(G / (G - 1))  # Stata's small-sample factor
    names = list(exog.columns.drop("const"))
    me_se = dict(zip(names, m.get_margeff(at="mean").margeff_se))
    for v in X6:
        assert res.se[v] == pytest.approx(m.bse[v] * factor, rel=1e-6)
        assert res.me_se[v] == pytest.approx(me_se[v] * factor, rel=1e-6)


def test_probit_matches_pyfixest_at_moderate_scale(medium):
    pf = pytest.importorskip("pyfixest", reason="pyfixest is in the test extra")
    fe = ["year", "industry", "county"]
    res = probit(medium, X6, fe)
    expected = probit(medium, X6, fe, information="expected")
    panel = read_panel(medium)
    reg = build_regressors(panel, X6)
    d = pd.concat([panel, reg.drop(columns=["has_lag"])], axis=1)[reg["has_lag"].to_numpy()]
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        m = pf.feglm(
            "export ~ " + " + ".join(X6) + " | " + " + ".join(fe),
            data=d,
            family="probit",
            vcov="iid",
            ssc=pf.ssc(k_adj=False, G_adj=False),
            iwls_tol=1e-12,
            iwls_maxiter=100,
        )
    coef, se = m.coef(), m.se()
    assert abs(res.n_obs - int(m._N)) <= 0.001 * res.n_obs
    for v in X6:
        assert res.coef[v] == pytest.approx(coef[v], abs=1e-6)
        # pyfixest inverts the expected information (IRLS weights), statsmodels and this
        # package by default the observed Hessian: equal asymptotically, close here
        assert res.se[v] == pytest.approx(se[v], rel=5e-2)
        assert expected.se[v] == pytest.approx(se[v], rel=1e-6)


def test_perfectly_predicted_levels_are_dropped_and_counted(small):
    panel = read_panel(small).copy()
    panel.attrs = {}
    ind = panel["industry"].unique()[0]
    never = panel["industry"] == ind
    panel.loc[never, "exports"] = 0.0
    base = probit(small, X6, ["year", "industry", "province"])
    res = probit(panel, X6, ["year", "industry", "province"])
    assert res.dropped_levels["industry"] >= 1
    reg = build_regressors(panel, X6)
    in_sample = reg["has_lag"].to_numpy()
    dropped = int((never.to_numpy() & in_sample).sum())
    assert res.n_dropped >= dropped and res.n_obs + res.n_dropped == in_sample.sum()
    assert res.n_obs < base.n_obs


def test_nested_fixed_effects_are_identified(small):
    a = probit(small, X6[:4], ["year", "county"])
    b = probit(small, X6[:4], ["year", "county", "province"])  # province is redundant
    for v in X6[:4]:
        assert b.coef[v] == pytest.approx(a.coef[v], abs=1e-8)
        assert b.se[v] == pytest.approx(a.se[v], rel=1e-7)
    assert b.loglik == pytest.approx(a.loglik, abs=1e-6)


def test_regressor_problems_are_bad_input(small):
    panel = read_panel(small).copy()
    panel["constant_col"] = 3.0
    panel["y_copy"] = (panel["exports"] > 0).astype(float)
    panel["twice_tfp"] = 2 * panel["tfp"]
    with pytest.raises(InvalidParameterError, match="constant_col.*no variation"):
        probit(panel, ["tfp", "constant_col"], ["year"])
    with pytest.raises(InvalidParameterError, match="y_copy.*separation"):
        probit(panel, ["tfp", "y_copy"], ["year"])
    with pytest.raises(InvalidParameterError, match="twice_tfp.*linear combination"):
        probit(panel, ["tfp", "twice_tfp"], ["year"])
    with pytest.raises(InvalidParameterError, match="--x='nope'"):
        probit(panel, ["nope"], ["year"])
    with pytest.raises(InvalidParameterError, match="--sample"):
        probit(panel, ["tfp"], ["year"], sample={"ownership": "martian"})
    holes = panel.copy()
    holes["sector"] = np.where(np.arange(len(holes)) == 7, np.nan, 1.0 + (holes["tfp"] > 3))
    with pytest.raises(InvalidParameterError, match="--fe='sector': column has missing values"):
        probit(holes, ["tfp"], ["sector"])
    with pytest.raises(InvalidParameterError, match="--cluster='sector'"):
        probit(holes, ["tfp"], ["year"], cluster="sector")


def test_numeric_sample_values_match_as_numbers(small):
    panel = read_panel(small).copy()
    panel["coastal"] = panel["coastal"].astype(float)  # 0.0 / 1.0
    a = probit(panel, X6[:3], ["year"], sample={"coastal": "1"})  # as from --sample coastal=1
    b = probit(panel, X6[:3], ["year"], sample={"coastal": 1})
    assert a.n_obs == b.n_obs > 0 and a.coef == b.coef


def test_synthetic_moments_near_table_1():
    p = read_panel(simulate_panel(4000, seed=6))  # the default geography
    share = (p["exports"] > 0).groupby(p["year"]).mean()
    assert share.between(0.2, 0.32).all()  # Table 1: 0.258 (2001), 0.274 (2007)
    reg = build_regressors(p, ["export_lag"])
    ok = reg["has_lag"].to_numpy()
    stay = reg["export"].to_numpy()[ok][reg["export_lag"].to_numpy()[ok] == 1].mean()
    enter = reg["export"].to_numpy()[ok][reg["export_lag"].to_numpy()[ok] == 0].mean()
    assert stay > 0.8 and enter < 0.15  # strong persistence
    assert simulate_panel(300, seed=9).panel.equals(simulate_panel(300, seed=9).panel)


@pytest.mark.slow
def test_correct_specification_recovers_the_structural_parameters():
    sim = simulate_panel(16_000, seed=21)
    res = probit(sim, list(CORRECT_X), list(CORRECT_FE))
    b = np.array([res.coef[v] for v in CORRECT_X])
    truth = np.array([TRUE_COEFFICIENTS[v] for v in CORRECT_X])
    z = (b - truth) / np.array([res.se[v] for v in CORRECT_X])
    assert np.all(np.abs(z) < 3.5), dict(zip(CORRECT_X, z))
    # joint Wald test of the truth (5 restrictions), 0.1 % level
    from scipy.stats import chi2

    V = res.covariance[: len(CORRECT_X), : len(CORRECT_X)]
    wald = float((b - truth) @ np.linalg.solve(V, b - truth))
    assert chi2.sf(wald, len(CORRECT_X)) > 1e-3
    # the paper's reduced form on the same data: reported beside the truth
    from marshallian.empirics.synthetic import true_margins

    table = true_margins(sim, res)
    assert {"regressor", "true_me", "estimated_me"} <= set(table.columns)


def test_sample_splits_and_tables(small):
    splits = probit_splits(small, "ownership", X6[:4], ["year", "province"])
    assert set(splits) == {"foreign", "indigenous"}
    total = probit(small, X6[:4], ["year", "province"])
    assert (
        splits["foreign"].n_obs
        + splits["indigenous"].n_obs
        + splits["foreign"].n_dropped
        + splits["indigenous"].n_dropped
        == total.n_obs + total.n_dropped
    )
    tex = regression_table([total, splits["indigenous"], splits["foreign"]])
    assert tex.count(r"\toprule") == 1 and r"\bottomrule" in tex and "$^{***}$" in tex
    assert "export\\_lag" in tex and "Pseudo $R^2$" in tex
    csv = regression_table([total], fmt="csv")
    back = pd.read_csv(__import__("io").StringIO(csv))
    assert list(back["term"][:4]) == X6[:4]
    assert back.loc[0, "coef"] == total.coef["export_lag"]
    assert "export_lag" in str(total) and "<table" in total._repr_html_()
    t7 = total.extremes_frame()
    assert t7.shape == (2 * 4, 4)


def test_density_figure(small):
    from marshallian.empirics.figures import tfp_densities

    fig = tfp_densities(small, 2005)
    assert len(fig.axes[0].lines) == 4


# --------------------------------------------------------------------------- CLI
def _cli(tmp_path, *args):
    """The command in this process (the shared runner of ``tests/conftest.py``)."""
    return run_cli_inprocess(list(args), tmp_path)


def _empirics(tmp_path, command, options, *, data=None, out=None):
    """``marshallian empirics COMMAND [--data DATA] [--out OUT] OPTIONS`` in this process;
    ``options`` are words split on spaces."""
    files = [] if data is None else ["--data", str(data)]
    files += [] if out is None else ["--out", str(out)]
    return _cli(tmp_path, "empirics", command, *files, *options.split())


@pytest.fixture(scope="module")
def panel_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("emp") / "panel.parquet"
    simulate_panel(2500, seed=3).panel.to_parquet(path)
    return path


def test_cli_simulate_writes_the_panel(tmp_path):
    path = tmp_path / "sim.csv"
    out = _empirics(tmp_path, "simulate", "--firms 400 --seed 3 --format json", out=path)
    assert out.returncode == 0, out.stderr
    info = json.loads(out.stdout)
    assert info["rows"] == 400 * 8 and info["correct_fe"] == list(CORRECT_FE)
    back = read_panel(path)
    ref = simulate_panel(400, seed=3).panel
    np.testing.assert_allclose(back["tfp"], ref["tfp"], rtol=1e-12)


def test_cli_lq_and_ks_json_fields(tmp_path, panel_file):
    out = _empirics(tmp_path, "lq", "--format json", data=panel_file)
    assert out.returncode == 0, out.stderr
    rows = json.loads(out.stdout)
    assert {"year", "region", "industry", "lq", "agglomerated"} <= set(rows[0])
    assert all(r["agglomerated"] == (r["lq"] is not None and r["lq"] > 1) for r in rows)
    out = _empirics(tmp_path, "ks", "--format json", data=panel_file)
    assert out.returncode == 0, out.stderr
    rows = json.loads(out.stdout)
    need = {
        "panel",
        "year",
        "n_a",
        "n_b",
        "d",
        "p",
        "d_a_dominates",
        "p_a_dominates",
        "d_b_dominates",
        "p_b_dominates",
        "verdict",
    }
    assert need <= set(rows[0]) and len(rows) == 4 * 8
    assert all(r["d_b_dominates"] <= 0 <= r["d_a_dominates"] for r in rows)


def test_cli_probit_json_fields(tmp_path, panel_file):
    options = "--x export_lag,tfp_lag,agg1_1 --fe year,industry --at-extremes --format json"
    out = _empirics(tmp_path, "probit", options, data=panel_file)
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    for key in ("n_obs", "loglik", "pseudo_r2", "coef", "se", "me", "margins_at"):
        assert key in doc
    assert (
        set(doc["coef"]) == set(doc["se"]) == set(doc["me"]) == {"export_lag", "tfp_lag", "agg1_1"}
    )
    assert set(doc["margins_at"]["tfp_lag"]) == {"min", "max"}
    assert set(doc["margins_at"]["tfp_lag"]["min"]) == set(doc["coef"])
    res = probit(read_panel(panel_file), ["export_lag", "tfp_lag", "agg1_1"], ["year", "industry"])
    assert doc["coef"]["tfp_lag"] == res.coef["tfp_lag"] and doc["n_obs"] == res.n_obs
    options = "--format latex --sample ownership=foreign --fe year"
    tex = _empirics(tmp_path, "probit", options, data=panel_file)
    assert tex.returncode == 0 and r"\toprule" in tex.stdout


@pytest.mark.parametrize(
    "args,needle",
    [
        (["probit", "--x", "tfp_lag,,agg1_1"], "--x="),
        (["probit", "--x", "nope"], "--x='nope'"),
        (["probit", "--fe", "galaxy"], "--fe='galaxy'"),
        (["probit", "--sample", "ownership"], "--sample='ownership'"),
        (["ks", "--level", "2"], "--level=2"),
        (["lq", "--region", "planet"], "--region='planet'"),
    ],
)
def test_cli_bad_options_exit_2_with_one_line(tmp_path, panel_file, args, needle):
    out = _cli(tmp_path, "empirics", args[0], "--data", str(panel_file), *args[1:])
    assert out.returncode == 2, out.stderr
    assert out.stdout == "" and len(out.stderr.strip().splitlines()) == 1
    assert needle in out.stderr and "Traceback" not in out.stderr


def test_cli_bad_data_exit_2_and_nothing_written(tmp_path):
    f = _tiny().astype({"wage": object})
    f.loc[2, "wage"] = "n/a?"
    path = _write_csv(tmp_path, f)
    out = _empirics(tmp_path, "ks", "--format json", data=path)
    assert out.returncode == 2 and out.stdout == ""
    assert out.stderr.strip().count("\n") == 0
    assert "wage='n/a?'" in out.stderr and "line 4" in out.stderr
    missing = _cli(tmp_path, "empirics", "lq", "--data", str(tmp_path / "absent.csv"))
    assert missing.returncode == 2 and "file not found" in missing.stderr
    target = tmp_path / "out.txt"
    bad = _cli(tmp_path, "empirics", "simulate", "--out", str(target))
    assert bad.returncode == 2 and not target.exists()
    bad = _cli(tmp_path, "empirics", "simulate", "--out", str(tmp_path / "p.csv"), "--firms", "3")
    assert bad.returncode == 2 and "firms=3" in bad.stderr
    assert not (tmp_path / "p.csv").exists()
    assert list(tmp_path.glob(".*tmp")) == []


def test_cli_process_exit_code_on_bad_data(tmp_path):
    """The installed command, as a process: exit 2, one line, no traceback, nothing written."""
    f = _tiny()
    f.loc[0, "ownership"] = "martian"
    path = _write_csv(tmp_path, f)
    before = snapshot(tmp_path)
    out = run_cli_subprocess(["empirics", "lq", "--data", str(path)], tmp_path)
    assert out.returncode == 2 and out.stdout == ""
    assert out.stderr.count("\n") == 1 and "ownership='martian'" in out.stderr
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("module", ["data", "indices", "regressors", "ks", "probit", "synthetic"])
def test_docstring_examples(module):
    import doctest
    import importlib

    mod = importlib.import_module(f"marshallian.empirics.{module}")
    result = doctest.testmod(mod, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0 and result.attempted > 0
