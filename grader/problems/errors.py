"""Errors for problem files: each names the file, the field and the fix."""

from __future__ import annotations

from pathlib import Path


class ProblemFileError(ValueError):
    def __init__(self, *, file: Path | str, field: str, problem: str, fix: str) -> None:
        self.file = str(file)
        self.field = field
        self.problem = problem
        self.fix = fix
        super().__init__(f"{self.file}: {field}: {problem}\n  fix: {fix}")
