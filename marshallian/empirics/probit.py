r"""The fixed-effect probit of export entry with marginal effects (seed 004, §3.3, Tables 3–7).

.. math:: P(y_{ft}=1) = \Phi\!\left(x_{ft}'\beta + c + \textstyle\sum_g \gamma^{(g)}_{l_g(f,t)}\right),

with fixed effects :math:`\gamma^{(g)}` for each named column :math:`g` (year, 3-digit
industry, county or province). At the paper's scale (1.3 million firm-years, ~900 levels)
dense dummies would need ~38 GB, so the design's fixed-effect part is never built: Newton's
method runs on the full parameter vector :math:`\theta=(\beta, c, \gamma)` with the
Hessian assembled from grouped sums on the integer level codes (FE–FE blocks are weighted
cross-tabulations, X–FE blocks are ``bincount`` of :math:`w x_k`, X–X a dense product). The
Hessian is small and dense (:math:`(k + 1 + m)^2`, :math:`m` the number of free levels),
so Newton converges in a handful of steps and yields the full covariance, from which the
marginal effects get delta-method standard errors.

Identification: the first level of every fixed effect is the reference (its effect is 0)
and the constant is kept; further levels that are linear combinations of the others
(nested effects, e.g. county and province) are found by a pivoted Cholesky pass in a fixed
order and fixed at 0 too. Levels whose outcome never varies predict it perfectly: their
observations are dropped, repeatedly until none is left, as Stata and pyfixest do;
``n_obs`` counts the rest.

Marginal effects (derivatives of :math:`P` with respect to each regressor):

* at means (the paper's): :math:`\phi(\bar\eta)\beta_k` with :math:`\bar\eta` the index at
  the sample means of every regressor and of every fixed-effect dummy;
* average: :math:`\beta_k\,\overline{\phi(\eta_{ft})}`;
* at extremes (Table 7): regressor :math:`j` at its sample minimum or maximum, all others
  at their means.

Each has a delta-method standard error from the iid or the cluster-robust covariance
(sandwich, clusters the levels of a column, small-sample factor :math:`G/(G-1)` as Stata).
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from .._text import latex_escape
from ..errors import InvalidParameterError, SolverError, Violation
from ..presentation import Column, Table, Tabular
from ._groups import codes
from .data import ensure_panel
from .regressors import BUILT_REGRESSORS, build_regressors

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

#: Paper's Table 3, column [1]: regressors and fixed effects (year, industry, province).
DEFAULT_X = ("export_lag", "tfp_lag", "ln_employment_lag", "ln_wage_lag", "agg1_1", "agg1_2")
#: Table 3, column [2].
OWNERSHIP_X = (
    "export_lag",
    "tfp_lag",
    "ln_employment_lag",
    "ln_wage_lag",
    "agg2_1",
    "agg2_2",
    "agg3_1",
    "agg3_2",
)
DEFAULT_FE = ("year", "industry", "province")
#: Newton stops when every step component is below this (absolute, on the index scale).
NEWTON_STEP_TOL = 1e-10
#: ... and at the latest after this many iterations (then :class:`SolverError`).
NEWTON_MAXITER = 60
#: A fixed-effect or regressor column is linearly dependent on the earlier ones when its
#: residual (pivoted Cholesky) is below this share of its own weighted square.
COLLINEARITY_RTOL = 1e-9


class SeparationWarning(UserWarning):
    """Fitted probabilities of 0 or 1: a regressor (almost) separates the outcome."""


# --------------------------------------------------------------------------- design
@dataclass
class _Design:
    """Estimation sample: outcome, regressors, fixed-effect codes and the parameter map.

    The regressors are stored transposed (``XT``, k x n, each row contiguous) so that
    every grouped sum reads contiguous memory.
    """

    y: np.ndarray  # float 0/1
    XT: np.ndarray  # k x n regressors (the constant is separate)
    fe_codes: list  # per FE: int codes 0..L-1
    fe_levels: list  # per FE: level labels
    fe_param: list  # per FE: parameter index per level, -1 = fixed at 0
    p: int  # k + 1 + free FE levels
    cluster: np.ndarray | None  # int codes of clusters or None
    _pairs: dict = field(default_factory=dict)

    @property
    def k(self) -> int:
        return self.XT.shape[0]

    def eta(self, theta: np.ndarray) -> np.ndarray:
        k = self.k
        out = theta[:k] @ self.XT + theta[k]
        for c, pm in zip(self.fe_codes, self.fe_param):
            full = np.where(pm >= 0, theta[np.maximum(pm, 0)], 0.0)
            out += full[c]
        return out

    def project(self, U: np.ndarray) -> np.ndarray:
        """Rows U' d_i of a p x r matrix against the (never built) design: r x n."""
        k = self.k
        out = U[:k].T @ self.XT + U[k][:, None]
        for c, pm in zip(self.fe_codes, self.fe_param):
            full = np.where((pm >= 0)[:, None], U[np.maximum(pm, 0)], 0.0)
            out += np.ascontiguousarray(full.T)[:, c]
        return out

    def weighted_sums(self, v: np.ndarray) -> np.ndarray:
        """D' v for the full design (a p-vector)."""
        k = self.k
        g = np.empty(self.p)
        g[:k] = self.XT @ v
        g[k] = v.sum()
        for c, pm, lev in zip(self.fe_codes, self.fe_param, self.fe_levels):
            s = np.bincount(c, weights=v, minlength=len(lev))
            free = pm >= 0
            g[pm[free]] = s[free]
        return g

    def _pair_key(self, a: int, b: int) -> np.ndarray:
        if (a, b) not in self._pairs:
            self._pairs[(a, b)] = self.fe_codes[a] * len(self.fe_levels[b]) + self.fe_codes[b]
        return self._pairs[(a, b)]

    def cross(self, w: np.ndarray) -> np.ndarray:
        """D' diag(w) D, assembled from grouped sums (p x p, dense, symmetric)."""
        k, p = self.k, self.p
        H = np.zeros((p, p))
        XwT = self.XT * w
        H[:k, :k] = XwT @ self.XT.T
        H[:k, k] = H[k, :k] = XwT.sum(axis=1)
        H[k, k] = w.sum()
        blocks = []
        for c, pm, lev in zip(self.fe_codes, self.fe_param, self.fe_levels):
            L = len(lev)
            free = pm >= 0
            idx = pm[free]
            xs = np.empty((k, L))
            for j in range(k):
                xs[j] = np.bincount(c, weights=XwT[j], minlength=L)
            sw = np.bincount(c, weights=w, minlength=L)
            H[:k, idx] = xs[:, free]
            H[idx, :k] = xs[:, free].T
            H[k, idx] = H[idx, k] = sw[free]
            H[idx, idx] = sw[free]
            blocks.append((L, free, idx))
        for a in range(len(blocks)):
            La, fa, ia = blocks[a]
            for b in range(a + 1, len(blocks)):
                Lb, fb, ib = blocks[b]
                tab = np.bincount(self._pair_key(a, b), weights=w, minlength=La * Lb).reshape(
                    La, Lb
                )[np.ix_(fa, fb)]
                H[np.ix_(ia, ib)] = tab
                H[np.ix_(ib, ia)] = tab.T
        return H


