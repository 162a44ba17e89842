"""Class-level numbers for the end-of-run summary and the class report, counted one submission at a time
(:class:`ClassTally`), so a run of any size is summed without holding its submissions."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from grader.reports.class_row import ClassRow
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
    decided: int = 0  # parts whose score a person's decision set


class ClassTally:
    """The numbers of a run's submissions, added in file order (``part_ids``: the run's graded parts)."""

    def __init__(self, *, part_ids: Iterable[str], max_points: float) -> None:
        self.part_ids, self.max_points = tuple(part_ids), max_points
        self.files = 0
        self.scores: list[float] = []  # of the graded submissions, in file order
        self.unreadable: list[tuple[str, str]] = []  # (file, reason)
        self.flagged_by_part = dict.fromkeys(self.part_ids, 0)
        self.verdicts: dict[str, dict[str, int]] = {pid: {} for pid in self.part_ids}  # graded: part -> verdict -> n
        self.decided = 0  # parts a person's decision settled
        self.whole_files = 0  # graded files to look at as a whole
        self._shares: dict[str, float] = dict.fromkeys(self.part_ids, 0)  # sum of score / max (as sum() adds)

    def add(self, submission: ClassRow) -> None:
        self.files += 1
        if submission.status != "graded":
            self.unreadable.append((submission.file, submission.reason or ""))
            return
        self.scores.append(submission.score)
        self.whole_files += submission.file_review is not None
        for pid in self.part_ids:
            part = submission.parts[pid]
            self.flagged_by_part[pid] += part.verdict in REVIEW_VERDICTS
            if part.max:
                self._shares[pid] += part.score / part.max
        for pid, counts in self.verdicts.items():
            found = submission.parts.get(pid)
            if found is not None:
                counts[found.verdict] = counts.get(found.verdict, 0) + 1
        self.decided += sum(1 for part in submission.parts.values() if part.verdict == "overridden")

    def summary(self) -> RunSummary:
        graded = len(self.scores)
        return RunSummary(
            files=self.files, graded=graded, unreadable=tuple(self.unreadable),
            mean_score=(sum(self.scores) / graded) if graded else None, max_points=self.max_points,
            flagged_parts=sum(self.flagged_by_part.values()), flagged_by_part=dict(self.flagged_by_part),
            mean_by_part={pid: (share / graded) if graded else 0.0 for pid, share in self._shares.items()},
            decided=self.decided)


def class_tally(*, run: RunResult) -> ClassTally:
    tally = ClassTally(part_ids=run.part_ids, max_points=run.max)
    for submission in run.submissions:
        tally.add(ClassRow.of(submission))
    return tally


def summarize(*, run: RunResult) -> RunSummary:
    return class_tally(run=run).summary()
