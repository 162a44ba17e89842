"""The library entry point: ``grader.grade(submissions=…, problems=…, options=RunOptions(…))``.

The ``grade`` command (grader/cli.py) is a thin layer over it; so are the tests' and the benchmark's runs.
The names are imported on first use: ``grader.api.defaults`` (plain values) is read by ``grade --help`` and
the sandbox, which must not pay for pydantic or the grading pipeline.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_HOMES = {"GradeError": "errors", "ProblemFilesError": "errors", "UsageError": "errors",
          "AssignmentOutcome": "runner", "GradeOutcome": "runner", "grade": "runner", "usage_problem": "runner",
          "RunOptions": "options"}
__all__ = sorted(_HOMES)


def __getattr__(name: str) -> Any:
    if name in _HOMES:
        return getattr(import_module(f"grader.api.{_HOMES[name]}"), name)
    raise AttributeError(f"module 'grader.api' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *_HOMES])
