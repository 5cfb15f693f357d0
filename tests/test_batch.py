"""The vectorised batch gives the per-case enumeration's answers, case for case.

For every case: the number of equilibria first, then, in order, label, wage, income gap,
stability, degeneracy, clusters, labor, prices and the certificate's verdict, against
:func:`marshallian.solve` run on that case alone. Random draws (hypothesis) mix generic
values with round decimals, so that knife edges (ties, weak equilibria, labor at a cap,
(*) with equality) occur; those cases must be answered by the per-case solver.
"""

import itertools
import math
import warnings

import numpy as np
import pytest
from _helpers import NUMBA_TWICE_MODULE
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import marshallian as m
from marshallian.errors import DegenerateEquilibriumWarning, InvalidParameterError
from marshallian.models import get_model
from marshallian.solvers.batch import iter_solve_batch, solve_batch

pd = pytest.importorskip("pandas", reason="pandas is in the test extra")

RTOL = 1e-9


def _solve(name, params):
    from marshallian.errors import NorthPremiseWarning

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegenerateEquilibriumWarning)
        warnings.simplefilter("ignore", NorthPremiseWarning)
        return m.solve(name, params)


def _canonical(rows):
    """Order by income gap, ties (to 1e-9) by label: both paths order exactly equal gaps
    by label; gaps a rounding apart may come in either order."""
    return sorted(rows, key=lambda r: (round(math.log(r[1]), 9), r[0]))


def assert_same_as_solve(name, df, cases):
    """Every case of ``df`` equals ``marshallian.solve`` of that case."""
    model = get_model(name)
    for i, params in enumerate(cases):
        sol = _solve(name, params)
        sub = df[df.case == i]
        assert len(sub) == len(sol), (i, params, list(sub.label), [e.label for e in sol])
        got = _canonical([(r.label, r.income_gap, r) for r in sub.itertuples()])
        want = _canonical([(e.label, e.income_gap, e) for e in sol])
        for (gl, _gg, row), (wl, _wg, e) in zip(got, want):
            assert gl == wl, (i, params)
            assert row.wage == pytest.approx(e.wage, rel=RTOL)
            assert row.income_gap == pytest.approx(e.income_gap, rel=RTOL)
            assert bool(row.stable) == e.stable
            assert row.stability == e.stability.value
            assert row.note == "; ".join(e.flags())
            assert bool(row.degenerate) == e.degenerate
            assert (row.degeneracy if isinstance(row.degeneracy, str) else None) == e.degeneracy
            assert bool(row.interior) == e.interior
            assert bool(row.verified) == e.certificate.verified
            assert row.regime == e.certificate.regime
            d = row._asdict()
            L_S = sol.params["L_S"]
            for a in model.activities:
                assert d[f"labor_{a.sector}_{a.technology}"] == pytest.approx(
                    e.labor(a.sector, a.technology), rel=RTOL, abs=RTOL * L_S
                )
            for j in model.sectors:
                assert d[f"cluster_{j}"] == e.clusters[j]
                assert d[f"price_{j}"] == pytest.approx(sol.prices[j], rel=RTOL)
                if e.sector_factor:
                    assert d[f"relative_productivity_{j}"] == pytest.approx(
                        e.sector_factor[j], rel=RTOL
                    )
        # the batch's own order: income gap, ties by label (solve orders by float gap)
        keys = [(r.income_gap, r.label) for r in sub.itertuples() if r.solver == "batch"]
        for (g1, l1), (g2, l2) in itertools.pairwise(keys):
            assert g1 <= g2 * (1 + 1e-12)
            if g2 <= g1 * (1 + 1e-12):
                assert l1 <= l2


@pytest.mark.parametrize("name", ["standard", "alternative", "dynamic"])
def test_defaults_are_the_paper_calibration_answers(name):
    """At the default calibration the batch lists what ``solve`` lists (§3: seven
    equilibria, the best a full cluster in good 1 at w = 1)."""
    df = solve_batch(name)
    sol = _solve(name, None)
    assert len(df) == len(sol)
    assert (df.solver == "batch").all()
    assert_same_as_solve(name, df, [{}])
    if name == "alternative":
        assert len(df) == 7 and df.wage.max() == pytest.approx(1.0)


