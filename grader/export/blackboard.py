"""Blackboard Grade Center upload CSV (Work Offline > Upload), every field quoted as Blackboard asks.

Columns ``"Last Name","First Name","Username","Student ID","Last Access","Availability","<Column> [Total Pts: N
Score] |<id>"``. Blackboard matches students by ``Username`` and the grade column by the ``|<id>`` its own
download puts in the header: the id comes from ``--column-id`` or from the roster (a Grade Center download) column
``<Column> [Total Pts: …] |<id>`` with the same name; without one Blackboard creates a new column.
Without a roster: ``Username`` = our id, ``Student ID`` = the student number, the name split at its last space
(or at the comma of "Last, First").

Missing: ``0`` by default, an empty cell with ``--missing blank`` (left unchanged on upload).

Feedback files: ``<Column>_<Username>_feedback.md``, named like the files of Blackboard's "Assignment File
Download" (``<Column>_<Username>_attempt_…``), for the instructor to attach by hand or by a script."""

from __future__ import annotations

import re

from grader.export.base import ExportInput, ExportRow, file_stem
from grader.export.cells import csv_text
from grader.export.registry import register
from grader.number_text import lms_number

IDENTITY = ("Last Name", "First Name", "Username", "Student ID", "Last Access", "Availability")


def _split_name(name: str) -> tuple[str, str]:
    if "," in name:
        last, first = name.split(",", 1)
        return last.strip(), first.strip()
    first, _, last = name.strip().rpartition(" ")
    return last, first


def _column_header(data: ExportInput) -> str:
    name = data.options.assignment_name
    base = f"{name} [Total Pts: {lms_number(data.run.max)} Score]"
    column_id = data.options.column_id
    if column_id is None and data.roster is not None:
        for header in data.roster.headers:
            found = re.fullmatch(r"(.*?) \[Total Pts: [^\]]*\] \|(\d+)", header.strip())
            if found and found.group(1).strip().casefold() == name.strip().casefold():
                column_id = found.group(2)
    return f"{base} |{column_id}" if column_id else base


class BlackboardExporter:
    name = "blackboard"
    description = "Blackboard Grade Center upload CSV (every field quoted, column '<name> [Total Pts: N Score] |<id>')"
    suffix = ".csv"
    uses_roster = True

    def render(self, data: ExportInput) -> str:
        rows = [[*IDENTITY, _column_header(data)]]
        for row in data.rows:
            if row.roster_row is not None:
                identity = [row.field(header) for header in IDENTITY]
            else:
                sub = row.submission
                last, first = _split_name(sub.shown_name)
                identity = [last, first, sub.student, sub.student_number or "", "", "Available"]
            rows.append([*identity, data.grade(row)])
        return csv_text(rows, quote_all=True)

    def feedback_name(self, row: ExportRow, data: ExportInput) -> str:
        username = row.field("Username") if row.roster_row is not None else row.submission.student
        return f"{file_stem(data.options.assignment_name)}_{file_stem(username)}_feedback.md"


register(BlackboardExporter())
