"""Streamed output of the commands: JSON (one object or an array written element by
element), CSV (rows as they come), text and LaTeX tables.

Commands hand :func:`emit` an *iterator* of ``(case, result)`` pairs, computed lazily, so
that a batch of any length is answered case by case in input order with memory that does
not grow with the number of cases. Results are presentation-layer objects
(:class:`marshallian.presentation.Tabular`): JSON uses ``to_dict()`` (or a ``doc``
function), CSV ``records(case)``, text ``summary()``, LaTeX ``to_latex()``. The batch
engine plugs in by yielding its own results (anything with those methods) or by calling
:class:`JsonArrayWriter` / :func:`marshallian.presentation.write_csv` directly.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TextIO


class JsonArrayWriter:
    """Write JSON documents one at a time: a bare object when ``batch`` is False (exactly
    one document, indented), else an array opened at the first document and closed by
    :meth:`close` (an empty batch gives ``[]``), one compact document per line.

    Batch elements use the C encoder (no ``indent``): the pure-Python indenting encoder
    builds reference cycles on every call, which made memory creep with the batch size.
    """

    def __init__(self, batch: bool, stream: TextIO | None = None, indent: int | None = 2):
        self.batch, self.stream, self.indent = batch, stream or sys.stdout, indent
        self.count = 0

    def write(self, doc: Any) -> None:
        if self.batch:
            text = json.dumps(doc, allow_nan=False, separators=(", ", ": "))
            sep = "[\n" if self.count == 0 else ",\n"
            self.stream.write(sep + text)
        else:
            if self.count:
                raise ValueError("a single JSON document was already written")
            self.stream.write(json.dumps(doc, indent=self.indent, allow_nan=False))
        self.count += 1

    def close(self) -> None:
        if self.batch:
            self.stream.write("[]\n" if self.count == 0 else "\n]\n")
        elif self.count:
            self.stream.write("\n")
        self.stream.flush()


def emit(
    items: Iterable[tuple[int, Any]],
    fmt: str,
    batch: bool,
    doc: Callable[[Any], Any] | None = None,
    text: Callable[[Any], str] | None = None,
    stream: TextIO | None = None,
) -> int:
    """Write every ``(case, result)`` of ``items`` in format ``fmt`` as it comes.

    Parameters
    ----------
    items : iterable of (int, result)
        Case number and result, in input order (an iterator: computed lazily).
    fmt : str
        ``json``, ``csv``, ``latex`` or a text format (``table``/``text``).
    batch : bool
        JSON: an array (True) or one object. CSV always has a ``case`` column.
    doc, text : callable, optional
        JSON document / text block of a result (default ``to_dict()`` / ``summary()``).

    Returns
    -------
    int
        Number of results written.
    """
    stream = stream or sys.stdout
    n = 0
    if fmt == "json":
        w = JsonArrayWriter(batch, stream)
        for _, r in items:
            w.write(doc(r) if doc else r.to_dict())
            n += 1
        w.close()
        return n
    if fmt == "csv":
        from ..presentation import write_csv_parts

        it: Iterator = iter(items)
        first = next(it, None)
        if first is None:
            return 0
        columns = first[1].record_columns(True)

        def blocks():
            yield first[1].record_parts(first[0])
            for case, r in it:
                yield r.record_parts(case)

        counter = _Counter(blocks())
        write_csv_parts(counter, stream, columns)
        stream.flush()
        return counter.n
    render = (lambda r: r.to_latex()) if fmt == "latex" else (text or (lambda r: r.summary()))
    for _, r in items:
        stream.write(("\n\n" if n else "") + render(r))
        n += 1
    if n:
        stream.write("\n")
    stream.flush()
    return n


class _Counter:
    def __init__(self, it):
        self.it, self.n = it, 0

    def __iter__(self):
        for x in self.it:
            self.n += 1
            yield x
