"""grader: auto-grading for deep-learning homework answers.

``grader.grade(submissions=…, problems=…, options=grader.RunOptions(…))`` grades a folder (grader/api/);
the names are imported on first use, so ``import grader`` (and ``grade --help``) stays light.
"""

from __future__ import annotations

import os
from typing import Any

#: SymPy memoises its own work (building Add and Mul, expand, assumptions) per function in caches of
#: SYMPY_CACHE_SIZE entries, read when sympy is first imported. Its default, 1000, is churned within one
#: matrix-calculus check, and every distinct answer of a part rebuilds the same reference terms: with 10 000 the
#: distinct (reference, answer) pairs of bench/pairs_speed.py check in half the CPU time (results identical),
#: for a few MB (in-process grading of 600 / 2000 dl-basics files: peak 172 / ~300 MB, as before within noise).
#: A value the user sets wins; it must be set before sympy is imported, hence here.
SYMPY_CACHE_SIZE = "10000"
os.environ.setdefault("SYMPY_CACHE_SIZE", SYMPY_CACHE_SIZE)

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