def _dependent_columns(G: np.ndarray, order: Sequence[int], rtol: float) -> list:
    """Columns of a Gram matrix that depend linearly on earlier ones (fixed ``order``).

    A pivoted Cholesky pass that keeps the given order: column j is kept when its
    residual squared norm after projecting on the kept columns exceeds ``rtol`` times its
    own squared norm.
    """
    from scipy.linalg import LinAlgError, cholesky, solve_triangular

    order = list(order)
    Gp = G[np.ix_(order, order)]
    try:  # common case: no dependence, one Cholesky factorisation decides
        Lc = cholesky(Gp, lower=True, check_finite=False)
        if np.all(np.diag(Lc) ** 2 > rtol * np.diag(Gp)):
            return []
    except LinAlgError:
        pass
    kept: list[int] = []
    dropped: list[int] = []
    L = np.zeros((len(order), len(order)))
    for j in order:
        gjj = G[j, j]
        if gjj <= 0:
            dropped.append(j)
            continue
        m = len(kept)
        if m:
            v = solve_triangular(L[:m, :m], G[kept, j], lower=True, check_finite=False)
            r = gjj - v @ v
        else:
            v = np.empty(0)
            r = gjj
        if r > rtol * gjj:
            L[m, :m] = v
            L[m, m] = math.sqrt(r)
            kept.append(j)
        else:
            dropped.append(j)
    return dropped


