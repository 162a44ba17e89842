"""A run streamed through its report set (grader/reports/streamed.py: each file's reports made by the worker that
graded it, the submissions kept on disk, not in memory) writes exactly the reports of the whole run written at the end, decisions,
stale entries, answer groups and duplicate ids included."""

from __future__ import annotations

import gc
import shutil
from pathlib import Path

import pytest

from grader.grading import build_context, grade_directory
from grader.grading.run import grade_directory_with_stats
from grader.problems.loader import read_assignment_dir
from grader.reports import write_reports
from grader.reports.file_report import ReportSpec
from grader.reports.row_store import STORE
from grader.reports.streamed import ReportStream
from grader.grading.duplicates import duplicate_ids
from grader.reports.summary import summarize
from grader.results import RunResult, SubmissionResult
from grader.review.groups import group_key
from grader.review.overrides import Override, apply_overrides
from tests.core.grading_harness import REPO, report_bytes

AT = "2026-12-01T10:00:00+00:00"


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> tuple[object, Path]:
    """The shipped dl-basics samples, one of them twice under another name with the same student id."""
    folder = tmp_path_factory.mktemp("streamed") / "subs"
    shutil.copytree(REPO / "submissions" / "dl-basics", folder)
    first = sorted(p for p in folder.iterdir() if p.suffix == ".yaml")[0]
    (folder / "late").mkdir()
    shutil.copy(first, folder / "late" / first.name)  # same file name in another folder: same student id
    return read_assignment_dir(folder=REPO / "problems" / "dl-basics"), folder


def _decisions(run) -> tuple[Override, ...]:
    """A student's decision, a group's decision and one that matches nothing any more."""
    graded = [s for s in run.submissions if s.status == "graded"]
    student = graded[0]
    pid, part = next((pid, p) for pid, p in student.parts.items() if p.answer)
    other = next((s, q, p) for s in graded[1:] for q, p in s.parts.items() if p.answer and q != pid)
    return (Override(assignment=run.assignment, part=pid, student=student.student, answer=part.answer, score=0.5,
                     comment="looked at it", by="ta", at=AT),
            Override(assignment=run.assignment, part=other[1], group=group_key(other[2]), score=0.0, by="ta", at=AT),
            Override(assignment=run.assignment, part=pid, student="nobody", answer="x", score=1, at=AT))


def _streamed(*, assignment, folder: Path, out: Path, decisions, jobs: int, isolate: bool):
    files = [p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()]
    stream = ReportStream(assignment=assignment, out_dir=out, files=files, spec=ReportSpec(decisions=decisions))
    run, _ = grade_directory_with_stats(context=build_context(assignment=assignment), directory=folder, jobs=jobs,
                                        isolate=isolate, stream=stream)
    return stream.finish(run)


def _reported_run(out: Path) -> RunResult:
    return RunResult.model_validate_json((out / "results.json").read_bytes())


@pytest.mark.parametrize("jobs, isolate", [(2, True), (1, False)], ids=["workers", "in-process"])
def test_a_streamed_run_writes_the_reports_of_the_whole_run(course, tmp_path, jobs, isolate) -> None:
    assignment, folder = course
    whole = grade_directory(context=build_context(assignment=assignment), directory=folder, isolate=False)
    decisions = _decisions(whole)
    decided, stale = apply_overrides(whole, decisions)
    assert stale and any(s.same_student for s in decided.submissions)  # the case is really exercised
    write_reports(run=decided, assignment=assignment, out_dir=tmp_path / "whole")
    reported = _streamed(assignment=assignment, folder=folder, out=tmp_path / "streamed", decisions=decisions,
                         jobs=jobs, isolate=isolate)
    assert report_bytes(tmp_path / "streamed") == report_bytes(tmp_path / "whole")
    assert not (tmp_path / "streamed" / STORE).exists()
    run = reported.run
    assert run.stale_overrides == decided.stale_overrides and run.groups == decided.groups
    assert [s.score for s in _reported_run(tmp_path / "streamed").submissions] == \
        [s.score for s in decided.submissions]
    assert reported.summary == summarize(run=decided) and reported.duplicates == duplicate_ids(decided)


def test_a_streamed_run_holds_no_submission_in_memory(course, tmp_path, monkeypatch) -> None:
    """Every file's row is on disk: when the last file is graded, no SubmissionResult of the run is alive in the
    run's process (it stays flat in the number of files), yet the class reports have every file."""
    assignment, folder = course
    copies = tmp_path / "copies"
    for i in range(3):
        shutil.copytree(folder, copies / f"c{i}")
    alive_at_finish = []
    real_finish = ReportStream.finish

    def finish(self, *args, **kwargs):
        alive_at_finish.append(_alive())
        return real_finish(self, *args, **kwargs)

    monkeypatch.setattr(ReportStream, "finish", finish)
    before = _alive()
    reported = _streamed(assignment=assignment, folder=copies, out=tmp_path / "out", decisions=(), jobs=1,
                         isolate=False)
    files = sum(1 for p in copies.rglob("*") if p.is_file())
    assert files >= 21 and reported.summary.files == files
    assert alive_at_finish == [before]  # none of the run's submissions is kept
    assert len(_reported_run(tmp_path / "out").submissions) == files


def _alive() -> int:
    gc.collect()
    return sum(1 for o in gc.get_objects() if isinstance(o, SubmissionResult))


def test_a_file_whose_reports_cannot_be_made_gets_a_row_saying_why(course, tmp_path, monkeypatch) -> None:
    import grader.reports.file_report as file_report_module

    assignment, folder = course
    real = file_report_module.file_report
    broken = sorted(p.relative_to(folder).as_posix() for p in folder.iterdir() if p.is_file())[0]

    def fails_for_one(*, result, assignment, spec):
        if result.file == broken and result.status == "graded":
            raise RuntimeError("renderer broke")
        return real(result=result, assignment=assignment, spec=spec)

    monkeypatch.setattr(file_report_module, "file_report", fails_for_one)
    import grader.reports.streamed as streamed_module

    monkeypatch.setattr(streamed_module, "file_report", fails_for_one)
    _streamed(assignment=assignment, folder=folder, out=tmp_path / "out", decisions=(), jobs=1, isolate=False)
    row = next(s for s in _reported_run(tmp_path / "out").submissions if s.file == broken)
    assert row.status == "unreadable" and "renderer broke" in row.reason
    assert (tmp_path / "out" / "results.json").is_file()