def _random_cases(name, rng, n):
    def pick(*v):
        return rng.choice(v, n)

    cases = []
    for i in range(n):
        c = {
            "lam_1S": float(rng.choice([rng.uniform(0.4, 2.5), pick(0.5, 0.8, 1.0, 1.25, 2.0)[i]])),
            "lam_2S": float(rng.choice([rng.uniform(0.4, 2.5), pick(0.5, 0.8, 1.0, 1.25, 2.0)[i]])),
        }
        if name == "standard":
            c["alpha"] = float(rng.choice([rng.uniform(0.002, 0.05), 0.01]))
            c["Lbar"] = float(rng.choice([rng.uniform(20, 250), 100.0, 200.0]))
        else:
            c["beta"] = float(rng.choice([rng.uniform(0.1, 0.9), 0.5]))
            c["alpha"] = float(rng.choice([rng.uniform(0.01, 0.05), 0.02, 0.015625]))
            lo = (1 - c["beta"]) / c["alpha"] * 1.0001
            c["Lbar_1"] = float(rng.choice([rng.uniform(lo, lo + 250), max(lo, 100.0)]))
            c["Lbar_2"] = float(rng.choice([rng.uniform(lo, lo + 250), max(lo, 150.0)]))
        cases.append(c)
    return cases


@pytest.mark.parametrize("name", ["standard", "alternative", "dynamic"])
def test_random_cases_match_solve(name):
    """150 seeded cases per model, generic and round: same answers as ``solve``."""
    cases = _random_cases(name, np.random.default_rng(7), 150)
    df = solve_batch(name, cases, chunk=128)
    assert set(df.case) == set(range(len(cases)))
    assert_same_as_solve(name, df, cases)
    assert (df.solver == "batch").mean() > 0.5  # most cases are generic


#: Every productivity 1 and equal caps: a continuum (A2 in §3, D2 in §4).
EQUAL_SECTORS = dict.fromkeys(("lam_1S", "lam_2S", "lam_1N", "lam_2N"), 1.0)
KNIFE_EDGES = [
    ("standard", EQUAL_SECTORS),  # S1: continuum
    ("standard", dict(EQUAL_SECTORS, L_S=100.0)),
    ("standard", {"lam_2S": 2.0}),  # S2 with equality
    ("alternative", dict(EQUAL_SECTORS, Lbar_1=100.0, Lbar_2=100.0)),  # A2
    (
        "alternative",
        {"lam_1S": 2.0, "alpha": 0.015625, "Lbar_1": 96.0, "lam_2S": 1.0},
    ),  # (*) equality
    ("dynamic", dict(EQUAL_SECTORS, Lbar_1=100.0, Lbar_2=100.0)),  # D2
]


@pytest.mark.parametrize("name, params", KNIFE_EDGES)
def test_knife_edges_are_answered_by_the_per_case_solver(name, params):
    """A knife edge is never guessed: the case goes to ``solve`` (degenerate flags and
    continua included), and its neighbours 1e-6 away are the batch's own."""
    df = solve_batch(name, [params])
    assert (df.solver == "per-case").all()
    assert df.degenerate.any()
    assert_same_as_solve(name, df, [params])
    key = next(iter(params))
    off = [dict(params, **{key: params[key] * (1 + s * 1e-6)}) for s in (-1, 1)]
    df2 = solve_batch(name, off)
    assert_same_as_solve(name, df2, off)


SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
ROUND = st.sampled_from([0.5, 0.8, 1.0, 1.25, 2.0])


def _lam():
    return st.one_of(ROUND, st.floats(0.3, 3.0))


def _batches(**fields):
    """Batches of 1 to 6 cases, each drawing ``fields`` (name: strategy)."""
    return st.lists(st.fixed_dictionaries(fields), min_size=1, max_size=6)


@SETTINGS
@given(
    _batches(
        lam_1S=_lam(),
        lam_2S=_lam(),
        lam_1N=_lam(),
        lam_2N=_lam(),
        beta=st.one_of(st.just(0.5), st.floats(0.05, 0.95)),
        alpha=st.one_of(st.just(0.02), st.just(0.015625), st.floats(0.005, 0.08)),
        L_S=st.one_of(st.just(200.0), st.just(100.0), st.floats(20, 400)),
    ),
    st.sampled_from(["alternative", "dynamic"]),
)
def test_property_batch_equals_solve(cases, name):
    """Hypothesis: random batches (knife edges included) give ``solve``'s answers."""
    cases = [
        dict(c, Lbar_1=(1.2 - c["beta"]) / c["alpha"], Lbar_2=(1.5 - c["beta"]) / c["alpha"])
        for c in cases
    ]
    df = solve_batch(name, cases)
    assert_same_as_solve(name, df, cases)


