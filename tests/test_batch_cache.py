"""The on-disk cache of derivations: identical to fresh ones, never trusted blindly.

Each test points ``MARSHALLIAN_CACHE_DIR`` at its own temporary folder.
"""

import json
import os
import subprocess
import sys

import pytest
from _helpers import NUMBA_TWICE_MODULE

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


# --------------------------------------------------------------------------- compiled code
TWICE = NUMBA_TWICE_MODULE


def _python(script: str, *, input=None, cwd=None, timeout: float, **env_vars):
    """Run ``script`` in a new interpreter (without the caller's ``PYTHON*`` settings, with
    ``env_vars`` set); its completed process, output as text."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env.update(env_vars)
    return subprocess.run(
        [sys.executable, "-c", script],
        input=input,
        cwd=cwd,
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
    )


def _entry_files(folder, stem):
    """The source, Numba's (and Python's) files and the manifest of compiled entry ``stem``."""
    return [
        folder / "kernels" / f"{stem}.py",
        *sorted((folder / "kernels" / "__pycache__").glob(f"{stem}.*")),
        folder / f"numba-manifest-{stem}.json",
    ]


def _age(paths, seconds):
    import time

    then = time.time() - seconds
    for p in paths:
        os.utime(p, (then, then), follow_symlinks=False)


def _load(text, name="m"):
    """Load (compile or read) module ``text``, run ``twice`` and seal its machine code."""
    mod = cache.source_module("test-prune", name, text)
    assert mod.namespace["twice"](1.5) == 3.0
    mod.seal()
    return mod


def _stem(text, name="m"):
    import hashlib

    return f"test_prune_{name}_{hashlib.sha256(text.encode()).hexdigest()[:24]}"


def test_stale_compiled_entries_are_pruned(cache_dir, tmp_path_factory):
    """A new entry of a compiled module (a key change: another source) removes the files
    of the same kind and model's older entries unused for ``PRUNE_UNUSED_SECONDS``:
    source, Numba's index and machine code, manifest. Entries used lately (another
    installation's; a load counts), other models' entries (even one whose name begins as
    this one's), links and files the cache did not name are left alone. A module already
    loaded from removed files keeps working."""
    pytest.importorskip("numba", reason="numba is a dependency")

    old = _load(TWICE)
    old_files = _entry_files(cache_dir, _stem(TWICE))
    assert all(p.is_file() for p in old_files)
    assert {".py", ".nbi", ".nbc", ".json"} <= {p.suffix for p in old_files}
    _load(TWICE, "m_2")
    outside = tmp_path_factory.mktemp("outside") / "keep.py"
    outside.write_text("x = 1\n")
    link = cache_dir / "kernels" / f"test_prune_m_{'0' * 24}.py"
    link.symlink_to(outside)
    foreign = cache_dir / "kernels" / "test_prune_m_notes.txt"
    foreign.write_text("mine\n")
    everything_else = [*_entry_files(cache_dir, _stem(TWICE, "m_2")), link, foreign]
    _age(everything_else, 2 * cache.PRUNE_UNUSED_SECONDS)
    assert len(everything_else) > 4

    versions = [TWICE + f"\n# v{k}\n" for k in range(2, 5)]
    _load(versions[0])
    assert all(p.is_file() for p in old_files)  # written lately: kept
    _age(old_files, 2 * cache.PRUNE_UNUSED_SECONDS)
    _load(TWICE)
    _load(versions[1])
    assert all(p.is_file() for p in old_files)  # loaded lately: kept

    _age(old_files, 2 * cache.PRUNE_UNUSED_SECONDS)
    _load(versions[2])
    assert not any(os.path.lexists(p) for p in old_files)
    for text in versions:
        assert all(p.is_file() for p in _entry_files(cache_dir, _stem(text)))
    assert all(os.path.lexists(p) for p in everything_else)
    assert link.is_symlink() and outside.read_text() == "x = 1\n"
    assert old.namespace["twice"](3.0) == 6.0  # loaded before its files went


def test_a_second_process_loads_after_pruning(cache_dir):
    """Another process (another cache instance) on the same folder after a prune: the new
    entry loads with its sealed machine code, and the removed one is written afresh.
    (A model name of its own: a module loaded in this process is kept by its name.)"""
    pytest.importorskip("numba", reason="numba is a dependency")

    _load(TWICE, "p")
    old_files = _entry_files(cache_dir, _stem(TWICE, "p"))
    source = old_files[0]
    _age(old_files, 2 * cache.PRUNE_UNUSED_SECONDS)
    _load(TWICE + "\n# v2\n", "p")
    assert not source.exists()
    new_files = _entry_files(cache_dir, _stem(TWICE + "\n# v2\n", "p"))
    assert len(new_files) > 3
    sealed = {p: p.read_bytes() for p in new_files[1:-1]}
    script = (
        "import sys\n"
        "from marshallian import cache\n"
        "source = sys.stdin.read()\n"
        "for text in (source + '\\n# v2\\n', source):\n"
        "    mod = cache.source_module('test-prune', 'p', text)\n"
        "    assert mod.namespace['twice'](4.0) == 8.0\n"
        "    mod.seal()\n"
        "print('ok')\n"
    )
    proc = _python(script, input=TWICE, timeout=120, MARSHALLIAN_CACHE_DIR=str(cache_dir))
    assert proc.returncode == 0 and proc.stdout == "ok\n", proc.stderr
    assert {p: p.read_bytes() for p in new_files[1:-1]} == sealed  # loaded, not recompiled
    assert source.is_file()  # the other source written afresh (and compiled)


@pytest.fixture
def fresh_warnings(monkeypatch):
    """Each test sees the once-per-process warnings afresh."""
    from marshallian.solvers.batch import compiled

    monkeypatch.setattr(compiled, "_WARNED", set())


def test_a_failed_compile_is_told_once_per_model(monkeypatch, fresh_warnings):
    import warnings

    from marshallian.errors import PerformanceWarning
    from marshallian.solvers.batch import compiled

    monkeypatch.setattr(compiled, "generate_source", lambda model: "def kernel(:\n")
    want = r"^standard: the compiled batch kernel could not be used \(SyntaxError: [^\n]+\); the NumPy engine answers instead"
    with pytest.warns(PerformanceWarning, match=want):
        assert compiled.load_kernel(get_model("standard"), cache=False) is None
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert compiled.load_kernel(get_model("standard"), cache=False) is None  # told once
    with pytest.warns(PerformanceWarning, match="^alternative: "):
        assert compiled.load_kernel(get_model("alternative"), cache=False) is None


def test_numba_not_installed_is_not_warned_but_a_broken_one_is(monkeypatch, fresh_warnings):
    """Without Numba the NumPy engine answers silently (documented); an installed Numba
    that fails to import is told."""
    import builtins
    import warnings

    from marshallian.errors import PerformanceWarning
    from marshallian.solvers.batch import compiled, csvtext

    with monkeypatch.context() as m:
        m.setitem(sys.modules, "numba", None)  # ``import numba``: ModuleNotFoundError
        m.setattr(csvtext, "_CORE", [])
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            assert compiled.load_kernel(get_model("standard")) is None
            assert csvtext.compiled_cells() is None
    real = builtins.__import__

    def broken(name, *args, **kwargs):
        if name == "numba":
            raise ImportError("Numba needs NumPy 2.0 or less\nGot NumPy 9.9.")
        return real(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", broken)
    monkeypatch.setattr(csvtext, "_CORE", [])
    with pytest.warns(
        PerformanceWarning, match=r"\(ImportError: Numba needs NumPy 2\.0 or less\); the NumPy"
    ):
        assert compiled.load_kernel(get_model("standard")) is None
    with pytest.warns(
        PerformanceWarning,
        match=r"^the compiled CSV cell writers could not be used \(ImportError: .*Python's repr",
    ):
        assert csvtext.compiled_cells() is None


def test_the_command_line_tells_a_failed_compile_in_one_line(tmp_path):
    """On the command line the warning is one line on stderr (no traceback), and the
    output is the NumPy engine's, the same as the compiled kernel's (a batch large
    enough for the batch engine)."""

    from marshallian.cli.solve import BATCH_ENGINE_MIN_CASES

    rows = [f"{0.5 + k / 400},{40 + k % 60}" for k in range(BATCH_ENGINE_MIN_CASES)]
    (tmp_path / "cases.csv").write_text("lam_2S,L_S\n" + "\n".join(rows) + "\n")
    args = ["solve", "standard", "--params", "cases.csv", "--format", "csv"]
    script = (
        "import sys\n"
        "from marshallian import cache\n"
        "def boom(*args, **kwargs):\n"
        "    raise RuntimeError('LLVM ERROR: out of memory\\n  at somewhere')\n"
        "cache.compiled_module = boom\n"
        "from marshallian.cli import entry\n"
        f"sys.argv = ['marshallian', *{args!r}]\n"
        "entry()\n"
    )
    failed = _python(script, cwd=tmp_path, timeout=600)
    from conftest import run_cli_subprocess

    compiled = run_cli_subprocess(args, tmp_path, timeout=600)  # may compile (a fresh cache)
    assert failed.returncode == compiled.returncode == 0, failed.stderr
    assert failed.stderr == (
        "marshallian: warning: standard: the compiled batch kernel could not be used "
        "(RuntimeError: LLVM ERROR: out of memory); the NumPy engine answers instead "
        "(same results, slower)\n"
    )
    assert failed.stdout == compiled.stdout


def test_csv_cells_are_not_compiled_where_the_cache_cannot_be_written(tmp_path, monkeypatch):
    """A cache folder that cannot be written would make every run compile the CSV cells in
    memory (seconds): Python's repr writes them instead (the same bytes)."""
    import warnings

    from marshallian.solvers.batch import csvtext

    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("MARSHALLIAN_CACHE_DIR", str(blocker / "cache"))
    monkeypatch.setattr(csvtext, "_CORE", [])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert csvtext.compiled_cells() is None
