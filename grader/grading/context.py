"""Everything grading needs that does not depend on the student: the
assignment, its reference values and the values of its catalogued mistakes."""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field
from collections.abc import Mapping
from typing import Any

from grader.problems.bindings import compute_references, local_solvers_of, raw_reference
from grader.problems.models import Assignment, Misconception, Part, Problem


@dataclass(frozen=True)
class GradingContext:
    assignment: Assignment
    references: dict[str, Any]
    misconceptions: dict[str, tuple[tuple[Misconception, Any], ...]]
    order: tuple[str, ...]
    #: the assignment as loaded, before its placeholders were filled (variants are applied to it)
    loaded: Assignment | None = None
    #: part id -> its result when the student gave no answer (grader.grading.jobs.no_answer_result), made once
    #: per context; never shipped to a worker (each fills its own)
    no_answers: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def __getstate__(self) -> dict[str, Any]:
        return {name: value for name, value in self.__dict__.items() if name != "no_answers"}

    def __setstate__(self, state: dict[str, Any]) -> None:
        for name, value in {**state, "no_answers": {}}.items():
            object.__setattr__(self, name, value)

    def seed_for(self, part_id: str) -> int:
        """Same seed for every student and run: fair and reproducible checks."""
        return zlib.crc32(f"{self.assignment.id}/{part_id}".encode())


def misconception_values(*, part: Part, problem: Problem, references: dict[str, Any],
                         local: Mapping[str, Any] | None = None) -> tuple[tuple[Misconception, Any], ...]:
    """Each catalogued mistake of a part with the value it produces, in the part's type's form."""
    from grader.answers import get_answer_type

    answer_type = get_answer_type(part.type)
    entries = []
    for mistake in part.misconceptions:
        value = raw_reference(source=mistake, problem=problem, values=references, local=local)
        entries.append((mistake, answer_type.reference_value(value=value, part=part)))
    return tuple(entries)


def build_context(*, assignment: Assignment, references: dict[str, Any] | None = None) -> GradingContext:
    """The context of ``assignment`` as given: pass ``apply_variant(...)`` of it to grade a student's
    own variant (its ``{{name}}`` placeholders are filled with the parameters either way).
    ``references``: the reference values when they were already computed (by the load check)."""
    from grader.problems.bindings import step_order
    from grader.variants.apply import apply_variant

    loaded = assignment
    assignment = apply_variant(assignment=assignment)
    if references is None:
        references = compute_references(assignment=assignment)
    local = local_solvers_of(assignment)
    catalogue = {part.id: misconception_values(part=part, problem=problem, references=references, local=local)
                 for problem in assignment.problems for part in problem.parts}
    return GradingContext(assignment=assignment, references=references, misconceptions=catalogue,
                          order=step_order(assignment=assignment), loaded=loaded)


def variant_context(*, base: GradingContext, key: str) -> tuple[GradingContext | None, tuple[str, ...]]:
    """The context of one variant (by its :func:`~grader.variants.variant_key`) built from the run's
    context, never from disk, and the self-check failures of that variant (then no context): the
    variant's references are computed once, for the self-check and the context alike."""
    from grader.variants import values_of_key
    from grader.variants.check import variant_references

    varied, references, found, complete = variant_references(assignment=base.loaded or base.assignment,
                                                             values=values_of_key(key))
    if found:
        return None, tuple(f"{part_id}: {text}" for part_id, text in found)
    # a part outside the varied problems that failed is not the variant's fault: build as before (it raises)
    return build_context(assignment=varied, references=references if complete else None), ()