@SETTINGS
@given(
    _batches(
        lam_1S=_lam(),
        lam_2S=_lam(),
        lam_2N=_lam(),
        alpha=st.one_of(st.just(0.01), st.floats(0.001, 0.1)),
        L_S=st.one_of(st.just(200.0), st.just(100.0), st.floats(10, 400)),
    )
)
def test_property_standard_batch_equals_solve(cases):
    df = solve_batch("standard", cases)
    assert_same_as_solve("standard", df, cases)


@pytest.mark.parametrize(
    "name, lam_1N, lam_2N", [("alternative", 1.0, 0.8), ("dynamic", 1.25, 0.5)]
)
def test_handed_over_cases_are_solved_with_solves_default(name, lam_1N, lam_2N):
    """A case handed to ``solve`` is decided as ``solve(name, params)`` decides it (filtered
    predicates, ``tol=None``), not within the batch's tolerances (found by hypothesis:
    15 equilibria instead of 7)."""
    beta, alpha = 0.2879562564469383, 0.02
    case = {"lam_1S": 0.5, "lam_2S": 0.5, "lam_1N": lam_1N, "lam_2N": lam_2N, "beta": beta}
    case.update(alpha=alpha, L_S=200.0, Lbar_1=(1.2 - beta) / alpha, Lbar_2=(1.5 - beta) / alpha)
    df = solve_batch(name, [case])
    assert (df.solver == "per-case").all()
    assert_same_as_solve(name, df, [case])


def test_inputs_dataframe_mapping_and_list_agree():
    lam = [0.7, 1.3, 2.2]
    a = solve_batch("alternative", {"lam_2S": lam, "beta": 0.4})
    b = solve_batch("alternative", pd.DataFrame({"lam_2S": lam}), params={"beta": 0.4})
    c = solve_batch("alternative", [{"lam_2S": x, "beta": 0.4} for x in lam])
    pd.testing.assert_frame_equal(a, b)
    pd.testing.assert_frame_equal(a, c)
    assert list(a.columns[:4]) == ["case", "model", "lam_1S", "lam_2S"]
    assert (a.beta == 0.4).all()


def test_chunks_stream_the_same_rows():
    cases = _random_cases("alternative", np.random.default_rng(3), 50)
    whole = solve_batch("alternative", cases)
    parts = list(iter_solve_batch("alternative", cases, chunk=7))
    assert len(parts) == 8
    pd.testing.assert_frame_equal(pd.concat(parts, ignore_index=True), whole)


def test_xarray_output():
    ds = solve_batch("standard", {"lam_2S": [0.9, 1.2]}, output="xarray")
    assert "row" in ds.dims and "wage" in ds


@pytest.mark.parametrize(
    "cases, where",
    [
        ({"lam_2S": [1.0, -1.0]}, "case 1: lam_2S"),
        ({"beta": [0.5, 1.5]}, "case 1: beta"),
        ({"nope": [1.0]}, "nope"),
        ([{"lam_2S": 1.0}, {"lam_2S": "x"}], "case 1: lam_2S"),
        ({"lam_2S": [1.0, float("nan")]}, "case 1: lam_2S"),
        ({"lam_2S": [[1.0]]}, "lam_2S"),
        ({"lam_2S": [1.0, 2.0], "beta": [0.5]}, "cases"),
    ],
)
def test_bad_cases_are_named_before_any_work(cases, where):
    with pytest.raises(InvalidParameterError, match=where.replace("(", r"\(")):
        solve_batch("alternative", cases)


def test_a_refused_case_raises_or_is_skipped():
    """§4 needs North's full clusters: a case without them is refused as ``solve`` refuses
    it, naming the case; ``on_error='skip'`` leaves it out."""
    cases = [{}, {"L_N": 150.0}, {}]
    with pytest.raises(InvalidParameterError, match="case 1: north"):
        solve_batch("dynamic", cases)
    df = solve_batch("dynamic", cases, on_error="skip")
    assert sorted(set(df.case)) == [0, 2]


