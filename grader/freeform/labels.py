"""Recognise problem headers and part labels at the start of a line (any language)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from grader.text.characters import fold_lookalikes, label_characters

CYRILLIC = "абвгдежзиклмнопрстуфхцчшщэюя"
PERSIAN = ("الف", "ب", "پ", "ت", "ث", "ج", "چ", "ح", "خ", "د", "ذ", "ر", "ز", "ژ", "س", "ش", "ص", "ض", "ط",
           "ظ", "ع", "غ", "ف", "ق", "ک", "گ", "ل", "م", "ن", "و", "ه", "ی")
ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8, "ix": 9, "x": 10,
         "xi": 11, "xii": 12, "xiii": 13, "xiv": 14}
GREEK = "αβγδεζηθικλμνξοπρστυφχψω"
#: the abjad order of Arabic-script letter labels (a, b, c, d, e, …: الف ب ج د ه …), the other order students use
ABJAD = ("الف", "ب", "ج", "د", "ه", "و", "ز", "ح", "ط", "ی", "ک", "ل", "م", "ن")

_WORDS = (r"problem|task|exercise|question|задача|задание|упражнение|вопрос|aufgabe|übung|frage|exercice"
          r"|ejercicio|problema|مسئله|مساله|مسأله|سوال|سؤال|تمرین|پرسش")
_PREFIX = r"[ \t>*_#\-•]*"
_KEYWORD = re.compile(rf"{_PREFIX}(?:(?:{_WORDS})\.?|Q\.?)[ \t]*(?:№|#|no\.)?[ \t]*(\d{{1,3}})(?![\d,])\.?",
                      re.IGNORECASE)
_NUM_KEYWORD = re.compile(rf"{_PREFIX}(\d{{1,3}})[ \t]*[.)]?[ \t]*(?:{_WORDS})\b\.?", re.IGNORECASE)
_HEADING = re.compile(r"[ \t]*#{1,6}[ \t]*\**[ \t]*(\d{1,3})(?![\d,])[ \t]*\.?")
_BOLD = re.compile(r"[ \t]*\*\*[ \t]*(\d{1,3})[ \t]*[.)]?[ \t]*\*\*")
_BARE = re.compile(r"[ \t>*_\-]*(\d{1,2})(?:[ \t]*([.)])(?![\d,])|(?=[ \t]*\(?[a-zA-Z][ \t]*[):.])|[ \t]*$)")

_LABEL_BODY = (r"(?P<persian>الف|[بپتثجچحخدذرزژسشصضطظعغفقکگلمنوهی])(?![^\W\d_])"
               r"|(?P<roman>(?:ii|iii|iv|vi|vii|viii|ix|xi|xii|xiii|xiv))(?![^\W\d_])"
               r"|(?P<latin>[a-zA-Z])(?![^\W\d_])"
               r"|(?P<cyr>[а-яА-Я])(?![^\W\d_])"
               r"|(?P<greek>[α-ω])(?![^\W\d_])"
               r"|(?P<number>\d{1,2})(?!\d)")
_PART_PAREN = re.compile(rf"[ \t>*_#\-$]*\([ \t]*(?:{_LABEL_BODY})[ \t]*\)(?:\.(?=\s|$))?\**[\]}}]?")
_PART_CLOSE = re.compile(rf"(?P<pre>[ \t>*_#\-$]*)(?:{_LABEL_BODY})[ \t]*(?P<term>\.?\)|\.(?=\s|$)|:(?=\s|$)|-(?=\s))"
                         rf"\**[\]}}]?")
_PART_WORD = re.compile(rf"[ \t>*_#\-$]*(?:part|teil|часть|пункт|بخش|قسمت)[ \t]*\(?[ \t]*(?:{_LABEL_BODY})[ \t]*\)?"
                        rf"[ \t]*[:.)]?\**[\]}}]?", re.IGNORECASE)
_LATEX_PREFIX = re.compile(r"[ \t]*\\(?:(?:sub)*section|paragraph|textbf|item)\*?[ \t]*[\[{]?")
_PART_TYPED = re.compile(r"(?:[a-zA-Z])(?=[ \t]*(?:[):.]|\*\*|$))")
_INLINE = re.compile(r"(?<=\s)(?:\([ \t]*([a-zA-Z]|[а-яА-Я]|الف|[بپتثجچحخد])[ \t]*\)|([a-zA-Z]|[а-яА-Я]|الف|[بپتثجچحخد])\))(?=\s)")

ProblemStrength = Literal["keyword", "heading", "bare"]
LabelKind = Literal["latin", "roman", "cyrillic", "persian", "greek", "number"]


@dataclass(frozen=True)
class RawLabel:
    kind: LabelKind
    value: str
    end: int  # column where the text after the label starts
    #: written `b - …`: a dash after a letter is also a minus (`p - y`), so such a label counts only where
    #: the problem's sequence of parts allows it (grader.freeform.segment)
    dash: bool = False


@dataclass(frozen=True)
class LineLabels:
    problem: int | None = None
    strength: ProblemStrength | None = None
    problem_end: int = 0
    part: RawLabel | None = None  # label right after the problem header, or at line start
    bare_number: RawLabel | None = None  # a bare `N.`/`N)` read as a part/step label instead


def parse_line(*, line: str, lookalikes: bool = False) -> LineLabels:
    """Labels at the start of one line, read through grader.text.characters.label_characters (Persian and
    full-width digits count, zero-width characters are spaces). ``lookalikes``: a Cyrillic look-alike letter
    standing alone is read as the Latin one (`2с)` is `2c)`), for files whose labels are Latin."""
    text = label_characters(text=line[:400])
    if lookalikes:
        text = fold_lookalikes(text=text)
    latex = _LATEX_PREFIX.match(text)
    if latex:
        text = " " * latex.end() + text[latex.end():]
    labelled: tuple[tuple[re.Pattern[str], ProblemStrength], ...] = (
        (_KEYWORD, "keyword"), (_NUM_KEYWORD, "keyword"), (_HEADING, "heading"), (_BOLD, "heading"))
    for pattern, strength in labelled:
        match = pattern.match(text)
        if match:
            end = match.end()
            return LineLabels(problem=int(match.group(1)), strength=strength, problem_end=end,
                              part=_part_after(text=text, pos=end, typed=True))
    match = _BARE.match(text)
    if match:
        end = match.end()
        number = RawLabel(kind="number", value=match.group(1), end=end)
        return LineLabels(problem=int(match.group(1)), strength="bare", problem_end=end,
                          part=_part_after(text=text, pos=end, typed=True), bare_number=number)
    return LineLabels(part=_part_after(text=text, pos=0, typed=False))


def _part_after(*, text: str, pos: int, typed: bool) -> RawLabel | None:
    for pattern in (_PART_WORD, _PART_PAREN, _PART_CLOSE):
        match = pattern.match(text, pos)
        if match:
            if pattern is _PART_CLOSE and "$" in match.group("pre") and match.group("term")[-1] != ")":
                return None  # `$p - y$`, `$x: …$`: a letter inside inline math is math, not a label
            return _raw(match=match)
    if typed and pos > 0:
        match = _PART_TYPED.match(text, pos)
        if match:
            end = match.end()
            rest = re.match(r"[ \t]*[):.]?\**", text[end:end + 8])
            return RawLabel(kind="latin", value=match.group(0).lower(), end=end + (rest.end() if rest else 0))
    return None


def _raw(*, match: re.Match[str]) -> RawLabel:
    for kind, group in (("persian", "persian"), ("roman", "roman"), ("latin", "latin"), ("cyrillic", "cyr"),
                        ("greek", "greek"), ("number", "number")):
        value = match.group(group)
        if value:
            dash = "term" in match.re.groupindex and match.group("term") == "-"
            return RawLabel(kind=kind, value=value.lower(), end=match.end(), dash=dash)  # type: ignore[arg-type]
    raise AssertionError("label pattern matched without a group")


def inline_labels(*, text: str, start: int) -> list[tuple[int, int, str]]:
    """`(b)` style labels inside a line after `start`: (label start, label end, value)."""
    if len(text) > 20_000:
        return []
    found = []
    for match in _INLINE.finditer(text, start):
        if text.count("$", 0, match.start()) % 2:
            continue  # inside inline math: `(x)` there is not a label
        found.append((match.start(), match.end(), (match.group(1) or match.group(2)).lower()))
    return found


def label_index(*, raw: RawLabel | str, kind: LabelKind | None = None, abjad: bool = False) -> int | None:
    """1-based position of a label in its alphabet/numbering, or None when unknown.

    ``abjad``: Arabic-script letters count in the abjad order (الف ب ج د ه) instead of the Persian
    alphabet (الف ب پ ت ث); the segmenter decides per file from the letters it uses."""
    value = raw.value if isinstance(raw, RawLabel) else raw
    kind = raw.kind if isinstance(raw, RawLabel) else kind
    if kind == "latin":
        return ord(value) - ord("a") + 1 if "a" <= value <= "z" else None
    if kind == "roman":
        return ROMAN.get(value)
    if kind == "cyrillic":
        return CYRILLIC.index(value) + 1 if value in CYRILLIC else None
    if kind == "persian":
        order = ABJAD if abjad else PERSIAN
        return order.index(value) + 1 if value in order else None
    if kind == "greek":
        return GREEK.index(value) + 1 if value in GREEK else None
    if kind == "number":
        return int(value) if value.isdigit() else None
    return None
