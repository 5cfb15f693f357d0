r"""Kolmogorov–Smirnov dominance tests between exporters and non-exporters (seed 004, §3.2, Table 2).

Per year, four groups of firm-years: exporter or not (``exports > 0``) × agglomerated or not
(the LQ of the firm's industry in its county exceeds 1). The four panels of Table 2:

====  ============================================  ==========================================
 a    A = domestic, not agglomerated                B = exporters, not agglomerated
 b    A = domestic, agglomerated                    B = exporters, agglomerated
 c    A = exporters, not agglomerated               B = exporters, agglomerated
 d    A = domestic, not agglomerated                B = domestic, agglomerated
====  ============================================  ==========================================

Sign conventions (as Stata's ``ksmirnov``): :math:`F_A` first-order stochastically
dominates :math:`F_B` when :math:`F_A \le F_B` everywhere. The column "H0: A > B" of the paper
is :math:`D^+ = \max(F_A - F_B) \ge 0` with the p-value of the null "A dominates B"
(SciPy: ``ks_2samp(A, B, alternative="greater")``); "H0: A < B" is
:math:`D^- = \min(F_A - F_B) \le 0` with the p-value of the null "B dominates A" (minus the
statistic of ``alternative="less"``). Verdict at level :math:`\alpha`: A dominates B when
the two-sided null and the "B dominates A" null are rejected and "A dominates B" is not.
P-values are asymptotic, as the paper's: one-sided equal to SciPy's ``method="asymp"``
(Hodges' approximation); two-sided Smirnov's limit, :math:`1-K(\sqrt{nm/(n+m)}\,D)` with
:math:`K` Kolmogorov's distribution, as Stata's ``ksmirnov``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from ..errors import InvalidParameterError, Violation
from .data import ensure_panel
from .indices import agglomerated

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

#: Default significance level of the verdicts.
KS_LEVEL = 0.05
#: The four panels of Table 2: (name, group A, group B); a group is (exporter, agglomerated).
PANELS = (
    ("a", (False, False), (True, False)),
    ("b", (False, True), (True, True)),
    ("c", (True, False), (True, True)),
    ("d", (False, False), (False, True)),
)
GROUP_NAMES = {
    (False, False): "domestic, not agglomerated",
    (False, True): "domestic, agglomerated",
    (True, False): "exporters, not agglomerated",
    (True, True): "exporters, agglomerated",
}


@dataclass(frozen=True)
class KSTest:
    """Two-sample KS statistics of A versus B (see the module docstring for the signs).

    Examples
    --------
    >>> import numpy as np
    >>> from marshallian.empirics import ks_test
    >>> rng = np.random.default_rng(0)
    >>> test = ks_test(rng.normal(1, 1, 500), rng.normal(0, 1, 500))
    >>> test.n_a, test.n_b, test.p < 0.05
    (500, 500, True)
    """

    n_a: int
    n_b: int
    d: float
    p: float
    d_a_dominates: float
    p_a_dominates: float
    d_b_dominates: float
    p_b_dominates: float

    def verdict(self, level: float = KS_LEVEL) -> str:
        """``A dominates B``, ``B dominates A``, ``no difference``, ``crossing`` or
        ``inconclusive`` at significance ``level``."""
        if self.p >= level:
            return "no difference"
        rej_a, rej_b = self.p_a_dominates < level, self.p_b_dominates < level
        if rej_b and not rej_a:
            return "A dominates B"
        if rej_a and not rej_b:
            return "B dominates A"
        if rej_a and rej_b:
            return "crossing"
        return "inconclusive"


def _one_sided_p(d: float, n1: int, n2: int) -> float:
    # SciPy's asymptotic one-sided formula (Hodges 1958, eq. 5.3), m the larger sample
    m, n = sorted([float(n1), float(n2)], reverse=True)
    en = m * n / (m + n)
    z = np.sqrt(en) * d
    expt = -2 * z**2 - 2 * z * (m + 2 * n) / np.sqrt(m * n * (m + n)) / 3.0
    return float(np.clip(np.exp(expt), 0, 1))


def ks_test(a: Any, b: Any) -> KSTest:
    """Two-sided and both one-sided KS tests of samples ``a`` (A) and ``b`` (B).

    Statistics equal to SciPy's ``ks_2samp(a, b, alternative=...)``; one-sided p-values equal
    to its ``method="asymp"``; the two-sided p-value is Smirnov's limit (Stata's
    ``ksmirnov``), within 1 % of SciPy's finite-n ``kstwo`` for p > 0.01 when
    :math:`nm/(n+m) > 10^4` (tested), a few % apart for samples of ~10^3.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> t = ks_test(rng.normal(1, 1, 500), rng.normal(0, 1, 500))   # A shifted right
    >>> t.verdict(), t.d_b_dominates < -0.3 < 0.05 > t.d_a_dominates
    ('A dominates B', True)
    """
    return _ks_sorted(np.sort(np.asarray(a, dtype=float)), np.sort(np.asarray(b, dtype=float)))


def _ks_sorted(xa: np.ndarray, xb: np.ndarray) -> KSTest:
    from scipy.stats import distributions

    n1, n2 = len(xa), len(xb)
    if n1 == 0 or n2 == 0:
        raise InvalidParameterError(Violation("sample", (n1, n2), "both samples must be non-empty"))
    z = np.concatenate([xa, xb])
    diff = np.searchsorted(xa, z, side="right") / n1 - np.searchsorted(xb, z, side="right") / n2
    d_plus = float(max(diff.max(), 0.0))
    d_minus = float(min(diff.min(), 0.0))
    d = max(d_plus, -d_minus)
    en = n1 * n2 / (n1 + n2)
    # Smirnov's asymptotic two-sided p-value, as Stata's ksmirnov (and the paper):
    # the Kolmogorov limit at sqrt(en) * D. (SciPy's method="asymp" uses the finite-n
    # distribution kstwo instead: the gap is O(1/sqrt(en)), under 1 % for p > 0.01 at the
    # paper's sizes (en > 10^4), a few % for samples of ~10^3; and kstwo is up to 500x
    # slower there.)
    p = float(np.clip(distributions.kstwobign.sf(math.sqrt(en) * d), 0, 1))
    return KSTest(
        n_a=n1,
        n_b=n2,
        d=d,
        p=p,
        d_a_dominates=d_plus,
        p_a_dominates=_one_sided_p(d_plus, n1, n2),
        d_b_dominates=d_minus,
        p_b_dominates=_one_sided_p(-d_minus, n1, n2),
    )


@dataclass(frozen=True)
class KSTable:
    """Table 2: one row per panel and year. ``frame`` holds the numbers; print it for the
    paper's layout (N, shares in %, statistics, p-values in brackets).

    Examples
    --------
    >>> from marshallian.empirics import ks_table, simulate_panel
    >>> table = ks_table(simulate_panel(firms=2000, seed=0))
    >>> table.level, table.value, table.frame.columns.tolist()[:4]
    (0.05, 'tfp', ['panel', 'year', 'group_a', 'group_b'])
    """

    frame: pd.DataFrame
    level: float
    region: str
    value: str

    def to_frame(self) -> pd.DataFrame:
        return self.frame.copy()

    def to_records(self) -> list:
        """JSON-ready rows (``interface.md``: panel, year, n_a, n_b, d, p, ..., verdict)."""
        rows = []
        for rec in self.frame.to_dict("records"):
            rows.append({k: (v.item() if hasattr(v, "item") else v) for k, v in rec.items()})
        return rows

    def _lines(self) -> list:
        out = []
        for name, ga, gb in PANELS:
            out.append(f"({name}) A = {GROUP_NAMES[ga]}  vs  B = {GROUP_NAMES[gb]}")
            out.append(
                f"{'year':>6} {'N_A':>9} {'N_B':>9} {'H0: A = B':>11} "
                f"{'H0: A > B':>11} {'H0: A < B':>11}  verdict"
            )
            sub = self.frame[self.frame["panel"] == name]
            for r in sub.itertuples():
                out.append(
                    f"{r.year:>6} {r.n_a:>9} {r.n_b:>9} {r.d:>11.3f} "
                    f"{r.d_a_dominates:>11.3f} {r.d_b_dominates:>11.3f}  {r.verdict}"
                )
                out.append(
                    f"{'':>6} {'(%.1f)' % (100 * r.share_a):>9} "
                    f"{'(%.1f)' % (100 * r.share_b):>9} {f'[{r.p:.3f}]':>11} "
                    f"{f'[{r.p_a_dominates:.3f}]':>11} {f'[{r.p_b_dominates:.3f}]':>11}"
                )
        out.append(
            f"Shares of all firm-years of the year in parentheses (%), asymptotic "
            f"p-values in brackets; verdicts at the {self.level:g} level; "
            f"agglomerated: LQ of the industry in the {self.region} > 1."
        )
        return out

    def __str__(self) -> str:
        return "\n".join(self._lines())

    def _repr_html_(self) -> str:
        import html

        return "<pre>" + html.escape(str(self)) + "</pre>"

    def to_latex(self) -> str:
        """Booktabs table in the paper's layout (one block per panel)."""
        lines = [
            r"\begin{tabular}{lrrrrr}",
            r"\toprule",
            (
                r"Year & Group A & Group B & $H_0$: A = B & $H_0$: A $>$ B & "
                r"$H_0$: A $<$ B \\"
            ),
            r"\midrule",
        ]
        for name, ga, gb in PANELS:
            lines.append(
                rf"\multicolumn{{6}}{{l}}{{({name}) A: {GROUP_NAMES[ga]}; "
                rf"B: {GROUP_NAMES[gb]}}} \\"
            )
            for r in self.frame[self.frame["panel"] == name].itertuples():
                lines.append(
                    f"{r.year} & {r.n_a} & {r.n_b} & {r.d:.3f} & "
                    f"{r.d_a_dominates:.3f} & {r.d_b_dominates:.3f} \\\\"
                )
                lines.append(
                    f" & ({100 * r.share_a:.1f}) & ({100 * r.share_b:.1f}) & "
                    f"[{r.p:.3f}] & [{r.p_a_dominates:.3f}] & "
                    f"[{r.p_b_dominates:.3f}] \\\\"
                )
            lines.append(r"\midrule" if name != "d" else r"\bottomrule")
        lines.append(r"\end{tabular}")
        return "\n".join(lines) + "\n"


