"""Which parts an assignment has: a problem number and an optional part label per part id."""

from __future__ import annotations

import re
from dataclasses import dataclass

_PART_ID = re.compile(r"(\d{1,3})([a-z]?)")
_SUB_ANSWER_ID = re.compile(r"\d{1,3}[a-z]?[.:][\w.]{1,20}")  # '2a.1': a step inside part 2a's own text


@dataclass(frozen=True)
class PartLayout:
    part_id: str
    problem: int
    label: str | None


@dataclass(frozen=True)
class AssignmentLayout:
    parts: tuple[PartLayout, ...]

    @classmethod
    def from_part_ids(cls, *, part_ids: list[str] | tuple[str, ...]) -> "AssignmentLayout":
        return layout_from_part_ids(part_ids=part_ids)

    def problems(self) -> tuple[int, ...]:
        """Problem numbers in layout order, each once."""
        return tuple(dict.fromkeys(part.problem for part in self.parts))

    def parts_of(self, *, problem: int) -> tuple[PartLayout, ...]:
        return tuple(part for part in self.parts if part.problem == problem)

    def find(self, *, problem: int, label: str | None) -> PartLayout | None:
        for part in self.parts:
            if part.problem == problem and part.label == label:
                return part
        return None


def layout_from_part_ids(*, part_ids: list[str] | tuple[str, ...]) -> AssignmentLayout:
    """'1a' -> problem 1 label 'a'; '6' -> problem 6 without a label; sub-answer ids ('2a.1') are skipped.

    Any other id raises ValueError.
    """
    parts = []
    for part_id in part_ids:
        match = _PART_ID.fullmatch(str(part_id).strip().lower())
        if match is None and _SUB_ANSWER_ID.fullmatch(str(part_id).strip().lower()):
            continue
        if match is None:
            raise ValueError(f"part id {part_id!r} is not like '1a' or '6'")
        parts.append(PartLayout(part_id=str(part_id), problem=int(match.group(1)), label=match.group(2) or None))
    return AssignmentLayout(parts=tuple(parts))
