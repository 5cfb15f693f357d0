"""Firm-year panels: loading (CSV, Parquet, DataFrame) and validation.

The panel has one row per firm and year with the columns of :data:`REQUIRED_COLUMNS`
(seed 004, §3.1; the command-line contract fixes the names). Other columns (``coastal``,
``hightech``, ...) are kept. Every rule is checked before any computation, and a broken
rule raises :class:`marshallian.errors.InvalidParameterError` naming the column, the value
and the CSV line (or the row of a Parquet file / DataFrame).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from ..errors import InvalidParameterError, Violation
from ._groups import codes

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

#: Columns every panel must have (``interface.md``, ``empirics``).
REQUIRED_COLUMNS = (
    "firm",
    "year",
    "industry",
    "county",
    "province",
    "output",
    "exports",
    "tfp",
    "employment",
    "wage",
    "ownership",
)
#: Identifier columns (any hashable labels: integers or text).
ID_COLUMNS = ("firm", "industry", "county", "province")
#: Numeric columns and their rule: ``finite``, ``nonnegative`` or ``positive``.
NUMERIC_RULES = {
    "output": "nonnegative",
    "exports": "nonnegative",
    "tfp": "finite",
    "employment": "positive",
    "wage": "positive",
}
#: The two ownership labels (seed 004: indigenous firms and foreign-invested firms, FIFs).
OWNERSHIP_LABELS = ("indigenous", "foreign")
#: Marker stored in ``DataFrame.attrs`` once a frame has passed :func:`validate_panel`.
_VALIDATED = "marshallian_validated_panel"


def _pandas():
    try:
        import pandas as pd
    except ModuleNotFoundError as exc:  # pragma: no cover - pandas is a dependency
        raise ModuleNotFoundError(
            "the empirics need pandas: pip install 'marshallian[empirics]'"
        ) from exc
    return pd


def _where(kind: str, label: str, position: int) -> str:
    """'line 17 of data.csv' (CSV: header is line 1) or 'row 15 of data.parquet'."""
    if kind == "csv":
        return f"line {position + 2} of {label}"
    return f"row {position} of {label}"


def read_panel(source: Any, *, validate: bool = True) -> pd.DataFrame:
    """Read a firm-year panel from a CSV or Parquet file, or take a DataFrame.

    Parameters
    ----------
    source : str, Path, pandas.DataFrame or SyntheticPanel
        ``.csv`` (optionally compressed, e.g. ``.csv.gz``), ``.parquet``/``.pq``, or a frame.
    validate : bool
        Check every rule of :func:`validate_panel` (default).

    Returns
    -------
    pandas.DataFrame
        The validated panel sorted by firm and year, with a fresh ``RangeIndex``.

    Raises
    ------
    InvalidParameterError
        An unreadable file, a missing column, a non-numeric or out-of-range value (with
        its CSV line), an unknown ownership label, duplicate firm-years, a county in two
        provinces, or a year without exporters.

    Examples
    --------
    >>> from marshallian.empirics import simulate_panel, read_panel
    >>> panel = read_panel(simulate_panel(firms=300, seed=1).panel)
    >>> sorted(panel.columns)[:4]
    ['coastal', 'county', 'employment', 'exports']
    """
    pd = _pandas()
    if hasattr(source, "panel") and isinstance(source.panel, pd.DataFrame):
        source = source.panel  # a SyntheticPanel
    if isinstance(source, pd.DataFrame):
        frame, kind, label = source, "frame", "the DataFrame"
    elif not isinstance(source, (str, Path)):
        raise InvalidParameterError(
            Violation("data", type(source).__name__, "must be a file path or a pandas DataFrame")
        )
    else:
        path = Path(source)
        label = str(path)
        if not path.is_file():
            raise InvalidParameterError(Violation("--data", label, "file not found"))
        name = path.name.lower()
        try:
            if name.endswith((".parquet", ".pq")):
                frame, kind = pd.read_parquet(path), "parquet"
            elif name.endswith((".csv", ".csv.gz", ".csv.bz2", ".csv.zip", ".csv.xz", ".txt")):
                frame, kind = pd.read_csv(path, skip_blank_lines=False, low_memory=False), "csv"
            else:
                raise InvalidParameterError(
                    Violation("--data", label, "must be a .csv or .parquet file")
                )
        except InvalidParameterError:
            raise
        except Exception as exc:  # noqa: BLE001  (pandas, pyarrow and parser errors alike)
            first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise InvalidParameterError(
                Violation("--data", label, f"unreadable ({first})")
            ) from None
    if not validate:
        return frame
    return validate_panel(frame, kind=kind, label=label)


def is_validated(frame: Any) -> bool:
    """Whether ``frame`` came out of :func:`validate_panel` (and was not changed since)."""
    return bool(getattr(frame, "attrs", {}).get(_VALIDATED) == len(frame))


def ensure_panel(data: Any) -> pd.DataFrame:
    """A validated panel from a path, a frame or a :class:`SyntheticPanel`."""
    panel = getattr(data, "panel", None)
    if panel is not None:
        data = panel
    if is_validated(data):
        return data
    return read_panel(data)


def validate_panel(
    frame: pd.DataFrame, *, kind: str = "frame", label: str = "the DataFrame"
) -> pd.DataFrame:
    """Check every rule and return the panel sorted by firm and year (a new frame).

    Rules: every column of :data:`REQUIRED_COLUMNS` is present; no value is missing;
    ``year`` is an integer; ``output``/``exports`` are finite and >= 0, ``employment`` and
    ``wage`` > 0, ``tfp`` finite; ``ownership`` is ``indigenous`` or ``foreign``; no
    firm-year appears twice; every county lies in one province; every year has an
    exporter (``exports > 0``). The first offending row of each column is reported.

    Examples
    --------
    >>> from marshallian.empirics import simulate_panel, validate_panel
    >>> panel = simulate_panel(firms=500, seed=0).panel
    >>> validate_panel(panel).shape
    (4000, 13)
    >>> validate_panel(panel.drop(columns="tfp"))
    Traceback (most recent call last):
    ...
    marshallian.errors.InvalidParameterError: ...
    """
    pd = _pandas()
    if not isinstance(frame, pd.DataFrame):
        raise InvalidParameterError(
            Violation("data", type(frame).__name__, "must be a pandas DataFrame or a file path")
        )
    missing = [c for c in REQUIRED_COLUMNS if c not in frame.columns]
    if missing:
        raise InvalidParameterError(
            [
                Violation(f"column {c}", None, f"required column missing from {label}")
                for c in missing
            ]
        )
    if len(frame) == 0:
        raise InvalidParameterError(Violation("data", label, "has no rows"))
    out = frame.copy(deep=False).reset_index(drop=True)
    bad: list[Violation] = []

    def first_bad(col: str, mask: np.ndarray, rule: str, values) -> None:
        idx = np.flatnonzero(mask)
        if len(idx):
            i = int(idx[0])
            value = values[i]
            value = value.item() if hasattr(value, "item") else value
            more = f" (and {len(idx) - 1} more rows)" if len(idx) > 1 else ""
            bad.append(Violation(col, value, f"{rule} ({_where(kind, label, i)}){more}"))

    for col in REQUIRED_COLUMNS:
        isna = out[col].isna().to_numpy()
        if isna.any():
            first_bad(col, isna, "missing value", out[col].to_numpy(dtype=object))
    if bad:
        raise InvalidParameterError(bad)

    for col in ("year", *NUMERIC_RULES):
        raw = out[col]
        if pd.api.types.is_numeric_dtype(raw) or pd.api.types.is_bool_dtype(raw):
            num = raw
        else:
            num = pd.to_numeric(raw.astype(object), errors="coerce")
        values = num.to_numpy(dtype=float, na_value=np.nan)
        notnum = np.isnan(values)
        if notnum.any():
            first_bad(col, notnum, "must be a number", raw.to_numpy(dtype=object))
            continue
        rule = NUMERIC_RULES.get(col, "integer")
        if rule == "integer":
            broken = ~np.isfinite(values) | (values != np.round(values))
            first_bad(col, broken, "must be an integer year", raw.to_numpy(dtype=object))
            if not broken.any():
                out[col] = values.astype(np.int64)
            continue
        broken = ~np.isfinite(values)
        if rule == "nonnegative":
            broken |= values < 0
            text = "must be a finite number >= 0"
        elif rule == "positive":
            broken |= ~(values > 0)
            text = "must be a finite number > 0 (its log is taken)"
        else:
            text = "must be a finite number"
        first_bad(col, broken, text, raw.to_numpy(dtype=object))
        out[col] = values

    # ownership: check the distinct labels, not every row
    own_codes, own_labels = codes(out["ownership"], sort=False)
    clean = np.array([str(v).strip().lower() for v in own_labels], dtype=object)
    known = np.isin(clean, OWNERSHIP_LABELS)
    first_bad(
        "ownership",
        ~known[own_codes],
        "must be 'indigenous' or 'foreign'",
        out["ownership"].to_numpy(dtype=object),
    )
    if bad:
        raise InvalidParameterError(bad)
    target = np.array([OWNERSHIP_LABELS.index(v) for v in clean], dtype=np.int8)
    out["ownership"] = pd.Categorical.from_codes(target[own_codes], list(OWNERSHIP_LABELS))

    # duplicate firm-years: adjacent after sorting by firm and year
    firm_codes, _ = codes(out["firm"])
    years = out["year"].to_numpy()
    order = np.lexsort((years, firm_codes))
    fs, ys = firm_codes[order], years[order]
    dup = np.flatnonzero((fs[1:] == fs[:-1]) & (ys[1:] == ys[:-1]))
    if len(dup):
        i, j = sorted((int(order[dup[0]]), int(order[dup[0] + 1])))
        firm = out["firm"].iloc[i]
        firm = firm.item() if hasattr(firm, "item") else firm
        where = f"{_where(kind, label, i)} and {_where(kind, label, j)}"
        raise InvalidParameterError(
            Violation(
                "firm, year",
                f"{firm}, {int(years[i])}",
                f"duplicate firm-year ({where}); each firm appears once a year",
            )
        )

    county_codes, counties = codes(out["county"], sort=False)
    province_codes, provinces = codes(out["province"], sort=False)
    pairs = np.unique(county_codes * len(provinces) + province_codes)
    per_county = np.bincount(pairs // len(provinces), minlength=len(counties))
    if (per_county > 1).any():
        c = int(np.flatnonzero(per_county > 1)[0])
        found = [provinces[p % len(provinces)] for p in pairs[pairs // len(provinces) == c][:2]]
        found = [v.item() if hasattr(v, "item") else v for v in found]
        county = counties[c].item() if hasattr(counties[c], "item") else counties[c]
        raise InvalidParameterError(
            Violation(
                "county",
                county,
                f"lies in more than one province ({found[0]!r} and {found[1]!r}); "
                f"counties must be nested in provinces",
            )
        )

    exporters = out["exports"].to_numpy() > 0
    years = out["year"].to_numpy()
    per_year = np.bincount(np.searchsorted(np.unique(years), years), weights=exporters)
    empty = np.unique(years)[per_year == 0]
    if len(empty):
        raise InvalidParameterError(
            Violation(
                "exports", 0, f"year {int(empty[0])} has no exporter (exports > 0 for no firm)"
            )
        )

    out = out.take(order).reset_index(drop=True)
    out.attrs = {_VALIDATED: len(out), "source": label}
    return out
