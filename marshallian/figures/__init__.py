"""Publication figures of the paper (Rodríguez-Clare 2007) and the machinery to write them.

Every figure function returns a :class:`matplotlib.figure.Figure` (no ``pyplot`` state;
rendered by Agg) at the parameters it is given (the default calibration otherwise) and
says which calibration it shows in its title. :func:`write_figures` writes them all at one
calibration (``context={"calibration": marshallian.calibration.calibrate({...})}``).

==================  ==================================================================
name                what
==================  ==================================================================
``fig1_ppf``        Fig. 1: South's PPF (convex, then linear), PPF_NC, world price lines
``income_gaps``     income gap of every equilibrium, §2, §3 and §4 models
``regions_*``       stable equilibria over comparative advantage × θ with the paper's
                    boundaries (``standard``, ``alternative``, ``dynamic``)
``catchup_paths``   §4 paths of :math:`A_{jS}/A_{jN}` and of the income gap
``welfare_tariff``  South's welfare against the tariff rate on good 2
``world_limit``     two-country equilibria's wages as :math:`L_S/L_N\to0`
==================  ==================================================================
"""

from __future__ import annotations

from ._style import FORMATS, STYLE, save  # noqa: F401
from .registry import FIGURES, FigureRecord, FigureSpec, make_figure, write_figures  # noqa: F401
