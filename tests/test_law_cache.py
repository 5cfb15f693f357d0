"""The §4 law of motion's closed forms through the on-disk cache of derivations.

``closed_form_expressions`` derives them with ``dsolve`` once and keeps them on disk
(:func:`marshallian.cache.cached_derivation`): read back, they are the very expressions a
fresh derivation gives; ``MARSHALLIAN_NO_CACHE=1`` derives afresh; a corrupt file is
derived again and rewritten. Each test points ``MARSHALLIAN_CACHE_DIR`` at its own folder.
"""

import sympy as sp

from marshallian.solvers.dynamics import law

PIECES = ("logistic", "linear", "logistic_z_at", "linear_z_at")
FILE = "law-of-motion-law_of_motion.json"


def _fresh_process(monkeypatch, tmp_path, no_cache=False):
    """As in a new interpreter: this cache folder, nothing remembered in memory; returns
    the list that records each derivation."""
    monkeypatch.setenv("MARSHALLIAN_CACHE_DIR", str(tmp_path))
    if no_cache:
        monkeypatch.setenv("MARSHALLIAN_NO_CACHE", "1")
    else:
        monkeypatch.delenv("MARSHALLIAN_NO_CACHE", raising=False)
    calls: list = []
    derive = law.derive_closed_forms

    def counted():
        calls.append(1)
        return derive()

    monkeypatch.setattr(law, "derive_closed_forms", counted)
    law.closed_form_expressions.cache_clear()
    return calls


def _assert_identical(got, fresh):
    assert got["symbols"] == fresh["symbols"]
    for name, sym in fresh["symbols"].items():  # same names, same assumptions
        assert got["symbols"][name].assumptions0 == sym.assumptions0
    for name in PIECES:
        assert sp.srepr(got[name]) == sp.srepr(fresh[name])
        assert sp.simplify(got[name] - fresh[name]) == 0


def test_cached_closed_forms_are_the_derived_ones(tmp_path, monkeypatch):
    calls = _fresh_process(monkeypatch, tmp_path)
    first = law.closed_form_expressions()
    assert calls == [1] and (tmp_path / FILE).is_file()
    calls = _fresh_process(monkeypatch, tmp_path)
    again = law.closed_form_expressions()
    assert calls == []  # read back, not derived
    assert again is not first
    _assert_identical(again, law.derive_closed_forms())
    law.closed_form_expressions.cache_clear()


def test_no_cache_derives_afresh_and_writes_nothing(tmp_path, monkeypatch):
    calls = _fresh_process(monkeypatch, tmp_path, no_cache=True)
    got = law.closed_form_expressions()
    assert calls == [1] and not (tmp_path / FILE).exists()
    _assert_identical(got, law.derive_closed_forms())
    law.closed_form_expressions.cache_clear()


def test_corrupt_entry_is_derived_again_and_rewritten(tmp_path, monkeypatch):
    _fresh_process(monkeypatch, tmp_path)
    law.closed_form_expressions()
    path = tmp_path / FILE
    path.write_text(path.read_text(encoding="utf-8").replace("a0", "b0"), encoding="utf-8")
    calls = _fresh_process(monkeypatch, tmp_path)
    got = law.closed_form_expressions()
    assert calls == [1]  # the tampered file failed its signature
    _assert_identical(got, law.derive_closed_forms())
    calls = _fresh_process(monkeypatch, tmp_path)
    law.closed_form_expressions()
    assert calls == []  # the rewritten entry is read back
    law.closed_form_expressions.cache_clear()
