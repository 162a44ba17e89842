"""Two-case answers written on two lines/statements (`i = j` … / `i ≠ j` …) joined into one `cases` candidate."""

from __future__ import annotations

import re

from grader.extraction.mathtext import last_equals_rhs, math_rhs, strip_prose, unwrap_math

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
    """A `\\begin{cases} A & i = j \\\\ B & i \\neq j \\end{cases}` candidate when the block has both cases.

    A case's value is on its condition's line (`= A, i = j`) or, for a condition standing alone
    (`for i \\neq j:`), on the next line.
    """
    window = list(lines)[-60:]
    found: dict[str, tuple] = {}
    pending: tuple | None = None
    for line in window:
        text = line.text[-4000:]
        kind, match = _condition(text=text)
        if kind is None:
            if pending is not None:
                value = _plain_value(text=text)
                if value:
                    found[pending[0]] = (pending[1], line, value, pending[2], pending[3])
                    pending = None
            continue
        value = _case_value(text=text, cut=match)
        if value:
            found[kind] = (line, line, value, match.group("x"), match.group("y"))
            pending = None
        else:
            pending = (kind, line, match.group("x"), match.group("y"))
    if "equal" not in found or "unequal" not in found:
        return []
    equal, unequal = found["equal"], found["unequal"]
    if equal[2] == unequal[2]:
        return []
    first = min(equal[0], unequal[0], key=lambda l: l.number)
    last = max(equal[1], unequal[1], key=lambda l: l.number)
    text = (
        f"\\begin{{cases}} {equal[2]} & {equal[3]} = {equal[4]} \\\\ "
        f"{unequal[2]} & {unequal[3]} \\neq {unequal[4]} \\end{{cases}}"
    )
    both_marked = all(_MARK.search(part.text) for part in (equal[0], equal[1], unequal[0], unequal[1])
                      if part is equal[1] or part is unequal[1])
    source = "marker" if both_marked else "last_rhs"
    quote_lines = [l for l in window if first.number <= l.number <= last.number][:20]
    return [make(text=text, first=first, last=last, quote_lines=quote_lines, source=source, bonus=0.03)]


def _condition(*, text: str):
    m = _last(pattern=_UNEQUAL_CASE, text=text)
    if m is not None:
        return "unequal", m
    m = _last(pattern=_EQUAL_CASE, text=text)
    if m is not None:
        return "equal", m
    return None, None


def _plain_value(*, text: str) -> str | None:
    rhs = math_rhs(text=text)
    if rhs is None:
        return None
    value = _balance(text=unwrap_math(text=strip_prose(text=rhs)).strip(" ,;"))
    return value if value and len(value) <= MAX_CASE_CHARS else None


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
    value = _balance(text=unwrap_math(text=strip_prose(text=rhs)).strip(" ,;"))
    if not value or len(value) > MAX_CASE_CHARS:
        return None
    return value


def _balance(*, text: str) -> str:
    """Drop a condition's leftover '(' or ')' at the ends: `A (` / `) A` -> `A`; balanced parentheses stay."""
    for _ in range(4):
        opened, closed = text.count("("), text.count(")")
        if closed > opened and text.endswith(")"):
            text = text[:-1].rstrip(" ,;")
        elif opened > closed and text.endswith("("):
            text = text[:-1].rstrip(" ,;")
        elif opened > closed and text.startswith("("):
            text = text[1:].lstrip(" ,;")
        elif closed > opened and text.startswith(")"):
            text = text[1:].lstrip(" ,;")
        else:
            break
    return text