def test_text_columns_are_the_per_case_csv_columns():
    """With ``text=True`` the batch's first columns are those of ``Solution.records``
    (what ``solve --format csv`` writes), with the same activities text."""
    cases = [{"lam_2S": 0.8}, {"lam_2S": 1.0, "lam_1S": 1.0, "Lbar_2": 100.0}]
    df = solve_batch("alternative", cases, text=True)
    for i, c in enumerate(cases):
        sol = _solve("alternative", c)
        recs = sol.records(i)
        cols = list(recs[0])
        assert list(df.columns[: len(cols)]) == cols
        sub = df[df.case == i]
        assert sorted(sub.activities) == sorted(r["activities"] for r in recs)


@pytest.mark.parametrize("compiled", [True, False], ids=["compiled-cells", "python-cells"])
def test_columnar_csv_equals_the_record_writer(compiled, monkeypatch):
    """The batch's CSV formatter writes what ``presentation.write_csv_rows`` (the writer of
    ``--format csv``) writes for the same rows (floats as repr, empty for None, True/False,
    minimal quoting), with the compiled cells and with Python's; from the DataFrame and
    from the plain columns (``frames=False``) alike."""
    import io

    from marshallian.presentation import write_csv_rows
    from marshallian.solvers.batch import api, csvtext
    from marshallian.solvers.batch.csvtext import write_csv_columns, write_csv_frame

    if compiled:
        assert csvtext.compiled_cells() is not None  # Numba is in the test extra
    else:
        monkeypatch.setattr(csvtext, "compiled_cells", lambda: None)
        monkeypatch.setattr(api, "compiled_cells", lambda: None)
    cases = _random_cases("alternative", np.random.default_rng(5), 40)
    cases += [{"lam_1S": 1.0, "lam_2S": 1.0, "Lbar_1": 100.0, "Lbar_2": 100.0}]
    df = solve_batch("alternative", cases, text=True)
    df.loc[3, "wage"] = float("inf")
    cols = list(df.columns)
    a, b = io.StringIO(), io.StringIO()
    write_csv_frame(df, cols, a, header=True)
    text = [c for c in cols if isinstance(df[c].dtype, pd.CategoricalDtype)]
    rows = [
        [None if (c in text and isinstance(v, float)) else v for c, v in zip(cols, r)]
        for r in df.astype(object).itertuples(index=False)
    ]
    write_csv_rows([rows], b, cols)
    assert a.getvalue() == b.getvalue()
    # the plain columns of the same batch (no DataFrame): the same text
    c = io.StringIO()
    header = True
    for part in iter_solve_batch("alternative", cases, text=True, chunk=16, frames=False):
        write_csv_columns(part, cols, c, header)
        header = False
    d = io.StringIO()
    write_csv_frame(solve_batch("alternative", cases, text=True), cols, d, header=True)
    assert c.getvalue() == d.getvalue()


@pytest.mark.parametrize("compiled", [True, False], ids=["compiled-cells", "python-cells"])
def test_packed_text_cells_are_quoted_as_the_csv_module(compiled, monkeypatch):
    """Packed text (the activities column) gets the csv module's minimal quoting, with
    quotes, line ends, commas and non-ASCII text; reordered and concatenated with lists."""
    import io

    from marshallian.presentation import write_csv_rows
    from marshallian.solvers.batch import csvtext
    from marshallian.solvers.batch.csvtext import PackedText, write_csv_columns

    if not compiled:
        monkeypatch.setattr(csvtext, "compiled_cells", lambda: None)
    plain = ["1:modern=200", "a, b", "", "é, ü"]
    awkward = ['say "hi"', "two\nlines", "x\ry"]
    for texts in (plain, plain + awkward):
        packed = PackedText.concat([PackedText.of(texts[:2]), texts[2:]])
        order = np.arange(len(texts))[::-1]
        assert packed.take(order).tolist() == texts[::-1]
        a, b = io.StringIO(), io.StringIO()
        n = np.arange(len(texts))
        write_csv_columns({"i": n, "t": packed.take(order)}, ["i", "t"], a, header=True)
        write_csv_rows([[[i, t] for i, t in zip(n.tolist(), texts[::-1])]], b, ["i", "t"])
        assert a.getvalue() == b.getvalue()


