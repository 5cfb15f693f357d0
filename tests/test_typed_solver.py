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