# --------------------------------------------------------------------------- results
@dataclass(frozen=True)
class ProbitResult(Tabular):
    """A fitted fixed-effect probit with marginal effects (Tables 3–7 of seed 004).

    Attributes hold plain numbers keyed by regressor; :meth:`to_dict` gives the JSON of
    ``marshallian empirics probit``; printing, HTML, :meth:`to_frame` (one row per
    regressor) and :meth:`to_csv` come from the package's presentation layer;
    :meth:`to_latex` is the paper's booktabs column (:func:`regression_table` for several
    models side by side).

    Examples
    --------
    >>> from marshallian.empirics import probit, simulate_panel
    >>> res = probit(simulate_panel(firms=1000, seed=0), ["export_lag", "tfp_lag"], ["year"])
    >>> res.fe, sorted(res.coef), 1.5 < res.coef["export_lag"] < 3.5   # sunk export costs
    (('year',), ['export_lag', 'tfp_lag'], True)
    """

    x: tuple
    fe: tuple
    coef: dict
    se: dict
    se_iid: dict
    intercept: float
    intercept_se: float
    vcov: str
    n_obs: int
    n_dropped: int
    dropped_levels: dict
    loglik: float
    loglik_null: float
    pseudo_r2: float
    me: dict
    me_se: dict
    ame: dict
    ame_se: dict
    margins_at: dict
    margins_at_se: dict
    means: dict
    minimum: dict
    maximum: dict
    eta_mean: float
    iterations: int
    sample: str = "full sample"
    fixed_effects: dict = field(default_factory=dict, repr=False)
    covariance: np.ndarray | None = field(default=None, repr=False)

    @property
    def z(self) -> dict:
        return {v: self.coef[v] / self.se[v] for v in self.x}

    @property
    def p_values(self) -> dict:
        from scipy.special import ndtr

        return {v: float(2 * ndtr(-abs(z))) for v, z in self.z.items()}

    def to_dict(self, at_extremes: bool = False) -> dict:
        """The JSON object of ``marshallian empirics probit`` (``interface.md``)."""
        d = {
            "n_obs": self.n_obs,
            "n_dropped": self.n_dropped,
            "dropped_levels": self.dropped_levels,
            "sample": self.sample,
            "loglik": self.loglik,
            "loglik_null": self.loglik_null,
            "pseudo_r2": self.pseudo_r2,
            "x": list(self.x),
            "fe": list(self.fe),
            "vcov": self.vcov,
            "coef": self.coef,
            "se": self.se,
            "se_iid": self.se_iid,
            "z": self.z,
            "intercept": self.intercept,
            "intercept_se": self.intercept_se,
            "me": self.me,
            "me_se": self.me_se,
            "ame": self.ame,
            "ame_se": self.ame_se,
            "eta_mean": self.eta_mean,
            "iterations": self.iterations,
        }
        if at_extremes:
            d["margins_at"] = self.margins_at
            d["margins_at_se"] = self.margins_at_se
        return d

    def _table(self) -> Table:
        pv = self.p_values
        z = self.z
        cols = (
            Column("regressor", fmt=""),
            Column("coef", fmt=".4f"),
            Column("stars", label="sig", latex="", data=False, fmt=""),
            Column("se", label="s.e.", fmt=".3g"),
            Column("z", fmt=".2f"),
            Column("p", fmt=".3g"),
            Column("me", label="M.E.", fmt=".3g"),
            Column("me_se", label="M.E. s.e.", fmt=".2g"),
            Column("ame", label="AME", fmt=".3g"),
            Column("ame_se", label="AME s.e.", fmt=".2g"),
        )
        rows = [
            {
                "regressor": v,
                "coef": self.coef[v],
                "stars": _stars(pv[v]),
                "se": self.se[v],
                "z": z[v],
                "p": pv[v],
                "me": self.me[v],
                "me_se": self.me_se[v],
                "ame": self.ame[v],
                "ame_se": self.ame_se[v],
            }
            for v in self.x
        ]
        title = (
            f"Probit of export status, {self.sample}: n_obs = {self.n_obs:,} "
            f"({self.n_dropped:,} perfectly predicted dropped), fixed effects: "
            f"{', '.join(self.fe) or 'none'}, vcov: {self.vcov}",
        )
        notes = (
            f"constant {self.intercept:.4f} (s.e. {self.intercept_se:.3g}); "
            f"log-likelihood {self.loglik:.3f}; pseudo R2 (McFadden) "
            f"{self.pseudo_r2:.4f}; {self.iterations} Newton steps",
            "M.E.: marginal effect at means (fixed effects at their means), "
            "delta-method s.e.; AME: average marginal effect",
        )
        return Table(
            columns=cols,
            rows=rows,
            title=title,
            notes=notes,
            context={"sample": self.sample, "n_obs": self.n_obs, "vcov": self.vcov},
        )

    def extremes_frame(self) -> pd.DataFrame:
        """Table 7: rows (regressor k, 'min'/'max'), columns: the regressor j set to its
        extreme; cells: marginal effect of k with j at its extreme, others at means."""
        import pandas as pd

        rows = []
        for k in self.x:
            for end in ("min", "max"):
                rows.append(
                    {"regressor": k, "at": end, **{j: self.margins_at[j][end][k] for j in self.x}}
                )
        return pd.DataFrame(rows).set_index(["regressor", "at"])

    def to_latex(self) -> str:
        return regression_table([self])


def _stars(p: float) -> str:
    return "***" if p < 0.01 else "**" if p < 0.05 else "*" if p < 0.1 else ""


