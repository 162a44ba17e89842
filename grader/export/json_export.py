"""A compact JSON of the grades: per student the id, name, student number, file, status, total and the score of
each part (``results.json`` holds everything else). No roster; feedback files: ``<student id>.md``."""

from __future__ import annotations

import json

from grader.export.base import ExportInput, ExportRow, file_stem
from grader.export.registry import register


class JsonExporter:
    name = "json"
    description = "compact JSON: per student id, name, student number, file, status, score, max and part scores"
    suffix = ".json"
    uses_roster = False

    def render(self, data: ExportInput) -> str:
        run = data.run
        students = [{"student": sub.student, "name": sub.student_name, "student_number": sub.student_number,
                     "file": sub.file, "status": sub.status, "score": sub.score, "max": sub.max,
                     "parts": {pid: part.score for pid, part in sub.parts.items()}} for sub in run.submissions]
        payload = {"assignment": run.assignment, "title": run.title, "max": run.max, "part_ids": list(run.part_ids),
                   "students": students}
        return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"

    def feedback_name(self, row: ExportRow, data: ExportInput) -> str:
        return f"{file_stem(row.submission.student)}.md"


register(JsonExporter())
