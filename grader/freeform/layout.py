"""Which parts an assignment has: problem number plus optional part label."""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from functools import cached_property

_PART_ID = re.compile(r"(\d{1,3})([a-z]?)")
_SUB_ANSWER = re.compile(r"\d{1,3}[a-z]?[.:]\w+")


@dataclass(frozen=True)
class PartLayout:
    part_id: str
    problem: int
    label: str | None


@dataclass(frozen=True)
class AssignmentLayout:
    parts: tuple[PartLayout, ...]
    #: parts whose answer type reads the whole answer (a record, a table, a choice): their first
    #: candidate is the whole marked answer or the whole block, not only its last value
    whole_answer: frozenset[str] = frozenset()
    #: dotted sub-answer ids (``2a.1``): found on lines that start with the full id, not by segmentation
    sub_parts: tuple[str, ...] = ()

    @classmethod
    def from_part_ids(cls, *, part_ids: list[str] | tuple[str, ...],
                      whole_answer: Collection[str] = ()) -> "AssignmentLayout":
        return layout_from_part_ids(part_ids=part_ids, whole_answer=whole_answer)

    def problems(self) -> tuple[int, ...]:
        return self._problems

    def labels_of(self, *, problem: int) -> tuple[str | None, ...]:
        return self._labels.get(problem, ())

    def part_id(self, *, problem: int, label: str | None) -> str | None:
        return self._part_ids.get((problem, label))

    def part_ids_of(self, *, problem: int) -> tuple[str, ...]:
        """The ids of the problem's parts, in layout order (duplicates kept)."""
        return self._ids_by_problem.get(problem, ())

    def label_of(self, *, part_id: str | None) -> str | None:
        """The label of the (first) part with this id; None for a part without a label or no such part."""
        return self._labels_by_id.get(part_id)

    # the segmenter asks these for every line: worked out once per layout (it is frozen)
    @cached_property
    def _problems(self) -> tuple[int, ...]:
        return tuple(dict.fromkeys(part.problem for part in self.parts))

    @cached_property
    def _labels(self) -> dict[int, tuple[str | None, ...]]:
        labels: dict[int, list[str | None]] = {}
        for part in self.parts:
            labels.setdefault(part.problem, []).append(part.label)
        return {problem: tuple(values) for problem, values in labels.items()}

    @cached_property
    def _ids_by_problem(self) -> dict[int, tuple[str, ...]]:
        ids: dict[int, list[str]] = {}
        for part in self.parts:
            ids.setdefault(part.problem, []).append(part.part_id)
        return {problem: tuple(values) for problem, values in ids.items()}

    @cached_property
    def _labels_by_id(self) -> dict[str, str | None]:
        labels: dict[str, str | None] = {}
        for part in self.parts:
            labels.setdefault(part.part_id, part.label)
        return labels

    @cached_property
    def _part_ids(self) -> dict[tuple[int, str | None], str]:
        ids: dict[tuple[int, str | None], str] = {}
        for part in self.parts:
            ids.setdefault((part.problem, part.label), part.part_id)  # the first part with that label
        return ids


def layout_from_part_ids(*, part_ids: list[str] | tuple[str, ...],
                         whole_answer: Collection[str] = ()) -> AssignmentLayout:
    """The layout of these parts; ``whole_answer``: ids of parts whose type has ``reads_whole_answer``."""
    parts = []
    sub_parts = []
    for part_id in part_ids:
        match = _PART_ID.fullmatch(str(part_id).strip().lower())
        if match is None and _SUB_ANSWER.fullmatch(str(part_id).strip().lower()):
            sub_parts.append(str(part_id))  # sub-answers like '2a.1': see grader.freeform.sub_answers
            continue
        if match is None:
            raise ValueError(f"part id {part_id!r} is not like '1a' or '6'")
        parts.append(PartLayout(part_id=str(part_id), problem=int(match.group(1)), label=match.group(2) or None))
    return AssignmentLayout(parts=tuple(parts), whole_answer=frozenset(str(p) for p in whole_answer),
                            sub_parts=tuple(sub_parts))