_EDGE_FLOATS = [
    0.0,
    -0.0,
    1.0,
    -1.0,
    0.1,
    1e16,
    1e15,
    9999999999999998.0,
    1e-5,
    1e-4,
    0.0001234,
    5e-324,
    -5e-324,
    2.2250738585072009e-308,  # largest subnormal
    2.2250738585072014e-308,  # smallest normal
    1.7976931348623157e308,
    2.0**-1074 * 3,
    2.0**52,
    2.0**53,
    2.0**53 + 2,
    2.0**63,
    2.0**64,
    1e22,
    1e23,
    123456789012345680.0,
    1.5417060000000002,
    float("inf"),
    float("-inf"),
    float("nan"),
]


def _compiled_repr(values) -> list:
    """The compiled cells of ``values`` (float64) as text."""
    from marshallian.solvers.batch.csvtext import compiled_cells

    core = compiled_cells()
    assert core is not None  # Numba is in the test extra
    cells, lengths = core["format_floats"](np.ascontiguousarray(values, dtype=np.float64))
    return [bytes(cells[i, : lengths[i]]).decode("ascii") for i in range(len(values))]


def test_compiled_float_cells_are_repr_on_edges_and_random_bits():
    """Ryū in ``_csv_core.py`` writes ``repr``: on the edges (signed zero, subnormals,
    powers of two and ten, the switch to exponents at 1e16 and 1e-5, non-finite) and on
    200,000 random bit patterns (every exponent), integers and short decimals."""
    rng = np.random.default_rng(16)
    bits = rng.integers(0, 2**64, 200_000, dtype=np.uint64, endpoint=False)
    edges = np.array(_EDGE_FLOATS[:-3])
    with np.errstate(over="ignore"):
        neighbours = [np.nextafter(edges, np.inf), np.nextafter(edges, -np.inf)]
    values = np.concatenate(
        [
            np.array(_EDGE_FLOATS),
            *neighbours,
            bits.view(np.float64),
            rng.integers(-(10**17), 10**17, 20_000).astype(float),
            *[np.round(rng.uniform(-1e4, 1e4, 2_000), d) for d in range(12)],
            2.0 ** np.arange(-1074, 1024),
            10.0 ** np.arange(-323, 309),
        ]
    )
    want = [repr(x) for x in values.tolist()]
    got = _compiled_repr(values)
    assert [(w, g) for w, g in zip(want, got) if w != g] == []


@settings(max_examples=2000, deadline=None)
@given(st.lists(st.floats(allow_nan=True, allow_infinity=True, allow_subnormal=True), max_size=50))
def test_compiled_float_cells_are_repr(values):
    """Any double, finite or not, subnormal or not: the compiled cell is ``repr``."""
    assert _compiled_repr(np.array(values, dtype=np.float64)) == [repr(x) for x in values]


def _compiled_g4(values) -> tuple[list, list]:
    """The compiled ``.4g`` cells of ``values`` and whether each is exact."""
    from marshallian.solvers.batch.csvtext import compiled_cells

    cells, lengths, exact = compiled_cells()["format_g4"](np.array(values, dtype=np.float64))
    return [bytes(cells[i, : lengths[i]]).decode("ascii") for i in range(len(values))], list(exact)


@settings(max_examples=2000, deadline=None)
@given(st.lists(st.floats(allow_nan=True, allow_infinity=True, allow_subnormal=True), max_size=50))
def test_compiled_g4_cells_are_format_or_say_not(values):
    """The compiled ``.4g`` (activities text) is ``f"{x:.4g}"`` wherever it says it is
    exact; it says not only on a fourth-digit tie of the shortest digits, or a subnormal."""
    got, exact = _compiled_g4(values)
    for x, g, e in zip(values, got, exact):
        if e:
            assert g == f"{x:.4g}", x
        else:
            assert x != 0 and (abs(x) < 2.2250738585072014e-308 or "5" in repr(x))


def test_compiled_g4_on_ties_edges_and_labor_like_values():
    rng = np.random.default_rng(4)
    values = np.concatenate(
        [
            np.array(_EDGE_FLOATS + [9999.5, 9999.6, 12345.0, 0.12345, 175.0, 25.0, 200.0]),
            rng.integers(0, 2**64, 100_000, dtype=np.uint64).view(np.float64),
            *[np.round(rng.uniform(0, 1000, 10_000), d) for d in range(8)],
            rng.uniform(0, 300, 50_000),
        ]
    )
    got, exact = _compiled_g4(values)
    assert [(x, g) for x, g, e in zip(values.tolist(), got, exact) if e and g != f"{x:.4g}"] == []
    assert sum(exact) > 0.97 * len(values)  # ties and subnormals only
    assert _compiled_g4([9999.5, 12345.0, 5e-324])[1] == [False, False, False]


