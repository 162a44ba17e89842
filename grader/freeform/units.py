"""A part's lines joined into statements (display-math blocks and OCR-split commands stay together)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from grader.freeform.evidence import MAX_CANDIDATE_CHARS
from grader.freeform.records import record
from grader.text.ocr_escapes import CR_SPLIT_STARTS, repair_ocr
from grader.freeform.segment import Piece

MAX_UNIT_LINES = 30
MAX_UNITS = 400


@dataclass(frozen=True)
class Unit:
    line_start: int
    line_end: int
    text: str


_LATEX_SCAFFOLD = re.compile(
    r"[ \t]*(?:\\(?:begin|end)\{(?:enumerate|itemize|description|document|center|flushleft|flushright|"
    r"minipage|quote)\}(?:\{[^}]{0,40}\})?|\\(?:documentclass|usepackage|maketitle|newpage|clearpage|title|author|"
    r"date|hline|noindent|vspace|hspace|medskip|bigskip|smallskip|label)\b[^\n]{0,200})[ \t]*")


def _scaffold(text: str) -> bool:
    """A line of LaTeX scaffolding only (`\\begin{enumerate}`, `\\usepackage{…}`): every one has a backslash."""
    return len(text) <= 300 and "\\" in text and _LATEX_SCAFFOLD.fullmatch(text) is not None


def units_of(*, pieces: tuple[Piece, ...]) -> list[Unit]:
    """Pieces joined into statements: a `$$ … $$` or `\\begin … \\end` block spanning lines is one unit."""
    pieces = tuple(p for p in pieces if not _scaffold(p.text))
    units: list[Unit] = []
    i = 0
    while i < len(pieces):
        first = pieces[i]
        text = first.text
        j = i
        while j + 1 < len(pieces) and j - i < MAX_UNIT_LINES and (
                _open(text=text) or pieces[j + 1].text.lstrip().startswith(CR_SPLIT_STARTS)):
            j += 1
            nxt = pieces[j].text
            text += ("\\r" + nxt.lstrip()) if nxt.lstrip().startswith(CR_SPLIT_STARTS) else ("\n" + nxt)
        if text.strip():
            units.append(record(Unit, line_start=first.line, line_end=pieces[j].line, text=repair_ocr(text=text)))
        i = j + 1
    return units if len(units) <= MAX_UNITS else units[:1] + units[-(MAX_UNITS - 1):]


def _open(*, text: str) -> bool:
    head = text[:20_000]
    return head.count("$$") % 2 == 1 or head.count("\\begin{") > head.count("\\end{") \
        or head.count("\\[") > head.count("\\]")


def quote_of(*, unit: Unit) -> str:
    return unit.text.strip()[:MAX_CANDIDATE_CHARS]
