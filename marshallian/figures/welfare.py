"""South's welfare against the tariff rate on good 2 (policy engine, issue 4)."""
from __future__ import annotations

from ._style import FigureUnavailable, figure_function, require


@figure_function
def welfare_tariff(params=None):
    """Welfare of South against the ad-valorem tariff on good 2."""
    require("marshallian.policy", "welfare against the tariff needs the policy engine (issue 4)")
    raise FigureUnavailable("welfare against the tariff needs marshallian.policy, not yet available")
