"""grader: auto-grading for deep-learning homework answers.

``grader.grade(submissions=…, problems=…, options=grader.RunOptions(…))`` grades a folder (grader/api/);
the names are imported on first use, so ``import grader`` (and ``grade --help``) stays light.
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

_API = ("AssignmentOutcome", "GradeError", "GradeOutcome", "ProblemFilesError", "RunOptions", "UsageError", "grade")
__all__ = ["__version__", *_API]


def __getattr__(name: str) -> Any:
    if name in _API:
        import grader.api

        return getattr(grader.api, name)
    raise AttributeError(f"module 'grader' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *_API])
