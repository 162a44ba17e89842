"""The interface every LMS exporter implements, and what it is given."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from grader.export.roster import Matching, Roster, RosterRow
from grader.number_text import lms_number
from grader.reports.names import safe_stem
from grader.results import RunResult, SubmissionResult


class ExportError(Exception):
    """The export cannot be written (bad roster, ambiguous options); the message says what to fix."""


@dataclass(frozen=True)
class ExportOptions:
    assignment_name: str
    #: the LMS's id of the grade column (Canvas assignment id, Blackboard column id), when known
    column_id: str | None = None
    points_possible: bool = True
    #: what a roster student without a submission gets: "zero" (an explicit 0) or "blank" (the cell the LMS skips)
    missing: str = "zero"
    #: Moodle: which roster identifier to write (email, idnumber, username); None = the first the roster has
    moodle_id: str | None = None


@dataclass(frozen=True)
class ExportRow:
    """One line of the LMS file: a roster row (or one of our submissions when there is no roster)."""

    submission: SubmissionResult | None
    roster_row: RosterRow | None = None

    def field(self, header: str) -> str:
        """A roster column's value as the LMS exported it ('' without a roster)."""
        return self.roster_row.fields.get(header, "") if self.roster_row is not None else ""


@dataclass(frozen=True)
class ExportInput:
    run: RunResult
    options: ExportOptions
    roster: Roster | None
    matching: Matching | None
    rows: tuple[ExportRow, ...]

    def grade(self, row: ExportRow) -> str:
        """The grade cell: the score; for a roster student without a submission ``0`` (``--missing zero``) or
        empty (``--missing blank``: every LMS here leaves an empty cell's grade unchanged); empty for an
        unreadable file (nothing was graded; the side report lists it)."""
        if row.submission is None:
            return "0" if self.options.missing == "zero" else ""
        if row.submission.status != "graded":
            return ""
        return lms_number(row.submission.score)


@runtime_checkable
class Exporter(Protocol):
    #: the FORMAT name on the command line
    name: str
    #: one line for ``grade export --list``
    description: str
    #: file extension of the export
    suffix: str
    #: whether the format is an LMS import (takes a roster)
    uses_roster: bool

    def render(self, data: ExportInput) -> str:
        """The export file's text."""

    def feedback_name(self, row: ExportRow, data: ExportInput) -> str:
        """The file name the LMS's bulk feedback upload expects for this row's feedback."""


def file_stem(text: str) -> str:
    """``text`` made safe as (part of) a file name."""
    return safe_stem(text)
