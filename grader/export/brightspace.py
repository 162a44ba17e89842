"""D2L Brightspace grades import CSV (Grades > Enter Grades > Import).

Columns ``OrgDefinedId,Username,<Item> Points Grade,End-of-Line Indicator``; the last column holds ``#`` on every
row, as Brightspace's own export and sample import file do. Brightspace matches by ``OrgDefinedId`` or
``Username`` (copied verbatim from the roster, a Brightspace grades export, including the ``#`` it puts before
usernames) and the grade item by its name. Without a roster: ``OrgDefinedId`` = the student number, ``Username``
= our id.

Missing: ``0`` by default, an empty cell with ``--missing blank`` (Brightspace skips empty grades).

Feedback files: ``<OrgDefinedId>_<Username>_feedback.md`` (the username without its ``#``) (Brightspace's bulk feedback upload goes through the
assignment's folders, not file names; these names make the by-hand attachment unambiguous)."""

from __future__ import annotations

from grader.export.base import ExportInput, ExportRow, file_stem
from grader.export.registry import register


class BrightspaceExporter:
    name = "brightspace"
    description = "D2L Brightspace grades import CSV (OrgDefinedId, Username, <Item> Points Grade, End-of-Line Indicator)"
    suffix = ".csv"
    uses_roster = True

    def render(self, data: ExportInput) -> str:
        from grader.export.cells import csv_text

        rows = [["OrgDefinedId", "Username", f"{data.options.assignment_name} Points Grade", "End-of-Line Indicator"]]
        for row in data.rows:
            if row.roster_row is not None:
                ids = [row.field("OrgDefinedId"), row.field("Username")]
            else:
                ids = [row.submission.student_number or "", row.submission.student]
            rows.append([*ids, data.grade(row), "#"])
        return csv_text(rows)

    def feedback_name(self, row: ExportRow, data: ExportInput) -> str:
        if row.roster_row is None:
            ids = (row.submission.student_number, row.submission.student)
        else:
            ids = (row.field("OrgDefinedId"), row.field("Username").lstrip("#"))
        return "_".join(file_stem(value) for value in ids if value) + "_feedback.md"


register(BrightspaceExporter())