def test_activities_text_compiled_equals_python():
    """The activities column written by the compiled cells is the one Python's ``format``
    writes (rows with a tie included, rewritten by Python)."""
    from marshallian.solvers.batch import api

    assert api.compiled_cells() is not None  # the compiled path is the one tested
    model = get_model("alternative")
    rng = np.random.default_rng(9)
    n_regimes = len(api._regime_text(model)["active"])
    labor = rng.uniform(0, 250, (5000, len(model.activities)))
    labor[::7] = np.round(labor[::7], 2)  # ties at the fourth digit among them
    labor[::11, 0] = 12.345
    regime = rng.integers(0, n_regimes, 5000)

    class Chunk:
        pass

    chunk = Chunk()
    chunk.labor, chunk.regime, chunk.case = labor, regime, np.arange(5000)
    packed = api._activities_text(model, chunk)
    assert packed.tolist() == api._activities_python(model, regime, labor)


def test_compiled_int_cells_are_str():
    from marshallian.solvers.batch.csvtext import compiled_cells

    values = np.array([0, 7, -7, 10, -10, 2**63 - 1, -(2**63), 123456789], dtype=np.int64)
    cells, lengths = compiled_cells()["format_ints"](values)
    got = [bytes(cells[i, : lengths[i]]).decode() for i in range(len(values))]
    assert got == [str(x) for x in values.tolist()]


def test_cases_without_the_papers_north_warn_once():
    """Where North cannot have full clusters, ``solve`` answers (and notes why); the batch
    warns once and keeps every case's note."""
    from marshallian.errors import NorthPremiseWarning

    cases = [{"Lbar_1": 2000.0}, {}, {"Lbar_1": 3000.0}]
    with pytest.warns(NorthPremiseWarning, match="2 case"):
        df = solve_batch("alternative", cases)
    assert [c for c, _ in df.attrs["warnings"]] == [0, 2]
    assert set(df[df.case.isin([0, 2])].solver) == {"per-case"}
    assert_same_as_solve("alternative", df, cases)


# ----------------------------------------------------------------- the compiled engine
def _engine_cases(name, n, seed):
    """Random and round cases (knife edges among them), as full parameter columns."""
    model = get_model(name)
    cases = _random_cases(name, np.random.default_rng(seed), n)
    cases += [params for nm, params in KNIFE_EDGES if nm == name]
    defaults = model.params().as_dict()
    return model, {
        k: np.array([c.get(k, defaults[k]) for c in cases], dtype=float)
        for k in model.parameter_names
    }


@pytest.mark.parametrize("name", ["standard", "alternative", "dynamic"])
def test_compiled_kernel_equals_the_numpy_engine(name):
    """The Numba kernel hands over the same cases and finds the same equilibria, in the
    same order, with the same certificates as the NumPy engine (rounding aside)."""
    pytest.importorskip("numba", reason="numba is a dependency")
    from marshallian.solvers.batch import api
    from marshallian.solvers.batch.engine import BatchKernels

    model, cols = _engine_cases(name, 400, 11)
    compiled = api.kernels(model)
    assert compiled.compiled is not None
    a = compiled.evaluate(cols)
    b = BatchKernels(model, compiled.tol, compiled.source).evaluate(cols)
    assert a.delegated.tolist() == b.delegated.tolist()
    assert a.case.tolist() == b.case.tolist()
    assert a.equilibrium.tolist() == b.equilibrium.tolist()
    np.testing.assert_allclose(a.values, b.values, rtol=1e-12)
    assert a.regime.tolist() == b.regime.tolist()
    assert a.verified.tolist() == b.verified.tolist()
    for x, y in [
        (a.wage, b.wage),
        (a.income_gap, b.income_gap),
        (a.prices, b.prices),
        (a.factor, b.factor),
    ]:
        np.testing.assert_allclose(x, y, rtol=1e-12)
    np.testing.assert_allclose(a.labor, b.labor, rtol=1e-12, atol=1e-9)
    for x, y in [
        (a.max_pay_residual, b.max_pay_residual),
        (a.labor_residual, b.labor_residual),
        (a.max_deviation_gain, b.max_deviation_gain),
    ]:
        np.testing.assert_allclose(x, y, rtol=1e-6, atol=1e-12)


