"""Write every report of a run into the output folder, atomically."""

from __future__ import annotations

from pathlib import Path

from grader.atomic_files import write_chunks_atomic, write_text_atomic
from grader.problems.models import Assignment
from grader.reports.feedback_md import feedback_markdown
from grader.reports.grades_csv import grades_csv_chunks
from grader.reports.html import write_html_reports
from grader.reports.names import report_stems
from grader.reports.pages import PageWriter
from grader.reports.results_json import results_json_chunks
from grader.results import RunResult


def write_reports(*, run: RunResult, assignment: Assignment, out_dir: Path, pages: PageWriter | None = None) -> list[Path]:
    """Write every report of ``run`` into ``out_dir``; the pages ``pages`` already wrote while the run was
    graded (grader/reports/pages.py) are kept when they are still those of ``run``."""
    out_dir = Path(out_dir)
    feedback_dir = out_dir / "feedback"
    feedback_dir.mkdir(parents=True, exist_ok=True)
    written = []
    stems = report_stems(s.file for s in run.submissions)
    done = frozenset() if pages is None else pages.up_to_date(submissions=run.submissions, stems=stems)
    for submission in run.submissions:
        path = feedback_dir / f"{stems[submission.file]}.md"
        if submission.file not in done:
            write_text_atomic(path=path, text=feedback_markdown(submission=submission, assignment=assignment))
        written.append(path)
    written += write_html_reports(run=run, assignment=assignment, out_dir=out_dir, stems=stems, done=done)
    # results.json last: its presence means the run's reports are complete; both are written as they are
    # made, a row or a submission at a time, never held whole (results.json is ~200 MB at 10 000 files)
    for name, chunks in (("grades.csv", grades_csv_chunks(run=run)), ("results.json", results_json_chunks(run=run))):
        write_chunks_atomic(path=out_dir / name, chunks=chunks)
        written.append(out_dir / name)
    return written