# --------------------------------------------------------------------------- estimation
def _prepare(data: Any, x: Sequence[str], fe: Sequence[str], cluster: str | None, sample: Any):
    import pandas as pd

    panel = ensure_panel(data)
    x = list(x)
    fe = list(fe)
    bad = []
    if not x:
        bad.append(Violation("--x", "", "give at least one regressor"))
    for name in x:
        if name not in BUILT_REGRESSORS and name not in panel.columns:
            bad.append(
                Violation(
                    "--x",
                    name,
                    "not a column of the panel nor a built "
                    f"regressor ({', '.join(BUILT_REGRESSORS)})",
                )
            )
    if len(set(x)) != len(x):
        bad.append(Violation("--x", ",".join(x), "a regressor is named twice"))
    for name in fe:
        if name not in panel.columns:
            bad.append(Violation("--fe", name, "not a column of the panel"))
    if len(set(fe)) != len(fe):
        bad.append(Violation("--fe", ",".join(fe), "a fixed effect is named twice"))
    if cluster is not None and cluster not in panel.columns:
        bad.append(Violation("--cluster", cluster, "not a column of the panel"))
    if bad:
        raise InvalidParameterError(bad)
    built = [n for n in x if n in BUILT_REGRESSORS and n not in panel.columns]
    reg = build_regressors(panel, built)  # built on the FULL panel, then subset
    cols = {}
    for name in x:
        if name in built:
            cols[name] = reg[name].to_numpy(dtype=float)
        else:
            s = panel[name]
            if not (pd.api.types.is_numeric_dtype(s) or pd.api.types.is_bool_dtype(s)):
                raise InvalidParameterError(
                    Violation("--x", name, "regressor column must be numeric")
                )
            cols[name] = s.to_numpy(dtype=float)
    y = reg["export"].to_numpy(dtype=float)
    keep = np.ones(len(panel), dtype=bool)
    for name in x:
        keep &= np.isfinite(cols[name])
    label = "full sample"
    if sample is not None:
        mask, label = _sample_mask(panel, sample)
        keep &= mask
    if not keep.any():
        raise InvalidParameterError(
            Violation(
                "sample", label, "no firm-year with every regressor (e.g. none has a previous year)"
            )
        )
    X = np.empty((len(x), int(keep.sum())))  # k x n: rows contiguous
    for j, name in enumerate(x):
        X[j] = cols[name][keep]
    for option, col in [("--fe", g) for g in fe] + ([("--cluster", cluster)] if cluster else []):
        missing = panel[col].isna().to_numpy() & keep
        if missing.any():
            raise InvalidParameterError(
                Violation(
                    option,
                    col,
                    f"column has missing values (row {int(np.flatnonzero(missing)[0])} "
                    f"of the panel sorted by firm and year)",
                )
            )
    fe_raw = [panel[g].to_numpy()[keep] for g in fe]
    cl = panel[cluster].to_numpy()[keep] if cluster is not None else None
    return X, y[keep], fe_raw, cl, x, fe, label


def _sample_mask(panel: pd.DataFrame, sample: Any) -> tuple:
    if isinstance(sample, Mapping):
        mask = np.ones(len(panel), dtype=bool)
        parts = []
        for col, value in sample.items():
            if col not in panel.columns:
                raise InvalidParameterError(Violation("--sample", col, "not a column of the panel"))
            hit = _matches(panel[col], value)
            if not hit.any():
                raise InvalidParameterError(
                    Violation("--sample", f"{col}={value}", "matches no firm-year")
                )
            mask &= hit
            parts.append(f"{col} = {value}")
        return mask, ", ".join(parts)
    arr = np.asarray(sample)
    if arr.dtype != bool or arr.shape != (len(panel),):
        raise InvalidParameterError(
            Violation(
                "sample",
                type(sample).__name__,
                "must be a {column: value} mapping or a boolean "
                "mask aligned with the validated panel",
            )
        )
    return arr, "subsample"


def _matches(s: pd.Series, value: Any) -> np.ndarray:
    """Rows where column ``s`` equals ``value``: numerically for a numeric column and a
    number (or numeric text, as from ``--sample coastal=1``), as text otherwise."""
    import pandas as pd

    if pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s):
        try:
            number = float(value)
        except (TypeError, ValueError):
            number = None
        if number is not None and math.isfinite(number):
            return s.to_numpy(dtype=float) == number
    return s.astype(str).to_numpy() == str(value)


def _drop_perfectly_predicted(y, X, fe_raw, cl, fe_names):
    """Drop observations of levels whose outcome never varies, until none is left."""
    n0 = len(y)
    keep = np.ones(n0, dtype=bool)
    dropped_levels = {g: 0 for g in fe_names}
    while True:
        changed = False
        for g, raw in zip(fe_names, fe_raw):
            c, u = codes(raw[keep])
            n = np.bincount(c, minlength=len(u))
            s = np.bincount(c, weights=y[keep], minlength=len(u))
            bad = (s == 0) | (s == n)
            if bad.any():
                idx = np.flatnonzero(keep)
                keep[idx[bad[c]]] = False
                dropped_levels[g] += int(bad.sum())
                changed = True
                if not keep.any():
                    break
        if not changed or not keep.any():
            break
    if not keep.any():
        raise InvalidParameterError(
            Violation(
                "export",
                "constant",
                "every observation is perfectly predicted by the fixed "
                "effects (the outcome never varies within their levels)",
            )
        )
    return keep, n0 - int(keep.sum()), dropped_levels


