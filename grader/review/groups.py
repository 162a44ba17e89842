"""Answer groups: per part, the students who gave the same normalised answer, so a person reviews each
distinct answer once instead of every paper.

The key of a part's answer is the answer type's canonical (shown) form when the part was read, else the
answer text with its whitespace collapsed; parts without an answer are not grouped. Deterministic: the same
submissions give the same groups in the same order (flagged groups first, then the largest, then by key)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from grader.bounded_cache import BoundedCache
from grader.results import AnswerGroup, PartResult, RunResult, SubmissionResult
from grader.verdicts import REVIEW_VERDICTS


def _get(part: PartResult | Mapping[str, Any], name: str) -> Any:
    return part.get(name) if isinstance(part, Mapping) else getattr(part, name)


def normalised_text(text: str | None) -> str:
    return " ".join((text or "").split())


def group_key(part: PartResult | Mapping[str, Any]) -> str | None:
    """The group key of a part (a PartResult or its results.json dict), None when it has no answer."""
    answer = _get(part, "answer")
    if not normalised_text(answer):
        return None
    canonical = normalised_text(_get(part, "canonical"))
    return canonical or normalised_text(answer)


def _auto(part: PartResult) -> tuple[str, float]:
    """The grader's own verdict and score (before any override)."""
    if part.auto_verdict is not None:
        return part.auto_verdict, part.auto_score if part.auto_score is not None else part.score
    return part.verdict, part.score


def answer_groups(*, part_ids: Iterable[str], submissions: Iterable[SubmissionResult]) -> dict[str, tuple[AnswerGroup, ...]]:
    groups = GroupTally(part_ids=part_ids)
    for submission in submissions:
        groups.add(submission)
    return groups.groups()


@dataclass
class _Members:
    """What an answer group needs of its members, gathered one submission at a time."""

    first: tuple[str, str]  # (file, normalised answer) of the member first by file name
    verdicts: dict[str, int] = field(default_factory=dict)
    scores: set[float] = field(default_factory=set)
    suggested: set[float | None] = field(default_factory=set)
    flagged: int = 0
    overridden: int = 0
    students: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class GroupRow:
    """One answered part of one submission, as its answer group counts it (small: a streamed run's workers
    send these instead of the submission)."""

    part_id: str
    key: str
    answer: str  # normalised
    auto_verdict: str
    auto_score: float
    suggested: float | None
    flagged: bool
    overridden: bool


def group_rows(submission: SubmissionResult, *, part_ids: Iterable[str]) -> tuple[GroupRow, ...]:
    """The rows ``submission`` adds to the answer groups of ``part_ids`` (none when it was not graded)."""
    if submission.status != "graded":
        return ()
    rows = []
    for pid in part_ids:
        part = submission.parts.get(pid)
        if part is not None and part.answer:
            row = _group_row(pid, part)
            if row is not None:
                rows.append(row)
    return tuple(rows)


#: rows by what they are made of: frozen, so one serves every student with the same answer and verdict (the
#: oldest forgotten first); the points by their repr, so a -0.0 is never served a 0.0
#: ~0.6 kB a row: over a worker's 5 000 files of a 10 000-file class (6 850 distinct), 4096 held ~2.4 MB for
#: ~3 550 made, 2048 hold ~1.2 MB for ~3 780
ROW_CACHE_SIZE = 2048
_ROWS: BoundedCache[tuple[object, ...], GroupRow | None] = BoundedCache(ROW_CACHE_SIZE)


def _group_row(pid: str, part: PartResult) -> GroupRow | None:
    key = (pid, part.answer, part.canonical, part.verdict, repr(part.score), part.auto_verdict, repr(part.auto_score),
           repr(part.suggested_score))
    if key in _ROWS:
        return _ROWS.get(key)
    group = group_key(part)
    row = None
    if group is not None:
        verdict, score = _auto(part)
        row = GroupRow(part_id=pid, key=group, answer=normalised_text(part.answer), auto_verdict=verdict,
                       auto_score=score, suggested=part.suggested_score, flagged=part.verdict in REVIEW_VERDICTS,
                       overridden=part.verdict == "overridden")
    return _ROWS.put(key, row)


class GroupTally:
    """The answer groups of a run, counted as its submissions arrive (in any order): a streamed run never holds
    its submissions to group them; :func:`answer_groups` is this over a list."""

    def __init__(self, *, part_ids: Iterable[str]) -> None:
        self.part_ids = tuple(part_ids)
        self._members: dict[str, dict[str, _Members]] = {pid: {} for pid in self.part_ids}

    def add(self, submission: SubmissionResult) -> None:
        self.add_rows(file=submission.file, student=submission.student,
                      rows=group_rows(submission, part_ids=self.part_ids))

    def add_rows(self, *, file: str, student: str, rows: Iterable[GroupRow]) -> None:
        for row in rows:
            members = self._members[row.part_id]
            tally = members.get(row.key)
            if tally is None:
                tally = members[row.key] = _Members(first=(file, row.answer))
            elif file < tally.first[0]:
                tally.first = (file, row.answer)
            tally.verdicts[row.auto_verdict] = tally.verdicts.get(row.auto_verdict, 0) + 1
            tally.scores.add(row.auto_score)
            tally.suggested.add(row.suggested)
            tally.flagged += row.flagged
            tally.overridden += row.overridden
            tally.students.append(student)

    def groups(self) -> dict[str, tuple[AnswerGroup, ...]]:
        out: dict[str, tuple[AnswerGroup, ...]] = {}
        for pid, members in self._members.items():
            groups = [_group(key=key, row=row) for key, row in members.items()]
            groups.sort(key=lambda g: (g.flagged == 0, -g.count, g.key))
            out[pid] = tuple(groups)
        return out


def _group(*, key: str, row: _Members) -> AnswerGroup:
    uniform_verdict = len(row.verdicts) == 1
    return AnswerGroup(
        key=key, answer=row.first[1], count=len(row.students),
        verdict=next(iter(row.verdicts)) if uniform_verdict else "mixed",
        score=next(iter(row.scores)) if len(row.scores) == 1 else None,
        suggested_score=next(iter(row.suggested)) if len(row.suggested) == 1 else None,
        verdicts=dict(sorted(row.verdicts.items())),
        flagged=row.flagged, overridden=row.overridden, students=tuple(sorted(row.students)),
    )


def with_groups(run: RunResult) -> RunResult:
    """The run with its answer groups (re)computed from its submissions."""
    return run.model_copy(update={"groups": answer_groups(part_ids=run.part_ids, submissions=run.submissions)})
