"""``grades.csv``: one row per submission, one column per part. ``needs_review`` lists the parts a person
must look at, led by ``file`` when the whole file must be (its layout was not recognised); ``overridden`` lists
the parts whose score a person set (overrides.yaml)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from grader.export.cells import csv_text
from grader.number_text import shown_points
from grader.reports.class_row import ClassRow
from grader.results import RunResult


def grades_csv_chunks(*, run: RunResult, rows: Iterable[ClassRow] | None = None,
                      lines: Iterable[str] | None = None) -> Iterator[str]:
    """``grades.csv`` of ``run`` one row at a time (written to disk as it is made: never one string);
    ``rows``: its submissions' rows, in file order, when ``run`` does not hold them (a streamed run), or
    ``lines``: those rows' lines, made (:func:`grades_csv_line`)."""
    yield csv_text([["student", "file", *run.part_ids, "total", "max", "status", "needs_review", "overridden"]],
                   lineterminator="\n")
    if lines is not None:
        yield from lines
        return
    for submission in (ClassRow.of(s) for s in run.submissions) if rows is None else rows:
        yield grades_csv_line(submission, part_ids=run.part_ids)


def grades_csv_line(submission: ClassRow, *, part_ids: Sequence[str]) -> str:
    """The line of ``submission`` in grades.csv (its columns ``part_ids``)."""
    # every text cell is neutralised (a formula-like id, file name, part id or flag gets a leading '); scores
    # are numbers and stay numbers, negative ones included; a cell with a CR, LF, quote or comma is quoted
    scores = [shown_points(submission.parts[pid].score) if pid in submission.parts else "" for pid in part_ids]
    flags = " ".join((["file"] if submission.file_review is not None else []) + list(submission.flagged))
    decided = " ".join(pid for pid, part in submission.parts.items() if part.verdict == "overridden")
    return csv_text([[submission.student, submission.file, *scores, shown_points(submission.score),
                      shown_points(submission.max), submission.status, flags, decided]], lineterminator="\n")


def grades_csv(*, run: RunResult) -> str:
    return "".join(grades_csv_chunks(run=run))
