"""One presentation layer for every result: a table described once, rendered five ways.

A result class inherits :class:`Tabular` and implements ``_table()``, returning a
:class:`Table`: its columns (:class:`Column`: a data name, a text header, a LaTeX header,
a number format, whether it shows in printed tables and whether it is data), its rows
(mappings keyed by column name), title and note lines, and the case's parameters. From
that one description the mixin gives

- ``__str__`` / ``summary()``: an aligned text table with the title and notes;
- ``_repr_html_()``: the same table in HTML (Jupyter);
- ``records(case=None)``: long-format rows (dicts): the case's parameters first, then
  the data columns, one row per equilibrium / point / path point / policy row; these
  feed ``to_frame()`` and the CLI's streamed CSV output;
- ``to_frame()``: a pandas DataFrame of ``records()`` (pandas is imported only here);
- ``to_latex()``: a booktabs ``tabular`` ready for a paper (``\\usepackage{booktabs}``).

:class:`ResultBatch` does the same for a sequence of results (a batch), adding a ``case``
column. This is the design of linearmodels' and statsmodels' summaries: the numbers live
in the result, the presentation in one place.

Examples
--------
>>> import marshallian as m
>>> sol = m.solve("standard")
>>> frame = sol.to_frame()
>>> list(frame.columns[:3]), len(frame) == len(sol)
(['model', 'lam_1S', 'lam_2S'], True)
>>> sol.to_latex().splitlines()[2]
'\\\\begin{tabular}{rlrrll}'
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ._text import latex_escape


@dataclass(frozen=True)
class Column:
    """One column of a result's table.

    Parameters
    ----------
    name : str
        Data name: the key in rows, the column of ``to_frame()`` and of CSV output.
    label : str
        Header in text and HTML tables (default: ``name``).
    latex : str
        Header in LaTeX (default: ``label``), e.g. ``"$1/w$"``.
    fmt : str
        Format spec for numbers in printed tables (e.g. ``".6g"``); data keep full
        precision.
    shown : bool
        Whether the column appears in printed tables (text, HTML, LaTeX).
    data : bool
        Whether the column appears in ``records()``/``to_frame()``/CSV.
    text : callable, optional
        Printed form of a value (e.g. ``pass``/``fail`` for a boolean test) instead of
        the default (``yes``/``no``, ``-`` for missing, numbers with ``fmt``).
    """

    name: str
    label: str = ""
    latex: str = ""
    fmt: str = ".6g"
    shown: bool = True
    data: bool = True
    text: Callable[[Any], str] | None = None

    def cell(self, value: Any) -> str:
        """``value`` as printed in this column."""
        if self.text is not None and value is not None:
            return self.text(value)
        return format_cell(value, self.fmt)

    @property
    def header(self) -> str:
        return self.label or self.name

    @property
    def latex_header(self) -> str:
        return self.latex or latex_escape(self.header)


def data_columns(*names: str) -> tuple[Column, ...]:
    """Columns that are data only (``records()``, ``to_frame()``, CSV), not printed.

    Examples
    --------
    >>> [(c.name, c.shown) for c in data_columns("degenerate", "verified")]
    [('degenerate', False), ('verified', False)]
    """
    return tuple(Column(name, shown=False) for name in names)


@dataclass(frozen=True)
class Table:
    """What a result shows: columns, rows, title and note lines, the case's parameters.

    ``params`` (and ``context``: further case-level values such as world prices) become
    the leading columns of ``records()``; they are not repeated in printed tables.
    """

    columns: tuple
    rows: Sequence[Mapping]
    title: tuple = ()
    notes: tuple = ()
    params: Mapping | None = None
    context: Mapping = field(default_factory=dict)


def record_table(record: Mapping, names: Iterable[str] = (), **first: Any) -> Table:
    """The table of a result that is one record (a policy run, a coordination plan): one
    row, the columns ``first`` then ``names`` (their values read from ``record``), each
    headed by its name.

    Examples
    --------
    >>> print(render_text(record_table({"mill": True, "gains": 0.5}, ("gains", "mill"), policy="t")))
    policy  gains  mill
    t         0.5  yes
    """
    row = {**first, **{k: record[k] for k in names}}
    return Table(tuple(Column(k) for k in row), [row])


def line_table(text: str) -> Table:
    """A table that prints as one line of ``text`` (the display of a one-record result).

    Examples
    --------
    >>> render_text(line_table("coordination [1:backward] -> [2:modern]"))
    'coordination [1:backward] -> [2:modern]'
    """
    return Table((), (), (text,))


_PLAIN_TYPES = frozenset((float, int, str, bool, type(None)))


def _plain(value: Any) -> Any:
    """A value as data: exact numbers become floats, enums their value."""
    if value.__class__ in _PLAIN_TYPES:
        return value
    if isinstance(value, (bool, int, float, str)):
        return value
    enum_value = getattr(value, "value", None)
    if enum_value is not None and isinstance(enum_value, (str, int)):
        return enum_value
    try:
        return float(value)
    except (TypeError, ValueError):
        return str(value)


def format_cell(value: Any, fmt: str = ".6g") -> str:
    """A value in a printed table: ``yes``/``no`` for booleans, ``-`` for missing."""
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    enum_value = getattr(value, "value", None)
    if isinstance(enum_value, str):
        return enum_value
    if isinstance(value, str):
        return value
    try:
        x = float(value)
    except (TypeError, ValueError):
        return str(value)
    if math.isnan(x):
        return "-"
    if fmt and not isinstance(value, int):
        return format(x, fmt)
    return str(value)


def _numeric(value: Any) -> bool:
    return (
        not isinstance(value, (str, bool))
        and value is not None
        and isinstance(_plain(value), (int, float))
    )


# --------------------------------------------------------------------------- renderers
def render_text(table: Table) -> str:
    cols = [c for c in table.columns if c.shown]
    cells = [[c.cell(r.get(c.name)) for c in cols] for r in table.rows]
    right = [any(_numeric(r.get(c.name)) for r in table.rows) for c in cols]
    widths = [max([len(c.header)] + [len(row[k]) for row in cells]) for k, c in enumerate(cols)]

    def line(items):
        parts = [(s.rjust(w) if rt else s.ljust(w)) for s, w, rt in zip(items, widths, right)]
        return "  ".join(parts).rstrip()

    out = list(table.title)
    if cols:
        out.append(line([c.header for c in cols]))
        out.extend(line(row) for row in cells)
    out.extend(table.notes)
    return "\n".join(out)


def render_html(table: Table) -> str:
    cols = [c for c in table.columns if c.shown]
    head = "".join(f"<th>{html.escape(c.header)}</th>" for c in cols)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(c.cell(r.get(c.name)))}</td>" for c in cols) + "</tr>"
        for r in table.rows
    )
    title = "<br>".join(html.escape(t) for t in table.title)
    notes = "<br>".join(html.escape(t) for t in table.notes)
    return (
        (f"<p><b>{title}</b></p>" if title else "")
        + (f"<table><tr>{head}</tr>{body}</table>" if cols else "")
        + (f"<p>{notes}</p>" if notes else "")
    )


def render_latex(table: Table) -> str:
    """A booktabs ``tabular`` (needs ``\\usepackage{booktabs}``); title and notes as
    LaTeX comments above and a note row below."""
    cols = [c for c in table.columns if c.shown]
    spec = "".join(
        "r" if any(_numeric(r.get(c.name)) for r in table.rows) or c.name == "equilibrium" else "l"
        for c in cols
    )
    lines = [f"% {t}" for t in table.title]
    lines.append(f"\\begin{{tabular}}{{{spec}}}")
    lines.append("\\toprule")
    lines.append(" & ".join(c.latex_header for c in cols) + " \\\\")
    lines.append("\\midrule")
    for r in table.rows:
        lines.append(" & ".join(latex_escape(c.cell(r.get(c.name))) for c in cols) + " \\\\")
    lines.append("\\bottomrule")
    lines.append("\\end{tabular}")
    lines.extend(f"% {n}" for n in table.notes)
    return "\n".join(lines)


def table_parts(table: Table, case: int | None = None) -> tuple[list, list[list]]:
    """``(lead, rows)``: the case-level values every row starts with (``case``, model,
    parameters, context) and the data part of each row (:func:`record_columns` order)."""
    params = table.params or {}
    lead = [] if case is None else [case]
    lead += [
        _plain(table.context[k] if k in table.context else params[k]) for k in _lead_names(table)
    ]
    names = [c.name for c in table.columns if c.data]
    plain = _PLAIN_TYPES
    return lead, [
        [v if v.__class__ in plain else _plain(v) for v in map(r.get, names)] for r in table.rows
    ]


def table_rows(table: Table, case: int | None = None) -> list[list]:
    """Long-format rows as lists, in the order of :func:`record_columns`."""
    lead, rows = table_parts(table, case)
    return [lead + row for row in rows]


def table_records(table: Table, case: int | None = None) -> list[dict]:
    """Long-format rows: ``case`` (if given), the parameters, the context, the data."""
    columns = record_columns(table, case is not None)
    return [dict(zip(columns, row)) for row in table_rows(table, case)]


def record_columns(table: Table, case: bool = False) -> list[str]:
    """The column names of :func:`table_records` (also when there are no rows)."""
    return (
        (["case"] if case else []) + _lead_names(table) + [c.name for c in table.columns if c.data]
    )


def _lead_names(table: Table) -> list[str]:
    # case-level columns: the model first, then the parameters, then other context
    first = [k for k in table.context if k == "model"]
    rest = [k for k in table.context if k != "model"]
    return first + list(table.params or {}) + rest


def frame(records: list[dict], columns: list[str] | None = None):
    """A pandas DataFrame of records (pandas is an optional dependency)."""
    try:
        import pandas as pd
    except ImportError:  # pragma: no cover - pandas is in the test extra
        from .errors import MarshallianError

        raise MarshallianError("to_frame() needs pandas: pip install pandas") from None
    return pd.DataFrame.from_records(records, columns=columns)


class Tabular:
    """Mixin giving ``__str__``, ``_repr_html_``, ``records``, ``to_frame``, ``to_latex``
    and ``to_csv`` from one :class:`Table` description (``_table()``)."""

    def _table(self) -> Table:  # pragma: no cover - every result implements it
        raise NotImplementedError

    def _display_table(self) -> Table:
        """What printed forms show (text, HTML, LaTeX); by default the data table. A
        result whose data are long (a path's time points) shows a digest instead."""
        return self._table()

    def summary(self) -> str:
        """The result as an aligned text table (what ``print`` shows)."""
        return render_text(self._display_table())

    def __str__(self) -> str:
        return self.summary()

    def _repr_html_(self) -> str:
        return render_html(self._display_table())

    def records(self, case: int | None = None) -> list[dict]:
        """Long-format rows as dicts (``case`` column first when given)."""
        return table_records(self._table(), case)

    def record_columns(self, case: bool = False) -> list[str]:
        return record_columns(self._table(), case)

    def record_rows(self, case: int | None = None) -> list[list]:
        """:meth:`records` as lists in the order of :meth:`record_columns`."""
        return table_rows(self._table(), case)

    def record_parts(self, case: int | None = None) -> tuple[list, list[list]]:
        """``(lead, rows)`` of :func:`table_parts` (what the streamed CSV writer uses:
        the case-level cells are formatted once per case)."""
        return table_parts(self._table(), case)

    def to_frame(self):
        """A tidy pandas DataFrame: one row per row of the table, with the case's
        parameters (and context such as world prices) as columns."""
        t = self._table()
        return frame(table_records(t), record_columns(t))

    def to_latex(self) -> str:
        """A booktabs LaTeX ``tabular`` of the printed table."""
        return render_latex(self._display_table())

    def to_csv(self) -> str:
        """CSV text of :meth:`records` with a header (what ``--format csv`` prints)."""
        import io

        buf = io.StringIO()
        write_csv_rows([self.record_rows()], buf, self.record_columns())
        return buf.getvalue()


class ResultBatch(Tabular, Sequence):
    """A sequence of results (a batch) presented as one long table with a ``case`` column.

    Parameters
    ----------
    results : sequence of Tabular
        The results, in case order.
    cases : sequence of int, optional
        Their case numbers (default 0, 1, ...), e.g. when invalid cases were skipped.

    Examples
    --------
    Two calibrations' equilibria as one table (seven equilibria each, §3):

    >>> import marshallian as m
    >>> batch = m.ResultBatch([m.solve("alternative"), m.solve("alternative", {"lam_2S": 0.9})])
    >>> batch.to_frame().groupby("case").size().tolist()
    [7, 7]
    """

    def __init__(self, results: Iterable, cases: Iterable[int] | None = None):
        self.results = tuple(results)
        self.cases = tuple(range(len(self.results)) if cases is None else cases)

    def __len__(self) -> int:
        return len(self.results)

    def __getitem__(self, i):
        return self.results[i]

    def records(self, case: int | None = None) -> list[dict]:
        return [r for c, res in zip(self.cases, self.results) for r in res.records(c)]

    def record_columns(self, case: bool = True) -> list[str]:
        return self.results[0].record_columns(True) if self.results else ["case"]

    def record_rows(self, case: int | None = None) -> list[list]:
        return [r for c, res in zip(self.cases, self.results) for r in res.record_rows(c)]

    def record_parts(self, case: int | None = None):  # pragma: no cover - not one case
        raise TypeError("a batch has one lead per case: use record_rows()")

    def summary(self) -> str:
        return "\n\n".join(f"case {c}\n{res.summary()}" for c, res in zip(self.cases, self.results))

    def _repr_html_(self) -> str:
        return "".join(
            f"<h4>case {c}</h4>{res._repr_html_()}" for c, res in zip(self.cases, self.results)
        )

    def to_frame(self):
        return frame(self.records(), self.record_columns())

    def to_latex(self) -> str:
        return "\n\n".join(
            f"% case {c}\n{res.to_latex()}" for c, res in zip(self.cases, self.results)
        )

    def to_dict(self) -> list:
        return [r.to_dict() for r in self.results]


# --------------------------------------------------------------------------- streaming writers
def write_csv_rows(row_blocks: Iterable[list[list]], stream, columns: list[str]) -> int:
    """Write blocks of rows (lists in ``columns`` order) as CSV, header first, a block at
    a time (streamed). Floats are written in full (``repr``), None as an empty cell.
    Returns the number of rows written."""
    import csv

    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(columns)
    n = 0
    for block in row_blocks:
        writer.writerows(block)
        n += len(block)
    return n


def write_csv_parts(blocks: Iterable[tuple[list, list[list]]], stream, columns: list[str]) -> int:
    """Like :func:`write_csv_rows` for ``(lead, rows)`` blocks (:func:`table_parts`): the
    lead cells are formatted once per block and prefixed to each of its rows."""
    import csv
    import io

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(columns)
    stream.write(buf.getvalue())
    n = 0
    for lead, rows in blocks:
        if not rows:
            continue
        buf.seek(0)
        buf.truncate()
        w.writerow(lead)
        prefix = buf.getvalue()[:-1] + "," if lead else ""
        for row in rows:
            buf.seek(0)
            buf.truncate()
            w.writerow(row)
            stream.write(prefix + buf.getvalue())
        n += len(rows)
    return n


def write_csv(record_blocks: Iterable[list[dict]], stream, columns: list[str] | None = None) -> int:
    """Write blocks of records as CSV rows, streamed (a block at a time), header first.

    ``columns`` fixes the header; otherwise the first record's keys do. Returns the number
    of rows written.
    """
    import csv

    writer = None
    n = 0
    for block in record_blocks:
        for rec in block:
            if writer is None:
                writer = csv.DictWriter(
                    stream,
                    fieldnames=columns or list(rec),
                    extrasaction="ignore",
                    lineterminator="\n",
                )
                writer.writeheader()
            writer.writerow(rec)
            n += 1
    if writer is None and columns:
        stream.write(",".join(columns) + "\n")
    return n
