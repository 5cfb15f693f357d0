"""CSV text of a batch DataFrame, column by column.

The same cells as :func:`marshallian.presentation.write_csv_rows` (the writer of
``--format csv``) writes row by row (floats as ``repr``, missing values empty,
``True``/``False``, the csv module's minimal quoting; ``tests/test_batch.py`` checks the two
agree), but each column
is formatted in one pass: a batch of 10⁵ cases is ~700,000 rows, which a writer taking
one dict per row would need seconds to write.
"""

from __future__ import annotations

import numpy as np


def _quote(text: str) -> str:
    if "," in text or '"' in text or "\n" in text or "\r" in text:
        return '"' + text.replace('"', '""') + '"'
    return text


def _cells(col) -> list:
    import pandas as pd

    if isinstance(col.dtype, pd.CategoricalDtype):
        cats = [_quote(str(c)) for c in col.cat.categories] + [""]
        codes = col.cat.codes.to_numpy()
        return np.array(cats, dtype=object)[np.where(codes < 0, len(cats) - 1, codes)].tolist()
    a = col.to_numpy()
    if a.dtype.kind == "b":  # the two strings, shared (no new string a cell)
        return _BOOLS[a.view(np.uint8)].tolist()
    if a.dtype.kind in "iu":
        return list(map(str, a.tolist()))
    if a.dtype.kind == "f":
        return _formatted(a, repr)
    return ["" if v is None else _quote(v if isinstance(v, str) else str(v)) for v in a.tolist()]


_BOOLS = np.array(["False", "True"], dtype=object)


def _formatted(a, fmt) -> list:
    """``[fmt(x) for x in a]`` for a float array, each distinct value formatted once when
    values repeat (labor at 0, at a cap, at the whole labor force: about half of a batch's
    labor cells). Distinct means distinct bits: -0.0 keeps its sign."""
    if len(a) > 64:
        bits, inverse = np.unique(a.view(np.int64), return_inverse=True)
        if 2 * len(bits) < len(a):
            text = np.array(list(map(fmt, bits.view(np.float64).tolist())), dtype=object)
            return text[inverse].tolist()
    return list(map(fmt, a.tolist()))


#: Rows formatted at a time (bounds the memory of the cells' strings).
ROWS_PER_SLICE = 8192


def write_csv_frame(df, columns, stream, header: bool) -> int:
    """Write the rows of ``df[columns]`` (and the header line if asked) to ``stream``;
    returns the number of rows."""
    if header:
        stream.write(",".join(_quote(c) for c in columns) + "\n")
    n = len(df)
    for a in range(0, n, ROWS_PER_SLICE):
        part = df.iloc[a : a + ROWS_PER_SLICE]
        # the leading columns constant within each case (case, model, parameters, prices)
        # are formatted and joined once per case
        case = part["case"].to_numpy() if "case" in part else None
        first = np.r_[True, case[1:] != case[:-1]] if case is not None and len(case) else None
        lead = 0
        if first is not None and len(part) > 1:
            while lead < len(columns) and _constant_within_cases(part[columns[lead]], first):
                lead += 1
        cells = []
        if lead and first is not None:
            heads = np.flatnonzero(first)
            head_cells = [_cells(part[c].iloc[heads]) for c in columns[:lead]]
            prefix = list(map(",".join, zip(*head_cells)))
            cells.append(
                np.repeat(np.array(prefix, dtype=object), np.diff(np.r_[heads, len(part)])).tolist()
            )
        cells += [_cells(part[c]) for c in columns[lead:]]
        stream.write("\n".join(map(",".join, zip(*cells))) + "\n")
    return n


def _constant_within_cases(col, first) -> bool:
    """Whether ``col`` (a Series) repeats its value down every case (``first`` marks the
    first row of each case)."""
    import pandas as pd

    if isinstance(col.dtype, pd.CategoricalDtype):
        v = col.cat.codes.to_numpy()
    elif col.dtype.kind in "iuf":
        v = col.to_numpy()
    else:
        return False
    return bool(((v[1:] == v[:-1]) | first[1:]).all())


def read_csv_columns(raw: bytes, columns: tuple) -> dict | None:
    """The columns (name -> float array) of a plainly clean CSV batch, read at once.

    ``raw`` is a parameter file that :func:`marshallian.params.read_parameter_input` has
    read as CSV with the header ``columns``. When the rows hold only ASCII digits, signs,
    points, exponents, commas and ASCII spaces, with the header's number of cells in every
    row, no quotes and no line ends other than ``\\n`` and ``\\r\\n`` (blank lines are
    skipped, as there), the cells are converted by ``float``, which accepts there exactly what
    :func:`~marshallian.params.parse_number` accepts (and gives the same numbers), about
    fifty times faster than row by row. Otherwise
    (or if a cell is not a finite number) None: the row-by-row reader answers, and names
    the bad cell.

    Examples
    --------
    >>> read_csv_columns(b"beta,alpha\\n0.5, 0.02\\n\\n0.4,1e-2\\n", ("beta", "alpha"))
    {'beta': array([0.5, 0.4]), 'alpha': array([0.02, 0.01])}
    >>> read_csv_columns(b"beta,alpha\\n0.5,1e\\n", ("beta", "alpha")) is None
    True
    """
    import re

    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if not columns:
        return None
    text = text.replace("\r\n", "\n")
    spaces = " \t\f\v"
    lines = text.split("\n")
    h = 0
    while h < len(lines) and not lines[h].strip(spaces):
        h += 1
    if h == len(lines) or tuple(c.strip(spaces) for c in lines[h].split(",")) != columns:
        return None
    body = [x for x in lines[h + 1 :] if x.strip(spaces)]
    k = len(columns) - 1
    if not body or any(x.count(",") != k for x in body):
        return None
    joined = ",".join(body)
    if re.search(r"[^0-9eE+\-.,\ \t\f\v]", joined, re.ASCII):
        return None
    cells = joined.split(",")
    try:
        values = np.fromiter(map(float, cells), float, len(cells))
    except ValueError:
        return None
    values = values.reshape(len(body), len(columns))
    if not np.isfinite(values).all():
        return None
    return {c: np.ascontiguousarray(values[:, j]) for j, c in enumerate(columns)}
