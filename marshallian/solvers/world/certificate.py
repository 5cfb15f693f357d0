"""Independent verification of a world equilibrium (its :class:`WorldCertificate`).

Nothing here reuses the regime algebra that found the equilibrium. Each country is checked
with the package's one small-economy certificate, :func:`marshallian.solvers.verify.certify`
(pays from the model's SymPy productivity: every active activity pays the country's wage,
no idle one pays more, labor adds up); North is checked as the same model with North's
productivities and labor force in South's place (:func:`as_country`). The goods markets
are checked from the value of output, :math:`V_j=\\sum_i\\sum_{k\\in j}p_j\\varphi_{ki}(L_{ki})L_{ki}`,
against Cobb–Douglas spending :math:`\\mu_j\\sum_kV_k`.
"""

from __future__ import annotations

import functools

from ...errors import InvalidParameterError, Violation
from ..enumeration import STATE_NAMES
from ..verify import certify, pay_function
from .result import WorldCertificate


def as_country(model, params, country: str):
    """``params`` with country ``"N"``'s productivities and labor force in South's place.

    The model's country-S productivity evaluated at these parameters is North's
    productivity (the static models have no country-specific sector factor).
    """
    if country == "S":
        return params
    swap = {model.L_S.name: params[model.L_N.name]}
    for j in model.sectors:
        lam_s, lam_n = model.lam_S[j], model.lam_N[j]
        if not (getattr(lam_s, "is_Symbol", False) and getattr(lam_n, "is_Symbol", False)):
            raise InvalidParameterError(
                Violation(
                    "model",
                    model.name,
                    "the world certificate needs lambda_jS, lambda_jN to be "
                    "parameters of the model",
                )
            )
        swap[lam_s.name] = params[lam_n.name]
    return model.params({**dict(params), **swap})


@functools.lru_cache(maxsize=32)
def _layout(model) -> tuple:
    """Activity labels and their sectors' positions (computed once per model)."""
    return (
        tuple(a.label for a in model.activities),
        tuple(model.sectors.index(a.sector) for a in model.activities),
    )


def _shares(model, params) -> tuple:
    return tuple(float(x) for x in model.structure(params).mu)


def certify_world(
    model,
    params,
    prices,
    north_labor,
    south_labor,
    wage,
    regime,
    method,
    tol,
    exact=False,
    north_params=None,
    shares=None,
) -> WorldCertificate:
    """Residuals of every equilibrium condition of both countries and of the goods markets.

    Parameters
    ----------
    prices : dict
        Sector -> price (North's wage is 1).
    north_labor, south_labor : sequence
        Labor per activity (model order).
    wage : number
        South's wage.
    regime : tuple
        ``(north states, south states)`` per activity (0 = idle).
    north_params : Parameters, optional
        ``as_country(model, params, "N")``, if already computed.
    shares : tuple, optional
        The Cobb-Douglas shares (floats, sector order), if already computed.
    """
    if north_params is None:
        north_params = as_country(model, params, "N")
    labels, sector_pos = _layout(model)
    names = ", ".join(f"{a}={STATE_NAMES[s]}" for a, s in zip(labels, regime[1]))
    cert_s = certify(
        model, params, prices, south_labor, wage, regime[1], names, method, tol=tol, exact=exact
    )
    one = wage * 0 + 1
    cert_n = certify(
        model, north_params, prices, north_labor, one, regime[0], "", method, tol=tol, exact=exact
    )
    values = [0.0] * len(model.sectors)
    # the market residual in floats in both modes (the compiled pays, prices converted once)
    f = pay_function(model)
    p_tuple = tuple(float(prices[j]) for j in model.sectors)
    computed = [
        f(prm.as_tuple(), p_tuple, tuple(float(x) for x in labor))
        for prm, labor in ((north_params, north_labor), (params, south_labor))
    ]
    for pay, labor in zip(computed, (north_labor, south_labor)):
        for k, pos in enumerate(sector_pos):
            values[pos] += float(pay[k]) * float(labor[k])
    income = sum(values)
    mu = shares or _shares(model, params)
    market = max(abs(v - m * income) / income for v, m in zip(values, mu))
    ok = cert_s.verified and cert_n.verified and market <= max(tol.verify_rtol, 1e-12)
    regime_text = (
        "N: "
        + ", ".join(f"{a}={STATE_NAMES[s]}" for a, s in zip(labels, regime[0]))
        + "; S: "
        + names
    )
    return WorldCertificate(
        max(cert_s.max_pay_residual, cert_n.max_pay_residual),
        max(cert_s.max_deviation_gain, cert_n.max_deviation_gain),
        max(cert_s.labor_residual, cert_n.labor_residual),
        regime_text,
        method,
        bool(ok),
        market_residual=float(market),
        north_verified=bool(cert_n.verified),
        south_verified=bool(cert_s.verified),
    )
