"""The library entry point: ``grader.grade(submissions=…, problems=…, options=RunOptions(…))``.

The ``grade`` command (grader/cli.py) is a thin layer over it; so are the tests' and the benchmark's runs.
"""

from grader.api.errors import GradeError, ProblemFilesError, UsageError
from grader.api.runner import AssignmentOutcome, GradeOutcome, grade, usage_problem
from grader.api.options import RunOptions

__all__ = ["AssignmentOutcome", "GradeError", "GradeOutcome", "ProblemFilesError", "RunOptions", "UsageError",
           "grade", "usage_problem"]
