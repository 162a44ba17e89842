"""Class-level numbers for the end-of-run summary and the class report."""

from __future__ import annotations

from dataclasses import dataclass

from grader.results import RunResult
from grader.verdicts import REVIEW_VERDICTS


@dataclass(frozen=True)
class RunSummary:
    files: int
    graded: int
    unreadable: tuple[tuple[str, str], ...]
    mean_score: float | None
    max_points: float
    flagged_parts: int
    flagged_by_part: dict[str, int]
    mean_by_part: dict[str, float]


def summarize(*, run: RunResult) -> RunSummary:
    graded = [s for s in run.submissions if s.status == "graded"]
    flagged_by_part = {pid: sum(1 for s in graded if s.parts[pid].verdict in REVIEW_VERDICTS)
                       for pid in run.part_ids}
    mean_by_part = {pid: (sum(s.parts[pid].score / s.parts[pid].max for s in graded if s.parts[pid].max) / len(graded))
                    if graded else 0.0 for pid in run.part_ids}
    return RunSummary(
        files=len(run.submissions),
        graded=len(graded),
        unreadable=tuple((s.file, s.reason or "") for s in run.submissions if s.status != "graded"),
        mean_score=(sum(s.score for s in graded) / len(graded)) if graded else None,
        max_points=run.max,
        flagged_parts=sum(flagged_by_part.values()),
        flagged_by_part=flagged_by_part,
        mean_by_part=mean_by_part,
    )
