"""The solver's typed vocabulary (issue 10 item 2): activity states, regimes, sector data,
arithmetic back ends."""

from __future__ import annotations

import inspect
import pathlib

import marshallian.solvers.enumeration as en
from marshallian.solvers.conditions import SymbolicArith
from marshallian.solvers.filtered import FilteredArith
from marshallian.tolerances import DEFAULT_TOLERANCES


def test_activity_states_are_an_int_enum_and_regimes_use_them():
    assert [s.label for s in en.ActivityState] == ["idle", "rising", "fixed"]
    assert en.IDLE == 0 and en.RISING == 1 and en.FIXED == 2  # still ints
    regimes = en.regimes((True, False))
    assert len(regimes) == 3 * 2 - 1
    assert all(isinstance(s, en.ActivityState) for r in regimes for s in r)
    assert en.STATE_NAMES[en.RISING] == "rising"


def test_rising_sectors_are_named_tuples():
    sec = en.RisingSector(0, 2.0, 1.0, 0.0, 3.0, [1])
    assert (sec.sector, sec.A, sec.B, sec.q2, sec.q1, sec.rising) == tuple(sec)


def test_every_arithmetic_implements_the_protocol_without_probing():
    regime_members = (
        "exact",
        "symbolic",
        "filtered",
        "sqrt",
        "invert_pay",
        "tie",
        "labor_less",
        "solve_variable",
    )
    full = regime_members + ("compare_pay", "to_float", "positive")
    for arith in (en.FloatArith(DEFAULT_TOLERANCES, 1.0), en.ExactArith(), FilteredArith()):
        assert all(hasattr(arith, m) for m in full), type(arith).__name__
    assert all(hasattr(SymbolicArith(), m) for m in regime_members)
    src = pathlib.Path(inspect.getfile(en)).read_text(encoding="utf-8")
    assert "getattr(arith" not in src and "v[3]" not in src and "v[4]" not in src


def test_the_same_root_from_every_float_arithmetic():
    a = en.FloatArith(DEFAULT_TOLERANCES, 1.0).invert_pay(2.0, 3.0, 5.0)
    b = float(FilteredArith().invert_pay(2.0, 3.0, 5.0))
    assert abs(2 * a * a + 3 * a - 5) < 1e-12 and a == b


def test_regimes_are_frozen_ordered_hashable_sequences_of_states():
    import dataclasses
    import pickle

    import pytest

    from marshallian.solvers import Regime

    rs = en.regimes((True, False, True))
    assert all(isinstance(r, Regime) for r in rs) and len(rs) == 3 * 2 * 3 - 1
    # enumerated in the order of the tuples of states, and ordered as those tuples
    assert [tuple(r) for r in rs] == sorted(tuple(r) for r in rs)
    assert list(rs) == sorted(rs) and rs[0] < rs[-1]
    keys = {r: i for i, r in enumerate(rs)}
    assert keys[Regime((2, 0, 1))] == [tuple(r) for r in rs].index((2, 0, 1))
    r = Regime((0, 1, 2))  # ints are read as ActivityStates
    assert r.states == (en.IDLE, en.RISING, en.FIXED) and r[1] is en.RISING
    assert (len(r), list(r), en.FIXED in r, r.active, r.rising, r.fixed) == (
        3,
        [en.IDLE, en.RISING, en.FIXED],
        True,
        (1, 2),
        (1,),
        (2,),
    )
    assert pickle.loads(pickle.dumps(r)) == r and hash(pickle.loads(pickle.dumps(r))) == hash(r)
    with pytest.raises(dataclasses.FrozenInstanceError):
        r.states = ()  # type: ignore[misc]
    with pytest.raises(ValueError):
        Regime((3,))


def test_candidates_and_checked_solutions_are_frozen():
    import dataclasses

    import pytest

    from marshallian.models import get_model
    from marshallian.solvers.equilibrium import economy

    model = get_model("standard")
    econ = economy(model, model.structure(model.params()), {1: 1.0, 2: 0.5})
    arith = en.FloatArith(DEFAULT_TOLERANCES, 200.0)
    found = en.enumerate_economy(econ, arith)
    assert found and all(isinstance(c.candidate.regime, en.Regime) for c in found)
    c = found[0]
    assert isinstance(c.candidate.labor, tuple) and isinstance(c.weak, tuple)
    with pytest.raises(dataclasses.FrozenInstanceError):
        c.candidate.wage = 0.0  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        c.tied = True  # type: ignore[misc]


def test_a_regime_reads_what_the_results_print():
    """Label, certificate text, clusters and (generic) stability of every non-degenerate
    equilibrium are its regime's."""
    from marshallian.models import get_model
    from marshallian.solvers import solve

    for name, expected in (("standard", 3), ("alternative", 7), ("dynamic", None)):
        model = get_model(name)
        acts = model.activities
        slopes = tuple(a.has_externality for a in acts)
        by_text = {r.text(acts): r for r in en.regimes(slopes)}
        sol = solve(name, warn=False)
        if expected is not None:
            assert len(sol) == expected
        for e in sol:
            r = by_text[e.certificate.regime]
            assert r.clusters(acts, model.sectors) == e.clusters
            if not e.degenerate:
                assert r.label(acts) == e.label
                assert r.stability() is e.stability
