"""Recognise problem headings and part labels at the start of a line (or inline), in several scripts.

All patterns are anchored or bounded (no nested quantifiers), so matching is linear in the line length.
Lines are matched after `fold_digits`, which keeps offsets (one character per digit).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from grader.reading.digits import fold_digits

Scheme = Literal["latin", "roman", "cyrillic", "persian", "number", "other"]

CYRILLIC_ORDER = "абвгдежзиклмнопрстуфхцчшщэюя"  # no ё, й: homework skips them
PERSIAN_ORDER = ("الف", "ب", "پ", "ت", "ث", "ج", "چ", "ح", "خ", "د", "ذ", "ر", "ز", "ژ", "س", "ش")
ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8, "ix": 9, "x": 10,
         "xi": 11, "xii": 12, "xiii": 13, "xiv": 14}
_KEYWORDS = (
    r"problem|task|question|exercise|exercice|ejercicio|pregunta|aufgabe|frage|übung|"
    r"задача|задание|вопрос|упражнение|مس[ئأا]?ل[هہةۀ]|سو[ءؤ]?ال|سؤال|تمرین"
)
_PREFIX = r"[ \t>]*(?:[-*+][ \t]+)?(?P<hash>#{1,6}[ \t]*)?(?:[*_]{1,3}[ \t]*)?(?:\$\$?[ \t]*|\\\[[ \t]*)?"
_NUM = r"(?P<num>\d{1,3})"
_END = r"[ \t]*(?:[*_]{1,3})?[ \t]*(?:[.):：\-–—][ \t]*)?(?:[*_]{1,3}[ \t]*)?"

_KEYWORD_HEADING = re.compile(
    _PREFIX + rf"(?:{_KEYWORDS})[ \t]*(?:no\.?|№|#|nr\.?)?[ \t]*{_NUM}(?![\d.,]\d)(?:[ \t]*(?P<after>[a-z])\b)?" + _END,
    re.IGNORECASE,
)
_Q_HEADING = re.compile(_PREFIX + rf"q\.?[ \t]*{_NUM}(?![\d.,]\d)(?P<after>[a-z])?\b" + _END, re.IGNORECASE)
_NUMBER_HEADING = re.compile(
    _PREFIX + rf"{_NUM}(?P<style>[.)]|(?=[ \t]*\()|(?=[ \t]*$)|(?=[ \t]+(?:{_KEYWORDS})\b))(?!\d)[ \t]*"
    + rf"(?:(?:{_KEYWORDS})\b[ \t]*(?:[.:：\-–—][ \t]*)?)?(?:[*_]{{1,3}}[ \t]*)?",
    re.IGNORECASE,
)
_FULL_ID = re.compile(
    _PREFIX + r"(?:(?:part|teil|часть|problem|task|question|aufgabe|задача|q)[ \t.]*)?\(?(?P<num>\d{1,3})(?P<lab>[a-z])(?:\)[ \t]*[.:]?|[.:](?!\d)|[ \t]*[-–—][ \t]|(?=[ \t]*(?:\*|$)))"
    + r"[ \t]*(?:[*_]{1,3}[ \t]*)?",
    re.IGNORECASE,
)
_START_LABEL = re.compile(
    r"[ \t>]*(?:[-*+][ \t]+)?(?:#{1,6}[ \t]*)?(?:[*_]{1,3}[ \t]*)?(?:\$\$?[ \t]*|\\\[[ \t]*)?(?:\\textbf\{)?"
    r"(?:\((?P<p>[^\W\d_]{1,4}|\d{1,2})\)|(?P<b>[^\W\d_]{1,4}|\d{1,2})(?:\)|\.(?=[ \t]|$)|[ \t]*[-–](?=[ \t])))"
    r"\}?[ \t]*(?:[*_]{1,3}[ \t]*)?(?:[:.][ \t]*)?"
)
_INLINE_LABEL = re.compile(r"(?<=[ \t,;.])\((?P<p>[a-zа-я])\)(?=[ \t]|$)")


@dataclass(frozen=True)
class Heading:
    number: int
    kind: Literal["keyword", "markdown", "number"]
    style: str
    rest: int  # column where the heading's own text ends


@dataclass(frozen=True)
class Label:
    scheme: Scheme
    key: str  # the letter/numeral as written (lower case)
    start: int  # column where the label begins
    rest: int  # column after the label


@dataclass(frozen=True)
class FullId:
    problem: int
    label: str
    rest: int


_BIDI = {cp: " " for cp in (0x200E, 0x200F, 0x061C, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E,
                              0x2066, 0x2067, 0x2068, 0x2069, 0xFEFF)}


def label_view(*, line: str) -> str:
    """The line as labels are matched: ASCII digits, direction marks as spaces (same length, same columns)."""
    return fold_digits(text=line).translate(_BIDI)


def match_full_id(*, line: str) -> FullId | None:
    """`1a)`, `1a:`, `## 1a`, `(4n)`, `Part 2c.` — a complete part id at the start of `line`."""
    m = _FULL_ID.match(line)
    if m is None:
        return None
    return FullId(problem=int(m.group("num")), label=m.group("lab").lower(), rest=m.end())


def match_heading(*, line: str) -> Heading | None:
    """A problem heading at the start of `line`: keyword (`Problem 1`, `Задача 2`, `سوال ۳`), `Q1`, `## 1`, `1.`."""
    for pattern, kind in ((_KEYWORD_HEADING, "keyword"), (_Q_HEADING, "keyword")):
        m = pattern.match(line)
        if m is not None:
            rest = m.start("after") if m.group("after") else m.end()
            return Heading(number=int(m.group("num")), kind=kind, style="", rest=rest)
    m = _NUMBER_HEADING.match(line)
    if m is not None:
        kind = "markdown" if m.group("hash") else "number"
        return Heading(number=int(m.group("num")), kind=kind, style=m.group("style") or "", rest=m.end())
    return None


def match_start_label(*, line: str, start: int = 0) -> Label | None:
    """A part label at column `start`: `(a)`, `a)`, `a.`, `б)`, `الف)`, `ii)`, `2)`, `(α)`."""
    m = _START_LABEL.match(line, start)
    if m is None:
        return None
    raw = m.group("p") or m.group("b")
    group = "p" if m.group("p") else "b"
    scheme = classify(key=raw.lower())
    if scheme is None:
        return None
    after = line[m.start(group) + len(raw):m.start(group) + len(raw) + 3]
    if group == "b" and scheme == "number" and not after.startswith(")"):
        return None  # '2.' starts a numbered heading or a sentence, not a part
    if group == "b" and scheme != "persian" and not after.startswith((")", ".")):
        return None  # 'a - b = 1' is algebra; only Persian labels are written 'الف -'
    return Label(scheme=scheme, key=raw.lower(), start=m.start(group) - (1 if group == "p" else 0), rest=m.end())


def inline_labels(*, line: str, start: int) -> list[Label]:
    """Parenthesised labels after column `start`: `(a) 5 (b) 7` has `(b)` inline."""
    found = []
    for m in _INLINE_LABEL.finditer(line, start):
        key = m.group("p").lower()
        scheme = classify(key=key)
        if scheme is not None:
            found.append(Label(scheme=scheme, key=key, start=m.start(), rest=_skip_space(line=line, col=m.end())))
    return found


def classify(*, key: str) -> Scheme | None:
    if key.isdigit():
        return "number"
    if key in ROMAN and len(key) > 1:
        return "roman"
    if len(key) == 1 and "a" <= key <= "z":
        return "latin"
    if len(key) == 1 and key in CYRILLIC_ORDER:
        return "cyrillic"
    if key in PERSIAN_ORDER:
        return "persian"
    if len(key) == 1 and key.isalpha():
        return "other"
    return None


def label_index(*, scheme: Scheme, key: str) -> int | None:
    """0-based position of a label in its own alphabet/numbering (None for 'other')."""
    if scheme == "latin":
        return ord(key) - ord("a")
    if scheme == "roman":
        return ROMAN[key] - 1 if key in ROMAN else None
    if scheme == "cyrillic":
        return CYRILLIC_ORDER.index(key)
    if scheme == "persian":
        return PERSIAN_ORDER.index(key)
    if scheme == "number":
        return int(key) - 1 if int(key) >= 1 else None
    return None


def _skip_space(*, line: str, col: int) -> int:
    while col < len(line) and line[col] in " \t":
        col += 1
    return col
