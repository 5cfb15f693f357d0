"""The on-disk cache of derivations: identical to fresh ones, never trusted blindly.

Each test points ``MARSHALLIAN_CACHE_DIR`` at its own temporary folder.
"""

import json

import pytest

from marshallian import cache
from marshallian.models import get_model
from marshallian.solvers.conditions import derive_conditions as fresh_conditions


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("MARSHALLIAN_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("MARSHALLIAN_NO_CACHE", raising=False)
    cache._MEMO.clear()
    yield tmp_path
    cache._MEMO.clear()


@pytest.mark.parametrize("name", ["standard", "alternative", "dynamic"])
def test_cached_conditions_are_identical_to_fresh_ones(cache_dir, name):
    """Written on the first call, read back on the second: equal field by field (SymPy
    structural equality) to the derivation's own entries."""
    first = cache.derive_conditions(name)
    assert (cache_dir / f"conditions-{name}.json").exists()
    cache._MEMO.clear()
    again = cache.derive_conditions(name)
    assert again is not first
    assert again == fresh_conditions(name)
    for a, b in zip(again, fresh_conditions(name)):
        assert a.condition == b.condition and a.wage == b.wage
        assert a.definitions == b.definitions and a.symbols == b.symbols


def test_expression_trees_round_trip():
    import sympy as sp

    x = sp.Symbol("x", positive=True)
    y = sp.Symbol("y", real=True)
    exprs = [
        sp.And(sp.Lt(x, 2 * y + sp.Rational(1, 3)), sp.Ge(sp.sqrt(x) * y, x**3)),
        sp.Or(sp.Le(sp.Min(x, y), sp.Float("0.125")), sp.Gt(sp.Abs(y), sp.oo)),
        sp.true,
        sp.Integer(-7),
        sp.Max(x, 1 - x / y),
    ]
    for e in exprs:
        back = cache.decode_expr(json.loads(json.dumps(cache.encode_expr(e))))
        assert back == e and sp.srepr(back) == sp.srepr(e)


def test_unknown_node_is_refused_on_both_sides():
    import sympy as sp

    with pytest.raises(ValueError, match="cannot cache"):
        cache.encode_expr(sp.sin(sp.Symbol("x")))
    with pytest.raises(ValueError, match="unknown class"):
        cache.decode_expr(["__import__", ["S", "os", []]])


def test_corrupt_tampered_or_stale_files_are_rebuilt(cache_dir):
    model = get_model("standard")
    want = fresh_conditions(model)
    cache.derive_conditions(model)
    path = cache_dir / "conditions-standard.json"
    good = path.read_text()
    doc = json.loads(good)
    tampered = dict(doc, payload=doc["payload"].replace("lam_1S", "lam_2S"))
    stale = dict(doc, key="0" * 64)
    for text in (
        "{not json",
        "",
        json.dumps(tampered),
        json.dumps(stale),
        json.dumps(dict(doc, mac="0" * 64)),
        json.dumps([1, 2]),
    ):
        path.write_text(text)
        cache._MEMO.clear()
        assert cache.derive_conditions(model) == want
        assert json.loads(path.read_text())["mac"] == doc["mac"]  # rewritten


def test_signed_source_from_another_key_is_not_executed(cache_dir):
    """Generated source is executed only when its signature matches this cache's key: a
    file signed elsewhere (or edited) is regenerated, not run."""
    calls = []

    def build():
        calls.append(1)
        return "x = 1\n"

    assert cache.cached_source("test", "abc", build) == "x = 1\n"
    assert cache.cached_source("test", "abc", build) == "x = 1\n"
    assert len(calls) == 1
    (path,) = cache_dir.glob("test-*.json")
    doc = json.loads(path.read_text())
    path.write_text(json.dumps(dict(doc, payload=json.dumps("import os\n"))))
    assert cache.cached_source("test", "abc", build) == "x = 1\n"
    assert len(calls) == 2


def test_no_cache_bypasses_reading_and_writing(cache_dir, monkeypatch):
    monkeypatch.setenv("MARSHALLIAN_NO_CACHE", "1")
    assert cache.derive_conditions("standard") == fresh_conditions("standard")
    assert not list(cache_dir.glob("*.json"))


def test_key_changes_with_the_model_definition():
    from marshallian.models.alternative import build

    assert cache.model_key(build(2)) == cache.model_key(get_model("alternative"))
    assert cache.model_key(build(3)) != cache.model_key(build(2))
    assert cache.model_key(get_model("dynamic")) != cache.model_key(get_model("alternative"))


def test_cli_conditions_same_with_and_without_cache(cache_dir, tmp_path):
    from conftest import run_cli_subprocess

    env_runs = [
        run_cli_subprocess(["conditions", "standard", "--format", "json"], tmp_path)
        for _ in range(2)
    ]
    fresh = run_cli_subprocess(
        ["conditions", "standard", "--format", "json", "--no-cache"], tmp_path
    )
    assert all(r.returncode == 0 for r in (*env_runs, fresh))
    assert env_runs[0].stdout == env_runs[1].stdout == fresh.stdout
    assert list(cache_dir.glob("conditions-output-standard*.json"))


def test_batch_kernels_from_the_cache_give_the_same_rows(cache_dir, monkeypatch):
    pd = pytest.importorskip("pandas")
    from marshallian.solvers.batch import api, solve_batch

    # the NumPy kernels' source is the entry here (compiling the Numba kernel into a fresh
    # folder would take a minute; its file cache is tested in tests/test_batch.py)
    monkeypatch.setattr(api, "ENGINE", "numpy")
    cases = {"lam_2S": [0.6, 0.9, 1.7], "beta": [0.3, 0.5, 0.7]}
    api._KERNELS.clear()
    first = solve_batch("dynamic", cases)
    assert list(cache_dir.glob("batch-dynamic.json"))
    api._KERNELS.clear()
    again = solve_batch("dynamic", cases)
    pd.testing.assert_frame_equal(first, again)


@pytest.mark.parametrize("name", ["standard", "alternative", "dynamic"])
def test_cached_batch_plans_equal_fresh_ones(cache_dir, name):
    """The per-regime closed forms read back from the cache are the derived ones."""
    from marshallian.solvers.batch import derive

    model = get_model(name)
    fresh_s, fresh_n = derive._south_plans(model), derive._north_plans(model)
    for _ in range(2):  # written, then read
        assert derive._cached("south", model, lambda: fresh_s) == fresh_s
        assert derive._cached("north", model, lambda: fresh_n) == fresh_n
    assert list(cache_dir.glob(f"plans-south-{name}.json"))
    decoded = derive._cached("south", model, lambda: pytest.fail("rebuilt"))
    assert decoded == fresh_s and decoded is not fresh_s
