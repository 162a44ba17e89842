"""Dotted sub-answers (2a.1) in free-form files: found on their own lines wherever they stand,
kept out of their parent's answer and out of the unclaimed text."""

from __future__ import annotations

import time

import pytest

from grader.freeform import layout_from_part_ids
from grader.freeform.document import Document
from grader.freeform.extract import extract_answers
from grader.freeform.sub_answers import find_sub_answers

SUBS = ["2a.1", "2a.2", "2a.3"]


@pytest.mark.parametrize(("line", "expected"), [
    ("2a.1 after conv 7x7: 112", "after conv 7x7: 112"),
    ("2a.2) 112", "112"),
    ("(2a.3): 57", "57"),
    ("**2a.1** = 112", "112"),
    ("  - 2A.1: 112", "112"),
    ("۲a.۱) ۱۱۲", "112"),
])
def test_sub_answer_lines(line: str, expected: str) -> None:
    sub_id = next(iter(find_sub_answers(lines=[line], sub_ids=SUBS)))
    assert find_sub_answers(lines=[line], sub_ids=SUBS)[sub_id] == (1, expected)


@pytest.mark.parametrize("line", ["2a.10 is not a sub-answer", "2.1 is a number", "the size 2a.1 is 112",
                                  "(a) 2a.1 inside a part's text", "2a.1"])
def test_not_sub_answer_lines(line: str) -> None:
    assert find_sub_answers(lines=[line], sub_ids=SUBS) == {}


@pytest.mark.parametrize(("text", "expected"), [
    ("## 2a.1\n112", {"2a.1": (2, "112")}),
    ("## 2a.1\n\n112\n\n## 2a.2\n$112$", {"2a.1": (3, "112"), "2a.2": (6, "$112$")}),
    ("2a.1)\n112\n2a.2)\n112\n2a.3)\n56", {"2a.1": (2, "112"), "2a.2": (4, "112"), "2a.3": (6, "56")}),
    ("**2a.3:**\n۵۶", {"2a.3": (2, "56")}),
    ("## 2a.1\n## 2a.2\n112", {"2a.2": (3, "112")}),  # a heading right below a heading has no value
    ("2a.1)\n(b) 1820", {}),  # the next part's label is not the sub-answer's value
    ("## 2a.1\n## 2b\n1820", {}),
    ("2a.1)\nProblem 3", {}),
    ("## 2a.1\n\n\n\n112", {}),  # too far below
])
def test_sub_answer_headings_take_the_value_below(text: str, expected: dict) -> None:
    assert find_sub_answers(lines=text.split("\n"), sub_ids=SUBS) == expected


def test_sub_answer_headings_are_not_their_parents_text() -> None:
    text = "# HW\n\n## 2a.1\n112\n\n## 2a.3\n57\n\n## 2a\n$27 \\times 27$\n\n## 2b\n1820\n"
    layout = layout_from_part_ids(part_ids=["2a.1", "2a.2", "2a.3", "2a", "2b"])
    extraction = extract_answers(document=_document(text), layout=layout)
    assert [extraction.parts[s].candidates[0].text for s in ("2a.1", "2a.3")] == ["112", "57"]
    assert "2a.2" not in extraction.parts or not extraction.parts["2a.2"].candidates
    two_a = extraction.parts["2a"]
    assert two_a.candidates[0].text == "27 \\times 27" and (two_a.line_start, two_a.line_end) == (10, 10)
    assert "label-repeated" not in two_a.flags
    assert extraction.unassigned == ((1, 1),)


def test_sub_answer_headings_alone_leave_their_parent_unanswered() -> None:
    text = "## 1d\n5\n\n## 2a.1\n112\n\n## 2a.2\n112\n\n## 2b\n1820\n"
    layout = layout_from_part_ids(part_ids=["1d", "2a.1", "2a.2", "2a.3", "2a", "2b"])
    parts = extract_answers(document=_document(text), layout=layout).parts
    assert parts["2a"].candidates == () and parts["1d"].candidates[0].text == "5"


def _document(text: str) -> Document:
    return Document(text=text, lines=tuple(text.split("\n")), kind="text", encoding="utf-8", truncated=False)


def test_sub_answers_above_the_parts_label_are_found_and_kept_out_of_the_part() -> None:
    text = ("Problem 2\n2a.1 after conv 7x7: 112\n2a.2) after conv 3x3: 112\n2a.3) after the max-pool: 57\n"
            "(a) last conv: floor((57 + 2 - 6 - 1)/2) + 1 = 27, so the output is 27 × 27\n(b) 1820\n")
    layout = layout_from_part_ids(part_ids=["2a.1", "2a.2", "2a.3", "2a", "2b"])
    extraction = extract_answers(document=_document(text), layout=layout)
    for sub_id, line, value in zip(SUBS, (2, 3, 4), ["112", "112", "57"]):
        found = extraction.parts[sub_id]
        assert (found.line_start, found.label_found) == (line, "explicit")
        assert all(value in c.quote for c in found.candidates)
    assert "27" in extraction.parts["2a"].candidates[0].text
    assert all(c.line_start == 5 for c in extraction.parts["2a"].candidates)
    assert all(not (start <= 2 <= end) for start, end in extraction.unassigned)


def test_a_long_file_is_scanned_in_linear_time() -> None:
    lines = ["2a.9 " + "x" * 50] * 50_000 + ["2a.1 112"]
    start = time.process_time()
    assert find_sub_answers(lines=lines, sub_ids=SUBS) == {"2a.1": (50_001, "112")}
    assert time.process_time() - start < 2.0


def test_sub_answers_feed_error_carried_forward(tmp_path) -> None:
    from grader.grading import build_context, grade_directory
    from grader.grading.checked import load_assignment_dir
    from tests.core.grading_harness import DL_BASICS

    (tmp_path / "s.md").write_text("Problem 2\n2a.1 after conv 7x7: 112\n2a.2) after conv 3x3: 112\n"
                                   "2a.3) after the max-pool: 57\n(a) so the output is 27 × 27\n", encoding="utf-8")
    run = grade_directory(context=build_context(assignment=load_assignment_dir(folder=DL_BASICS)),
                          directory=tmp_path, isolate=False)
    parts = run.submissions[0].parts
    assert [parts[s].verdict for s in SUBS] == ["correct", "correct", "incorrect"]
    assert parts["2a"].verdict == "ecf" and "2a.3 = 57" in parts["2a"].feedback


def test_many_heading_forms_are_scanned_in_linear_time() -> None:
    lines = ["## 2a.1", "", "", "(b) 5"] * 12_500 + ["## 2a.1", "112"]
    start = time.perf_counter()
    assert find_sub_answers(lines=lines, sub_ids=SUBS) == {"2a.1": (50_002, "112")}
    assert time.perf_counter() - start < 2.0
