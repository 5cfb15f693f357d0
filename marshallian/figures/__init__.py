"""Publication figures of the paper (Rodríguez-Clare 2007) and the machinery to write them.

Every figure function returns a :class:`matplotlib.figure.Figure` (no ``pyplot`` state;
rendered by Agg) and takes the default calibration unless told otherwise. Figures that need
a part of the package that is not installed raise :class:`FigureUnavailable` with the
reason, which :func:`write_figures` and the report print instead of failing.

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

from ._style import FORMATS, STYLE, FigureUnavailable, save  # noqa: F401
from .registry import FIGURES, FigureRecord, FigureSpec, make_figure, write_figures  # noqa: F401
