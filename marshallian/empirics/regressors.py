r"""The probit's regressors: lagged firm variables and the agglomeration counts (seed 004, §3.3).

For firm :math:`f` in industry :math:`i`, county :math:`c`, province :math:`r` in year
:math:`t`, counting firms that exported (``exports > 0``) in year :math:`t-1` and never
counting :math:`f` itself:

=========  ===============================================================
``agg1_1``  exporters in county :math:`c` and industry :math:`i`
``agg1_2``  exporters in county :math:`c`, other industries
``agg2_1``  indigenous exporters in county :math:`c`
``agg2_2``  indigenous exporters in province :math:`r`, other counties
``agg3_1``  foreign-invested exporters in county :math:`c`
``agg3_2``  foreign-invested exporters in province :math:`r`, other counties
=========  ===============================================================

Every count is a grouped sum over year :math:`t-1` looked up at the firm's year-:math:`t`
location; the firm's own year-:math:`t-1` export is then subtracted where it falls in the
counted group. ``export_lag``, ``tfp_lag``, ``ln_employment_lag`` and ``ln_wage_lag`` are the
firm's values in year :math:`t-1` (NaN when the firm is not observed in :math:`t-1`).
``entry_agg1_1`` :math:`=(1-\text{export\_lag})\cdot\text{agg1\_1}` is the package's
addition: the count as seen by last year's non-exporters, the regressor of the synthetic
model's entry cost (:mod:`marshallian.empirics.synthetic`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from ._groups import GroupSum, group_codes
from .data import ensure_panel

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

#: Lagged firm variables (the firm's own year t-1 values).
LAG_REGRESSORS = ("export_lag", "tfp_lag", "ln_employment_lag", "ln_wage_lag")
#: Agglomeration counts of year t-1 exporters (seed 004, §3.3).
AGGLOMERATION_REGRESSORS = ("agg1_1", "agg1_2", "agg2_1", "agg2_2", "agg3_1", "agg3_2")
#: Every regressor the package builds from the panel.
BUILT_REGRESSORS = LAG_REGRESSORS + AGGLOMERATION_REGRESSORS + ("entry_agg1_1",)


def previous_row(panel: pd.DataFrame) -> np.ndarray:
    """Index of each firm-year's row for the same firm in year t-1, or -1.

    The validated panel is sorted by firm and year, so the candidate is the row above.
    """
    firm = panel["firm"].to_numpy()
    year = panel["year"].to_numpy()
    prev = np.full(len(panel), -1, dtype=np.int64)
    same = (firm[1:] == firm[:-1]) & (year[1:] == year[:-1] + 1)
    prev[1:][same] = np.flatnonzero(same)
    return prev


def _is_foreign(panel: pd.DataFrame) -> np.ndarray:
    import pandas as pd

    own = panel["ownership"]
    if isinstance(own.dtype, pd.CategoricalDtype):
        cats = list(own.cat.categories)
        return (
            own.cat.codes.to_numpy() == cats.index("foreign")
            if "foreign" in cats
            else np.zeros(len(own), dtype=bool)
        )
    return own.astype(str).to_numpy() == "foreign"


def build_regressors(data: Any, names: Any = None) -> pd.DataFrame:
    """The built regressors, aligned with the validated panel's rows.

    Parameters
    ----------
    data : path, DataFrame or SyntheticPanel
    names : iterable of str, optional
        Which of :data:`BUILT_REGRESSORS` (default all).

    Returns
    -------
    pandas.DataFrame
        One column per name plus ``export`` (0/1: exports > 0 this year) and ``has_lag``
        (the firm is observed in year t-1). Agglomeration counts are NaN in a year whose
        previous year is absent from the panel.

    Examples
    --------
    >>> from marshallian.empirics import simulate_panel
    >>> sim = simulate_panel(firms=500, seed=2)
    >>> reg = build_regressors(sim, ["agg1_1"])
    >>> import numpy as np
    >>> ok = reg["has_lag"].to_numpy()
    >>> bool(np.array_equal(reg["agg1_1"].to_numpy()[ok], sim.agg1_1[ok]))
    True
    """
    import pandas as pd

    panel = ensure_panel(data)
    wanted = list(BUILT_REGRESSORS if names is None else names)
    prev = previous_row(panel)
    has_lag = prev >= 0
    p = np.where(has_lag, prev, 0)
    export = panel["exports"].to_numpy() > 0
    out: dict[str, np.ndarray] = {"export": export.astype(np.int8), "has_lag": has_lag}

    def lagged(values: np.ndarray) -> np.ndarray:
        return np.where(has_lag, values[p], np.nan)

    export_lag = lagged(export.astype(float))
    if "export_lag" in wanted or "entry_agg1_1" in wanted:
        out["export_lag"] = export_lag
    if "tfp_lag" in wanted:
        out["tfp_lag"] = lagged(panel["tfp"].to_numpy(dtype=float))
    if "ln_employment_lag" in wanted:
        out["ln_employment_lag"] = lagged(np.log(panel["employment"].to_numpy(dtype=float)))
    if "ln_wage_lag" in wanted:
        out["ln_wage_lag"] = lagged(np.log(panel["wage"].to_numpy(dtype=float)))
    aggs = [n for n in AGGLOMERATION_REGRESSORS if n in wanted]
    if "entry_agg1_1" in wanted and "agg1_1" not in aggs:
        aggs.append("agg1_1")
    if aggs:
        out.update(_agglomeration(panel, prev, export, aggs))
    if "entry_agg1_1" in wanted:
        out["entry_agg1_1"] = (1.0 - export_lag) * out["agg1_1"]
    keep = ["export", "has_lag"] + [n for n in wanted]
    return pd.DataFrame({k: out[k] for k in keep if k in out}, index=panel.index)


def _agglomeration(panel: pd.DataFrame, prev: np.ndarray, export: np.ndarray, names: list) -> dict:
    yc, yu = group_codes(panel["year"])
    cc, cu = group_codes(panel["county"])
    rc, ru = group_codes(panel["province"])
    ic, iu = group_codes(panel["industry"])
    Y, C, R, Ind = len(yu), len(cu), len(ru), len(iu)
    foreign = _is_foreign(panel)
    # year t-1 as a code (or -1 when that calendar year is absent from the panel)
    years = np.asarray(yu, dtype=np.int64)
    present = np.bincount(yc, minlength=Y) > 0
    last = np.searchsorted(years, years - 1)
    ok = (last < Y) & (years[np.minimum(last, Y - 1)] == years - 1)
    ok &= present[np.minimum(last, Y - 1)]
    last = np.where(ok, last, -1)
    ylag = last[yc]
    valid = ylag >= 0
    yq = np.where(valid, ylag, 0)
    need = set(names)
    w = export.astype(float)
    out: dict[str, np.ndarray] = {}
    # counts of year t-1 exporters by (year, county [, industry]) and (year, province),
    # looked up at (t-1, the row's county [, industry] / province)
    src_yc, q_yc = yc * C + cc, yq * C + cc
    n_c: dict = {}
    n_r: dict = {}
    for key, mask in (("indigenous", ~foreign), ("foreign", foreign)):
        wm = w * mask
        n_c[key] = GroupSum(src_yc, Y * C, wm).lookup(q_yc)
        if need & {"agg2_2", "agg3_2"}:
            n_r[key] = GroupSum(yc * R + rc, Y * R, wm).lookup(yq * R + rc)
    if need & {"agg1_1", "agg1_2"}:
        n_ci = GroupSum(src_yc * Ind + ic, Y * C * Ind, w).lookup(q_yc * Ind + ic)
        out["agg1_1"] = n_ci
        out["agg1_2"] = n_c["indigenous"] + n_c["foreign"] - n_ci
    for name, key in (("agg2", "indigenous"), ("agg3", "foreign")):
        out[f"{name}_1"] = n_c[key].copy()
        if key in n_r:
            out[f"{name}_2"] = n_r[key] - n_c[key]
    # never count the firm itself: rows whose firm exported in t-1 (a minority) are
    # corrected where its t-1 location falls in the counted group
    idx = np.flatnonzero(prev >= 0)
    idx = idx[export[prev[idx]]]
    pi = prev[idx]
    same_c = cc[pi] == cc[idx]
    same_i = ic[pi] == ic[idx]
    same_r = rc[pi] == rc[idx]
    was_foreign = foreign[pi]
    if "agg1_1" in out:
        out["agg1_1"][idx] -= same_c & same_i
        out["agg1_2"][idx] -= same_c & ~same_i
    for name, mine in (("agg2", ~was_foreign), ("agg3", was_foreign)):
        out[f"{name}_1"][idx] -= mine & same_c
        if f"{name}_2" in out:
            out[f"{name}_2"][idx] -= mine & same_r & ~same_c
    result = {}
    invalid = ~valid
    any_invalid = bool(invalid.any())
    for k in names:
        v = out[k]
        if any_invalid:
            v[invalid] = np.nan
        result[k] = v
    return result
