"""Grading: deciding each part's verdict from a submission's answer candidates."""

from grader.grading.context import GradingContext, build_context
from grader.grading.part import PartOutcome, grade_part
from grader.grading.run import grade_directory
from grader.grading.submission import grade_submission

__all__ = ["GradingContext", "PartOutcome", "build_context", "grade_directory", "grade_part", "grade_submission"]
