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
from grader.submissions import PartInput, SubmissionInput, Unreadable, read_submission


@lru_cache(maxsize=4)
def context_for(assignment_dir: str) -> GradingContext:
    return build_context(assignment=load_assignment_dir(folder=Path(assignment_dir)))


def read_job(*, assignment_dir: str, path: str) -> SubmissionInput | Unreadable:
    return read_submission(path=Path(path), assignment=context_for(assignment_dir).assignment)


def part_job(*, assignment_dir: str, part_id: str, part_input: PartInput,
             student_values: Mapping[str, Any]) -> tuple[PartOutcome, float]:
    """The part's outcome and this process's peak resident memory so far, in MB."""
    outcome = grade_part(context=context_for(assignment_dir), part_id=part_id, part_input=part_input,
                         student_values=student_values)
    return outcome, peak_memory_mb()


def peak_memory_mb() -> float:
    try:
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB
    except (ImportError, OSError):
        return 0.0
