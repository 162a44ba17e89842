"""extract_answers never raises, stays bounded, and is fast on pathological input."""

from __future__ import annotations

import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from grader.freeform import Document, extract_answers, layout_from_part_ids

PART_IDS = ("1a 1b 1c 1d 2a 2b 2c 2d 2e 3a 3b 3c 4a 4b 4c 4d 4e 4f 4g 4h 4i 4j 4k 4l 4m 4n 5a 5b 6").split()
LAYOUT = layout_from_part_ids(part_ids=PART_IDS)

FRAGMENTS = ["Problem 1", "Задача 2", "سوال ۳", "Aufgabe 4", "## 4i", "1a)", "(a)", "б)", "الف)", "i)", "ii)",
             "1)", "2.", "Answer:", "Ответ:", "پاسخ:", "Antwort:", "\\boxed{", "}", "{", "$$", "$", "=", "\\neq",
             "i = j", "i \\neq j", "\\Rightarrow", "→", "\\frac{1}{2}", "rac{", "floor", "(46, 62, 20)", "\n", "\n\n",
             " ", "x", "۲۶", "\\begin{cases}", "\\end{cases}", "(", ")", "[", "]", "\\", "\t", "\r"]


def _doc(text: str) -> Document:
    return Document(text=text, lines=tuple(text.split("\n")), encoding="utf-8", kind="text", truncated=False)


def _check(text: str) -> None:
    extraction = extract_answers(document=_doc(text), layout=LAYOUT)
    assert set(extraction.parts) == set(PART_IDS)
    line_count = len(text.split("\n"))
    for part in extraction.parts.values():
        assert len(part.candidates) <= 8
        assert 0.0 <= part.confidence <= 1.0
        assert len(part.context) <= 4000
        if not part.candidates:
            assert part.label_found == "none"
        for candidate in part.candidates:
            assert candidate.text and len(candidate.text) <= 2000
            assert len(candidate.quote) <= 2000
            assert 1 <= candidate.line_start <= candidate.line_end <= line_count
        strengths = [c.strength for c in part.candidates]
        assert strengths == sorted(strengths, reverse=True)
    for start, end in extraction.unassigned:
        assert 1 <= start <= end <= line_count


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=400))
def test_arbitrary_text_never_raises(text: str) -> None:
    _check(text)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=6), max_size=80).map("".join))
def test_label_soup_never_raises(text: str) -> None:
    _check(text)


PATHOLOGICAL = {
    "one 1 MB line of equals": "1a) Answer: " + "x = " * 250_000,
    "one 1 MB line of brackets": "(a) " + "(" * 1_000_000,
    "one 1 MB line of dollars": "1a) " + "$a$ " * 250_000,
    "nested boxed": "1a) " + "\\boxed{" * 100_000 + "}" * 100_000,
    "arrows": "1a) " + "\\Rightarrow " * 80_000,
    "markers": "1a) " + "Answer: " * 120_000,
    "inline labels": "Problem 4\n(a)" + " (b) (c) x" * 100_000,
    "cases soup": "1a) " + "i = j, i \\neq j " * 60_000,
    "10k headed lines": "\n".join(f"Problem {i % 7}\n(a) Answer: {i} = {i}" for i in range(5000)),
    "10k display lines": "Problem 1\n(a)\n" + "$$ x = 1\n" * 10_000,
    "10k OCR splits": "1a) x\n" + "floor\n" * 10_000,
    "10k label lines": "\n".join(("(a) x", "b) 5", "1) 3", "## 1a", "Задача 2", "Ответ: 5 = 6", "$$",
                                 "i = j: 1 = 2", "i \\neq j: 3", "ث) ۵")[i % 10] for i in range(10_000)),
}


@pytest.mark.parametrize("name", sorted(PATHOLOGICAL))
def test_pathological_input_is_fast_and_bounded(name: str) -> None:
    text = PATHOLOGICAL[name]
    start = time.process_time()
    _check(text)
    assert time.process_time() - start < 2.0
