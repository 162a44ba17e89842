"""What the review page shows, computed from the last run's results.json and the current overrides.yaml.

results.json is what the last ``grade`` run wrote, with the decisions of that time already applied. The page
must show the decisions saved since then too, so it undoes the applied ones (each part back to the grader's own
verdict and score), applies the current overrides.yaml with the same library call ``grade`` uses, and shows
both: the answer groups of the grader's verdicts (what needs a person) and each member's state after the
decisions (decided, by whom, or still waiting). Nothing here writes a file."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from grader.problems.models import Assignment
from grader.reports.names import report_stems
from grader.results import AnswerGroup, PartResult, RunResult, StaleOverride, SubmissionResult
from grader.review.groups import group_key, with_groups
from grader.review.overrides import Override, apply_overrides
from grader.verdicts import REVIEW_VERDICTS


@dataclass(frozen=True)
class Member:
    """One student's part in an answer group: as the grader left it and as it stands with the decisions."""

    submission: SubmissionResult
    auto: PartResult
    now: PartResult
    anchor: str
    #: the student's page in the reports folder (relative to it), None when the run wrote none
    page: str | None

    @property
    def flagged(self) -> bool:
        return self.auto.verdict in REVIEW_VERDICTS

    @property
    def decided(self) -> bool:
        return self.now.verdict == "overridden"


@dataclass(frozen=True)
class GroupView:
    part_id: str
    group: AnswerGroup
    members: tuple[Member, ...]
    anchor: str
    #: the overrides.yaml entry deciding this group, if any (applied or not)
    decision: Override | None

    @property
    def flagged(self) -> tuple[Member, ...]:
        return tuple(m for m in self.members if m.flagged)

    @property
    def decided(self) -> bool:
        return all(m.decided for m in self.flagged)

    @property
    def decided_count(self) -> int:
        return sum(1 for m in self.flagged if m.decided)

    @property
    def sample(self) -> Member:
        """The member whose evidence the group shows (the first one waiting for a person)."""
        return self.flagged[0] if self.flagged else self.members[0]


@dataclass(frozen=True)
class PartView:
    part_id: str
    prompt: str
    type: str
    points: float
    key_idea: str | None
    reference: str | None
    groups: tuple[GroupView, ...]

    @property
    def students(self) -> int:
        return sum(len(g.flagged) for g in self.groups)


@dataclass(frozen=True)
class Queue:
    assignment: str
    title: str
    parts: tuple[PartView, ...]
    stale: tuple[StaleOverride, ...]
    #: parts whose decision is saved in overrides.yaml but not yet in the last run's grades.csv
    pending: int

    @property
    def groups(self) -> tuple[GroupView, ...]:
        return tuple(g for p in self.parts for g in p.groups)

    @property
    def decided_groups(self) -> int:
        return sum(1 for g in self.groups if g.decided)

    @property
    def flagged_members(self) -> int:
        return sum(len(g.flagged) for g in self.groups)

    @property
    def decided_members(self) -> int:
        return sum(g.decided_count for g in self.groups)

    def group(self, *, part_id: str, key: str) -> GroupView | None:
        return next((g for g in self.groups if g.part_id == part_id and g.group.key == key), None)

    def member(self, *, part_id: str, file: str) -> Member | None:
        return next((m for g in self.groups if g.part_id == part_id for m in g.members if m.submission.file == file),
                    None)


def anchor(*words: str) -> str:
    """A stable HTML id for hostile text (part ids, answer keys, file names)."""
    return hashlib.sha256("\0".join(words).encode("utf-8")).hexdigest()[:12]


def _auto_part(part: PartResult) -> PartResult:
    if part.verdict != "overridden" or part.auto_verdict is None:
        return part
    score = part.auto_score if part.auto_score is not None else 0.0
    return part.model_copy(update={"verdict": part.auto_verdict, "score": score, "auto_verdict": None,
                                   "auto_score": None, "override": None, "feedback": ""})


def without_overrides(run: RunResult) -> RunResult:
    """The run as the grader left it: every applied decision undone, groups recomputed."""
    submissions = []
    for submission in run.submissions:
        if not any(p.verdict == "overridden" for p in submission.parts.values()):
            submissions.append(submission)
            continue
        parts = {pid: _auto_part(part) for pid, part in submission.parts.items()}
        submissions.append(submission.model_copy(update={"parts": parts,
                                                         "score": round(sum(p.score for p in parts.values()), 4)}))
    return with_groups(run.model_copy(update={"submissions": tuple(submissions), "stale_overrides": ()}))


def build_queue(*, run: RunResult, overrides: Sequence[Override], assignment: Assignment | None,
                reports_dir: Path) -> Queue:
    """The review queue of ``run`` (a results.json) with ``overrides`` (all of overrides.yaml) applied."""
    auto = without_overrides(run)
    now, stale = apply_overrides(auto, overrides)
    pages = _pages(run=run, reports_dir=reports_dir)
    now_parts = {s.file: s.parts for s in now.submissions}
    mine = [o for o in overrides if o.assignment == run.assignment]
    parts = []
    for pid in auto.part_ids:
        groups = []
        for group in auto.groups.get(pid, ()):
            if not group.flagged:
                continue
            members = tuple(
                Member(submission=s, auto=s.parts[pid], now=now_parts[s.file][pid], anchor="s-" + anchor(pid, s.file),
                       page=pages.get(s.file))
                for s in auto.submissions
                if s.status == "graded" and pid in s.parts and group_key(s.parts[pid]) == group.key)
            decision = next((o for o in mine if o.part == pid and o.group == group.key), None)
            groups.append(GroupView(part_id=pid, group=group, members=members, anchor="g-" + anchor(pid, group.key),
                                    decision=decision))
        if groups:
            parts.append(_part_view(part_id=pid, assignment=assignment, groups=tuple(groups)))
    return Queue(assignment=run.assignment, title=run.title, parts=tuple(parts), stale=stale,
                 pending=_pending(before=run, after=now))


def _part_view(*, part_id: str, assignment: Assignment | None, groups: tuple[GroupView, ...]) -> PartView:
    sample = groups[0].sample.auto
    try:
        spec = assignment.part(part_id) if assignment is not None else None
    except KeyError:
        spec = None
    if spec is None:
        return PartView(part_id=part_id, prompt="", type="", points=sample.max, key_idea=None,
                        reference=sample.reference, groups=groups)
    return PartView(part_id=part_id, prompt=spec.prompt.strip(), type=spec.type, points=sample.max,
                    key_idea=(spec.key_idea or "").strip() or None, reference=sample.reference, groups=groups)


def _pages(*, run: RunResult, reports_dir: Path) -> dict[str, str]:
    """file -> its student page relative to the reports folder (the names ``grade`` gives them)."""
    stems = report_stems(s.file for s in run.submissions)
    out = {}
    for file, stem in stems.items():
        relative = f"students/{stem}.html"
        if (Path(reports_dir) / relative).is_file():
            out[file] = relative
    return out


def _pending(*, before: RunResult, after: RunResult) -> int:
    """Parts whose score or decision differs between the last run and the current decisions."""
    old = {(s.file, pid): p for s in before.submissions for pid, p in s.parts.items()}
    changed = 0
    for submission in after.submissions:
        for pid, part in submission.parts.items():
            was = old.get((submission.file, pid))
            if was is not None and (was.verdict, was.score, was.override) != (part.verdict, part.score, part.override):
                changed += 1
    return changed
