r"""Location quotients, Balassa's RCA, Hoover and Ellison–Glaeser concentration indices.

Seed 004, eq. (1): the location quotient of industry :math:`i` in region :math:`j` (per year)

.. math:: LQ_{ij} = \frac{x_{ij} / x_j}{x_i / x},

with :math:`x` output; a region is *agglomerated* for an industry when :math:`LQ_{ij} > 1`.
Balassa's revealed comparative advantage is the same ratio on exports. All indices are
computed with grouped sums on integer codes (no loop over firms or cells).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np

from ..errors import InvalidParameterError, Violation
from ._groups import GroupSum, combine, group_codes
from .data import ensure_panel

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd


def _check_column(panel: pd.DataFrame, name: str, what: str) -> None:
    if name not in panel.columns:
        raise InvalidParameterError(
            Violation(
                what,
                name,
                f"no such column in the panel (columns: {', '.join(map(str, panel.columns))})",
            )
        )


class _Cells(NamedTuple):
    """A firm-year panel coded by year, region and industry: each firm-year's codes
    (``yc``, ``rc``, ``ic``), the values they stand for (``yu``, ``ru``, ``iu``) and the
    value column ``x``."""

    yc: np.ndarray
    rc: np.ndarray
    ic: np.ndarray
    yu: np.ndarray
    ru: np.ndarray
    iu: np.ndarray
    x: np.ndarray

    @property
    def shape(self) -> tuple[int, int, int]:
        """Numbers of years, regions and industries."""
        return len(self.yu), len(self.ru), len(self.iu)

    def key(self) -> tuple[np.ndarray, int]:
        """Each firm-year's year × region × industry cell, and the number of cells."""
        Y, R, Ind = self.shape
        return combine((self.yc, Y), (self.rc, R), (self.ic, Ind))

    def totals(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Sums of ``x`` by year × region (:math:`x_j`), by year × industry
        (:math:`x_i`) and by year (:math:`x`), indexed ``y * R + r``, ``y * I + i``, ``y``."""
        Y, R, Ind = self.shape
        yc, x = self.yc, self.x
        return (
            np.bincount(yc * R + self.rc, weights=x, minlength=Y * R),
            np.bincount(yc * Ind + self.ic, weights=x, minlength=Y * Ind),
            np.bincount(yc, weights=x, minlength=Y),
        )


def _cells(panel: pd.DataFrame, region: str, value: str) -> _Cells:
    """The panel's year × ``region`` × industry codes and its ``value`` column."""
    _check_column(panel, region, "--region")
    yc, yu = group_codes(panel["year"])
    rc, ru = group_codes(panel[region])
    ic, iu = group_codes(panel["industry"])
    return _Cells(yc, rc, ic, yu, ru, iu, panel[value].to_numpy(dtype=float))


def _quotient_table(panel: pd.DataFrame, region: str, value: str) -> pd.DataFrame:
    import pandas as pd

    c = _cells(panel, region, value)
    yu, ru, iu = c.yu, c.ru, c.iu
    Y, R, Ind = c.shape
    key, size = c.key()
    cell_x = GroupSum(key, size, c.x)
    cell_n = GroupSum(key, size)
    if cell_x.dense:
        present = np.flatnonzero(cell_n.table)
        x_ij = cell_x.table[present]
        cell = present
    else:
        cell, x_ij = cell_x.keys, cell_x.table
    y_of = cell // (R * Ind)
    r_of = (cell // Ind) % R
    i_of = cell % Ind
    by_region, by_industry, by_year = c.totals()
    x_j = by_region[y_of * R + r_of]
    x_i = by_industry[y_of * Ind + i_of]
    x_all = by_year[y_of]
    with np.errstate(divide="ignore", invalid="ignore"):
        lq = (x_ij / x_j) / (x_i / x_all)
    lq = np.where(np.isfinite(lq), lq, np.nan)
    return pd.DataFrame(
        {
            "year": yu[y_of],
            "region": ru[r_of],
            "industry": iu[i_of],
            value: x_ij,
            "lq": lq,
            "agglomerated": lq > 1,
        }
    )


def location_quotients(data: Any, region: str = "county", value: str = "output") -> pd.DataFrame:
    r"""Location quotients (seed 004, eq. 1) for every year × region × industry present.

    Parameters
    ----------
    data : path, DataFrame or SyntheticPanel
        The firm-year panel.
    region : str
        Region column (``county`` by default, ``province`` also common).
    value : str
        The activity measure (``output``; ``exports`` gives Balassa's RCA).

    Returns
    -------
    pandas.DataFrame
        Columns ``year``, ``region``, ``industry``, ``value`` (:math:`x_{ij}`), ``lq``
        (NaN when the region or the industry has zero total that year) and
        ``agglomerated`` (``lq > 1``).

    Examples
    --------
    >>> import pandas as pd
    >>> from marshallian.empirics import simulate_panel
    >>> lq = location_quotients(simulate_panel(firms=500, seed=0))
    >>> bool((lq["lq"] > 0).all()), list(lq.columns)[:3]
    (True, ['year', 'region', 'industry'])
    """
    panel = ensure_panel(data)
    return _quotient_table(panel, region, value)


def balassa_rca(data: Any, region: str = "county") -> pd.DataFrame:
    r"""Balassa's revealed comparative advantage: :math:`LQ` of eq. (1) on ``exports``.

    Cells where the region or the industry exports nothing have ``lq`` NaN.

    Examples
    --------
    >>> from marshallian.empirics import balassa_rca, simulate_panel
    >>> rca = balassa_rca(simulate_panel(firms=500, seed=0))
    >>> rca.columns.tolist()
    ['year', 'region', 'industry', 'exports', 'lq', 'agglomerated']
    """
    panel = ensure_panel(data)
    return _quotient_table(panel, region, "exports")


def agglomerated(data: Any, region: str = "county", value: str = "output") -> np.ndarray:
    """Per firm-year (aligned with the validated panel): LQ of its industry in its
    region that year > 1 (seed 004, §3.1).

    Examples
    --------
    >>> from marshallian.empirics import agglomerated, simulate_panel
    >>> sim = simulate_panel(firms=500, seed=0)
    >>> flags = agglomerated(sim)              # one flag per firm-year: LQ > 1
    >>> flags.dtype, len(flags) == len(sim.panel)
    (dtype('bool'), True)
    """
    c = _cells(ensure_panel(data), region, value)
    _, R, Ind = c.shape
    key, size = c.key()
    x_ij = GroupSum(key, size, c.x).lookup(key)
    by_region, by_industry, by_year = c.totals()
    x_j = by_region[c.yc * R + c.rc]
    x_i = by_industry[c.yc * Ind + c.ic]
    x_all = by_year[c.yc]
    # LQ > 1  <=>  x_ij * x > x_i * x_j (all totals >= 0): no division
    return x_ij * x_all > x_i * x_j


def _shares(panel: pd.DataFrame, region: str, value: str):
    c = _cells(panel, region, value)
    yc, ic, x, yu, iu = c.yc, c.ic, c.x, c.yu, c.iu
    Y, R, Ind = c.shape
    x_yri = (
        np.bincount(c.key()[0], weights=x, minlength=Y * R * Ind).reshape(Y, R, Ind)
        if Y * R * Ind <= 5e7
        else None
    )
    if x_yri is None:  # pragma: no cover - enormous key spaces
        raise InvalidParameterError(Violation(region, R, "too many regions x industries x years"))
    x_yi = x_yri.sum(axis=1)  # Y x I
    x_yr = x_yri.sum(axis=2)  # Y x R
    with np.errstate(divide="ignore", invalid="ignore"):
        s_ij = x_yri / x_yi[:, None, :]  # industry's share in each region
        s_j = x_yr / x_yr.sum(axis=1, keepdims=True)
    return yc, ic, x, yu, iu, x_yi, s_ij, s_j


def hoover_index(data: Any, region: str = "county", value: str = "output") -> pd.DataFrame:
    r"""Hoover's coefficient of localisation per year and industry.

    .. math:: H_i = \tfrac12 \sum_j \left| \frac{x_{ij}}{x_i} - \frac{x_j}{x} \right|

    0 when the industry is spread like all activity, near 1 when it sits in one small region.

    Examples
    --------
    >>> from marshallian.empirics import hoover_index, simulate_panel
    >>> h = hoover_index(simulate_panel(firms=500, seed=0))
    >>> bool(h["hoover"].between(0, 1).all())       # a coefficient in [0, 1]
    True
    """
    import pandas as pd

    panel = ensure_panel(data)
    _yc, _ic, _x, yu, iu, x_yi, s_ij, s_j = _shares(panel, region, value)
    h = 0.5 * np.abs(s_ij - s_j[:, :, None]).sum(axis=1)  # Y x I
    present = x_yi > 0
    yy, ii = np.nonzero(present)
    return pd.DataFrame({"year": yu[yy], "industry": iu[ii], "hoover": h[yy, ii]})


def ellison_glaeser(data: Any, region: str = "county", value: str = "output") -> pd.DataFrame:
    r"""Ellison–Glaeser (1997) index of geographic concentration per year and industry.

    .. math:: \gamma_i = \frac{G_i - (1 - \sum_j s_j^2) H_i}{(1 - \sum_j s_j^2)(1 - H_i)},
       \qquad G_i = \sum_j (s_{ij} - s_j)^2, \quad H_i = \sum_{f\in i} z_f^2,

    with :math:`s_{ij}` the industry's share in region :math:`j`, :math:`s_j` the region's
    share of all activity and :math:`z_f` firm shares in the industry (Herfindahl). NaN for
    an industry with a single firm (:math:`H_i = 1`).

    Examples
    --------
    >>> from marshallian.empirics import ellison_glaeser, simulate_panel
    >>> eg = ellison_glaeser(simulate_panel(firms=500, seed=0))
    >>> eg.columns.tolist()
    ['year', 'industry', 'G', 'H', 'ellison_glaeser']
    """
    import pandas as pd

    panel = ensure_panel(data)
    yc, ic, x, yu, iu, x_yi, s_ij, s_j = _shares(panel, region, value)
    Y, Ind = x_yi.shape
    G = ((s_ij - s_j[:, :, None]) ** 2).sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = x / x_yi[yc, ic]
        H = np.bincount(yc * Ind + ic, weights=z * z, minlength=Y * Ind).reshape(Y, Ind)
        sum_s2 = (s_j**2).sum(axis=1)[:, None]
        gamma = (G - (1 - sum_s2) * H) / ((1 - sum_s2) * (1 - H))
    present = x_yi > 0
    yy, ii = np.nonzero(present)
    gam = gamma[yy, ii]
    return pd.DataFrame(
        {
            "year": yu[yy],
            "industry": iu[ii],
            "G": G[yy, ii],
            "H": H[yy, ii],
            "ellison_glaeser": np.where(np.isfinite(gam), gam, np.nan),
        }
    )
