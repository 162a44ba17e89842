"""Answer groups: per part, the students who gave the same normalised answer, so a person reviews each
distinct answer once instead of every paper.

The key of a part's answer is the answer type's canonical (shown) form when the part was read, else the
answer text with its whitespace collapsed; parts without an answer are not grouped. Deterministic: the same
submissions give the same groups in the same order (flagged groups first, then the largest, then by key)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from grader.results import REVIEW_VERDICTS, AnswerGroup, PartResult, RunResult, SubmissionResult


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
    graded = sorted((s for s in submissions if s.status == "graded"), key=lambda s: s.file)
    out: dict[str, tuple[AnswerGroup, ...]] = {}
    for pid in part_ids:
        members: dict[str, list[tuple[SubmissionResult, PartResult]]] = {}
        for submission in graded:
            part = submission.parts.get(pid)
            key = group_key(part) if part is not None else None
            if key is not None:
                members.setdefault(key, []).append((submission, part))
        groups = [_group(key=key, members=rows) for key, rows in members.items()]
        groups.sort(key=lambda g: (g.flagged == 0, -g.count, g.key))
        out[pid] = tuple(groups)
    return out


def _group(*, key: str, members: list[tuple[SubmissionResult, PartResult]]) -> AnswerGroup:
    autos = [_auto(part) for _, part in members]
    verdicts: dict[str, int] = {}
    for verdict, _ in autos:
        verdicts[verdict] = verdicts.get(verdict, 0) + 1
    uniform_verdict = len(verdicts) == 1
    scores = {score for _, score in autos}
    suggested = {part.suggested_score for _, part in members}
    first = members[0][1]
    return AnswerGroup(
        key=key, answer=normalised_text(first.answer), count=len(members),
        verdict=autos[0][0] if uniform_verdict else "mixed",
        score=next(iter(scores)) if len(scores) == 1 else None,
        suggested_score=next(iter(suggested)) if len(suggested) == 1 else None,
        verdicts=dict(sorted(verdicts.items())),
        flagged=sum(1 for _, part in members if part.verdict in REVIEW_VERDICTS),
        overridden=sum(1 for _, part in members if part.verdict == "overridden"),
        students=tuple(sorted(submission.student for submission, _ in members)),
    )


def with_groups(run: RunResult) -> RunResult:
    """The run with its answer groups (re)computed from its submissions."""
    return run.model_copy(update={"groups": answer_groups(part_ids=run.part_ids, submissions=run.submissions)})
