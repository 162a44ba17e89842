"""Rows for the entries of a submissions folder (grader.submissions.listing): a reason for an entry that cannot
be read, and the shown (escaped, valid UTF-8) file name and id for a file whose name is not valid UTF-8."""

from __future__ import annotations

from pathlib import Path

from grader.results import SubmissionResult
from grader.submissions.listing import Entry, ReadableFile, UnreadableEntry, shown_name


def unreadable_row(*, entry: UnreadableEntry, max_points: float) -> SubmissionResult:
    stem = Path(entry.shown.rstrip("/")).stem or entry.shown
    return SubmissionResult(student=stem, file=entry.shown, status="unreadable", reason=f"unreadable: {entry.reason}",
                            max=max_points)


def with_shown_names(*, result: SubmissionResult, entry: Entry) -> SubmissionResult:
    """``result`` named as the reports show ``entry`` (the reader saw the file-system name)."""
    if isinstance(entry, ReadableFile) and result.file == entry.shown and shown_name(result.student) == result.student:
        return result
    return result.model_copy(update={"file": entry.shown, "student": shown_name(result.student)})
