"""What the file cache (grader/reports/file_cache.py) keeps of a file, and what a run gets back from it: a
:class:`Hit` (the file's share of the report set as an earlier run kept it) or a :class:`Known` (its result
before the decisions, when the overrides entries that concern it changed since). A record's answer-group rows
are kept a line of JSON each (:func:`pack_groups`); most repeat from file to file, so a run decodes each
distinct line once (:class:`GroupRowLines`)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from grader.bounded_cache import BoundedCache
from grader.reports.file_report import FileReport
from grader.reports.row_store import unpack
from grader.results import StaleOverride, SubmissionResult
from grader.review.groups import GroupRow
from grader.review.stale import Sighting


@dataclass(frozen=True, slots=True)
class Hit:
    """A file's share of the report set as an earlier run kept it (a :class:`FileReport`'s rows, as the run's
    row store takes them: item and waiting packed), the name of its kept pages and their sizes."""

    student: str
    row: bytes
    waiting: bytes | None
    item: bytes
    flagged: tuple[str, ...]
    groups: tuple[GroupRow, ...]
    sightings: tuple[Sighting, ...]
    slim: bytes  # its slim copy's JSON, packed (decoded only for a progress display)
    page: str
    sizes: tuple[int, ...]
    stem: str  # the name its pages had: its class-page row links to it
    html: str  # its row of the class page's student table
    csv: str  # its line of grades.csv

    def slim_result(self) -> SubmissionResult:
        return SubmissionResult.model_validate_json(unpack(self.slim))


@dataclass(frozen=True, slots=True)
class Known:
    """A file graded by an earlier run whose overrides entries have changed since: its result before the
    decisions (packed JSON), for the run's decisions to be applied to it without grading it again."""

    graded: bytes


def record_meta(report: FileReport, *, flagged: tuple[str, ...], sizes: list[int], stem: str,
          lines: tuple[str, str]) -> dict[str, Any]:
    """What a record keeps of a file besides its packed item, waiting and slim copies (see :class:`Hit`)."""
    return {"sizes": sizes, "stem": stem, "html": lines[0], "csv": lines[1], "student": report.student,
            "row": report.row, "flagged": list(flagged),
            "sightings": [[s.entry, None if s.changed is None else s.changed.model_dump(mode="json")]
                          for s in report.sightings]}


#: the kept line of each distinct group row a run packed (most repeat from file to file), by :func:`_line_key`
_LINES: BoundedCache[tuple[Any, ...], str] = BoundedCache(8192)


def _line_key(g: GroupRow) -> tuple[Any, ...]:
    """What a row's line is made of, with the types of the fields JSON writes apart (1 and 1.0, 1 and True
    are equal keys of a dict, not the same line)."""
    return (g.part_id, g.key, g.answer, g.auto_verdict, g.auto_score, type(g.auto_score), g.suggested,
            type(g.suggested), g.flagged, type(g.flagged), g.overridden, type(g.overridden))


def _line(g: GroupRow) -> str:
    key = _line_key(g)
    line = _LINES.get(key)
    if line is None:
        line = _LINES.put(key, json.dumps([g.part_id, g.key, g.answer, g.auto_verdict, g.auto_score, g.suggested,
                                           g.flagged, g.overridden]))
    return line


def pack_groups(groups: Iterable[GroupRow]) -> bytes:
    """A file's answer-group rows as its record keeps them: a line of JSON each, ASCII (any text survives, and no
    line holds a line break)."""
    return "\n".join(_line(g) for g in groups).encode("ascii")


def hit_of(kept: dict[str, Any], *, groups: tuple[GroupRow, ...], item: bytes, waiting: bytes | None, slim: bytes,
         page: str) -> Hit:
    sightings = tuple(Sighting(entry=entry, changed=None if changed is None else StaleOverride.model_validate(changed))
                      for entry, changed in kept["sightings"])
    return Hit(student=kept["student"], row=kept["row"].encode("utf-8"), waiting=waiting, item=item,
               flagged=tuple(kept["flagged"]), groups=groups, sightings=sightings, slim=slim, page=page,
               sizes=tuple(kept["sizes"]), stem=kept["stem"], html=kept["html"], csv=kept["csv"])


class GroupRowLines:
    """The answer-group rows a run decoded from the records it read, by their kept line (thread-safe)."""

    def __init__(self) -> None:
        self._made: dict[bytes, GroupRow] = {}
        self._lock = threading.Lock()

    def decoded(self, packed: bytes) -> tuple[GroupRow, ...]:
        """A record's answer-group rows (:func:`pack_groups`), each distinct line decoded once per run: GroupRows
        are frozen, so one serves every file with the same answer and verdict."""
        if not packed:
            return ()
        known = self._made
        rows = []
        for line in packed.split(b"\n"):
            made = known.get(line)
            if made is None:
                fields = json.loads(line)
                if not isinstance(fields, list) or len(fields) != 8:
                    raise ValueError("not a group row")
                with self._lock:
                    made = known.setdefault(line, GroupRow(*fields))
            rows.append(made)
        return tuple(rows)
