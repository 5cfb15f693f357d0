"""Python API: one exception type, numbers of every kind, immutable shared results
(issue 12 items 10 and 11)."""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest
from conftest import run_cli_inprocess

import marshallian as m
from marshallian.errors import InvalidParameterError

NUMBERS = [np.float32(0.5), np.float64(0.5), Decimal("0.5"), Fraction(1, 2)]


@pytest.mark.parametrize(
    "call, name",
    [
        (lambda: m.run_claims(seed=-1), "seed"),
        (lambda: m.run_claims(ids=5), "ids"),
        (lambda: m.solve("alternative", north={"x": "cluster"}), "north"),
        (lambda: m.solve("alternative", north={1: "everything"}), "north"),
        (lambda: m.derive_conditions(["standard"]), "model"),
        (lambda: m.path(sector=1, technology="modern", t_max="ten"), "t_max"),
        (lambda: m.path(sector=1, technology="modern").time_to_close("half"), "fraction"),
        (lambda: m.tariff(2, "0.1"), "tariff"),
        (lambda: m.solve("standard", prices={1: "1", 2: 0.5}), "price_1"),
    ],
)
def test_misuse_raises_the_package_error_naming_the_argument(call, name):
    with pytest.raises(InvalidParameterError, match=name):
        call()


def test_a_claim_id_given_as_a_string_is_one_claim():
    # issue 12 item 11: run_claims(ids="S1") read "claim='S'"
    (res,) = m.run_claims(ids="S1", draws=2)
    assert res.id == "S1"


def test_claims_seed_minus_one_exits_2(tmp_path):
    r = run_cli_inprocess(["claims", "--seed", "-1"], tmp_path)
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "seed" in r.stderr


@pytest.mark.parametrize("x", NUMBERS)
def test_numpy_scalars_decimal_and_fraction_are_numbers(x):
    ref = m.solve("standard", prices={1: 1.0, 2: 0.5})
    sol = m.solve("standard", prices={1: 1.0, 2: x})
    assert [e.label for e in sol] == [e.label for e in ref]
    p = m.path(sector=1, technology="modern", t_max=x * 20, points=3)
    assert p.t[-1] == 10.0
    assert math.isclose(p.time_to_close(x), p.time_to_close(0.5))
    assert m.tariff(2, x).tariff_rate == 0.5


def test_exact_prices_keep_the_decimal_they_stand_for():
    sol = m.solve("standard", prices={1: Decimal("1"), 2: Decimal("0.1")}, exact=True)
    assert len(sol) >= 1


def test_cached_results_and_models_are_read_only():
    # issue 12 item 11: mutating derive_conditions(...)[i].definitions changed later calls;
    # get_model() handed out the shared cached Model
    entries = m.derive_conditions("standard")
    before = dict(entries[0].definitions)
    with pytest.raises(TypeError):
        entries[0].definitions["theta"] = 0
    with pytest.raises(TypeError):
        entries[0].definitions.clear()
    assert dict(m.derive_conditions("standard")[0].definitions) == before
    model = m.get_model("dynamic")
    for mapping in (model.definitions, model.lam_S, model.mu, model.sector_factor):
        with pytest.raises(TypeError):
            mapping.clear()
    assert "a_hat" in m.get_model("dynamic").definitions
    import pickle

    assert pickle.loads(pickle.dumps(model.definitions)) == dict(model.definitions)
