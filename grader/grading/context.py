"""Everything grading needs that does not depend on the student: the
assignment, its reference values and the values of its catalogued mistakes."""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from typing import Any

from grader.problems.bindings import compute_references, resolve_args
from grader.problems.models import Assignment, Misconception


@dataclass(frozen=True)
class GradingContext:
    assignment: Assignment
    references: dict[str, Any]
    misconceptions: dict[str, tuple[tuple[Misconception, Any], ...]]
    order: tuple[str, ...]

    def seed_for(self, part_id: str) -> int:
        """Same seed for every student and run: fair and reproducible checks."""
        return zlib.crc32(f"{self.assignment.id}/{part_id}".encode())


def build_context(*, assignment: Assignment) -> GradingContext:
    from grader.problems.bindings import step_order
    from grader.solvers import get_solver

    references = compute_references(assignment=assignment)
    catalogue: dict[str, tuple[tuple[Misconception, Any], ...]] = {}
    for problem in assignment.problems:
        for part in problem.parts:
            entries = []
            for mistake in part.misconceptions:
                if mistake.solver is not None:
                    args = resolve_args(args=mistake.args, parameters=problem.parameters, values=references)
                    value = get_solver(mistake.solver)(**args)
                else:
                    value = mistake.value
                entries.append((mistake, value))
            catalogue[part.id] = tuple(entries)
    return GradingContext(assignment=assignment, references=references, misconceptions=catalogue,
                          order=step_order(assignment=assignment))
