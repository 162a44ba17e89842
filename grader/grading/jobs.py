"""The units of work that run inside bounded worker processes.

They take only plain, picklable arguments (an assignment folder, a path, a
part's candidates) and rebuild the grading context once per worker.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from grader.grading.context import GradingContext, build_context
from grader.grading.part import PartOutcome, grade_part
from grader.problems.loader import load_assignment_dir
from grader.problems.models import Assignment
from grader.variants import apply_variant, values_of_key
from grader.submissions import PartInput, SubmissionInput, Unreadable, read_submission


@lru_cache(maxsize=4)
def _assignment_for(assignment_dir: str) -> Assignment:
    return load_assignment_dir(folder=Path(assignment_dir))


@lru_cache(maxsize=64)
def context_for(assignment_dir: str, variant: str | None = None) -> GradingContext:
    """The grading context of the assignment, or of one variant of it (``variant``: its
    :func:`~grader.variants.variant_key`); built once per process and variant."""
    assignment = _assignment_for(assignment_dir)
    if variant is not None:
        assignment = apply_variant(assignment=assignment, values=values_of_key(variant))
    return build_context(assignment=assignment)


def read_job(*, assignment_dir: str, path: str) -> SubmissionInput | Unreadable:
    return read_submission(path=Path(path), assignment=context_for(assignment_dir).assignment)


def part_job(*, assignment_dir: str, part_id: str, part_input: PartInput,
             student_values: Mapping[str, Any], variant: str | None = None) -> tuple[PartOutcome, float]:
    """The part's outcome (against the student's own variant) and this process's peak resident memory so far, in MB."""
    outcome = grade_part(context=context_for(assignment_dir, variant), part_id=part_id, part_input=part_input,
                         student_values=student_values)
    if variant is not None and outcome.result.verdict in ("incorrect", "partial"):
        outcome = _note_other_variant(outcome, assignment_dir, part_id, part_input, student_values)
    return outcome, peak_memory_mb()


OTHER_VARIANT_NOTE = ("This answer matches the values of another variant (the problem's default numbers), "
                      "not the numbers of your own sheet.")


def _note_other_variant(outcome: PartOutcome, assignment_dir: str, part_id: str, part_input: PartInput,
                        student_values: Mapping[str, Any]) -> PartOutcome:
    """A note for staff and student when a wrong answer is right for the default parameters."""
    base = context_for(assignment_dir)
    if base.references.get(part_id) is None:
        return outcome
    other = grade_part(context=base, part_id=part_id, part_input=part_input, student_values=student_values)
    if other.result.verdict != "correct":
        return outcome
    result = outcome.result.model_copy(update={"notes": (*outcome.result.notes, OTHER_VARIANT_NOTE)})
    return PartOutcome(result=result, value=outcome.value)


def peak_memory_mb() -> float:
    try:
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB
    except (ImportError, OSError):
        return 0.0
