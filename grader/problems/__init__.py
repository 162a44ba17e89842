"""Problem definitions: schema (pydantic models), reading and schema validation (the checks that
need grading, references and self-checks, are grader.grading.checked's)."""

from grader.problems.errors import ProblemFileError, ProblemFileErrors
from grader.problems.loader import discover_assignments, read_assignment, read_assignment_dir
from grader.problems.models import Assignment, Misconception, Part, Problem, Tolerance

__all__ = [
    "Assignment",
    "Misconception",
    "Part",
    "Problem",
    "ProblemFileError",
    "ProblemFileErrors",
    "Tolerance",
    "discover_assignments",
    "read_assignment",
    "read_assignment_dir",
]
