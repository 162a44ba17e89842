"""Spreadsheet-safe CSV cells (CSV injection) and the CSV writer every export uses.

A text cell a spreadsheet could execute (it starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return)
gets a leading ``'``; a number stays a number (``-3`` or ``-0.5`` is a value, not a formula). Quoting and escaping
(commas, quotes, CR/LF inside a cell) is left to :mod:`csv`, which doubles quotes and quotes such cells."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable

_DANGEROUS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?")


def safe_cell(text: str) -> str:
    """``text`` with a leading ``'`` when a spreadsheet would read it as a formula; numbers unchanged."""
    if text[:1] in _DANGEROUS and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


def csv_text(rows: Iterable[Iterable[str]], *, quote_all: bool = False, lineterminator: str = "\r\n") -> str:
    """Rows of strings as CSV text, every cell through :func:`safe_cell`.

    A cell holding a CR, an LF, a quote or the delimiter is quoted whatever ``lineterminator`` is: :mod:`csv`
    quotes only the characters of its own line terminator (with ``"\n"`` a lone CR went out unquoted and split
    the row in a spreadsheet), so rows are written with ``"\r\n"`` and their terminator replaced after."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL)
    out = []
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
        out.append(buffer.getvalue()[:-2] + lineterminator)
        buffer.seek(0)
        buffer.truncate()
    return "".join(out)
