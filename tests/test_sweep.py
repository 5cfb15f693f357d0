"""Region-map sweeps (marshallian.sweep): axes, compiled conditions, agreement with solve."""

import pickle
import warnings

import numpy as np
import pytest
import sympy as sp
from _helpers import draw_alternative_points
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from marshallian import sweep as sw
from marshallian.errors import DegenerateEquilibriumWarning, InvalidParameterError
from marshallian.models import get_model
from marshallian.solvers.conditions import derive_conditions
from marshallian.solvers.equilibrium import solve

ALT = get_model("alternative")


# --------------------------------------------------------------------------- axes
def test_axes_linear_and_log_keep_exact_ends():
    a = sw.parse_axis("lam_1S=0.5:2:4")
    assert a.name == "lam_1S" and np.allclose(a.values, [0.5, 1.0, 1.5, 2.0])
    g = sw.parse_axis("alpha=log:0.001:0.1:3")
    assert g.log and g.values[0] == 0.001 and g.values[-1] == 0.1
    assert g.values[1] == pytest.approx(0.01)
    one = sw.parse_axis("beta=0.3:0.3:1")
    assert one.values.tolist() == [0.3]


@pytest.mark.parametrize(
    "text, rule",
    [
        ("lam_1S=2:1:10", "inverted"),
        ("lam_1S=1:1:10", "empty"),
        ("lam_1S=1:2:0", "at least one point"),
        ("lam_1S=1:2:-3", "at least one point"),
        ("lam_1S=log:-1:2:5", "zero"),
        ("lam_1S=log:0:2:5", "zero"),
        ("lam_1S=1:2", "NAME=START:STOP:N"),
        ("lam_1S=a:2:3", "numbers"),
        ("lam_1S=1:inf:3", "finite"),
        ("lam_1S=1:2:2.5", "integer"),
    ],
)
def test_bad_axes_name_the_culprit(text, rule):
    with pytest.raises(InvalidParameterError) as exc:
        sw.parse_axis(text)
    assert "lam_1S" in str(exc.value) and rule in str(exc.value)


def test_unknown_names_and_invalid_boxes_are_rejected():
    with pytest.raises(InvalidParameterError, match="foo"):
        sw.sweep(ALT, {"foo": "1:2:3"})
    with pytest.raises(InvalidParameterError, match="bar"):
        sw.sweep(ALT, {"lam_1S": "1:2:3"}, {"bar": 1.0})
    with pytest.raises(InvalidParameterError, match="beta"):  # 0 < beta < 1 at a corner
        sw.sweep(ALT, {"beta": "0.5:1.5:3"})
    with pytest.raises(InvalidParameterError, match="theta_1"):  # theta_1 > 1 at a corner
        sw.sweep(ALT, {"alpha": "0.001:0.02:3"})
    with pytest.raises(InvalidParameterError, match="point 1: beta"):
        sw.sweep(ALT, points={"beta": [0.5, 1.2]})


# --------------------------------------------------------------------------- results
def test_grid_result_shape_types_and_paper_regions():
    r = sw.sweep(ALT, {"lam_1S": "0.5:2:31", "lam_2S": "log:0.5:2:29"})
    entries = derive_conditions(ALT)
    assert r.types == tuple(e.label for e in entries)  # 15 types in §3
    assert len(r.types) == 15
    assert r.stable.tolist() == [e.stable for e in entries]
    assert r.shape == (31, 29) and r.exists.shape == (31, 29, 15)
    assert r.near_boundary.shape == (31, 29, 15) and r.near_any.shape == (31, 29)
    assert list(r.axes) == ["lam_1S", "lam_2S"] and r.applies.all()
    # §3 (A3): with the defaults' theta_1 = 2.5, theta_2 = 3.5, specialisation in 1 with a
    # cluster exists iff (lam_2S/lam_2N)/(lam_1S/lam_1N) <= theta_2; at lam_1S = 0.5 and
    # lam_2S = 2 the ratio is 4 > 3.5: it does not.
    k = r.types.index("1:modern")
    assert not r.exists[0, -1, k] and r.exists[-1, 0, k]
    assert r.bits.dtype == np.uint16 and r.type_bits.max() < 2**15


