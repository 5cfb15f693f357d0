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
    if any(c in text for c in ',"\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


def _cells(col) -> list:
    import pandas as pd

    if isinstance(col.dtype, pd.CategoricalDtype):
        cats = [_quote(str(c)) for c in col.cat.categories] + [""]
        codes = col.cat.codes.to_numpy()
        return np.array(cats, dtype=object)[np.where(codes < 0, len(cats) - 1, codes)].tolist()
    a = col.to_numpy()
    if a.dtype.kind == "b":
        return np.where(a, "True", "False").tolist()
    if a.dtype.kind in "iu":
        return list(map(str, a.tolist()))
    if a.dtype.kind == "f":
        return list(map(repr, a.tolist()))
    return [
        ""
        if x is None
        else ('"' + x.replace('"', '""') + '"')
        if ("," in x or '"' in x or "\n" in x or "\r" in x)
        else x
        for x in (None if v is None else str(v) for v in a.tolist())
    ]


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
        # a column constant within each case (the parameters, prices) is formatted once
        # per case
        case = part["case"].to_numpy() if "case" in part else None
        first = np.r_[True, case[1:] != case[:-1]] if case is not None and len(case) else None
        cells = []
        for c in columns:
            col = part[c]
            if first is not None and col.dtype.kind == "f" and len(col) > 1:
                v = col.to_numpy()
                same = (v[1:] == v[:-1]) | first[1:]
                if same.all():
                    heads = np.flatnonzero(first)
                    cells.append(
                        np.repeat(
                            np.array(_cells(col.iloc[heads]), dtype=object),
                            np.diff(np.r_[heads, len(v)]),
                        ).tolist()
                    )
                    continue
            cells.append(_cells(col))
        stream.write("\n".join(map(",".join, zip(*cells))) + "\n")
    return n


def csv_text(df, columns, header: bool) -> str:
    """:func:`write_csv_frame` into a string."""
    import io

    buf = io.StringIO()
    write_csv_frame(df, columns, buf, header)
    return buf.getvalue()
