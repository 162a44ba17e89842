"""Pages written while a run is graded (grader/reports/pages.py) end up exactly as if written at the end, and
a page whose submission changed after it was written (duplicate ids, a different result) is written again."""

from __future__ import annotations

from pathlib import Path

import pytest

from grader.grading import build_context, grade_directory
from grader.problems.loader import read_assignment_dir
from grader.reports import write_reports
from grader.reports.pages import PageWriter
from tests.core.grading_harness import REPO


@pytest.fixture(scope="module")
def graded():
    assignment = read_assignment_dir(folder=REPO / "problems" / "dl-basics")
    run = grade_directory(context=build_context(assignment=assignment), directory=REPO / "submissions" / "dl-basics",
                          isolate=False)
    return assignment, run


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_streamed_pages_are_kept_and_identical(graded, tmp_path) -> None:
    assignment, run = graded
    write_reports(run=run, assignment=assignment, out_dir=tmp_path / "whole")
    pages = PageWriter(assignment=assignment, out_dir=tmp_path / "streamed", files=[s.file for s in run.submissions])
    for submission in reversed(run.submissions):  # results arrive in any order
        pages.write(submission)
    stems = {file: pages.stems[file] for file in pages.stems}
    assert pages.up_to_date(submissions=run.submissions, stems=stems) == {s.file for s in run.submissions}
    write_reports(run=run, assignment=assignment, out_dir=tmp_path / "streamed", pages=pages)
    assert _tree(tmp_path / "streamed") == _tree(tmp_path / "whole")


def test_a_changed_or_failed_page_is_written_at_the_end(graded, tmp_path) -> None:
    assignment, run = graded
    write_reports(run=run, assignment=assignment, out_dir=tmp_path / "whole")
    first, second, *_ = run.submissions

    def final(result):
        if result.file == second.file:
            raise RuntimeError("boom")  # never stops the run: the page is left to the end
        return result

    pages = PageWriter(assignment=assignment, out_dir=tmp_path / "streamed", files=[s.file for s in run.submissions],
                       final=final)
    pages.write(first.model_copy(update={"score": first.score + 1}))  # what the whole run shows differs
    pages.write(second)
    pages.write(run.submissions[2].model_copy(update={"file": "not-listed.md"}))
    assert pages.up_to_date(submissions=run.submissions, stems=pages.stems) == frozenset()
    write_reports(run=run, assignment=assignment, out_dir=tmp_path / "streamed", pages=pages)
    assert _tree(tmp_path / "streamed") == _tree(tmp_path / "whole")