def _check_regressors(y, X, names):
    bad = []
    for j, name in enumerate(names):
        col = X[j]
        lo, hi = col.min(), col.max()
        if not hi > lo:
            bad.append(Violation(name, float(lo), "regressor has no variation in the sample"))
            continue
        ones, zeros = col[y == 1], col[y == 0]
        if len(ones) == 0 or len(zeros) == 0:
            bad.append(Violation("export", int(y[0]), "outcome has no variation in the sample"))
            break
        values = np.unique(col) if len(col) < 2_000_000 else None
        if values is not None and len(values) == 2:
            for v in values:
                ys = y[col == v]
                if ys.min() == ys.max():
                    bad.append(
                        Violation(
                            name,
                            float(v),
                            f"predicts export status perfectly "
                            f"(export = {int(ys[0])} whenever "
                            f"{name} = {v:g}): separation",
                        )
                    )
        elif ones.min() > zeros.max() or ones.max() < zeros.min():
            bad.append(
                Violation(
                    name,
                    float(ones.min() if ones.min() > zeros.max() else ones.max()),
                    "separates exporters from non-exporters perfectly (complete separation)",
                )
            )
    if bad:
        raise InvalidParameterError(bad)


def _prob_terms(y: np.ndarray, eta: np.ndarray):
    """loglik, generalized residual lambda and Hessian weight lambda*(lambda+eta)."""
    from scipy.special import log_ndtr

    q = 2.0 * y - 1.0
    qe = q * eta
    logcdf = log_ndtr(qe)
    lam = q * np.exp(-0.5 * qe * qe - 0.5 * math.log(2 * math.pi) - logcdf)
    w = lam * (lam + eta)
    return float(logcdf.sum()), lam, w


def probit(
    data: Any,
    x: Sequence[str] = DEFAULT_X,
    fe: Sequence[str] = DEFAULT_FE,
    *,
    cluster: str | None = None,
    sample: Any = None,
    information: str = "observed",
    maxiter: int = NEWTON_MAXITER,
    tol: float = NEWTON_STEP_TOL,
) -> ProbitResult:
    """Fit the fixed-effect probit of export status (exports > 0) and its marginal effects.

    Parameters
    ----------
    data : path, DataFrame or SyntheticPanel
        The firm-year panel; built regressors (:data:`BUILT_REGRESSORS`) are computed on
        the whole panel before any sample split.
    x : sequence of str
        Regressors: built ones or numeric panel columns (default Table 3, column [1]).
    fe : sequence of str
        Fixed-effect columns (default year, industry, province as Table 3).
    cluster : str, optional
        Cluster-robust (sandwich) covariance by this column (e.g. ``firm``); iid otherwise.
    sample : mapping or boolean array, optional
        Sample split, e.g. ``{"ownership": "foreign"}`` (Table 4), ``{"hightech": 1}``.
    information : ``observed`` or ``expected``
        The information matrix inverted for the covariance: the observed Hessian (Stata,
        statsmodels; default) or the expected one (IRLS weights, as pyfixest).

    Returns
    -------
    ProbitResult

    Raises
    ------
    InvalidParameterError
        Unknown columns, a regressor without variation, collinear with the fixed effects
        or separating the outcome, an empty sample.
    SolverError
        Newton's method did not converge.

    Examples
    --------
    >>> from marshallian.empirics import simulate_panel
    >>> sim = simulate_panel(firms=3000, seed=0)
    >>> res = probit(sim, ["export_lag", "tfp_lag"], ["year"])
    >>> res.n_obs > 15000, 1.5 < res.coef["export_lag"] < 3.5
    (True, True)
    """
    if information not in ("observed", "expected"):
        raise InvalidParameterError(
            Violation("information", information, "must be 'observed' or 'expected'")
        )
    with _one_blas_thread():
        return _probit(
            data,
            x,
            fe,
            cluster=cluster,
            sample=sample,
            maxiter=maxiter,
            tol=tol,
            information=information,
        )


def _one_blas_thread():
    """Dense algebra on (k+m)^2 matrices runs on one BLAS thread: multi-threaded BLAS is
    no faster at this size and, on a busy machine, up to 30x slower (measured)."""
    import scipy.linalg  # noqa: F401  (load SciPy's BLAS before limiting it)

    try:
        from threadpoolctl import threadpool_limits
    except ModuleNotFoundError:  # pragma: no cover - threadpoolctl is a dependency
        import contextlib

        return contextlib.nullcontext()
    return threadpool_limits(limits=1, user_api="blas")


