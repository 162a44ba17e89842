"""Spreadsheet safety: every text cell a spreadsheet could execute is neutralised, in every export and in
grades.csv; numbers (negative ones included) stay numbers; quoting survives commas, quotes and CR/LF."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from grader.export.cells import csv_text, safe_cell
from grader.reports.grades_csv import grades_csv
from grader.results import PartResult, RunResult, SubmissionResult


@pytest.mark.parametrize("text", ["=1+1", "+1+1", "-1+1", "@SUM(A1)", "\t=1", "\r=1", '=HYPERLINK("http://x","y")',
                                  "-", "--", "-x", "=", "-1e", "- 1"])
def test_formula_like_cells_get_a_quote(text) -> None:
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("text", ["-1", "-0.5", "-.5", "-2e3", "1", "0", "alice", "Иванов Борис", "O'Neil", "",
                                  " =1", "a=1", "#alice"])
def test_numbers_and_plain_text_stay(text) -> None:
    assert safe_cell(text) == text


def test_csv_round_trips_awkward_cells() -> None:
    rows = [["Chen, Alice", 'say "hi"', "line1\r\nline2", "سارا احمدی", "=cmd|' /C calc'!A0", "-3"]]
    back = list(csv.reader(io.StringIO(csv_text(rows), newline="")))
    assert back == [["Chen, Alice", 'say "hi"', "line1\r\nline2", "سارا احمدی", "'=cmd|' /C calc'!A0", "-3"]]
    quoted = list(csv.reader(io.StringIO(csv_text(rows, quote_all=True), newline="")))
    assert quoted == back
    assert csv_text([["a", "b"]], quote_all=True) == '"a","b"\r\n'


def _run(**sub) -> RunResult:
    part = PartResult(part_id="1a", score=-1.0, max=1.0, verdict="needs_review")
    fields = {"student": "=evil()", "file": "@file.md", "status": "graded", "score": -1.0, "max": 1.0,
              "parts": {"1a": part}, **sub}
    return RunResult(assignment="a", part_ids=("1a",), submissions=(SubmissionResult(**fields),))


def test_grades_csv_neutralises_every_text_cell_and_keeps_numbers() -> None:
    rows = list(csv.reader(io.StringIO(grades_csv(run=_run()))))
    assert rows[0] == ["student", "file", "1a", "total", "max", "status", "needs_review", "overridden"]
    assert rows[1] == ["'=evil()", "'@file.md", "-1", "-1", "1", "graded", "1a", ""]


def test_grades_csv_neutralises_part_ids_and_flags() -> None:
    part = PartResult(part_id="-1a", score=0.0, max=1.0, verdict="needs_review")
    run = RunResult(assignment="a", part_ids=("-1a",), submissions=(SubmissionResult(
        student="s", file="s.md", status="graded", score=0, max=1, parts={"-1a": part}),))
    rows = list(csv.reader(io.StringIO(grades_csv(run=run))))
    assert rows[0][2] == "'-1a"
    assert rows[1][-2:] == ["'-1a", ""]
    decided = part.model_copy(update={"verdict": "overridden", "auto_verdict": "needs_review", "auto_score": 0.0})
    rows = list(csv.reader(io.StringIO(grades_csv(run=run.model_copy(update={"submissions": (
        run.submissions[0].model_copy(update={"parts": {"-1a": decided}}),)})))))
    assert rows[1][-2:] == ["", "'-1a"]


@given(st.lists(st.lists(st.text(max_size=12), min_size=1, max_size=4), min_size=1, max_size=4), st.booleans())
def test_any_cell_reads_back_as_its_safe_form_and_never_as_a_formula(rows, quote_all) -> None:
    text = csv_text(rows, quote_all=quote_all)
    back = list(csv.reader(io.StringIO(text, newline="")))
    assert back == [[safe_cell(cell) for cell in row] for row in rows]
    for row in back:
        for cell in row:
            assert cell[:1] not in ("=", "+", "@", "\t", "\r") and (not cell.startswith("-") or float(cell) <= 0)
