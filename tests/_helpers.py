"""Test data shared by several test files and by the benchmarks.

Plain values and NumPy samplers only (no pytest), so that ``benchmarks/`` can import them
too: a benchmark that times the draws a test checks uses the very same sampler.
"""

from __future__ import annotations

import numpy as np

#: Every lambda_ji equal to one: no Ricardian differences (§2 S1, §3 A2, §4 D2 knife edges,
#: footnote 10's setting).
LAM_ONE = {"lam_1S": 1.0, "lam_2S": 1.0, "lam_1N": 1.0, "lam_2N": 1.0}

#: The static claims of the registry (``docs/models.md`` §6): §2's S1–S7 and §3's A1–A9.
STATIC_CLAIMS = (
    "S1",
    "S2",
    "S3",
    "S4",
    "S5",
    "S6",
    "S7",
    "A1",
    "A2",
    "A3",
    "A4",
    "A5",
    "A6",
    "A7",
    "A8",
    "A9",
)


def draw_alternative_points(rng: np.random.Generator, n: int) -> dict:
    """``n`` valid §3 parameter points (arrays by name) spread over every region.

    0 < beta < 1, theta_j > 1 and North's premise (full clusters: L_N above both Lbar_j).
    """
    p = {k: rng.uniform(0.3, 3.0, n) for k in ("lam_1S", "lam_2S", "lam_1N", "lam_2N")}
    p["beta"] = rng.uniform(0.05, 0.95, n)
    p["alpha"] = rng.uniform(0.001, 0.05, n)
    for j in (1, 2):
        p[f"Lbar_{j}"] = (1 + rng.uniform(0.01, 3.0, n) - p["beta"]) / p["alpha"]
    big = np.maximum(p["Lbar_1"], p["Lbar_2"])
    p["L_S"] = big * rng.uniform(0.05, 2.0, n)
    p["L_N"] = 2.5 * big
    return p


#: A one-function module in the form the batch's generated code takes (Numba's ``cache``
#: flag from ``_MARSHALLIAN_CACHE``), for the tests of the cache of compiled code.
NUMBA_TWICE_MODULE = """
def twice(x):
    return 2.0 * x


import numba as _numba

_CACHE = globals().get("_MARSHALLIAN_CACHE", True)
twice = _numba.njit(cache=_CACHE)(twice)
"""
