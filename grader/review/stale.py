"""Stale overrides entries, found one submission at a time.

An entry is stale when what it was made for is gone (grader/review/overrides.py): a student entry whose student
has no graded file with the part, or whose file's part no longer reads the entry's answer; a group entry whose
group no student's answer is in any more. Whether an entry is stale depends on the whole run, but what each
file says about it does not: :func:`sightings` is that (made where the file was graded, small), and
:class:`StaleWatch` folds them, in any order, into the run's stale entries, holding only what the entries need.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from grader.results import StaleOverride, SubmissionResult
from grader.review.groups import group_key, normalised_text

if TYPE_CHECKING:
    from grader.review.overrides import Override

#: (index in overrides.yaml, entry), for the entries of one assignment
Entries = Sequence[tuple[int, "Override"]]


@dataclass(frozen=True)
class Sighting:
    """What one file says about one entry that concerns it: it applies (``changed`` None) or it was made for an
    answer the file's part no longer reads (``changed``: the stale record)."""

    entry: int
    changed: StaleOverride | None = None


def stale_record(*, index: int, entry: Override, now: str | None, reason: str) -> StaleOverride:
    return StaleOverride(entry=index + 1, assignment=entry.assignment, part=entry.part, student=entry.student,
                         group=entry.group, answer=entry.answer, now=now, reason=reason)


def _sighting(*, index: int, entry: Override, submission: SubmissionResult) -> Sighting | None:
    part = submission.parts.get(entry.part)
    if part is None:
        return None
    if entry.student is not None:
        if submission.student != entry.student:
            return None
        if normalised_text(part.answer) != normalised_text(entry.answer):
            return Sighting(entry=index, changed=stale_record(index=index, entry=entry, now=part.answer,
                                                              reason="the answer changed since the decision"))
        return Sighting(entry=index)
    return Sighting(entry=index) if group_key(part) == entry.group else None


def sightings(*, entries: Entries, submission: SubmissionResult) -> tuple[Sighting, ...]:
    """What ``submission`` (a row of the run, before any decision) says about ``entries``."""
    if submission.status != "graded" or not entries:
        return ()
    found = (_sighting(index=index, entry=entry, submission=submission) for index, entry in entries)
    return tuple(s for s in found if s is not None)


class StaleWatch:
    """The stale entries of a run (``entries``: those of its assignment), from each file's sightings."""

    def __init__(self, entries: Entries) -> None:
        self._entries = tuple(entries)
        self._seen: set[int] = set()
        #: (entry, student, file) -> the record of a file whose part no longer reads the entry's answer
        self._changed: dict[tuple[int, str, str], StaleOverride] = {}

    def see(self, *, file: str, found: Iterable[Sighting]) -> None:
        for sighting in found:
            self._seen.add(sighting.entry)
            if sighting.changed is not None:
                self._changed[(sighting.entry, sighting.changed.student or "", file)] = sighting.changed

    def stale(self) -> tuple[StaleOverride, ...]:
        """In entry order; an entry's changed files in file order."""
        records = [(key, record) for key, record in self._changed.items()]
        for index, entry in self._entries:
            if index not in self._seen:
                reason = (f"student {entry.student} has no graded part {entry.part} in this run"
                          if entry.student is not None else "no student's answer is in this group any more")
                records.append(((index, entry.student or "", ""), stale_record(index=index, entry=entry, now=None,
                                                                             reason=reason)))
        return tuple(record for _, record in sorted(records, key=lambda item: item[0]))