def test_exact_boundary_is_flagged_not_guessed():
    # 1:backward exists iff lam_1N lam_2S theta_1 <= lam_1S lam_2N theta_2, i.e. with the
    # defaults (theta_1 = 2.5, theta_2 = 3.5, other lambdas 1) iff lam_2S <= 1.4.
    r = sw.sweep(ALT, {"lam_2S": [1.3, 1.4, 1.5]})
    k = r.types.index("1:backward")
    assert r.near_boundary[:, k].tolist() == [False, True, False]
    assert r.exists[0, k] and not r.exists[2, k]
    assert r.counts()["1:backward"] == 1  # the flagged point is not counted


def test_monotone_flags_only_when_the_verdict_can_change():
    # Hand-built conditions, in this test only: (x > 1) | (y > 1), and (x > 1) & (y > 1).
    x, y = sp.symbols("x y", positive=True)
    cc = sw.compile_conditions(
        ["x", "y"], [sp.Or(x > 1, y > 1), sp.And(x > 1, y > 1)], ["or", "and"]
    )
    e, d = cc.evaluate({"x": np.array([1.0, 1.0, 1.0, 2.0]), "y": np.array([2.0, 0.5, 1.0, 3.0])})
    exists = [[bool(v >> i & 1) for i in range(2)] for v in e]
    near = [[bool(v >> i & 1) for i in range(2)] for v in d]
    assert near == [[False, True], [True, False], [True, True], [False, False]]
    assert exists[0][0] and not exists[1][1] and exists[3] == [True, True]


def test_type_without_closed_form_is_always_undecided():
    x = sp.Symbol("x", positive=True)
    cc = sw.compile_conditions(["x"], [x > 1, None], ["a", "b"])
    e, d = cc.evaluate({"x": np.array([0.5, 2.0])})
    assert (e & 2).tolist() == [0, 0] and (d & 2).tolist() == [2, 2]


def test_premise_failure_clears_types():
    # North's full cluster in sector 2 needs mu_2 L_N >= Lbar_2 = 150: L_N >= 300.
    r = sw.sweep(ALT, {"L_N": [200.0, 300.0, 1000.0]})
    assert r.applies.tolist() == [False, False, True] or r.applies.tolist() == [False, True, True]
    assert r.type_bits[0] == 0 and r.near_bits[0] == 0
    assert r.near_any.tolist() == [False, True, False]  # L_N = 300 is the boundary
    assert r.exists[2].any()


def test_chunking_and_blocks_do_not_change_the_answer():
    axes = {"lam_1S": "0.5:2:53", "L_S": "log:50:500:41"}
    a = sw.sweep(ALT, axes)
    b = sw.sweep(ALT, axes, block=97)
    assert np.array_equal(a.bits, b.bits) and np.array_equal(a.near_bits, b.near_bits)


@pytest.mark.skipif(not sw.numba_available(), reason="numba (extra 'fast') not installed")
def test_numba_and_numpy_kernels_agree():
    rng = np.random.default_rng(7)
    pts = draw_alternative_points(rng, 5000)
    a = sw.sweep(ALT, points=pts, backend="numpy", validate=False)
    b = b2 = sw.sweep(ALT, points=pts, backend="numba", validate=False)
    assert b.backend == "numba"
    assert np.array_equal(a.bits, b.bits) and np.array_equal(a.near_bits, b.near_bits)
    # exact boundaries (second pass of the Numba loop): 1:backward at lam_2S = 1.4, the
    # premise at L_N = 300
    axes = {"lam_2S": [1.3, 1.4, 1.5], "L_N": [200.0, 300.0, 1000.0]}
    a = sw.sweep(ALT, axes, backend="numpy")
    b = sw.sweep(ALT, axes, backend="numba")
    assert a.near_any.sum() == 4  # the L_N = 300 row, and lam_2S = 1.4 at L_N = 1000
    assert np.array_equal(a.bits, b.bits) and np.array_equal(a.near_bits, b.near_bits)
    c = sw.sweep(ALT, points=pts, backend="numba", validate=False, threads=2)
    assert np.array_equal(c.bits, b2.bits) and np.array_equal(c.near_bits, b2.near_bits)


