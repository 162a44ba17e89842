"""Problem definitions: schema (pydantic models), loading and validation."""

from grader.problems.errors import ProblemFileError, ProblemFileErrors
from grader.problems.loader import discover_assignments, load_assignment
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
    "load_assignment",
]
