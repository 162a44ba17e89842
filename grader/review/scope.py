"""Which decisions of people one file's reports depend on (for reusing them on the next run).

A file's reports change with the overrides entries that concern it and with no other: the entries naming its
student (applied to its part, or stale because the part reads another answer), and the group entries whose
group one of its parts' answers is in (grader/review/overrides.py). :class:`DecisionScope` indexes a run's
entries by those two ways in, once per run, and gives each file the fingerprint of the entries that concern it
(their place in overrides.yaml included: the stale records name it). Two runs give a file the same fingerprint
exactly when the same entries, unchanged and in the same places, concern it: a TA's decision about one answer
group changes the fingerprint of the files in that group alone.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable

from grader.review.stale import Entries


class DecisionScope:
    """The entries of one assignment (``entries``: index in overrides.yaml, entry), indexed by student and by
    (part, group key)."""

    def __init__(self, entries: Entries) -> None:
        self._by_student: dict[str, list[int]] = {}
        self._by_group: dict[tuple[str, str], list[int]] = {}
        self._text: dict[int, str] = {}
        for index, entry in entries:
            self._text[index] = json.dumps([index, entry.model_dump(mode="json")], sort_keys=True)
            if entry.student is not None:
                self._by_student.setdefault(entry.student, []).append(index)
            if entry.group is not None:
                self._by_group.setdefault((entry.part, entry.group), []).append(index)

    def fingerprint(self, *, student: str, groups: Iterable[tuple[str, str]]) -> str:
        """The fingerprint of the entries that concern a file whose student id is ``student`` and whose parts'
        answers are in ``groups`` ((part id, group key) pairs); the same short text when none does."""
        if not self._text:
            return ""
        chosen = set(self._by_student.get(student, ()))
        for pair in groups:
            chosen.update(self._by_group.get(pair, ()))
        return self._digest(chosen) if chosen else ""

    def whole(self) -> str:
        """The fingerprint of every entry (what the class-level reports depend on: the stale entries name them)."""
        return self._digest(self._text)

    def _digest(self, indices: Iterable[int]) -> str:
        digest = hashlib.blake2b(digest_size=16)
        for index in sorted(indices):
            digest.update(self._text[index].encode("utf-8") + b"\0")
        return digest.hexdigest()