def test_save_npz_round_trip_and_atomicity(tmp_path):
    r = sw.sweep(ALT, {"lam_1S": "0.5:2:5", "lam_2S": "0.5:2:4"}, {"beta": 0.4})
    path = r.save(tmp_path / "map.npz")
    with np.load(path, allow_pickle=False) as z:
        assert z["bits"].shape == (5, 4) and list(z["types"]) == list(r.types)
        assert np.array_equal(z["bits"], r.bits) and np.array_equal(
            z["axis_lam_2S"], r.axes["lam_2S"]
        )
        fixed = dict(zip(z["fixed_names"], z["fixed_values"]))
        assert fixed["beta"] == 0.4
    with pytest.raises(InvalidParameterError):
        r.save(tmp_path / "map.txt")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["map.npz"]


def test_pickle_rebuilds_the_compiled_kernel():
    cc = sw.model_conditions(ALT)
    back = pickle.loads(pickle.dumps(cc))
    assert back is cc or back.digest == cc.digest


def test_load_points_csv_npz_json(tmp_path):
    (tmp_path / "p.csv").write_text("lam_1S,lam_2S\n1.0,0.8\n1.2,0.9\n")
    np.savez(tmp_path / "p.npz", lam_1S=np.array([1.0, 1.2]), lam_2S=np.array([0.8, 0.9]))
    (tmp_path / "p.json").write_text(
        '[{"lam_1S": 1.0, "lam_2S": 0.8}, {"lam_1S": 1.2, "lam_2S": 0.9}]'
    )
    for name in ("p.csv", "p.npz", "p.json"):
        pts = sw.load_points(tmp_path / name)
        assert pts["lam_2S"].tolist() == [0.8, 0.9]
    (tmp_path / "bad.csv").write_text("lam_1S\nfoo\n")
    with pytest.raises(InvalidParameterError, match="bad.csv"):
        sw.load_points(tmp_path / "bad.csv")


# --------------------------------------------------------------------------- agreement
def _solve_types(params):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegenerateEquilibriumWarning)
        sol = solve(ALT, params)
    return {sw.equilibrium_type(e) for e in sol.equilibria}, any(
        e.degenerate for e in sol.equilibria
    )


def test_sweep_matches_enumeration_on_random_draws():
    rng = np.random.default_rng(2024)
    n = 600
    pts = draw_alternative_points(rng, n)
    r = sw.sweep(ALT, points=pts)
    decided = 0
    for i in range(n):
        got, degenerate = _solve_types({k: float(v[i]) for k, v in pts.items()})
        if r.near_any[i] or degenerate:
            continue
        decided += 1
        assert {t for k, t in enumerate(r.types) if r.exists[i, k]} == got, i
    assert decided >= 0.98 * n


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    lam=st.lists(st.floats(0.2, 5.0), min_size=4, max_size=4),
    beta=st.floats(0.01, 0.99),
    alpha=st.floats(1e-3, 0.1),
    d=st.lists(st.floats(1e-3, 5.0), min_size=2, max_size=2),
    ls=st.floats(0.01, 3.0),
)
def test_property_sweep_equals_solve_off_boundaries(lam, beta, alpha, d, ls):
    params = dict(zip(("lam_1S", "lam_2S", "lam_1N", "lam_2N"), lam), beta=beta, alpha=alpha)
    params["Lbar_1"] = (1 + d[0] - beta) / alpha
    params["Lbar_2"] = (1 + d[1] - beta) / alpha
    params["L_S"] = ls * max(params["Lbar_1"], params["Lbar_2"])
    params["L_N"] = 2.5 * max(params["Lbar_1"], params["Lbar_2"])
    try:
        ALT.params(params)
    except InvalidParameterError:
        assume(False)
    r = sw.sweep(ALT, points={k: [v] for k, v in params.items()})
    got, degenerate = _solve_types(params)
    assume(not degenerate)
    if r.near_any[0]:
        return  # flagged, not guessed
    assert {t for k, t in enumerate(r.types) if r.exists[0, k]} == got


