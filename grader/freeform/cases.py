"""Answers given for two cases (`i = j` / `i \\neq j`) joined into one `cases` candidate."""

from __future__ import annotations

import re

from grader.freeform.evidence import MARKER, MAX_CANDIDATE_CHARS, STRENGTH, Source
from grader.submissions.inputs import Candidate
from grader.text.characters import fold_answer
from grader.text.math_in_prose import last_math
from grader.text.wrappers import after_arrow, clean_answer, rhs, strip_wrappers
from grader.freeform.units import Unit, quote_of

LOOKBACK = 40
SAME = re.compile(r"(?<![\w\\])([ij])[ \t]*=[ \t]*([ij])(?!\w)")
DIFF = re.compile(r"(?<![\w\\])([ij])[ \t]*(?:\\neq|\\ne|≠|!=|=/=)[ \t]*([ij])(?!\w)")




def _may_have_case(text: str) -> bool:
    """Whether SAME or DIFF can match: each needs `=`, `≠` or `\\ne` (a quick test before the regexes)."""
    return "=" in text or "≠" in text or "\\ne" in text


def cases_candidate(*, units: list[Unit]) -> Candidate | None:
    same = diff = None
    for index, unit in enumerate(units):
        text = unit.text[:20_000]
        if not _may_have_case(text):
            continue
        if DIFF.search(text):
            diff = index
        elif SAME.search(text) and "\\delta" not in text:
            same = index
    if same is None or diff is None or same == diff:
        return _cases_on_one_line(units=units)
    values = []
    marked = []
    for index, pattern in ((same, SAME), (diff, DIFF)):
        unit = units[index]
        text = pattern.sub("", unit.text[:20_000], count=1)
        text = re.sub(r"\$[ \t]*\$", " ", text)
        has_marker = MARKER.search(text) is not None
        if has_marker:
            text = MARKER.split(text)[-1]
        value = _case_value(text=text)
        if not _substantive(value=value) and index + 1 < len(units):
            value = _case_value(text=units[index + 1].text)
        if not _substantive(value=value):
            return None
        values.append(value)
        marked.append(has_marker)
    first, last = units[min(same, diff)], units[max(same, diff)]
    text = f"\\begin{{cases}} {values[0]} & i = j \\\\ {values[1]} & i \\neq j \\end{{cases}}"
    source: Source = "marker" if all(marked) else "last_rhs"
    return Candidate(text=text[:MAX_CANDIDATE_CHARS], line_start=first.line_start, line_end=last.line_end,
                     quote=(first.text.strip() + "\n" + last.text.strip())[:MAX_CANDIDATE_CHARS], source=source,
                     strength=_cases_strength(source=source))


def _cases_on_one_line(*, units: list[Unit]) -> Candidate | None:
    """`A if i = j, B if i \\neq j` (or `i = j: A; i \\neq j: B`) within one statement."""
    for unit in reversed(units[-LOOKBACK:]):
        text = unit.text[:20_000]
        if "\\delta" in text or not _may_have_case(text):
            continue
        diff = DIFF.search(text)
        same = SAME.search(text)
        if diff is None or same is None:
            continue
        first, second = (same, diff) if same.start() < diff.start() else (diff, same)
        before = strip_wrappers(text=text[:first.start()])
        if "=" not in before and not any(ch.isdigit() for ch in before):
            pieces = (text[first.end():second.start()], text[second.end():])
        else:
            pieces = (text[:first.start()], text[first.end():second.start()])
        values = [_case_value(text=re.sub(r"\$[ \t]*\$", " ", piece)) for piece in pieces]
        if not all(values):
            return None
        if first is diff:
            values.reverse()
        has_marker = MARKER.search(text) is not None
        source: Source = "marker" if has_marker else "last_rhs"
        joined = f"\\begin{{cases}} {values[0]} & i = j \\\\ {values[1]} & i \\neq j \\end{{cases}}"
        return Candidate(text=fold_answer(text=joined)[:MAX_CANDIDATE_CHARS], line_start=unit.line_start,
                         line_end=unit.line_end, quote=quote_of(unit=unit), source=source,
                         strength=_cases_strength(source=source))
    return None


def _cases_strength(*, source: Source) -> float:
    """A joined two-case answer outranks any single arrow/last-`=` piece of it."""
    return STRENGTH["marker"] + 0.02 if source == "marker" else STRENGTH["arrow"] + 0.02


def _substantive(*, value: str) -> bool:
    """A case's value has a digit, operator, bracket or command; `For i = j:` after prose has none."""
    return any(ch.isdigit() or ch in "\\=^_([{+-*/" for ch in value)


def _case_value(*, text: str) -> str:
    if MARKER.search(text):
        text = MARKER.split(text)[-1]
    body = strip_wrappers(text=text)
    tail = after_arrow(text=body)
    if tail is not None and strip_wrappers(text=tail):
        body = strip_wrappers(text=tail)
    math = last_math(text=body)
    right = rhs(text=strip_wrappers(text=math))
    return clean_answer(text=right or math).strip(" ,;")
