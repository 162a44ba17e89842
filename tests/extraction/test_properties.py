"""Property and timing tests: extract_answers never raises, stays bounded, and is linear-ish."""

from __future__ import annotations

import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from grader.extraction import extract_answers
from grader.extraction.candidates import MAX_CANDIDATES
from grader.extraction.mathtext import MAX_CANDIDATE_CHARS
from grader.reading import Document
from tests.extraction.conftest import DL_BASICS
from grader.extraction import layout_from_part_ids

LAYOUT = layout_from_part_ids(part_ids=DL_BASICS)
PIECES = st.sampled_from([
    "1a) ", "## 2b\n", "Problem 3\n", "Задача 4\n", "سوال ۵\n", "(a) ", "b) ", "в) ", "الف) ", "i) ", "1) ",
    "Answer: ", "Ответ:", "پاسخ ", "\\boxed{", "}", "{", "$$", "$", "=", " = ", "\\Rightarrow ", "→", "i = j",
    "i \\neq j", "\\frac{1}{2}", "(46, 62, 20)", "\n", "\n\n", " ", "rac{", "\x0c", "۲۶", "((", "))", "|", "#",
])
TEXT = st.one_of(st.text(max_size=400), st.lists(st.one_of(PIECES, st.text(max_size=8)), max_size=80).map("".join))


def _document(text: str) -> Document:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return Document(text=text, lines=tuple(text.split("\n")), encoding="utf-8", kind="text", truncated=False)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT)
def test_never_raises_and_stays_bounded(text):
    document = _document(text)
    extraction = extract_answers(document=document, layout=LAYOUT)
    assert list(extraction.parts) == list(DL_BASICS)
    for part in extraction.parts.values():
        assert 0.0 <= part.confidence <= 1.0
        assert len(part.candidates) <= MAX_CANDIDATES
        assert len(part.context) <= 4000
        strengths = [c.strength for c in part.candidates]
        assert strengths == sorted(strengths, reverse=True)
        for candidate in part.candidates:
            assert candidate.text and len(candidate.text) <= MAX_CANDIDATE_CHARS
            assert 1 <= candidate.line_start <= candidate.line_end <= len(document.lines)
        if not part.candidates and part.label_found == "none":
            assert part.confidence == 0.0
    for start, end in extraction.unassigned:
        assert 1 <= start <= end <= len(document.lines)


def _timed(text: str) -> float:
    started = time.perf_counter()
    extract_answers(document=_document(text), layout=LAYOUT)
    return time.perf_counter() - started


def test_one_megabyte_single_line_is_fast():
    line = ("(a) $x = \\frac{{1}}{{2}}$ Answer: 5 \\Rightarrow ((( = = $ \\boxed{ " * 20_000)[:1_000_000]
    assert _timed(line) < 2.0
    assert _timed("Problem 1\n(a) " + line) < 2.0  # inside a part: candidates are searched
    assert _timed("6.\n" + "i \\neq j = 1 " * 80_000) < 2.0
    assert _timed("1a) " + "=" * 1_000_000) < 2.0
    assert _timed("Problem 1 " + "(" * 500_000 + "\\boxed{" * 50_000) < 2.0


def test_ten_thousand_lines_are_fast():
    block = "Problem {n}\n(a) we get $z = {n} + 1 = {m}$\n1) step\n(b) Answer: {m}\nfor i = j: = 1\n"
    text = "".join(block.format(n=n % 7, m=n) for n in range(2000))
    assert len(text.split("\n")) >= 10_000
    assert _timed(text) < 2.0
    assert _timed("\n".join("Answer: " + str(n) for n in range(10_000))) < 2.0
