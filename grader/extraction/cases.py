"""Two-case answers written on two lines/statements (`i = j` … / `i ≠ j` …) joined into one `cases` candidate."""

from __future__ import annotations

import re

from grader.extraction.mathtext import last_equals_rhs, strip_prose, unwrap_math

_NEQ = r"(?:\\neq|\\ne(?![a-z])|≠|!=|=/=|\\not\s*=)"
_IDX = r"(?P<a>[ijkmy])\s*"
_EQUAL_CASE = re.compile(
    r"[,;(\[]?\s*(?:\\text\{\s*)?(?:if|for|when|falls|если|при|wenn|für|اگر)?\s*(?:\}\s*)?"
    r"\(?\s*(?P<x>[ijky])\s*=\s*(?P<y>[ijky])\s*\)?(?![\w=])"
)
_UNEQUAL_CASE = re.compile(
    r"[,;(\[]?\s*(?:\\text\{\s*)?(?:if|for|when|falls|если|при|wenn|für|اگر)?\s*(?:\}\s*)?"
    r"\(?\s*(?P<x>[ijky])\s*" + _NEQ + r"\s*(?P<y>[ijky])\s*\)?"
)
_MARK = re.compile(r"(?i)(?:answer|ans\b|ответ|antwort|پاسخ|جواب|⇒|\\Rightarrow|\\implies)")
MAX_CASE_CHARS = 800


def join_cases(*, lines, make) -> list:
    """A `\\begin{cases} A & i = j \\\\ B & i \\neq j \\end{cases}` candidate when the block has both cases."""
    equal = unequal = None
    for line in reversed(lines):
        text = line.text[-4000:]
        if unequal is None:
            m = _last(pattern=_UNEQUAL_CASE, text=text)
            if m is not None:
                value = _case_value(text=text, cut=m)
                if value:
                    unequal = (line, value, m.group("x"), m.group("y"))
                    continue
        if equal is None:
            m = _last(pattern=_EQUAL_CASE, text=text)
            if m is not None and not _UNEQUAL_CASE.search(text):
                value = _case_value(text=text, cut=m)
                if value:
                    equal = (line, value, m.group("x"), m.group("y"))
        if equal is not None and unequal is not None:
            break
    if equal is None or unequal is None or equal[0].number == unequal[0].number and equal[1] == unequal[1]:
        return []
    first, last = sorted((equal[0], unequal[0]), key=lambda l: l.number)
    text = (
        f"\\begin{{cases}} {equal[1]} & {equal[2]} = {equal[3]} \\\\ "
        f"{unequal[1]} & {unequal[2]} \\neq {unequal[3]} \\end{{cases}}"
    )
    both_marked = bool(_MARK.search(equal[0].text)) and bool(_MARK.search(unequal[0].text))
    source = "marker" if both_marked else "last_rhs"
    quote_lines = [l for l in lines if first.number <= l.number <= last.number][:20]
    return [make(text=text, first=first, last=last, quote_lines=quote_lines, source=source, bonus=0.03)]


def _last(*, pattern: re.Pattern, text: str):
    last = None
    for m in pattern.finditer(text):
        last = m
    return last


def _case_value(*, text: str, cut) -> str | None:
    """The value stated on a case line, with the condition removed."""
    without = (text[:cut.start()] + " " + text[cut.end():]).strip()
    without = re.sub(r"\\text\{\s*(?:if|for|when|otherwise)?\s*\}", " ", without)
    rhs = last_equals_rhs(text=without)
    if rhs is None:
        return None
    value = unwrap_math(text=strip_prose(text=rhs))
    value = value.strip(" ,;()")
    if not value or len(value) > MAX_CASE_CHARS:
        return None
    return value