@pytest.mark.parametrize("name", ["standard", "dynamic"])
def test_other_models_agree_type_by_type(name):
    # §2 (polynomial conditions) and §4 steady states (radicals; one type has no closed
    # form and is flagged undecided everywhere): every decided (point, type) agrees.
    model = get_model(name)
    rng = np.random.default_rng(11)
    n = 60
    pts = {k: rng.uniform(0.4, 2.5, n) for k in ("lam_1S", "lam_2S", "lam_1N", "lam_2N")}
    pts["L_S"] = rng.uniform(20.0, 400.0, n)
    r = sw.sweep(model, points=pts)
    decided = 0
    for i in range(n):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DegenerateEquilibriumWarning)
            sol = solve(model, {k: float(v[i]) for k, v in pts.items()})
        if any(e.degenerate for e in sol.equilibria):
            continue
        got = {sw.equilibrium_type(e) for e in sol.equilibria}
        assert got <= set(r.types)
        for k, t in enumerate(r.types):
            if not r.near_boundary[i, k]:
                decided += 1
                assert bool(r.exists[i, k]) == (t in got), (i, t)
    assert decided >= 0.9 * n * (len(r.types) - (name == "dynamic"))


def test_flat_columns_follow_the_grid_order():
    r = sw.sweep(ALT, {"lam_1S": [0.5, 2.0], "lam_2S": [0.6, 0.9, 1.9]})
    cols = r._flat_columns()
    assert cols["lam_1S"].tolist() == [0.5] * 3 + [2.0] * 3
    assert cols["lam_2S"].tolist() == [0.6, 0.9, 1.9] * 2
    assert np.array_equal(cols["bits"], r.bits.ravel())
    assert np.array_equal(cols["1:modern"], r.exists[..., r.types.index("1:modern")].ravel())


def test_xarray_pandas_parquet_views(tmp_path):
    xr = pytest.importorskip("xarray", reason="xarray is optional (to_xarray)")
    pytest.importorskip("pyarrow", reason="pyarrow is optional (Parquet output)")
    r = sw.sweep(ALT, {"lam_1S": "0.5:2:5", "lam_2S": "log:0.5:2:4"})
    ds = r.to_xarray()
    assert isinstance(ds, xr.Dataset) and ds["exists"].dims == ("lam_1S", "lam_2S", "type")
    assert (ds["exists"].values == r.exists).all()
    df = r.to_pandas()
    assert len(df) == 20 and (df["bits"].values == r.bits.ravel()).all()
    import pyarrow.parquet as pq

    t = pq.read_table(r.save(tmp_path / "m.parquet"))
    assert t.num_rows == 20 and t.schema.metadata[b"types"].decode().split("\n") == list(r.types)


@pytest.mark.parametrize("factor", [1e-8, 1e8])
def test_units_do_not_matter(factor):
    # Relative margins are homogeneous: rescaling every productivity, or labor units,
    # changes neither the map nor its flags.
    rng = np.random.default_rng(3)
    pts = draw_alternative_points(rng, 2000)
    base = sw.sweep(ALT, points=pts)
    lam = dict(pts, **{k: pts[k] * factor for k in ("lam_1S", "lam_2S", "lam_1N", "lam_2N")})
    lab = dict(
        pts,
        alpha=pts["alpha"] / factor,
        **{k: pts[k] * factor for k in ("Lbar_1", "Lbar_2", "L_S", "L_N")},
    )
    for other in (lam, lab):
        r = sw.sweep(ALT, points=other)
        assert np.array_equal(r.bits, base.bits) and np.array_equal(r.near_bits, base.near_bits)
