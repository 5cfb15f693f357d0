"""§4 paths over long horizons: bounded certificate work, never a flagged correct answer
(issue 12 items 6 and 9)."""

from __future__ import annotations

import math
import time

import numpy as np
import pytest
from conftest import run_cli_inprocess

from marshallian.errors import InvalidParameterError
from marshallian.solvers import dynamics as dyn
from marshallian.solvers.dynamics import paths as dyn_paths


@pytest.mark.parametrize("t_max", [1e4, 1e5, 3e7, 1e9, dyn.MAX_T_MAX])
@pytest.mark.parametrize("sector, technology", [(1, "modern"), (2, "backward")])
def test_long_horizons_are_verified_quickly(t_max, sector, technology):
    t0 = time.perf_counter()
    p = dyn.path(
        {"a0_1": 0.3, "a0_2": 1.4}, sector=sector, technology=technology, t_max=t_max, points=401
    )
    assert p.certificate.verified, p.certificate
    assert p.certificate.max_relative_difference < dyn.AGREEMENT_RTOL / 10
    assert "mpmath" in p.certificate.reference
    assert time.perf_counter() - t0 < 60  # bounded work (generous on a busy machine)
    for j, a in p.relative_productivity.items():
        assert math.isclose(a[-1], p.limit_relative_productivity[j], rel_tol=1e-12)


def test_the_reference_agrees_with_the_closed_form_where_both_apply():
    t = np.linspace(0, 300, 31)
    for a0, d in [(0.3, 0.02), (1.7, 0.02), (0.5, -0.01), (1.2, -0.03)]:
        for law in dyn.LAWS:
            ref = dyn.reference_relative_productivity(a0, d, 0.05, t, law)
            cf = dyn.relative_productivity(a0, d, 0.05, t, law)
            assert np.allclose(cf, ref, rtol=1e-13, atol=0), (a0, d, law)


def test_a_wrong_value_beyond_the_integrated_stretch_is_flagged(monkeypatch):
    real = dyn_paths.relative_productivity

    def drifting(a0, d, eps, t, law="min"):
        out = real(a0, d, eps, t, law)
        return out * np.where(np.asarray(t) > 1e4, 1 + 1e-6, 1.0)

    monkeypatch.setattr(dyn_paths, "relative_productivity", drifting)
    p = dyn.path(sector=1, technology="modern", t_max=1e6, points=101)
    assert not p.certificate.verified
    assert p.certificate.max_relative_difference > 1e-7


def test_horizons_beyond_the_documented_limits_are_refused():
    with pytest.raises(InvalidParameterError, match="t_max"):
        dyn.path(sector=1, technology="modern", t_max=1e300, points=3)
    with pytest.raises(InvalidParameterError, match="t_max"):
        dyn.path(sector=1, technology="modern", t_max=2 * dyn.MAX_ODE_HORIZON, method="ode")
    with pytest.raises(InvalidParameterError, match="largest integrated horizon"):
        dyn.integrate(None, [dyn.Phase(0, {(1, "modern"): 200.0})], [0.0, 1e9])


def test_cli_t_max_1e300_exits_2(tmp_path):
    r = run_cli_inprocess(
        ["paths", "--sector", "1", "--technology", "modern", "--t-max", "1e300", "--points", "3"],
        tmp_path,
    )
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "t_max" in r.stderr