def _probit(data, x, fe, *, cluster, sample, maxiter, tol, information) -> ProbitResult:
    X, y, fe_raw, cl, x_names, fe_names, label = _prepare(data, x, fe, cluster, sample)
    keep, n_dropped, dropped_levels = _drop_perfectly_predicted(y, X, fe_raw, cl, fe_names)
    if n_dropped:
        X, y = X[:, keep], y[keep]
        fe_raw = [r[keep] for r in fe_raw]
        cl = cl[keep] if cl is not None else None
    _check_regressors(y, X, x_names)
    k, n = X.shape

    fe_codes, fe_levels = [], []
    for raw in fe_raw:
        c, u = codes(raw)
        fe_codes.append(c)
        fe_levels.append(u)
    # parameter map: reference (first) level of every FE fixed at 0
    fe_param, nxt = [], k + 1
    for lev in fe_levels:
        pm = np.full(len(lev), -1, dtype=np.int64)
        pm[1:] = np.arange(nxt, nxt + len(lev) - 1)
        nxt += len(lev) - 1
        fe_param.append(pm)
    cl_codes = codes(cl)[0] if cl is not None else None
    design = _Design(
        y=y,
        XT=X,
        fe_codes=fe_codes,
        fe_levels=fe_levels,
        fe_param=fe_param,
        p=nxt,
        cluster=cl_codes,
    )
    # collinearity: constant, FE columns, then regressors (a regressor is never dropped
    # silently: collinear regressors are bad input)
    G = design.cross(np.ones(n))
    order = [k] + list(range(k + 1, design.p)) + list(range(k))
    dep = _dependent_columns(G, order, COLLINEARITY_RTOL)
    dep_x = [x_names[j] for j in dep if j < k]
    if dep_x:
        raise InvalidParameterError(
            Violation(
                dep_x[0],
                "collinear",
                "regressor is a linear combination of the fixed effects and the other regressors",
            )
        )
    if dep:
        remap = np.full(design.p, -1, dtype=np.int64)
        alive = [j for j in range(design.p) if j not in set(dep)]
        remap[alive] = np.arange(len(alive))
        design.fe_param = [np.where(pm >= 0, remap[np.maximum(pm, 0)], -1) for pm in fe_param]
        design.p = len(alive)
    p = design.p

    # Newton-Raphson with step halving
    from scipy.linalg import LinAlgError, cho_factor, cho_solve
    from scipy.special import ndtri

    theta = np.zeros(p)
    ybar = float(y.mean())
    theta[k] = float(ndtri(ybar))
    eta = design.eta(theta)
    ll, lam, w = _prob_terms(y, eta)
    it = 0
    converged = False
    while it < maxiter:
        it += 1
        grad = design.weighted_sums(lam)
        H = design.cross(w)
        try:
            cf = cho_factor(H, check_finite=False)
        except LinAlgError:
            raise SolverError(
                "probit: the information matrix is not positive definite "
                "(separation or collinearity)"
            ) from None
        step = cho_solve(cf, grad, check_finite=False)
        t = 1.0
        while True:
            cand = theta + t * step
            eta_c = design.eta(cand)
            ll_c, lam_c, w_c = _prob_terms(y, eta_c)
            if ll_c >= ll - 1e-12 * abs(ll) or t < 1e-8:
                break
            t *= 0.5
        theta, eta, ll, lam, w = cand, eta_c, ll_c, lam_c, w_c
        if np.max(np.abs(t * step)) < tol:
            converged = True
            break
    if not converged:
        raise SolverError(
            f"probit: Newton's method did not converge in {maxiter} steps "
            f"(largest step {np.max(np.abs(step)):.3g}); the outcome may be "
            f"(quasi-)separated by a regressor"
        )
    # final information matrix and gradient at the optimum
    H = design.cross(w)
    cf = cho_factor(H, check_finite=False)
    grad = design.weighted_sums(lam)
    if np.max(np.abs(cho_solve(cf, grad, check_finite=False))) > 1e3 * tol + 1e-8:
        raise SolverError("probit: the score is not zero at the reported optimum")
    if information == "expected":
        from scipy.special import log_ndtr

        log_phi = -0.5 * eta * eta - 0.5 * math.log(2 * math.pi)
        w_exp = np.exp(2 * log_phi - log_ndtr(eta) - log_ndtr(-eta))
        cf = cho_factor(design.cross(w_exp), check_finite=False)
    if np.mean(np.abs(eta) > 8) > 0.5:
        warnings.warn(
            "probit: most fitted probabilities are numerically 0 or 1 "
            "(quasi-separation); inference is unreliable",
            SeparationWarning,
            stacklevel=2,
        )

    # functionals needed by every reported quantity: beta, constant, mean design row,
    # and the AME direction
    phi = np.exp(-0.5 * eta * eta) / math.sqrt(2 * math.pi)
    dbar = design.weighted_sums(np.full(n, 1.0 / n))
    c_ame = design.weighted_sums(-eta * phi / n)
    A = np.zeros((p, k + 3))
    A[np.arange(k + 1), np.arange(k + 1)] = 1.0
    A[:, k + 1] = dbar
    A[:, k + 2] = c_ame
    U = cho_solve(cf, A, check_finite=False)
    V_iid = A.T @ U
    if cl_codes is not None:
        P = design.project(U) * lam
        ncl = int(cl_codes.max()) + 1
        S = np.column_stack(
            [np.bincount(cl_codes, weights=P[j], minlength=ncl) for j in range(P.shape[0])]
        )
        V = (S.T @ S) * (ncl / (ncl - 1))
        vcov = f"cluster:{cluster}"
    else:
        V = V_iid
        vcov = "iid"

    beta = theta[:k]
    eta_bar = float(dbar @ theta)
    phi_bar = math.exp(-0.5 * eta_bar**2) / math.sqrt(2 * math.pi)
    r = k + 3

    def sd(g: np.ndarray) -> float:
        return float(math.sqrt(max(g @ V @ g, 0.0)))

    def unit(j: int) -> np.ndarray:
        e = np.zeros(r)
        e[j] = 1.0
        return e

    me, me_se, ame, ame_se = {}, {}, {}, {}
    mean_phi = float(phi.mean())
    for j, name in enumerate(x_names):
        me[name] = phi_bar * float(beta[j])
        me_se[name] = sd(phi_bar * unit(j) - beta[j] * eta_bar * phi_bar * unit(k + 1))
        ame[name] = mean_phi * float(beta[j])
        ame_se[name] = sd(mean_phi * unit(j) + beta[j] * unit(k + 2))
    means = {nm: float(X[j].mean()) for j, nm in enumerate(x_names)}
    mins = {nm: float(X[j].min()) for j, nm in enumerate(x_names)}
    maxs = {nm: float(X[j].max()) for j, nm in enumerate(x_names)}
    margins_at: dict = {}
    margins_at_se: dict = {}
    for j, nj in enumerate(x_names):
        margins_at[nj], margins_at_se[nj] = {}, {}
        for end, v in (("min", mins[nj]), ("max", maxs[nj])):
            shift = v - means[nj]
            e_star = eta_bar + shift * float(beta[j])
            ph = math.exp(-0.5 * e_star**2) / math.sqrt(2 * math.pi)
            vals, ses = {}, {}
            for m_, nm in enumerate(x_names):
                vals[nm] = ph * float(beta[m_])
                dir_ = unit(k + 1) + shift * unit(j)
                ses[nm] = sd(ph * unit(m_) - beta[m_] * e_star * ph * dir_)
            margins_at[nj][end], margins_at_se[nj][end] = vals, ses
    se = {nm: float(math.sqrt(V[j, j])) for j, nm in enumerate(x_names)}
    se_iid = {nm: float(math.sqrt(V_iid[j, j])) for j, nm in enumerate(x_names)}
    # the constant-only model on the estimation sample (0 < ybar < 1: checked above)
    ll_null = float(n * (ybar * math.log(ybar) + (1 - ybar) * math.log(1 - ybar)))
    effects = {}
    for g, lev, pm in zip(fe_names, fe_levels, design.fe_param):
        effects[g] = dict(zip(lev.tolist(), np.where(pm >= 0, theta[np.maximum(pm, 0)], 0.0)))
    return ProbitResult(
        x=tuple(x_names),
        fe=tuple(fe_names),
        coef={nm: float(beta[j]) for j, nm in enumerate(x_names)},
        se=se,
        se_iid=se_iid,
        intercept=float(theta[k]),
        intercept_se=float(math.sqrt(V[k, k])),
        vcov=vcov,
        n_obs=int(n),
        n_dropped=int(n_dropped),
        dropped_levels=dropped_levels,
        loglik=ll,
        loglik_null=ll_null,
        pseudo_r2=1.0 - ll / ll_null,
        me=me,
        me_se=me_se,
        ame=ame,
        ame_se=ame_se,
        margins_at=margins_at,
        margins_at_se=margins_at_se,
        means=means,
        minimum=mins,
        maximum=maxs,
        eta_mean=eta_bar,
        iterations=it,
        sample=label,
        fixed_effects=effects,
        covariance=V[: k + 1, : k + 1].copy(),
    )


