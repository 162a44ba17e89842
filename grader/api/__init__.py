"""The library entry point: ``grader.grade(submissions=…, problems=…, options=RunOptions(…))``.

The ``grade`` command (grader/cli.py) is a thin layer over it; so are the tests' and the benchmark's runs.
The names are imported on first use: ``grader.api.defaults`` (plain values) is read by ``grade --help`` and
the sandbox, which must not pay for pydantic or the grading pipeline.
"""

from __future__ import annotations

from typing import Any

_ERRORS = ("GradeError", "ProblemFilesError", "UsageError")
_RUNNER = ("AssignmentOutcome", "GradeOutcome", "grade", "usage_problem")
__all__ = sorted([*_ERRORS, *_RUNNER, "RunOptions"])


def __getattr__(name: str) -> Any:
    if name in _ERRORS:
        import grader.api.errors as home
    elif name in _RUNNER:
        import grader.api.runner as home
    elif name == "RunOptions":
        import grader.api.options as home
    else:
        raise AttributeError(f"module 'grader.api' has no attribute {name!r}")
    return getattr(home, name)


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
