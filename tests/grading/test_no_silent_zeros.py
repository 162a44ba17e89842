"""No silent zeros: unclaimed text, unrecognised layouts and several values on one line go to a person."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from grader.grading import build_context, grade_directory
from grader.grading.checked import load_assignment_dir
from grader.reports.grades_csv import grades_csv
from grader.reports.results_json import results_json

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    folder = tmp_path_factory.mktemp("flags")
    # answers before any label: claimed by no part, sitting where problem 1's answers would be
    (folder / "unclaimed.md").write_text(
        "Homework 2 — Anna Volkova — ID 12345678\n\n"
        "my softmax work: the jacobian is \\hat y_i(\\delta_{ij} - \\hat y_j)\n\n"
        "## 2b\n1820\n\n## 2c\n(46, 62, 20)\n", encoding="utf-8")
    # answers in a layout the reader does not know (no part labels, only their order): the file is flagged
    (folder / "one_line.txt").write_text(
        "Homework 2   Lin Chen   2039725444\n\nmy answers, in the order of the sheet, one per problem part --- "
        "26×26 --- 1820 --- (46, 62, 20) --- 5133600 --- 2L+1 --- m_i/(1-p) --- (4, 0, 6) --- (2, 0, 2)\n",
        encoding="utf-8")
    # a partial hand-in: few labels, all found: not flagged
    (folder / "partial.md").write_text("## 2b\n3 \\cdot 3 \\cdot 10 \\cdot 20 + 20 = 1820\n\n## 2c\n(46, 62, 20)\n",
                                       encoding="utf-8")
    # two values of the part's type on the picked line, and they disagree
    (folder / "several.md").write_text("## 2b\nit is 1820 or maybe 1800\n\n## 2c\n(46, 62, 20)\n", encoding="utf-8")
    (folder / "typed.yaml").write_text("student: a.v\nname: Anna Volkova\nanswers:\n  2b: '1820'\n", encoding="utf-8")
    context = build_context(assignment=load_assignment_dir(folder=REPO / "problems" / "dl-basics"))
    run = grade_directory(context=context, directory=folder, isolate=False)
    return run, {s.file: s for s in run.submissions}


def test_no_answer_next_to_unclaimed_text_goes_to_review(graded):
    _, rows = graded
    row = rows["unclaimed.md"]
    flagged = [pid for pid, p in row.parts.items() if p.feedback_id == "unclaimed-text"]
    assert flagged and set(flagged) <= {"1a", "1b", "1c", "1d", "1e", "2a"}, flagged
    part = row.parts[flagged[0]]
    assert part.verdict == "needs_review" and part.score == 0 and part.suggested_score == 0
    assert part.evidence.line_start == 3 and "jacobian" in part.evidence.quote and part.candidates
    # parts after the last part found have no unclaimed text where their answer would be: plain no_answer
    assert row.parts["3a"].verdict == "no_answer"
    assert row.file_review is None
    assert (row.student_name, row.student_number) == ("Anna Volkova", "12345678")
    assert row.identity.line == 1


def test_unrecognised_layout_flags_the_file(graded):
    run, rows = graded
    row = rows["one_line.txt"]
    assert row.file_review is not None and "not recognised" in row.file_review.reason
    assert row.file_review.parts_found * 3 < row.file_review.labels_seen
    data = {s["file"]: s for s in json.loads(results_json(run=run))["submissions"]}
    assert data["one_line.txt"]["file_review"]["parts"] == row.file_review.parts
    assert data["one_line.txt"]["name"] == "Lin Chen" and data["one_line.txt"]["student_number"] == "2039725444"
    csv_row = next(row for row in csv.DictReader(io.StringIO(grades_csv(run=run))) if row["student"] == "one_line")
    assert csv_row["needs_review"].split()[0] == "file"


def test_partial_hand_in_is_not_flagged(graded):
    _, rows = graded
    row = rows["partial.md"]
    assert row.file_review is None
    assert row.parts["2b"].verdict == "correct" and row.parts["1a"].verdict == "no_answer"


def test_several_disagreeing_values_on_the_line_go_to_review(graded):
    _, rows = graded
    part = rows["several.md"].parts["2b"]
    assert part.verdict == "needs_review", (part.verdict, part.answer)
    assert any("several values" in note for note in part.notes)
    assert rows["several.md"].parts["2c"].verdict == "correct"


def test_structured_name_is_reported(graded):
    run, rows = graded
    row = rows["typed.yaml"]
    assert (row.student, row.student_name, row.student_number) == ("a.v", "Anna Volkova", None)
    assert row.file_review is None
    data = {s["file"]: s for s in json.loads(results_json(run=run))["submissions"]}
    assert data["typed.yaml"]["name"] == "Anna Volkova"


def test_a_value_that_may_belong_to_another_part_goes_to_review(tmp_path):
    """The last value of a block has the wrong size while the block holds one of the right size, or the block
    runs into a line that opens like another part's mangled label: never a silent 'incorrect'."""
    (tmp_path / "wrong_size.txt").write_text(
        "Problem 4\n(a) [0.3275, 0.3475]\n(c) \\begin{pmatrix} 0.8794 \\\\ 0.9962 \\end{pmatrix}\nE = 0.1984\n",
        encoding="utf-8")
    (tmp_path / "alone.txt").write_text("Problem 4\n(c) 0.1984\n", encoding="utf-8")
    (tmp_path / "unread_label.txt").write_text(
        "Problem 4\n(a) [0.3275, 0.3475]\n(b) \\begin{pmatrix} 0.5812 \\\\ 0.5860 \\end{pmatrix}\n"
        "Cd) (0.7067, 0.7303)\n", encoding="utf-8")
    context = build_context(assignment=load_assignment_dir(folder=REPO / "problems" / "dl-basics"))
    rows = {s.file: s for s in grade_directory(context=context, directory=tmp_path, isolate=False).submissions}
    part = rows["wrong_size.txt"].parts["4c"]
    assert part.verdict == "needs_review" and part.suggested_score == 0, (part.verdict, part.answer)
    assert any("pmatrix" in note and "right size" in note for note in part.notes)
    assert len(part.candidates) >= 2
    assert rows["alone.txt"].parts["4c"].verdict == "incorrect"  # nothing else in the part: a wrong shape is wrong
    part = rows["unread_label.txt"].parts["4b"]
    assert part.verdict == "needs_review" and "unread-label-in-block" in part.evidence.flags
    assert rows["unread_label.txt"].parts["4a"].verdict == "correct"
