"""South's preferences, indirect utility and real income (``docs/models.md`` §5).

The paper only assumes Inada preferences (§2); welfare comparisons need more. Two
homothetic families are supplied:

* Cobb-Douglas (default), shares :math:`\\mu_j` (the model's ``mu_j``):
  :math:`U=\\prod_j c_j^{\\mu_j}`, unit expenditure
  :math:`e(p)=\\prod_j (p_j/\\mu_j)^{\\mu_j}`;
* CES with elasticity :math:`\\sigma>0,\\ \\sigma\\ne1` and weights :math:`a_j`
  (:math:`\\sum_j a_j=1`): :math:`U=(\\sum_j a_j^{1/\\sigma}c_j^{(\\sigma-1)/\\sigma})^{\\sigma/(\\sigma-1)}`,
  :math:`e(p)=(\\sum_j a_j p_j^{1-\\sigma})^{1/(1-\\sigma)}` (tends to Cobb-Douglas as
  :math:`\\sigma\\to1` up to the constant :math:`\\prod_j\\mu_j^{-\\mu_j}`), expenditure shares
  :math:`s_j(p)=a_jp_j^{1-\\sigma}/\\sum_k a_kp_k^{1-\\sigma}`.

With income :math:`I` and consumer prices :math:`p` the indirect utility is
:math:`V=I/e(p)`. *Real income* is :math:`I\\,e(p^*)/e(p)`: income deflated to world
prices :math:`p^*`, in units of North's wage, so that at free trade it equals the national
income :math:`wL_S` (every active activity pays :math:`w`, hence
:math:`\\sum_jp_j^*Q_j=wL_S`). Income is :math:`wL_S` + rebated tariff revenue −
lump-sum taxes; consumer prices are domestic prices.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from ..errors import InvalidParameterError, Violation

#: Shares/weights must sum to 1 within this.
SHARE_ATOL = 1e-9
#: |sigma - 1| below this is treated as Cobb-Douglas.
SIGMA_ONE_ATOL = 1e-12


@dataclass(frozen=True)
class Preferences:
    """Homothetic preferences of South's consumers.

    Parameters
    ----------
    weights : dict
        Sector -> Cobb-Douglas share :math:`\\mu_j` (or CES weight :math:`a_j`), each > 0,
        summing to 1.
    sigma : float or None
        None (or 1) for Cobb-Douglas; otherwise the CES elasticity of substitution
        (finite, > 0, != 1).

    Examples
    --------
    >>> import marshallian as m
    >>> prefs = m.Preferences(weights={1: 0.5, 2: 0.5})
    >>> prefs.kind
    'cobb-douglas'
    """

    weights: dict
    sigma: float | None = None

    def __post_init__(self):
        bad = []
        if not isinstance(self.weights, dict) or not self.weights:
            raise InvalidParameterError(
                Violation("weights", self.weights, "must be a non-empty dict sector -> share")
            )
        for j, a in self.weights.items():
            if (
                isinstance(a, bool)
                or not isinstance(a, (int, float))
                or not math.isfinite(a)
                or a <= 0
            ):
                bad.append(Violation(f"weight_{j}", a, "must be a finite number > 0"))
        if not bad and abs(sum(self.weights.values()) - 1) > SHARE_ATOL:
            bad.append(Violation("weights", sum(self.weights.values()), "must sum to 1"))
        s = self.sigma
        if s is not None and (
            isinstance(s, bool) or not isinstance(s, (int, float)) or not math.isfinite(s) or s <= 0
        ):
            bad.append(Violation("sigma", s, "must be a finite number > 0 (or None: Cobb-Douglas)"))
        if bad:
            raise InvalidParameterError(bad)
        if s is not None and abs(s - 1) < SIGMA_ONE_ATOL:
            object.__setattr__(self, "sigma", None)

    @property
    def kind(self) -> str:
        return "cobb-douglas" if self.sigma is None else "ces"

    @property
    def sectors(self) -> tuple:
        return tuple(sorted(self.weights))

    def shares(self, prices) -> dict:
        """Expenditure shares :math:`s_j(p)` (constant :math:`\\mu_j` for Cobb-Douglas)."""
        if self.sigma is None:
            return dict(self.weights)
        x = {j: a * prices[j] ** (1 - self.sigma) for j, a in self.weights.items()}
        tot = sum(x.values())
        return {j: v / tot for j, v in x.items()}

    def unit_expenditure(self, prices) -> float:
        """:math:`e(p)`, the cost of one unit of utility."""
        if self.sigma is None:
            return math.exp(sum(m * math.log(prices[j] / m) for j, m in self.weights.items()))
        s = self.sigma
        return sum(a * prices[j] ** (1 - s) for j, a in self.weights.items()) ** (1 / (1 - s))

    def demand(self, prices, income) -> dict:
        """Marshallian demands :math:`c_j=s_j(p)I/p_j`."""
        sh = self.shares(prices)
        return {j: sh[j] * income / prices[j] for j in self.weights}

    def utility(self, prices, income) -> float:
        """Indirect utility :math:`V(p,I)=I/e(p)`."""
        return income / self.unit_expenditure(prices)

    def to_dict(self) -> dict:
        return {
            "kind": self.kind,
            "weights": {str(k): v for k, v in self.weights.items()},
            "sigma": self.sigma,
        }


def preferences(model, params, sigma=None, weights=None) -> Preferences:
    """South's preferences: Cobb-Douglas with the model's ``mu_j`` unless told otherwise.

    Parameters
    ----------
    model : Model
    params : Parameters
    sigma : float, optional
        CES elasticity (None or 1: Cobb-Douglas).
    weights : dict, optional
        Sector -> weight; default the model's shares ``mu_j``.

    Examples
    --------
    >>> import marshallian as m
    >>> model = m.get_model("alternative")
    >>> m.preferences(model, model.params(None))     # Cobb-Douglas with the shares mu_j
    Preferences(weights={1: 0.5, 2: 0.5}, sigma=None)
    """
    if weights is None:
        st = model.structure(params)
        weights = {j: float(m) for j, m in zip(model.sectors, st.mu)}
    return Preferences(dict(weights), sigma)


@dataclass(frozen=True)
class Welfare:
    """Welfare of South's representative consumer at one allocation.

    Attributes
    ----------
    income : float
        Nominal income :math:`I` (North's wage = 1): wages + transfers.
    transfers : float
        Rebated tariff revenue minus lump-sum taxes (0 at free trade).
    prices : dict
        Consumer (domestic) prices.
    utility : float
        Indirect utility :math:`I/e(p)`.
    real_income : float
        :math:`I\\,e(p^*)/e(p)`: income at world prices with the same utility.
    consumption : dict
        Demands :math:`c_j`.
    preferences : str

    Examples
    --------
    >>> import marshallian as m
    >>> from marshallian.policy import equilibrium_welfare
    >>> model = m.get_model("alternative"); params = model.params(None)
    >>> w = equilibrium_welfare(model, params, m.solve(model, params))[0]
    >>> w.income, round(w.utility, 2), w.consumption
    (200.0, 295.8, {1: 250.0, 2: 350.0})
    """

    income: float
    transfers: float
    prices: dict
    utility: float
    real_income: float
    consumption: dict
    preferences: str = "cobb-douglas"
    extra: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {
            "income": self.income,
            "transfers": self.transfers,
            "prices": {str(k): v for k, v in self.prices.items()},
            "utility": self.utility,
            "real_income": self.real_income,
            "consumption": {str(k): v for k, v in self.consumption.items()},
            "preferences": self.preferences,
        }


def evaluate(prefs: Preferences, prices, income, world_prices, transfers=0.0) -> Welfare:
    """:class:`Welfare` at consumer ``prices`` and ``income`` (world prices deflate)."""
    e = prefs.unit_expenditure(prices)
    same = all(float(prices[j]) == float(world_prices[j]) for j in prefs.weights)
    # at world prices the deflator is exactly 1: real income is income (gap = 1/w exactly)
    real = float(income) if same else float(income * prefs.unit_expenditure(world_prices) / e)
    return Welfare(
        income=float(income),
        transfers=float(transfers),
        prices={j: float(p) for j, p in prices.items()},
        utility=float(income / e),
        real_income=real,
        consumption={j: float(c) for j, c in prefs.demand(prices, income).items()},
        preferences=prefs.kind,
    )


def equilibrium_welfare(model, params, solution, prefs: Preferences | None = None) -> list:
    """Welfare in every equilibrium of a free-trade :class:`~marshallian.results.Solution`.

    Income is :math:`wL_S` and consumer prices are the world prices.

    Returns
    -------
    list of Welfare
        Aligned with ``solution.equilibria``.

    Examples
    --------
    >>> import marshallian as m
    >>> from marshallian.policy import equilibrium_welfare
    >>> model = m.get_model("alternative"); params = model.params(None)
    >>> welfare = equilibrium_welfare(model, params, m.solve(model, params))
    >>> len(welfare), welfare[0].income          # the best equilibrium: wage 1 times L_S = 200
    (7, 200.0)
    """
    prefs = prefs or preferences(model, params)
    L = float(params["L_S"])
    return [
        evaluate(prefs, solution.prices, e.wage * L, solution.prices) for e in solution.equilibria
    ]
