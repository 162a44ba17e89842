"""Everything grading needs that does not depend on the student: the
assignment, its reference values and the values of its catalogued mistakes."""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from typing import Any

from grader.problems.bindings import compute_references, resolve_args
from grader.problems.models import Assignment, Misconception, Part, Problem


@dataclass(frozen=True)
class GradingContext:
    assignment: Assignment
    references: dict[str, Any]
    misconceptions: dict[str, tuple[tuple[Misconception, Any], ...]]
    order: tuple[str, ...]

    def seed_for(self, part_id: str) -> int:
        """Same seed for every student and run: fair and reproducible checks."""
        return zlib.crc32(f"{self.assignment.id}/{part_id}".encode())


def misconception_values(*, part: Part, problem: Problem, references: dict[str, Any]
                         ) -> tuple[tuple[Misconception, Any], ...]:
    """Each catalogued mistake of a part with the value it produces."""
    from grader.solvers import get_solver

    entries = []
    for mistake in part.misconceptions:
        if mistake.solver is not None:
            args = resolve_args(args=mistake.args, parameters=problem.parameters, values=references)
            entries.append((mistake, get_solver(mistake.solver)(**args)))
        else:
            entries.append((mistake, mistake.value))
    return tuple(entries)


def build_context(*, assignment: Assignment) -> GradingContext:
    from grader.problems.bindings import step_order

    references = compute_references(assignment=assignment)
    catalogue = {part.id: misconception_values(part=part, problem=problem, references=references)
                 for problem in assignment.problems for part in problem.parts}
    return GradingContext(assignment=assignment, references=references, misconceptions=catalogue,
                          order=step_order(assignment=assignment))
