"""Turning a review form into an overrides.yaml entry, through the same library calls as ``grade override``."""

from __future__ import annotations

import math
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from grader.problems.models import Assignment
from grader.review.app.queue import Queue
from grader.review.overrides import Override, OverridesError, check_overrides, now_iso, record_override

#: longest comment kept (it is shown to the student as the part's feedback)
MAX_COMMENT = 2000
_LOCK = threading.Lock()  # one writer at a time: record_override reads, changes and replaces the file


class DecisionError(ValueError):
    """The form cannot be saved; the message says why, for the person who sent it."""


@dataclass(frozen=True)
class Saved:
    entry: Override
    replaced: bool
    #: the anchor on the review page to go back to
    anchor: str


def parse_score(text: str, *, points: float) -> float:
    """A score typed by a person: ``1``, ``0.5`` or ``0,5``, from 0 to the part's points."""
    cleaned = (text or "").strip().replace(",", ".", 1)
    try:
        value = float(cleaned)
    except ValueError:
        raise DecisionError(f"score {text.strip()[:40]!r} is not a number; give points from 0 to {points:g}") from None
    if not math.isfinite(value) or value < 0 or value > points + 1e-9:
        raise DecisionError(f"score {cleaned[:40]} is outside 0 to {points:g} points")
    return value


def _comment(form: Mapping[str, str]) -> str:
    comment = (form.get("comment") or "").replace("\r\n", "\n").strip()
    if len(comment) > MAX_COMMENT:
        raise DecisionError(f"the comment is {len(comment)} characters long; keep it under {MAX_COMMENT}")
    return comment


def decide(*, form: Mapping[str, str], queue: Queue, assignment: Assignment | None, overrides_path: Path,
           by: str) -> Saved:
    """Record the decision a form describes: ``part`` with ``key`` (a group) or ``file`` (one student's part),
    ``score`` and ``comment``. DecisionError when the form names nothing on the page or its score is out of range."""
    part_id = form.get("part") or ""
    if "key" in form:
        view = queue.group(part_id=part_id, key=form["key"])
        if view is None:
            raise DecisionError("this answer group is no longer in the review queue (was the run re-graded?); "
                                "reload the page")
        score = parse_score(form.get("score", ""), points=view.sample.auto.max)
        target = dict(group=view.group.key, answer=view.group.answer)
        where = view.anchor
    else:
        member = queue.member(part_id=part_id, file=form.get("file") or "")
        if member is None:
            raise DecisionError("this student's part is no longer in the review queue; reload the page")
        score = parse_score(form.get("score", ""), points=member.auto.max)
        target = dict(student=member.submission.student, answer=member.auto.answer)
        where = member.anchor
    try:
        entry = Override(assignment=queue.assignment, part=part_id, score=score, comment=_comment(form), by=by,
                         at=now_iso(), **target)
    except ValidationError as exc:
        raise DecisionError(str(exc.errors()[0]["msg"])) from None
    with _LOCK:
        try:
            if assignment is not None:
                check_overrides(overrides=[entry], assignment=assignment, path=overrides_path)
            entry, replaced = record_override(overrides_path, entry)
        except OverridesError as exc:
            raise DecisionError(str(exc)) from None
    return Saved(entry=entry, replaced=replaced, anchor=where)
