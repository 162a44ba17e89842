"""Small pieces of the pages' view models, shared by the class page and the student pages.

The HTML of these pieces is in templates/macros.html; here are only the values they lay out.
"""

from __future__ import annotations

import html

from grader.results import Evidence

#: longest quote shown from a submission, in lines and characters
MAX_QUOTE_LINES = 12
MAX_QUOTE_CHARS = 1500


def esc(text: str) -> str:
    """Escaped text, for HTML written without templates (grader.sheets); the reports use autoescaping."""
    return html.escape(text, quote=True)


def line_span(*, evidence: Evidence | None) -> str | None:
    """'line 12' or 'lines 12–14', or None when the evidence has no line numbers."""
    return None if evidence is None else lines_text(line_start=evidence.line_start, line_end=evidence.line_end)


def lines_text(*, line_start: int | None, line_end: int | None) -> str | None:
    """'line 12' or 'lines 12–14', or None without a first line."""
    if not line_start:
        return None
    end = line_end or line_start
    return f"line {line_start}" if end == line_start else f"lines {line_start}–{end}"


def quote_lines(*, text: str, first_line: int | None) -> tuple[tuple[str, str], ...]:
    """Quoted submission text as (line number or "", text) rows, cut to MAX_QUOTE_LINES/MAX_QUOTE_CHARS."""
    text = text[:MAX_QUOTE_CHARS]
    lines = text.strip("\n").splitlines()[:MAX_QUOTE_LINES] or [""]
    return tuple((str(first_line + offset) if first_line else "", line) for offset, line in enumerate(lines))