def probit_splits(
    data: Any, by: str, x: Sequence[str] = DEFAULT_X, fe: Sequence[str] = DEFAULT_FE, **kwargs
) -> dict:
    """One probit per value of column ``by`` (Tables 4–6: ownership, high-tech, coastal).

    The built regressors count exporters of the whole panel, as in the paper.

    Examples
    --------
    >>> from marshallian.empirics import probit_splits, simulate_panel
    >>> sim = simulate_panel(firms=1000, seed=0)
    >>> fits = probit_splits(sim, "coastal", x=["export_lag", "tfp_lag"], fe=["year"])
    >>> sorted(fits)                             # one probit per value of ``coastal``
    ['0', '1']
    """
    panel = ensure_panel(data)
    if by not in panel.columns:
        raise InvalidParameterError(Violation("by", by, "not a column of the panel"))
    out = {}
    for value in sorted(panel[by].astype(str).unique()):
        out[value] = probit(panel, x, fe, sample={by: value}, **kwargs)
    return out


# --------------------------------------------------------------------------- tables
def regression_table(
    results: Sequence[ProbitResult],
    labels: Sequence[str] | None = None,
    *,
    fmt: str = "latex",
    margins: bool = True,
) -> str:
    """Several probits side by side, as Tables 3–6: coefficient with stars and z-score
    in parentheses, marginal effect at means, fixed effects, pseudo R², N.

    Parameters
    ----------
    results : sequence of ProbitResult
    labels : column headings (default "[1] full sample", ...)
    fmt : ``latex`` (booktabs) or ``csv``
    margins : bool
        Add the M.E. column next to each coefficient (as the paper).

    Examples
    --------
    >>> from marshallian.empirics import probit, regression_table, simulate_panel
    >>> res = probit(simulate_panel(firms=1000, seed=0), ["export_lag", "tfp_lag"], ["year"])
    >>> print(regression_table([res], fmt="csv").splitlines()[0])
    model,term,coef,se,z,p,me,me_se,ame,ame_se,n_obs,pseudo_r2,loglik,vcov,fe
    """
    import csv
    import io

    if fmt not in ("latex", "csv"):
        raise InvalidParameterError(Violation("fmt", fmt, "must be 'latex' or 'csv'"))
    results = list(results)
    labels = (
        list(labels)
        if labels is not None
        else [f"[{i + 1}] {r.sample}" for i, r in enumerate(results)]
    )
    names: list = []
    for r in results:
        names += [v for v in r.x if v not in names]
    fes: list = []
    for r in results:
        fes += [g for g in r.fe if g not in fes]
    if fmt == "csv":
        buf = io.StringIO()
        wr = csv.writer(buf, lineterminator="\n")
        wr.writerow(
            [
                "model",
                "term",
                "coef",
                "se",
                "z",
                "p",
                "me",
                "me_se",
                "ame",
                "ame_se",
                "n_obs",
                "pseudo_r2",
                "loglik",
                "vcov",
                "fe",
            ]
        )
        for lab, r in zip(labels, results):
            pv = r.p_values
            for v in r.x:
                wr.writerow(
                    [
                        lab,
                        v,
                        repr(r.coef[v]),
                        repr(r.se[v]),
                        repr(r.z[v]),
                        repr(pv[v]),
                        repr(r.me[v]),
                        repr(r.me_se[v]),
                        repr(r.ame[v]),
                        repr(r.ame_se[v]),
                        r.n_obs,
                        repr(r.pseudo_r2),
                        repr(r.loglik),
                        r.vcov,
                        " ".join(r.fe),
                    ]
                )
            wr.writerow(
                [
                    lab,
                    "constant",
                    repr(r.intercept),
                    repr(r.intercept_se),
                    repr(r.intercept / r.intercept_se),
                    "",
                    "",
                    "",
                    "",
                    "",
                    r.n_obs,
                    repr(r.pseudo_r2),
                    repr(r.loglik),
                    r.vcov,
                    " ".join(r.fe),
                ]
            )
        return buf.getvalue()

    per = 2 if margins else 1
    ncol = per * len(results)
    esc = latex_escape
    lines = [r"\begin{tabular}{l" + "r" * ncol + "}", r"\toprule"]
    if margins:
        lines.append(
            " & " + " & ".join(rf"\multicolumn{{2}}{{c}}{{{esc(lab)}}}" for lab in labels) + r" \\"
        )
        lines.append(" & " + " & ".join(["Coef.", "M.E."] * len(results)) + r" \\")
    else:
        lines.append(" & " + " & ".join(esc(lab) for lab in labels) + r" \\")
    lines.append(r"\midrule")
    for v in names:
        row, zrow = [esc(v)], [""]
        for r in results:
            if v in r.coef:
                pv = r.p_values[v]
                row.append(f"{r.coef[v]:.4f}{_latex_stars(pv)}")
                zrow.append(f"({r.z[v]:.2f})")
                if margins:
                    row.append(f"{r.me[v]:.4g}")
                    zrow.append("")
            else:
                row += [""] * per
                zrow += [""] * per
        lines.append(" & ".join(row) + r" \\")
        lines.append(" & ".join(zrow) + r" \\")
    row, zrow = ["Constant"], [""]
    for r in results:
        zc = r.intercept / r.intercept_se
        from scipy.special import ndtr

        pc = float(2 * ndtr(-abs(zc)))
        row += [f"{r.intercept:.4f}{_latex_stars(pc)}"] + [""] * (per - 1)
        zrow += [f"({zc:.2f})"] + [""] * (per - 1)
    lines += [" & ".join(row) + r" \\", " & ".join(zrow) + r" \\", r"\midrule"]
    for g in fes:
        cells = []
        for r in results:
            cells += [("Yes" if g in r.fe else "No")] + [""] * (per - 1)
        lines.append(f"{esc(g)} fixed effects & " + " & ".join(cells) + r" \\")
    cells = []
    for r in results:
        cells += [f"{r.pseudo_r2:.4f}"] + [""] * (per - 1)
    lines.append("Pseudo $R^2$ & " + " & ".join(cells) + r" \\")
    cells = []
    for r in results:
        cells += [f"{r.n_obs:,}".replace(",", "{,}")] + [""] * (per - 1)
    lines.append("Number of obs. & " + " & ".join(cells) + r" \\")
    lines += [
        r"\bottomrule",
        r"\end{tabular}",
        (
            r"% z-scores in parentheses; * p<0.10, ** p<0.05, *** p<0.01; "
            r"M.E.: marginal effect at means (fixed effects at their means)"
        ),
    ]
    return "\n".join(lines) + "\n"


def _latex_stars(p: float) -> str:
    s = _stars(p)
    return f"$^{{{s}}}$" if s else ""