def ks_table(
    data: Any, *, region: str = "county", value: str = "tfp", level: float = KS_LEVEL
) -> KSTable:
    """Table 2 of seed 004: KS tests of the four panels, for every year of the panel.

    Parameters
    ----------
    data : path, DataFrame or SyntheticPanel
    region : str
        Region of the location quotient defining "agglomerated" (``county``).
    value : str
        The distribution compared (``tfp``: log TFP).
    level : float
        Significance level of the verdicts.

    Raises
    ------
    InvalidParameterError
        A group of a panel is empty in some year (named: panel, year, group).

    Examples
    --------
    >>> from marshallian.empirics import ks_table, simulate_panel
    >>> table = ks_table(simulate_panel(firms=2000, seed=0))
    >>> table.frame.shape                        # four panels, eight years
    (32, 15)
    """
    import pandas as pd

    if not (isinstance(level, (int, float)) and 0 < level < 1):
        raise InvalidParameterError(Violation("level", level, "must be in (0, 1)"))
    panel = ensure_panel(data)
    if value not in panel.columns:
        raise InvalidParameterError(Violation("value", value, "no such column in the panel"))
    agg = agglomerated(panel, region=region)
    exp = panel["exports"].to_numpy() > 0
    x = panel[value].to_numpy(dtype=float)
    years = panel["year"].to_numpy()
    group = 2 * exp.astype(np.int64) + agg  # (exporter, agglomerated) as 0..3
    # one sort gives every year's four groups as sorted, contiguous runs
    uniq, ycode = np.unique(years, return_inverse=True)
    cell = (ycode * 4 + group).astype(np.int32 if 4 * len(uniq) > 32_000 else np.int16)
    by_x = np.argsort(x)
    order = by_x[np.argsort(cell[by_x], kind="stable")]  # radix sort on small keys
    xs, cell = x[order], cell[order]
    bounds = np.searchsorted(cell, np.arange(4 * len(uniq) + 1))
    rows = []
    for k, year in enumerate(uniq):
        total = int(bounds[4 * k + 4] - bounds[4 * k])
        groups = {
            g: xs[bounds[4 * k + 2 * g[0] + g[1]] : bounds[4 * k + 2 * g[0] + g[1] + 1]]
            for g in GROUP_NAMES
        }
        for name, ga, gb in PANELS:
            for g in (ga, gb):
                if len(groups[g]) == 0:
                    raise InvalidParameterError(
                        Violation(
                            "group",
                            GROUP_NAMES[g],
                            f"empty in year {int(year)} (KS panel {name}): no firm-year of "
                            f"this group to compare",
                        )
                    )
            t = _ks_sorted(groups[ga], groups[gb])
            rows.append(
                {
                    "panel": name,
                    "year": int(year),
                    "group_a": GROUP_NAMES[ga],
                    "group_b": GROUP_NAMES[gb],
                    "n_a": t.n_a,
                    "n_b": t.n_b,
                    "share_a": t.n_a / total,
                    "share_b": t.n_b / total,
                    "d": t.d,
                    "p": t.p,
                    "d_a_dominates": t.d_a_dominates,
                    "p_a_dominates": t.p_a_dominates,
                    "d_b_dominates": t.d_b_dominates,
                    "p_b_dominates": t.p_b_dominates,
                    "verdict": t.verdict(level),
                }
            )
    frame = pd.DataFrame(rows)
    order_panels = {n: i for i, (n, _, _) in enumerate(PANELS)}
    frame = frame.sort_values(
        ["panel", "year"],
        key=lambda s: s.map(order_panels) if s.name == "panel" else s,
        kind="stable",
    ).reset_index(drop=True)
    return KSTable(frame=frame, level=float(level), region=region, value=value)
