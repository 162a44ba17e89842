"""Two files claiming one student id (a structured ``student:``, or two files with the same name in different
folders): both are graded, and each is flagged with the other files, so a person decides who handed in what."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Protocol

from grader.results import RunResult


def id_key(student: str) -> str:
    return " ".join(student.split()).casefold()


def flag_duplicate_ids(run: RunResult) -> RunResult:
    files: dict[str, list[str]] = defaultdict(list)
    for submission in run.submissions:
        files[id_key(submission.student)].append(submission.file)
    if all(len(names) == 1 for names in files.values()):
        return run
    flagged = tuple(
        submission.model_copy(update={"same_student": tuple(f for f in files[id_key(submission.student)]
                                                             if f != submission.file)})
        if len(files[id_key(submission.student)]) > 1 else submission
        for submission in run.submissions)
    return run.model_copy(update={"submissions": flagged})


class Claim(Protocol):
    """A row of the run claiming a student id (a SubmissionResult, or the class reports' ClassRow)."""

    @property
    def student(self) -> str: ...
    @property
    def file(self) -> str: ...
    @property
    def same_student(self) -> tuple[str, ...]: ...


def duplicate_ids(run: RunResult) -> dict[str, tuple[str, ...]]:
    """Student id -> the files claiming it, for ids claimed by more than one file."""
    return claimed_by_several(run.submissions)


def claimed_by_several(rows: Iterable[Claim]) -> dict[str, tuple[str, ...]]:
    """:func:`duplicate_ids` of the rows (flagged already: ``same_student``), in file order."""
    out: dict[str, tuple[str, ...]] = {}
    for row in rows:
        if row.same_student and row.student not in out:
            out[row.student] = tuple(sorted((row.file, *row.same_student)))
    return out