def test_without_numba_the_numpy_engine_answers(monkeypatch):
    """Numba missing (or failing to compile): the NumPy engine gives the same rows."""
    import sys

    from marshallian.solvers.batch import api
    from marshallian.solvers.batch.compiled import load_kernel

    cases = _random_cases("alternative", np.random.default_rng(2), 30)
    with_numba = solve_batch("alternative", cases)
    monkeypatch.setitem(sys.modules, "numba", None)  # ``import numba`` fails
    assert load_kernel(get_model("alternative")) is None
    monkeypatch.setattr(api, "_KERNELS", {})
    kern = api.kernels(get_model("alternative"))
    assert kern.compiled is None
    pd.testing.assert_frame_equal(solve_batch("alternative", cases), with_numba)


def test_compile_failure_falls_back(monkeypatch):
    from marshallian.errors import PerformanceWarning
    from marshallian.solvers.batch import compiled

    def broken(model):
        return "def kernel(:\n"

    monkeypatch.setattr(compiled, "generate_source", broken)
    monkeypatch.setattr(compiled, "_WARNED", set())
    with pytest.warns(PerformanceWarning, match="SyntaxError"):  # tests/test_batch_cache.py
        assert compiled.load_kernel(get_model("standard"), cache=False) is None


def test_compiled_modules_are_files_with_signed_machine_code(tmp_path, monkeypatch):
    """Numba's cache needs a file: the generated source is written into the cache folder
    (rewritten when changed); Numba's pickled machine code beside it is loaded only when
    its digest is in the signed manifest, and deleted otherwise. ``--no-cache``: in
    memory, no file."""
    pytest.importorskip("numba", reason="numba is a dependency")
    from marshallian.cache import compiled_module

    monkeypatch.setenv("MARSHALLIAN_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("MARSHALLIAN_NO_CACHE", raising=False)
    model = get_model("standard")
    mod = compiled_module("test-kernel", model, lambda: NUMBA_TWICE_MODULE)
    assert mod.namespace["twice"](1.5) == 3.0
    mod.seal()
    (source,) = (tmp_path / "kernels").glob("test_kernel_standard_*.py")
    assert source.read_text() == NUMBA_TWICE_MODULE
    machine = sorted((tmp_path / "kernels" / "__pycache__").glob(source.stem + ".*"))
    assert machine and list(tmp_path.glob("numba-manifest-*.json"))
    # a sealed file is kept; a changed one is deleted before Numba could load it
    compiled_module("test-kernel", model, lambda: NUMBA_TWICE_MODULE)
    assert all(p.exists() for p in machine)
    nbc = next(p for p in machine if p.suffix == ".nbc")
    nbc.write_bytes(nbc.read_bytes() + b"tampered")
    compiled_module("test-kernel", model, lambda: NUMBA_TWICE_MODULE)
    assert not nbc.exists()
    # a changed source file is rewritten
    source.write_text(NUMBA_TWICE_MODULE + "\nraise SystemExit\n")
    compiled_module("test-kernel", model, lambda: NUMBA_TWICE_MODULE)
    assert source.read_text() == NUMBA_TWICE_MODULE
    # bypassed: compiled in memory
    monkeypatch.setenv("MARSHALLIAN_NO_CACHE", "1")
    mod = compiled_module("test-kernel2", model, lambda: NUMBA_TWICE_MODULE)
    assert mod.namespace["twice"](2.0) == 4.0
    assert not list((tmp_path / "kernels").glob("test_kernel2*"))


@pytest.mark.parametrize("threads", [1, 3])
def test_compiled_kernel_grows_its_output(monkeypatch, threads):
    """More equilibria than the room first made for them: the kernel's output arrays
    grow (here from no room a case: 64 rows in all), with the same rows as the NumPy
    engine; on threads, the rows outgrow the shared result and the chunk is answered
    once more on one thread, growing."""
    pytest.importorskip("numba", reason="numba is a dependency")
    from marshallian.solvers.batch import api, engine
    from marshallian.solvers.batch.engine import BatchKernels

    model, cols = _engine_cases("standard", 200, 4)
    compiled = api.kernels(model)
    assert compiled.compiled is not None
    monkeypatch.setattr(engine, "ROWS_PER_CASE", 0)
    monkeypatch.setattr(engine, "MIN_CASES_PER_THREAD", 1)
    monkeypatch.setattr(engine, "BLOCK_CASES", 16)
    a = compiled.evaluate(cols, threads=threads)
    b = BatchKernels(model, source=compiled.source).evaluate(cols)
    assert a.case.size > 64 and a.case.tolist() == b.case.tolist()
    assert a.regime.tolist() == b.regime.tolist()
    np.testing.assert_allclose(a.wage, b.wage, rtol=1e-12)


def _same_chunks(a, b):
    """Two BatchChunks hold the same rows, bit for bit."""
    for name in (
        "case",
        "regime",
        "equilibrium",
        "wage",
        "income_gap",
        "labor",
        "factor",
        "prices",
        "delegated",
        "max_pay_residual",
        "max_deviation_gain",
        "labor_residual",
        "verified",
        "values",
    ):
        x, y = getattr(a, name), getattr(b, name)
        assert x.dtype == y.dtype and x.shape == y.shape, name
        np.testing.assert_array_equal(x, y, err_msg=name)


@pytest.mark.parametrize("name", ["standard", "alternative", "dynamic"])
def test_threads_give_the_serial_rows(monkeypatch, name):
    """The compiled kernel on several threads (small blocks, so that many blocks meet)
    gives the rows of one thread, bit for bit and in the same order, the knife edges
    handed to ``solve`` included."""
    pytest.importorskip("numba", reason="numba is a dependency")
    from marshallian.solvers.batch import api, engine

    model, cols = _engine_cases(name, 300, 12)
    kern = api.kernels(model)
    assert kern.compiled is not None
    serial = kern.evaluate(cols, threads=1)
    assert serial.delegated.size > 0  # knife edges among the cases
    # each row's parameters and prices, as the kernel writes them
    given = np.stack([cols[k] for k in model.parameter_names] + list(serial.prices.T))
    np.testing.assert_array_equal(serial.values, given[:, serial.case])
    monkeypatch.setattr(engine, "MIN_CASES_PER_THREAD", 1)
    for block in (1, 7, 64):
        monkeypatch.setattr(engine, "BLOCK_CASES", block)
        for threads in (2, 3):
            _same_chunks(kern.evaluate(cols, threads=threads), serial)


def test_solve_batch_on_threads_is_the_serial_table(monkeypatch):
    """``solve_batch`` with its chunk split over threads: the same table as on one
    thread (knife-edge cases handed to ``solve`` inside a threaded chunk), and the
    same answers as ``solve``."""
    pytest.importorskip("numba", reason="numba is a dependency")
    from marshallian.solvers.batch import api, engine

    cases = _random_cases("alternative", np.random.default_rng(21), 60)
    cases[17:17] = [params for nm, params in KNIFE_EDGES if nm == "alternative"]
    monkeypatch.setattr(api, "THREADS", 1)
    serial = solve_batch("alternative", cases)
    assert (serial.solver == "per-case").any()
    monkeypatch.setattr(api, "THREADS", 2)
    monkeypatch.setattr(engine, "MIN_CASES_PER_THREAD", 1)
    monkeypatch.setattr(engine, "BLOCK_CASES", 5)
    threaded = solve_batch("alternative", cases)
    pd.testing.assert_frame_equal(threaded, serial)
    assert_same_as_solve("alternative", threaded, cases)


def test_without_the_cache_the_numpy_engine_answers(monkeypatch):
    """Compiling takes tens of seconds: with the cache bypassed (``--no-cache``) the batch
    runs on NumPy, unless Numba is asked for."""
    pytest.importorskip("numba", reason="numba is a dependency")
    from marshallian.solvers.batch import api

    monkeypatch.setattr(api, "_KERNELS", {})
    model = get_model("standard")
    assert api.kernels(model, cache=False).compiled is None
    assert api.kernels(model).compiled is not None
    monkeypatch.setattr(api, "ENGINE", "numba")
    assert api.kernels(model, cache=False).compiled is not None


def test_repeated_floats_are_formatted_as_repr():
    """CSV cells of a float column with repeats (formatted once per distinct value) are
    each value's ``repr``: -0.0 keeps its sign, NaN and infinities too."""
    from marshallian.solvers.batch.csvtext import _formatted

    values = np.array([0.0, -0.0, 200.0, np.nan, np.inf, -np.inf, 0.1, 1e-05] * 40)
    assert _formatted(values, repr) == [repr(x) for x in values.tolist()]
    mixed = np.random.default_rng(0).uniform(size=300)
    assert _formatted(mixed, repr) == [repr(x) for x in mixed.tolist()]
