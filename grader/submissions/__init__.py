"""Turning a submission file into per-part answer candidates."""

from grader.submissions.inputs import Candidate, PartInput, SubmissionInput, Unreadable
from grader.submissions.read import read_submission

__all__ = ["Candidate", "PartInput", "SubmissionInput", "Unreadable", "read_submission"]
