"""Who a row of the class page is about: the student's id, with the name and number read from the file, and
the link to their page."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import quote

from grader.reports.class_row import ClassRow
from grader.results import SubmissionResult


@dataclass(frozen=True)
class Who:
    """A student's id, with the name and number read from the file (``hint``: where they were read)."""

    student: str
    details: str | None
    hint: str | None


def who_of(submission: SubmissionResult | ClassRow) -> Who:
    details = " · ".join(x for x in (submission.student_name, submission.student_number) if x) or None
    where = submission.identity
    hint = None
    if details and where is not None:
        hint = f"line {where.line}: {where.quote}" if where.line else "from the file"
    return Who(student=submission.student, details=details, hint=hint)


def student_href(*, stem: str) -> str:
    """Relative link from index.html to a student page (stem is already a safe file name)."""
    return "students/" + quote(stem, safe="") + ".html"


def href_of(submission: SubmissionResult | ClassRow, stems: Mapping[str, str]) -> str | None:
    stem = stems.get(submission.file)
    return None if stem is None else student_href(stem=stem)
