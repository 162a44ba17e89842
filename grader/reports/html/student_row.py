"""One row of the class page's student table, as HTML.

A streamed run makes each file's row once, as its result arrives (grader/reports/streamed.py), and keeps it with
the file's other rows (and with the file, for the next run: grader/reports/file_cache.py), so that writing the
class page is copying rows, not rendering them; a row whose file shares its student id with another (known only
once every file is in) is made again then. The class page of a run held in memory renders its rows here too.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from markupsafe import Markup

from grader.number_text import shown_points
from grader.reports.class_row import ClassRow
from grader.reports.html.environment import environment
from grader.reports.html.math_render import code_html
from grader.reports.html.who import Who, href_of, who_of


@dataclass(frozen=True)
class StudentRow:
    who: Who
    file: Markup
    href: str | None
    graded: bool
    score: str = ""
    max: str = ""
    width: str = ""
    whole_file: bool = False
    flagged: tuple[str, ...] = ()
    #: other files that claim the same student id (each is graded; a person decides which counts)
    same_student: tuple[str, ...] = ()


def student_row(*, submission: ClassRow, stems: Mapping[str, str]) -> StudentRow:
    who, file, href = who_of(submission), code_html(text=submission.file, limit=160), href_of(submission, stems)
    if submission.status != "graded":
        return StudentRow(who=who, file=file, href=href, graded=False, same_student=submission.same_student)
    share = max(0.0, min(1.0, submission.score / submission.max)) if submission.max else 0.0
    return StudentRow(who=who, file=file, href=href, graded=True, score=shown_points(submission.score),
                      max=shown_points(submission.max), width=f"{share * 100:.0f}",
                      whole_file=submission.file_review is not None, flagged=tuple(submission.flagged),
                      same_student=submission.same_student)


@lru_cache(maxsize=1)
def _macro() -> Any:
    return environment().get_template("student_row.html").module.student_row  # type: ignore[attr-defined]


def student_row_html(*, row: ClassRow, stems: Mapping[str, str]) -> Markup:
    """The ``<tr>`` of ``row`` (its file's page named by ``stems``)."""
    return Markup(_macro()(student_row(submission=row, stems=stems)))  # noqa: S704 - the template autoescapes
