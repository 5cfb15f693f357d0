"""The empirical side (seed 004): agglomeration and export entry from firm-level data.

Loading and validation (:func:`read_panel`), location quotients and concentration indices
(:func:`location_quotients`, :func:`balassa_rca`, :func:`hoover_index`,
:func:`ellison_glaeser`), Kolmogorov–Smirnov dominance tests (:func:`ks_table`, Table 2),
the regressors of the export-entry probit (:func:`build_regressors`), the fixed-effect
probit with marginal effects (:func:`probit`, Tables 3–7), regression tables
(:func:`regression_table`), Figure 1 (:func:`tfp_densities`) and a synthetic panel with
known truth (:func:`simulate_panel`).
"""

from .data import OWNERSHIP_LABELS, REQUIRED_COLUMNS, read_panel, validate_panel
from .indices import (
    agglomerated,
    balassa_rca,
    ellison_glaeser,
    hoover_index,
    location_quotients,
)
from .ks import KSTable, KSTest, ks_table, ks_test
from .probit import (
    DEFAULT_FE,
    DEFAULT_X,
    OWNERSHIP_X,
    ProbitResult,
    probit,
    probit_splits,
    regression_table,
)
from .regressors import (
    AGGLOMERATION_REGRESSORS,
    BUILT_REGRESSORS,
    LAG_REGRESSORS,
    build_regressors,
)
from .synthetic import (
    CORRECT_FE,
    CORRECT_X,
    TRUE_COEFFICIENTS,
    SyntheticPanel,
    simulate_panel,
    true_margins,
)

__all__ = [
    "AGGLOMERATION_REGRESSORS",
    "BUILT_REGRESSORS",
    "CORRECT_FE",
    "CORRECT_X",
    "DEFAULT_FE",
    "DEFAULT_X",
    "LAG_REGRESSORS",
    "OWNERSHIP_LABELS",
    "OWNERSHIP_X",
    "REQUIRED_COLUMNS",
    "TRUE_COEFFICIENTS",
    "KSTable",
    "KSTest",
    "ProbitResult",
    "SyntheticPanel",
    "agglomerated",
    "balassa_rca",
    "build_regressors",
    "ellison_glaeser",
    "hoover_index",
    "ks_table",
    "ks_test",
    "location_quotients",
    "probit",
    "probit_splits",
    "read_panel",
    "regression_table",
    "simulate_panel",
    "tfp_densities",
    "true_margins",
    "validate_panel",
]


def tfp_densities(*args, **kwargs):
    """Figure 1 (see :func:`marshallian.empirics.figures.tfp_densities`; imports matplotlib).

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from marshallian.empirics import simulate_panel, tfp_densities
    >>> fig = tfp_densities(simulate_panel(firms=1000, seed=0), points=64)
    >>> len(fig.axes[0].lines)                 # the four groups of Table 2
    4
    >>> plt.close(fig)
    """
    from .figures import tfp_densities as draw

    return draw(*args, **kwargs)
