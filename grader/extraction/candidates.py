"""Find answer candidates in one part's text, strongest first.

Sources, strongest first: structured (`1a) answer` on its own), marker (`Answer:`, `Ответ:`, `پاسخ`…),
boxed (`\\boxed{…}`), arrow (RHS of the last `⇒`/`\\Rightarrow`/`→`), last_rhs (RHS of the last `=`),
last_value (the last value-looking line) and block (the whole text, for free-text answers).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from grader.extraction.cases import join_cases
from grader.extraction.mathtext import (
    MAX_CANDIDATE_CHARS, balanced_group, has_prose, last_equals_rhs, math_rhs, repair_ocr, strip_prose, top_level_positions, unwrap_math,
)
from grader.reading.digits import fold_digits

Source = Literal["structured", "marker", "boxed", "arrow", "last_rhs", "last_value", "block"]
STRENGTH: dict[str, float] = {
    "structured": 1.0, "marker": 0.9, "boxed": 0.85, "arrow": 0.7, "last_rhs": 0.6, "last_value": 0.4, "block": 0.1,
}
MAX_CANDIDATES = 8
MAX_MARKERS = 6
MARKER_FOLLOW_LINES = 6
ANALYSED_TAIL = 4000  # candidates are looked for in the last characters of a very long line

MARKER = re.compile(
    r"(?<![^\W_])(?:final\s+answer|answer|ans\.?|ответ|итого|итог|antwort|réponse|reponse|respuesta|پاسخ|جواب|答案)"
    r"(?![^\W_])[ \t]*(?:[*_]{1,3})?[ \t]*[:：=\-–—]?[ \t]*(?:[*_]{1,3})?[ \t]*",
    re.IGNORECASE,
)
ARROWS = ("\\Longrightarrow", "->", "\\longrightarrow", "\\Rightarrow", "\\rightarrow", "\\implies", "\\to", "⇒", "→", "⟹", "=>")


@dataclass(frozen=True)
class Candidate:
    text: str
    line_start: int
    line_end: int
    quote: str
    source: Source
    strength: float


@dataclass(frozen=True)
class BlockLine:
    number: int  # 1-based line number in the document
    text: str  # the part's share of that line


def find_candidates(*, lines: tuple[BlockLine, ...], typed: bool = False) -> tuple[Candidate, ...]:
    """All candidates of one part's block, strongest first, deduplicated, at most MAX_CANDIDATES."""
    lines = tuple(BlockLine(number=l.number, text=repair_ocr(text=l.text)) for l in lines)
    filled = [l for l in lines if l.text.strip()]
    if not filled:
        return ()
    found: list[Candidate] = []
    if typed and len(filled) == 1 and lines and lines[0].text.strip():
        found.extend(_structured(line=filled[0]))
    found.extend(_markers(lines=lines))
    found.extend(_boxed(lines=filled))
    found.extend(join_cases(lines=filled, make=_make))
    arrow = _arrow(lines=filled)
    if arrow is not None:
        found.append(arrow)
    rhs = _last_rhs(lines=filled)
    if rhs is not None:
        found.append(rhs)
    value = _last_value(lines=filled)
    if value is not None:
        found.append(value)
    found.append(_block(lines=filled))
    return _rank(found=found)


def _make(*, text: str, first: BlockLine, last: BlockLine, quote_lines, source: Source, bonus: float = 0.0) -> Candidate:
    text = fold_digits(text=text.strip())
    if len(text) > MAX_CANDIDATE_CHARS:
        text = text[:MAX_CANDIDATE_CHARS]
    quote = "\n".join(l.text.strip() for l in quote_lines)
    if len(quote) > MAX_CANDIDATE_CHARS:
        quote = quote[:MAX_CANDIDATE_CHARS]
    return Candidate(
        text=text, line_start=first.number, line_end=last.number, quote=quote, source=source,
        strength=round(min(1.0, STRENGTH[source] + bonus), 4),
    )


def _structured(*, line: BlockLine) -> list[Candidate]:
    text = unwrap_math(text=line.text)
    marker = MARKER.match(text)
    if marker is not None:
        text = text[marker.end():]
    if not text:
        return []
    return [_make(text=text, first=line, last=line, quote_lines=[line], source="structured")]


