"""Our own per-part CSV, for spreadsheets and other tools: ``student, name, student_number, file, <one column
per part>, total, max, status``, one row per submission, no roster. Feedback files: ``<student id>.md``."""

from __future__ import annotations

from grader.export.base import ExportInput, ExportRow, file_stem
from grader.export.cells import csv_text
from grader.export.registry import register
from grader.number_text import lms_number


class GenericCsvExporter:
    name = "csv"
    description = "per-part CSV: student, name, student_number, file, one column per part, total, max, status"
    suffix = ".csv"
    uses_roster = False

    def render(self, data: ExportInput) -> str:
        run = data.run
        rows = [["student", "name", "student_number", "file", *run.part_ids, "total", "max", "status"]]
        for sub in run.submissions:
            parts = [lms_number(sub.parts[pid].score) if pid in sub.parts else "" for pid in run.part_ids]
            rows.append([sub.student, sub.student_name or "", sub.student_number or "", sub.file, *parts,
                         lms_number(sub.score), lms_number(sub.max), sub.status])
        return csv_text(rows, lineterminator="\n")

    def feedback_name(self, row: ExportRow, data: ExportInput) -> str:
        return f"{file_stem(row.submission.student)}.md"


register(GenericCsvExporter())
