"""The class page's review queue: per part, the flagged students grouped by answer (group_key), largest group
first, each distinct answer shown once.

Counted one submission at a time, in file order (:class:`ReviewTally`): a group keeps the evidence of its first
:data:`REVIEW_STUDENTS_SHOWN` students and only the names of the others, and a part or group keeps at most two
distinct values of what it shows once for everyone (prompt, reason, suggested score), so the queue of a run of any
size is made without holding its submissions.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import cast

from markupsafe import Markup

from grader.number_text import shown_points
from grader.problems.models import Assignment
from grader.reports.html.fragments import line_span, quote_lines
from grader.reports.html.math_render import code_html, render_answer
from grader.reports.html.who import Who, href_of, who_of
from grader.results import AnswerGroup, PartResult, SubmissionResult
from grader.review.groups import group_key
from grader.variants.apply import shown_prompt

#: students of one answer group shown with their evidence; the others are named only
REVIEW_STUDENTS_SHOWN = 40


@dataclass(frozen=True)
class Flagged:
    """One student's flagged part in an answer group; an optional field is None when the group or
    the part shows it once for everyone."""

    who: Who
    href: str | None
    where: str
    quote: tuple[tuple[str, str], ...]
    candidates: tuple[Markup, ...]
    notes: tuple[str, ...]
    prompt: str | None
    feedback: str | None
    suggested: str | None


@dataclass(frozen=True)
class ReviewGroup:
    """The flagged students of one part who gave the same answer: the answer is shown once."""

    answer: Markup | None
    key: Markup | None
    verdict: str
    suggested: str | None
    feedback: str | None
    students: tuple[Flagged, ...]
    #: students beyond REVIEW_STUDENTS_SHOWN, by name only
    more: tuple[str, ...]
    #: students with the same answer whose part is not waiting for a person
    others: int


@dataclass(frozen=True)
class ReviewPart:
    pid: str
    students: int
    prompt: str | None
    feedback: str | None
    groups: tuple[ReviewGroup, ...]


class _Distinct:
    """Up to two distinct values: enough to tell whether all the values seen were one."""

    def __init__(self) -> None:
        self._values: list[str] = []

    def add(self, value: str) -> None:
        if len(self._values) < 2 and value not in self._values:
            self._values.append(value)

    def shared(self) -> str | None:
        """The one value seen, else None (none seen, or several)."""
        return self._values[0] if len(self._values) == 1 else None


@dataclass(frozen=True)
class _Shown:
    who: Who
    href: str | None
    part: PartResult
    prompt: str


@dataclass
class _Group:
    count: int = 0
    shown: list[_Shown] = field(default_factory=list)
    more: list[str] = field(default_factory=list)
    feedback: _Distinct = field(default_factory=_Distinct)
    suggested: _Distinct = field(default_factory=_Distinct)
    verdict: _Distinct = field(default_factory=_Distinct)


@dataclass
class _Part:
    count: int = 0
    prompt: _Distinct = field(default_factory=_Distinct)
    feedback: _Distinct = field(default_factory=_Distinct)
    groups: dict[str | None, _Group] = field(default_factory=dict)


class ReviewTally:
    """The review queue of a run, from its submissions added in file order."""

    def __init__(self, *, assignment: Assignment, stems: Mapping[str, str]) -> None:
        self.assignment, self.stems = assignment, stems
        self._parts: dict[str, _Part] = {}

    def add(self, submission: SubmissionResult) -> None:
        if submission.status != "graded":
            return
        for pid in submission.flagged:
            part = submission.parts[pid]
            tally = self._parts.setdefault(pid, _Part())
            group = tally.groups.setdefault(group_key(part), _Group())
            prompt = _prompt(assignment=self.assignment, pid=pid, submission=submission)
            tally.count += 1
            tally.prompt.add(prompt)
            tally.feedback.add(_feedback(part))
            group.count += 1
            group.feedback.add(_feedback(part))
            group.suggested.add(_suggested(part))
            group.verdict.add(part.verdict)
            if len(group.shown) < REVIEW_STUDENTS_SHOWN:
                group.shown.append(_Shown(who=who_of(submission), href=href_of(submission, self.stems), part=part,
                                          prompt=prompt))
            else:
                group.more.append(submission.student)

    def parts(self, *, part_ids: Iterable[str], groups: Mapping[str, tuple[AnswerGroup, ...]]) -> tuple[ReviewPart, ...]:
        """The queue, parts in the run's order (``groups``: the run's answer groups, for the unflagged members)."""
        order = {pid: i for i, pid in enumerate(part_ids)}
        out = []
        for pid in sorted(self._parts, key=lambda p: (order.get(p, len(order)), p)):
            tally = self._parts[pid]
            keys = sorted(tally.groups, key=lambda k: (-tally.groups[k].count, k is None, k or ""))
            prompt, feedback = tally.prompt.shared(), tally.feedback.shared()
            sizes: dict[str | None, int] = {g.key: g.count for g in groups.get(pid, ())}
            out.append(ReviewPart(pid=pid, students=tally.count, prompt=prompt or None, feedback=feedback,
                                  groups=tuple(_review_group(key=k, group=tally.groups[k], part_prompt=prompt,
                                                             part_feedback=feedback, size=sizes.get(k, 0))
                                               for k in keys)))
        return tuple(out)


def review_parts(*, submissions: Iterable[SubmissionResult], part_ids: Iterable[str],
                 groups: Mapping[str, tuple[AnswerGroup, ...]], assignment: Assignment,
                 stems: Mapping[str, str]) -> tuple[ReviewPart, ...]:
    """The review queue of ``submissions`` (in file order)."""
    tally = ReviewTally(assignment=assignment, stems=stems)
    for submission in submissions:
        tally.add(submission)
    return tally.parts(part_ids=part_ids, groups=groups)


def _feedback(part: PartResult) -> str:
    return part.feedback or "No reason recorded."


def _prompt(*, assignment: Assignment, pid: str, submission: SubmissionResult) -> str:
    try:
        return shown_prompt(assignment=assignment, part_id=pid, variant=submission.variant).strip()
    except KeyError:
        return ""


def _suggested(part: PartResult) -> str:
    if part.suggested_score is None:
        return "—"
    return f"{shown_points(part.suggested_score)} / {shown_points(part.max)}"


def _review_group(*, key: str | None, group: _Group, part_prompt: str | None, part_feedback: str | None,
                  size: int) -> ReviewGroup:
    first = group.shown[0].part
    feedback = None if part_feedback is not None else group.feedback.shared()
    suggested = group.suggested.shared()  # "—" when no member has one: nothing to show
    shown = tuple(_flagged(member=m, prompt=None if part_prompt is not None else m.prompt,
                           feedback=None if part_feedback is not None or feedback is not None else _feedback(m.part),
                           suggested=None if suggested is not None or _suggested(m.part) == "—" else _suggested(m.part))
                  for m in group.shown)
    answer = " ".join((first.answer or "").split())
    return ReviewGroup(
        answer=render_answer(text=answer[:600]).html if answer else None,
        key=code_html(text=key, limit=200) if key is not None and key != answer else None,
        verdict=group.verdict.shared() or "mixed", suggested=suggested if suggested != "—" else None,
        feedback=feedback, students=shown, more=tuple(group.more), others=max(0, size - group.count),
    )


def _flagged(*, member: _Shown, prompt: str | None, feedback: str | None, suggested: str | None) -> Flagged:
    """One student's evidence; the quote and candidates only where they say more than the group's answer."""
    part = member.part
    answer = " ".join((part.answer or "").split())
    evidence = part.evidence
    where, quote = "", cast(tuple[tuple[str, str], ...], ())
    if evidence is not None and (evidence.quote or evidence.line_start):
        span = line_span(evidence=evidence)
        where = f"{'found at ' + span + ' ' if span else ''}({evidence.source}, confidence {evidence.confidence:.0%})"
        text = evidence.quote or part.answer or ""
        if " ".join(text.split()) != answer:
            quote = quote_lines(text=text, first_line=evidence.line_start)
    candidates = tuple(code_html(text=c, limit=300) for c in part.candidates if " ".join(c.split()) != answer)
    return Flagged(who=member.who, href=member.href, where=where, quote=quote, candidates=candidates,
                   notes=tuple(part.notes), prompt=prompt, feedback=feedback, suggested=suggested)
