"""HTML reports: the class overview and one page per student, self-contained but for the shared assets/."""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

from grader.atomic_files import write_text_atomic
from grader.problems.models import Assignment
from grader.results import RunResult


def write_html_reports(*, run: RunResult, assignment: Assignment, out_dir: Path, stems: dict[str, str],
                       done: Collection[str] = ()) -> list[Path]:
    """Write ``out_dir/assets/``, ``out_dir/index.html`` and ``out_dir/students/<stem>.html`` per submission
    but those of the files in ``done`` (already written, grader/reports/pages.py); return every path (the assets
    first: the pages use them)."""
    from grader.reports.html.assets import write_assets
    from grader.reports.html.class_page import class_page_html
    from grader.reports.html.student_page import student_page_html

    out_dir = Path(out_dir)
    students_dir = out_dir / "students"
    students_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = write_assets(out_dir=out_dir)
    index = out_dir / "index.html"
    write_text_atomic(path=index, text=class_page_html(run=run, assignment=assignment, stems=stems))
    written.append(index)
    for submission in run.submissions:
        stem = stems[submission.file]
        if not stem or "/" in stem or "\\" in stem or stem in (".", ".."):
            raise ValueError(f"unsafe report stem {stem!r} for {submission.file!r}")
        path = students_dir / f"{stem}.html"
        if submission.file not in done:
            write_text_atomic(path=path, text=student_page_html(submission=submission, assignment=assignment))
        written.append(path)
    return written


__all__ = ["write_html_reports"]
