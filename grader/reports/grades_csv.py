"""``grades.csv``: one row per submission, one column per part. ``needs_review`` lists the parts a person
must look at, led by ``file`` when the whole file must be (its layout was not recognised)."""

from __future__ import annotations

import csv
import io

from grader.results import RunResult


def _number(value: float) -> str:
    return f"{value:g}"


def grades_csv(*, run: RunResult) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["student", "file", *run.part_ids, "total", "max", "status", "needs_review"])
    for submission in run.submissions:
        scores = [_number(submission.parts[pid].score) if pid in submission.parts else "" for pid in run.part_ids]
        writer.writerow([_safe_cell(submission.student), _safe_cell(submission.file), *scores,
                         _number(submission.score), _number(submission.max), submission.status,
                         " ".join((["file"] if submission.file_review is not None else []) + list(submission.flagged))])
    return buffer.getvalue()


def _safe_cell(text: str) -> str:
    """Neutralise spreadsheet formulas in student-controlled cells (CSV injection)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
