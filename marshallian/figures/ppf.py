"""Fig. 1 of the paper: South's PPF with and without clusters (§2).

The frontier itself is the policy engine's (:func:`marshallian.policy.ppf`, issue 4); this
module only draws it. Until that engine is installed the figure is reported unavailable.
"""
from __future__ import annotations

from ._style import FigureUnavailable, figure_function, require


@figure_function
def fig1_ppf(params=None):
    """Fig. 1 (§2): PPF, PPF_NC, world price line, the specialized equilibria marked."""
    require("marshallian.policy", "Fig. 1 needs the policy engine's ppf (issue 4)")
    raise FigureUnavailable("Fig. 1 needs marshallian.policy.ppf, not yet available")
