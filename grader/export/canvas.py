"""Canvas gradebook import CSV.

Columns ``Student,ID,SIS User ID,SIS Login ID,Section,<Assignment> (<id>)`` and, unless
``--no-points-possible``, a ``Points Possible`` row right after the header, as Canvas's own gradebook export
has. The roster is a Canvas gradebook export: its identity columns are copied verbatim (Canvas matches rows by
``ID``, then the SIS ids), and its column ``<Assignment name> (<id>)`` gives the assignment id; without one (and
without ``--column-id``) the header is the bare name and Canvas offers to create a new assignment.
Without a roster: ``Student`` = the name, ``SIS User ID`` = the student number, ``SIS Login ID`` = our id.

Missing (a roster student without a submission): ``0`` by default, an empty cell with ``--missing blank``
(Canvas ignores empty cells on import, leaving the grade as it is).

Feedback files: Canvas's "Re-upload submissions" attaches a file to a student's submission as a comment only
when its name holds, as the first two all-digit fields between underscores, the student's Canvas user id and
the id of a file that student submitted (the names of Canvas's "Download submissions" zip:
``<lastfirst>_<user id>_<attachment id>_<original name>``, ``LATE`` may follow ``<lastfirst>``). A submission
file that still carries such a name gives ``<lastfirst>_<user id>_<attachment id>_feedback.md``, ready for that
upload; any other gives ``<lastfirst>_<ID>_feedback.md`` (Canvas would ignore it in a re-upload: attach it by
hand, or grade the files under the names Canvas's download gave them)."""

from __future__ import annotations

import re

from grader.export.base import ExportInput, ExportRow, file_stem
from grader.export.cells import csv_text
from grader.export.registry import register
from grader.number_text import lms_number

IDENTITY = ("Student", "ID", "SIS User ID", "SIS Login ID", "Section")


def _column_header(data: ExportInput) -> str:
    name = data.options.assignment_name
    column_id = data.options.column_id
    if column_id is None and data.roster is not None:
        for header in data.roster.headers:
            found = re.fullmatch(r"(.*) \((\d+)\)", header.strip())
            if found and found.group(1).strip().casefold() == name.strip().casefold():
                return header.strip()
    return f"{name} ({column_id})" if column_id else name


def _is_points_row(fields: dict[str, str]) -> bool:
    """Canvas's ``Points Possible`` row (and any other row without a student id, like its posting-policy row)."""
    if fields.get("Student", "").strip().casefold() == "points possible":
        return True
    return not any(fields.get(header, "").strip() for header in ("ID", "SIS User ID", "SIS Login ID"))


class CanvasExporter:
    name = "canvas"
    description = "Canvas gradebook import CSV (Student, ID, SIS User ID, SIS Login ID, Section, <Assignment> (<id>))"
    suffix = ".csv"
    uses_roster = True
    roster_skip = staticmethod(_is_points_row)

    def render(self, data: ExportInput) -> str:
        rows = [[*IDENTITY, _column_header(data)]]
        if data.options.points_possible:
            rows.append(["Points Possible", "", "", "", "", lms_number(data.run.max)])
        for row in data.rows:
            if row.roster_row is not None:
                identity = [row.field(header) for header in IDENTITY]
            else:
                sub = row.submission
                identity = [sub.shown_name, "", sub.student_number or "", sub.student, ""]
            rows.append([*identity, data.grade(row)])
        return csv_text(rows)

    def feedback_name(self, row: ExportRow, data: ExportInput) -> str:
        download = _DOWNLOAD_NAME.match(row.submission.file.rsplit("/", 1)[-1])
        if row.roster_row is None:
            lastfirst = download.group(1).casefold() if download else file_stem(row.submission.student)
        else:
            lastfirst = re.sub(r"[^\w]|_", "", row.field("Student").casefold()) or "student"
        if download is not None:
            return f"{file_stem(lastfirst)}_{download.group(2)}_{download.group(3)}_feedback.md"
        if row.roster_row is None:
            return f"{file_stem(row.submission.student)}_feedback.md"
        return f"{file_stem(lastfirst)}_{file_stem(row.field('ID') or row.roster_row.display_name)}_feedback.md"


#: a file named by Canvas's "Download submissions": lastfirst[_LATE]_<user id>_<attachment id>_<original name>
_DOWNLOAD_NAME = re.compile(r"([^\W_]+)_(?:LATE_)?(\d+)_(\d+)_.", re.IGNORECASE)

register(CanvasExporter())