def _markers(*, lines: tuple[BlockLine, ...]) -> list[Candidate]:
    found: list[Candidate] = []
    for index in range(len(lines) - 1, -1, -1):
        line = lines[index]
        text = line.text[-ANALYSED_TAIL:] if len(line.text) > ANALYSED_TAIL else line.text
        last = None
        for match in MARKER.finditer(text):
            last = match
        if last is None:
            continue
        rest = text[last.end():]
        span = [line]
        if not rest.strip(" \t*_$"):
            follow = []
            for nxt in lines[index + 1:index + 1 + MARKER_FOLLOW_LINES]:
                if not nxt.text.strip():
                    if follow:
                        break
                    continue
                if MARKER.search(nxt.text[:200]):
                    break
                follow.append(nxt)
            if not follow:
                continue
            span += follow
            rest = " ".join(l.text.strip() for l in follow)
        value = _value_of(text=rest)
        if not value:
            continue
        bonus = 0.02 if not found else 0.0  # the last marked answer first
        found.append(_make(text=value, first=span[0], last=span[-1], quote_lines=span, source="marker", bonus=bonus))
        if value != unwrap_math(text=rest) and _has_prose(text=rest):
            found.append(_make(text=unwrap_math(text=rest), first=span[0], last=span[-1], quote_lines=span,
                               source="marker", bonus=-0.05))
        if len(found) >= MAX_MARKERS:
            break
    return found


def _value_of(*, text: str) -> str:
    """The answer in a marked sentence: the math, or the RHS of its last '=' when it is an equation."""
    value = strip_prose(text=text)
    rhs = last_equals_rhs(text=value)
    if rhs is not None and "\\begin{cases}" not in value:
        return unwrap_math(text=rhs)
    return value


def _has_prose(*, text: str) -> bool:
    return bool(re.search(r"[^\W\d_]{3,}", re.sub(r"\\[A-Za-z]+", " ", text)))


def _boxed(*, lines: list[BlockLine]) -> list[Candidate]:
    found: list[Candidate] = []
    for line in reversed(lines):
        start = 0
        text = line.text[-ANALYSED_TAIL:]
        hits = []
        while len(hits) < 4:
            at = text.find("\\boxed", start)
            if at < 0:
                break
            brace = at + len("\\boxed")
            while brace < len(text) and text[brace] == " ":
                brace += 1
            group = balanced_group(text=text, open_at=brace) if brace < len(text) and text[brace] == "{" else None
            if group is None:
                start = at + 1
                continue
            hits.append(group[0])
            start = group[1]
        for content in reversed(hits):
            value = unwrap_math(text=content)
            if value:
                found.append(_make(text=value, first=line, last=line, quote_lines=[line], source="boxed"))
        if len(found) >= MAX_MARKERS:
            break
    return found


def _arrow(*, lines: list[BlockLine]) -> Candidate | None:
    for line in reversed(lines):
        text = line.text[-ANALYSED_TAIL:]
        positions = top_level_positions(text=text, needles=ARROWS)
        if not positions:
            continue
        bounds = [end for _, end in positions]
        starts = [start for start, _ in positions] + [len(text)]
        for k in range(len(positions) - 1, -1, -1):
            piece = text[bounds[k]:starts[k + 1]]
            value = _value_of(text=piece)
            if value:
                return _make(text=value, first=line, last=line, quote_lines=[line], source="arrow")
    return None


def _last_rhs(*, lines: list[BlockLine]) -> Candidate | None:
    for line in reversed(lines):
        text = line.text[-ANALYSED_TAIL:]
        rhs = math_rhs(text=text)
        if rhs is None:
            continue
        value = strip_prose(text=rhs)
        if value:
            return _make(text=value, first=line, last=line, quote_lines=[line], source="last_rhs")
    return None


def _last_value(*, lines: list[BlockLine]) -> Candidate | None:
    for line in reversed(lines[-12:]):
        text = line.text[-ANALYSED_TAIL:]
        folded = fold_digits(text=text)
        if not any(ch.isdigit() or ch in "\\^_=()[]{}+-*/×·" for ch in folded):
            continue
        value = strip_prose(text=text)
        if value and any(ch.isalnum() for ch in value) and not has_prose(text=value):
            return _make(text=value, first=line, last=line, quote_lines=[line], source="last_value")
    return None


def _block(*, lines: list[BlockLine]) -> Candidate:
    text = "\n".join(l.text.strip() for l in lines)
    return _make(text=text, first=lines[0], last=lines[-1], quote_lines=lines, source="block")


def _rank(*, found: list[Candidate]) -> tuple[Candidate, ...]:
    best: dict[str, Candidate] = {}
    order: list[str] = []
    for candidate in found:
        key = fold_digits(text=candidate.text)
        if not key:
            continue
        if key not in best:
            order.append(key)
            best[key] = candidate
        elif candidate.strength > best[key].strength:
            best[key] = candidate
    ranked = sorted((best[key] for key in order), key=lambda c: -c.strength)
    return tuple(ranked[:MAX_CANDIDATES])
