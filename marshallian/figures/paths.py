"""§4 catch-up paths: :math:`A_{jS}/A_{jN}` and the income gap over time.

Paths come from the dynamics engine (:mod:`marshallian.solvers.dynamics`, issue 3).
"""
from __future__ import annotations

from ._style import FigureUnavailable, figure_function, require


@figure_function
def catchup_paths(params=None):
    """Relative productivity and income gap over time after South forms a cluster."""
    require("marshallian.solvers.dynamics", "catch-up paths need the §4 dynamics engine (issue 3)")
    raise FigureUnavailable("catch-up paths need marshallian.solvers.dynamics paths, not yet available")
