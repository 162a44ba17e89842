"""Where values of one answer type sit inside a longer line of free text.

A free-form reader cuts a part's text into candidates by layout (the last math run, the right-hand
side of the last ``=``); a cut can land inside a value (``46 mal 62 mal 20`` gives ``20``,
``(32 , 50 , 300)`` gives ``300)``).  An answer type that knows what its values look like lists the
substrings of a line it could read as one whole value, so the grader can prefer the whole value
over the fragment (:func:`grader.grading.candidate_reading.first_readable`).

Every scan is one regular-expression pass over a bounded prefix; at most ``MAX_SPANS`` spans.
"""

from __future__ import annotations

import re

from grader.answers.mathtext import clean_math_text

MAX_SPAN_SCAN = 4000
MAX_SPANS = 12

_DIM = r"\d{1,9}"
_WORD_SEP = r"(?:\s{0,3}(?:×|\*|(?<=\d)\s{0,3}[xXхХ](?=\s{0,3}\d))\s{0,3}|\s{1,3}(?:by|на|mal|par)\s{1,3})"
#: `46 на 62 на 20`, `26 x 36 x 16`, `46 × 62 × 20`, `(32 , 50 , 300)`, `[26, 26, 10]`
_SHAPE = re.compile(
    rf"[(\[]\s{{0,3}}{_DIM}(?:\s{{0,3}}[,;×]\s{{0,3}}{_DIM}){{1,7}}\s{{0,3}}[)\]]"
    rf"|(?<![\w.,]){_DIM}(?:{_WORD_SEP}{_DIM}){{1,7}}(?![\w.,]?\d)")
#: a flat bracketed list with two or more entries, optionally written transposed
_LIST = re.compile(r"[(\[]([^()\[\]\n]{1,400}[,;][^()\[\]\n]{0,400})[)\]]"
                   r"(?:\s{0,3}(?:\^\s{0,3}(?:\{\s{0,3}(?:T|\\top)\s{0,3}\}|T|\\top)|ᵀ))?")
_NESTED = re.compile(r"\[\s{0,3}(?:\[[^\[\]\n]{1,400}\]\s{0,3},?\s{0,3}){2,40}\]")
_ENV = re.compile(r"\\begin\{([a-zA-Z]{0,12}matrix)\}.{1,4000}?\\end\{\1\}", re.S)
#: one number literal: not a subscript, exponent or part of a word (`x_1`, `2^{10}`, `conv2`)
_THOUSANDS_SPACE = re.compile(r"(?<![\d.,])(\d{1,3}(?: \d{3})+)(?![\d.,])")
_GROUP = re.compile(r"[(\[{][^()\[\]{}\n]{0,400}[)\]}]")


_NUM = r"(?<![\w.,^_{])\d{1,12}(?:[.,]\d{1,12}){0,4}(?![\w^_]|[.,]?\d|\s{0,3}[\^_])"
#: a number or an arithmetic chain of numbers (`5 * 5 * 8 * 16 + 16`), up to a `=`, a word or a separator
_CHAIN = re.compile(rf"[-+]?{_NUM}(?:\s{{0,3}}[-+*/×]\s{{0,3}}{_NUM}){{0,40}}")
_OPERATOR = set("+-*/×^·")


def _cleaned(text: str) -> str:
    """Cleaned like an answer, but an em dash stays a break (`(128, 112, 112, 3) — 8 clips`), not a minus."""
    return clean_math_text(text[:MAX_SPAN_SCAN].replace("—", " | "))


def _standalone(text: str, start: int, end: int) -> bool:
    """Not an operand of a larger expression (no operator or coefficient right before or after) nor the
    left-hand side of a ``=``."""
    before = text[max(0, start - 8):start].rstrip(" \t([{")
    after = text[end:end + 8].lstrip(" \t)]}")
    return not (before[-1:] in _OPERATOR or before[-1:].isdigit() or after[:1] in _OPERATOR or after[:1] == "=")


def _stated(text: str, start: int) -> bool:
    """Stated on its own, not the result of a derivation (`5·5·8 = 200`)."""
    return text[max(0, start - 8):start].rstrip(" \t([{")[-1:] not in ("=", "≈")


def _pick(text: str, matches: list[re.Match[str]], standalone: bool, stated: bool = False) -> list[str]:
    return [m.group(0).strip().rstrip(".,") for m in matches
            if (not standalone or _standalone(text, m.start(), m.end())) and (not stated or _stated(text, m.start()))
            ][:MAX_SPANS]


def shape_spans(text: str, *, standalone: bool = False, stated: bool = False) -> list[str]:
    cleaned = _cleaned(text)
    return _pick(cleaned, list(_SHAPE.finditer(cleaned))[:MAX_SPANS * 4], standalone, stated)


def array_spans(text: str, *, standalone: bool = False, stated: bool = False) -> list[str]:
    cleaned = _cleaned(text)
    found: list[re.Match[str]] = []
    for pattern in (_ENV, _NESTED, _LIST):
        for match in pattern.finditer(cleaned):
            if not any(m.start() <= match.start() < m.end() for m in found):
                found.append(match)
            if len(found) >= MAX_SPANS * 4:
                break
    return _pick(cleaned, sorted(found, key=lambda m: m.start()), standalone, stated)


def scalar_spans(text: str, *, standalone: bool = False, stated: bool = False) -> list[str]:
    """Numbers and arithmetic chains outside bracketed lists (``5, at pixel (1, 0)`` -> ``5``)."""
    cleaned = _THOUSANDS_SPACE.sub(lambda m: m.group(1).replace(" ", ""), _cleaned(text))
    blanked = _GROUP.sub(lambda m: " " * len(m.group(0)) if re.search(r"[,;]\s", m.group(0)) else m.group(0), cleaned)
    return _pick(blanked, list(_CHAIN.finditer(blanked))[:MAX_SPANS * 4], standalone, stated)
