"""Moodle grade import CSV (Grades > Import > CSV file).

Three columns: an identifier, the grade and the feedback, always together: Moodle's import of a feedback column
without a grade column clears the grades, so this exporter never writes one without the other. The identifier
is ``Email address``, ``ID number`` or ``Username`` (``--moodle-id email|idnumber|username``; by default the
first of those the roster has); map it to the same user field on Moodle's import page, and the two other
columns to the grade item and its feedback. Without a roster: ``Username`` = our id (``idnumber``: the student
number; ``email`` needs a roster).

Missing: ``0`` with the feedback "No submission received." by default; with ``--missing blank`` an empty grade
and feedback (rows Moodle skips). A row whose grade is empty (an unreadable file, a blank missing student) never
carries feedback either, so no row is a feedback-only import.

Feedback files: ``<Full name>_<participant>_assignsubmission_file_feedback.md``, the folder prefix of an
assignment's "Download all submissions" zip, which "Upload multiple feedback files in a zip" matches on: Moodle
splits the name at underscores and needs the number after the first one to be the participant number, so the full
name keeps its spaces and loses any underscore (as Moodle's own download does). The participant number is read
from a grading worksheet roster's ``Identifier`` column (``Participant 123``). A grade export has no such column:
the files are then named ``<Full name>_<ID number or e-mail or username>_feedback.md``, for attaching by hand,
without the suffix that would make Moodle's zip upload try (and fail) to match them."""

from __future__ import annotations

import re

from grader.export.base import ExportError, ExportInput, ExportRow, file_stem
from grader.export.cells import csv_text
from grader.export.registry import register
from grader.number_text import lms_number
from grader.results import SubmissionResult
from grader.verdicts import VERDICT_LABELS

#: --moodle-id choice -> (roster key, header written)
ID_KINDS = {"email": ("email", "Email address"), "idnumber": ("number", "ID number"), "username": ("login", "Username")}


def feedback_text(submission: SubmissionResult, part_ids: tuple[str, ...]) -> str:
    """A short plain-text summary for the LMS's feedback field (the full feedback goes in the files)."""
    if submission.status != "graded":
        return f"Your file could not be graded ({submission.reason}); your instructor has been told."
    lines = [f"{lms_number(submission.score)}/{lms_number(submission.max)} points."]
    short = []
    for pid in part_ids:
        part = submission.parts.get(pid)
        if part is not None and part.score < part.max:
            label = VERDICT_LABELS.get(part.verdict, part.verdict).split(" ", 1)[-1]
            short.append(f"{pid}: {lms_number(part.score)}/{lms_number(part.max)} {label}")
    if short:
        lines.append("Parts without full marks:")
        lines += short
    lines.append("The full feedback is in your feedback file.")
    return "\n".join(lines)


def _kind(data: ExportInput) -> str:
    choice = data.options.moodle_id
    if choice is not None:
        if choice not in ID_KINDS:
            raise ExportError(f"--moodle-id must be one of {', '.join(ID_KINDS)}, not {choice!r}")
        if data.roster is not None and not data.roster.has(ID_KINDS[choice][0]):
            raise ExportError(f"--moodle-id {choice}: the roster {data.roster.path} has no such column "
                              f"(headers: {', '.join(data.roster.headers)})")
        if data.roster is None and choice == "email":
            raise ExportError("--moodle-id email needs --roster (we have no e-mail addresses)")
        return choice
    if data.roster is None:
        return "username"
    for choice, (key, _) in ID_KINDS.items():
        if data.roster.has(key):
            return choice
    raise ExportError(f"the roster {data.roster.path} has no e-mail, ID number or username column")


class MoodleExporter:
    name = "moodle"
    description = "Moodle grade import CSV (identifier, grade and feedback columns)"
    suffix = ".csv"
    uses_roster = True

    def render(self, data: ExportInput) -> str:
        kind = _kind(data)
        key, header = ID_KINDS[kind]
        name = data.options.assignment_name
        rows = [[header, name, f"{name} (feedback)"]]
        for row in data.rows:
            if row.roster_row is not None:
                ident = row.roster_row.ids.get(key, "")
            else:
                ident = row.submission.student if kind == "username" else (row.submission.student_number or "")
            if row.submission is None:
                text = "No submission received." if data.options.missing == "zero" else ""
            else:
                text = feedback_text(row.submission, data.run.part_ids)
            grade = data.grade(row)
            rows.append([ident, grade, text if grade else ""])  # never feedback without its grade
        return csv_text(rows)

    def feedback_name(self, row: ExportRow, data: ExportInput) -> str:
        if row.roster_row is None:
            return f"{_name_part(row.submission.shown_name)}_{file_stem(row.submission.student)}_feedback.md"
        name = _name_part(row.roster_row.display_name)
        participant = re.fullmatch(r"\s*(?:\w+\s+)?(\d+)\s*", row.field("Identifier"))
        if participant is not None:
            return f"{name}_{participant.group(1)}_assignsubmission_file_feedback.md"
        ident = next((value for value in row.roster_row.ids.values() if value), "")
        return f"{name}_{file_stem(ident)}_feedback.md"


def _name_part(name: str) -> str:
    """A full name as the first field of a Moodle file name: spaces kept, underscores (Moodle's field separator)
    and characters unsafe in file names become spaces."""
    return " ".join(file_stem(name).replace("_", " ").split()) or "student"

register(MoodleExporter())
